/**
 * The generated figures of issue 21 (the change feed at 1M tasks, its trigger's cost on writes) and
 * of issue 22 (the rate limiter's cost, a common word searched at 1M tasks, the attack on the
 * compatibility list), each with its budget. Every part is optional: a run that left one out shows
 * no row for it.
 */
import { failures, fmt, met, ms, p50p99, table, x } from './report-format.js';

const ATTACK_RSS_BUDGET_MIB = 400e6 / 2 ** 20;
const LIMITER_SIDES = { memory: 'on, in memory (the default)', redis: 'on, shared through Redis', off: 'off (RATE_LIMIT_ENABLED=false)' };

/** Target rows: [target, measured, met]. @param {any} r the results */
export function syncLimitsTargets(r) {
  const rows = [];
  const l = r.limiter;
  if (l) {
    rows.push([`rate limiter in memory: CPU/request ≤ 1.10 × limiter off (${l.scenario}; issue 22)`, x(l.ratios.memoryToOff), met(l.ratios.memoryToOff <= 1.1)]);
    if (l.redis) rows.push([`rate limiter through Redis: CPU/request ≤ 1.25 × limiter off (${l.scenario})`, x(l.ratios.redisToOff), met(l.ratios.redisToOff <= 1.25)]);
  }
  const largest = r.scale[r.explainScale]?.api;
  if (largest?.qCommon) {
    const common = largest.qCommon.first.p50;
    const [toList, toRare] = [largest.default.first.p50, largest.qRare.first.p50].map((p50) => common / p50);
    rows.push([`${r.explainScale}: a common word (q=the) p50 ≤ 3 × the plain list's first page (issue 22)`, `${ms(common)} ms: ${x(toList)}`, met(toList <= 3)]);
    rows.push([`${r.explainScale}: a common word (q=the) p50 ≤ 2 × a rarer one's (q=plumber)`, x(toRare), met(toRare <= 2)]);
  }
  const a = r.attack;
  if (a) {
    const answered = !a.attacked.error && a.attacked.non2xx + a.attacked.errors === 0;
    rows.push([`attack (6 compatibility lists of ${a.attacker}): API up, the other user answered with 0 errors and 0 5xx`, `${a.apiUp ? 'up' : '**down**'}; ${a.attacked.error ?? JSON.stringify(a.attacked.statuses)}`, met(a.apiUp && answered)]);
    rows.push([`attack: the other user's p99 ≤ 1 s (${fmt(a.victimRps)} req/s)`, `${ms(a.attacked.latency?.p99)} ms (${x(a.p99Ratio)} the p99 without attack)`, met(a.attacked.latency?.p99 <= 1000)]);
    rows.push(['attack: API peak RSS ≤ 400 MB (381.5 MiB)', `${fmt(a.apiPeakRssMiB, 1)} MiB`, met(a.apiPeakRssMiB <= ATTACK_RSS_BUDGET_MIB)]);
  }
  const t = r.trigger;
  if (t) rows.push([`change feed trigger: create's DB CPU/request with it ÷ without (issue 21: measured, no target)`, `${x(t.ratios.dbCpuPerRequest)} (API CPU ${x(t.ratios.cpuPerRequest)})`, '–']);
  const f = r.feed;
  if (f) {
    rows.push([`${f.scale} change feed: a deep page p50 ≤ 2 × the first page (issue 21)`, x(f.deepToFirstP50.feed), met(f.deepToFirstP50.feed <= 2)]);
    rows.push([`${f.scale} snapshot: a deep page p50 ≤ 2 × the first page`, x(f.deepToFirstP50.snapshot), met(f.deepToFirstP50.snapshot <= 2)]);
    const deep = f.explain.find((plan) => plan.page === 'feedDeep');
    const indexed = !deep.seqScan && deep.outline.includes('Index Scan (task_changes_') && deep.sortedRows <= f.limit + 1;
    rows.push([`${f.scale} change feed, deep page plan: index scan, no sort of more than a page`, `${deep.seqScan ? 'seq scan' : 'index scan'}, ${fmt(deep.sortedRows)} rows sorted`, met(indexed)]);
  }
  return rows;
}

/** The sections after the scale tables. @param {any} r the results */
export function syncLimitsSections(r) {
  const lines = [];
  const l = r.limiter;
  if (l) {
    lines.push(`Rate limiter (issue 22), \`${l.scenario}\` at saturation, never throttled (medians of ${l.memory.rounds} rounds per side):`, '');
    lines.push(
      ...table(
        ['limiter', 'req/s', 'p50 / p99 ms', 'CPU ms/req', 'DB CPU ms/req', 'CPU/req ÷ off', 'failed'],
        Object.entries(LIMITER_SIDES).filter(([side]) => l[side]).map(([side, label]) => {
          const s = l[side];
          return [label, fmt(s.rps), p50p99(s.latency), fmt(s.serverCpuMsPerRequest, 3), fmt(s.dbCpuMsPerRequest, 3), side === 'off' ? '' : x({ memory: l.ratios.memoryToOff, redis: l.ratios.redisToOff }[side]), fmt(failures(s))];
        }),
      ),
    );
  }
  const t = r.trigger;
  if (t) {
    lines.push(`Change feed trigger (issue 21), \`create\` at saturation on one API, the trigger enabled and disabled between rounds (medians of ${t.on.rounds} rounds per side):`, '');
    lines.push(
      ...table(
        ['trigger', 'req/s', 'p50 / p99 ms', 'CPU ms/req', 'DB CPU ms/req', 'failed'],
        [['enabled', t.on], ['disabled', t.off]].map(([label, s]) => [label, fmt(s.rps), p50p99(s.latency), fmt(s.serverCpuMsPerRequest, 3), fmt(s.dbCpuMsPerRequest, 3), fmt(failures(s))]),
      ),
    );
  }
  const f = r.feed;
  if (f) {
    lines.push(`Change feed (issue 21), ${f.scale}: ${fmt(f.tasks)} tasks, ${fmt(f.tombstones)} deleted, ${fmt(f.changes)} changes; pages of ${f.limit}, deep ones after ${fmt(f.deepShare * 100)} % (one request at a time):`, '');
    lines.push(
      ...table(
        ['page', 'entries', 'p50 / p99 ms', 'EXPLAIN ms', 'rows sorted', 'plan'],
        f.explain.map((plan) => [plan.page, fmt(f.pages[plan.page].entries), p50p99(f.pages[plan.page]), ms(plan.executionMs), fmt(plan.sortedRows), plan.outline]),
      ),
    );
  }
  const a = r.attack;
  if (a) {
    lines.push(`Attack (issue 22): ${a.attackers} parallel \`GET /api/{user_id}/tasks\` of ${a.attacker} for ${a.seconds} s, while ${a.victim} lists its first page at ${fmt(a.victimRps)} req/s:`, '');
    const side = (label, s) => [label, s.error ?? fmt(s.rps), p50p99(s.latency), s.error ? '–' : JSON.stringify(s.statuses)];
    lines.push(...table(['', 'req/s', 'p50 / p99 ms', 'statuses'], [side(`${a.victim}, no attack`, a.quiet), side(`${a.victim}, under attack`, a.attacked), side(`${a.attacker}'s compatibility lists`, a.attack)]));
    lines.push(`API RSS ${fmt(a.apiRssBeforeMiB, 1)} MiB before the attack, peak ${fmt(a.apiPeakRssMiB, 1)} MiB during it; ${a.apiUp ? 'up' : '**down**'} after it.`, '');
  }
  return lines;
}
