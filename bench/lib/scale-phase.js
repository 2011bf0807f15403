/**
 * The scale part of the run, on `tasks_bench_scale`: the list variants at each size (API and
 * baseline), their query plans on the largest user, the change feed of the largest user (issue 21),
 * and last, as it may take the API down, the attack of issue 22.
 */
import { measureAttack } from './attack.js';
import { hs256Tokens } from './auth.js';
import { ensureScaleDatabase } from './database.js';
import { measureChangeFeed } from './feed.js';
import { explainListQueries, measureScale } from './scale.js';

/**
 * @param {{ scales: string[], reseed: boolean, secret: string, start: (name: string, url: string) => Promise<any>,
 *   samples: { samples: number, warmup: number, maxSeconds: number }, feed: boolean, attack: { seconds: number, rate: number } | null,
 *   log: (message: string) => void }} options
 */
export async function runScalePhase({ scales, reseed, secret, start, samples, feed, attack, log }) {
  const results = { scale: {}, explain: [] };
  const scale = await ensureScaleDatabase({ scales, reseed, log });
  const tokens = await hs256Tokens(secret, scale.users.map((user) => user.ownerId));
  const servers = { api: await start('API', scale.url), baseline: await start('baseline', scale.url) };
  for (const [i, user] of scale.users.entries()) {
    results.scale[user.label] = { tasks: user.tasks };
    for (const [key, server] of Object.entries(servers)) {
      const figures = (results.scale[user.label][key] = await measureScale(server, tokens[i], samples));
      log(`scale ${user.label.padEnd(4)} ${key.padEnd(8)} ${Object.entries(figures).map(([v, f]) => `${v} p50 first ${f.first.p50} / deep ${f.deep?.p50 ?? '–'} ms`).join('; ')}`);
    }
  }
  await servers.baseline.stop();
  const [smallest, largest] = [scale.users[0], scale.users.at(-1)];
  results.explainScale = largest.label;
  results.explain = await explainListQueries(scale.url, largest.ownerId, results.scale[largest.label].api);
  for (const plan of results.explain) log(`EXPLAIN ${largest.label} ${plan.variant}/${plan.page}: ${plan.seqScanOnTasks ? 'SEQ SCAN' : 'no seq scan'}, ${plan.executionMs} ms: ${plan.outline}`);

  if (feed) {
    const f = (results.feed = { scale: largest.label, ...(await measureChangeFeed(servers.api, scale.url, { ...largest, token: tokens.at(-1) }, samples)) });
    log(`feed ${largest.label} (${f.changes} changes): ${Object.entries(f.pages).map(([page, s]) => `${page} p50 ${s.p50} ms (${s.entries} entries)`).join(', ')}; deep / first ${JSON.stringify(f.deepToFirstP50)}`);
    for (const plan of f.explain) log(`EXPLAIN feed ${plan.page}: ${plan.seqScan ? 'SEQ SCAN' : 'no seq scan'}, sorts ${plan.sortedRows} rows, ${plan.executionMs} ms: ${plan.outline}`);
  }
  if (attack && scale.users.length > 1) {
    const attacker = { token: tokens.at(-1), userId: largest.ownerId };
    const a = (results.attack = { attacker: largest.label, victim: smallest.label, ...(await measureAttack({ server: servers.api, attacker, victim: { token: tokens[0] }, ...attack })) });
    log(`attack by ${largest.label}: API ${a.apiUp ? 'up' : 'DOWN'}, peak RSS ${a.apiPeakRssMiB} MiB; ${smallest.label} p50/p99 ${a.quiet.latency?.p50}/${a.quiet.latency?.p99} ms quiet, ${a.attacked.latency?.p50}/${a.attacked.latency?.p99} ms attacked (${JSON.stringify(a.attacked.statuses ?? a.attacked.error)}); attack ${a.attack.rps} req/s ${JSON.stringify(a.attack.statuses ?? a.attack.error)}`);
  }
  await servers.api.stop();
  return results;
}
