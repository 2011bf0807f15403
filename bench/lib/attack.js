/**
 * The attack of issue 22: six unpaged compatibility lists (`GET /api/{user_id}/tasks`, capped at
 * COMPAT_LIST_MAX) of the user with the most tasks, in parallel and over and over, while another
 * user lists their first page at a modest paced rate. That user's latency with no attack and then
 * under it, in the same run; the API's peak RSS during the attack; whether it is still up after.
 * The bench's rate limits are far above any load, so the attack is never throttled: the worst case.
 */
import { measure, memoryMiB, resetPeakRss } from './load.js';
import { ratio } from './stats.js';

const ATTACKERS = 6;
const noBackends = async () => [];

/**
 * @param {{ server: { origin: string, pid: number, exited: boolean, tail: () => string }, attacker: { token: string, userId: string },
 *   victim: { token: string }, seconds: number, rate: number }} options
 */
export async function measureAttack({ server, attacker, victim, seconds, rate }) {
  // Paced from when each request was due, on enough connections that a slow answer never holds the next one back.
  const victimRun = () => measure({ server, scenario: 'list', actors: [{ ...victim, ids: [] }], connections: 32, duration: seconds, warmup: 1, rate, backends: noBackends });
  const quiet = await victimRun();
  const rssBefore = memoryMiB(server.pid).rss;
  resetPeakRss(server.pid);
  // The attack runs a little longer than the measured window on both sides of it (both warm up for 1 s).
  const [attack, attacked] = await Promise.all([
    measure({ server, scenario: 'compat-list', actors: [{ ...attacker, ids: [] }], connections: ATTACKERS, duration: seconds + 2, warmup: 1, backends: noBackends }).catch((error) => ({ error: error.message })),
    victimRun().catch((error) => ({ error: error.message })),
  ]);
  const apiUp = !server.exited && (await fetch(`${server.origin}/health/ready`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status === 200, () => false));
  const outcome = (f) => (f.error ? { error: f.error } : { requests: f.requests, rps: f.rps, latency: f.latency, statuses: f.statuses, non2xx: f.non2xx, errors: f.errors + f.timeouts });
  return {
    attackers: ATTACKERS,
    seconds,
    victimRps: rate,
    apiUp,
    ...(apiUp ? {} : { apiTail: server.tail() }),
    apiRssBeforeMiB: rssBefore,
    apiPeakRssMiB: server.exited ? null : memoryMiB(server.pid).peak,
    attack: outcome(attack),
    quiet: outcome(quiet),
    attacked: outcome(attacked),
    serverErrors: attacked.error ? null : Object.entries(attacked.statuses).reduce((sum, [status, count]) => sum + (Number(status) >= 500 ? count : 0), 0),
    p99Ratio: attacked.error ? null : ratio(attacked.latency.p99, quiet.latency.p99),
  };
}
