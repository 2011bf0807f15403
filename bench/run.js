/**
 * The benchmark (method: BENCHMARKS.md). `npm run bench` builds the API, then runs this:
 *
 *   node bench/run.js [--quick] [--duration 20] [--scenarios list,list-filtered,search,get,create,update,batch,list-eddsa,mcp-list | none]
 *                     [--no-rate] [--no-limiter] [--no-trigger] [--no-reminders] [--no-events]
 *                     [--scales 1k,100k,1m | --no-scale] [--no-feed] [--no-attack] [--reseed]
 *   node bench/run.js --only-events [--quick]
 *
 * --duration: measured seconds per scenario and side. Parts alone: `--scenarios none --no-limiter --no-trigger
 * --no-reminders --no-events` runs the scale part (lists, change feed, attack); `--scenarios none --no-reminders
 * --no-events --no-scale` the limiter's and the trigger's cost; `--scenarios get --no-rate --no-limiter --no-trigger
 * --no-reminders --no-events --no-scale` one scenario. A full run writes bench/results/latest.json and BENCHMARKS.md;
 * a run that leaves out any part writes bench/results/partial.json and leaves both alone.
 * --only-events: just the live events scenario (issue 21), on an API of its own; a full one merges
 * its figures into bench/results/latest.json and BENCHMARKS.md, leaving the other figures as they were.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { hs256Tokens, randomSecret, startJwksServer } from './lib/auth.js';
import { LOAD_DATABASE, freshDatabase, seedLoadDatabase, withClient } from './lib/database.js';
import { measureEventDelivery } from './lib/events.js';
import { compareLimiter } from './lib/limiter.js';
import { compareChangeTrigger } from './lib/trigger.js';
import { measure, memoryMiB, resetPeakRss } from './lib/load.js';
import { mcpListDifferences, responseDifferences } from './lib/parity.js';
import { writeReport } from './lib/report.js';
import { BATCH_SIZE, SCENARIOS } from './lib/requests.js';
import { measureReminderLag } from './lib/reminders.js';
import { runScalePhase } from './lib/scale-phase.js';
import { productionNodeArgs, startServer } from './lib/servers.js';
import { combineRounds, ratio, round } from './lib/stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values: flags } = parseArgs({
  allowNegative: true,
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    scenarios: { type: 'string', default: SCENARIOS.join(',') },
    rate: { type: 'boolean', default: true },
    scale: { type: 'boolean', default: true },
    scales: { type: 'string' },
    reseed: { type: 'boolean', default: false },
    reminders: { type: 'boolean', default: true },
    limiter: { type: 'boolean', default: true },
    trigger: { type: 'boolean', default: true },
    feed: { type: 'boolean', default: true },
    attack: { type: 'boolean', default: true },
    events: { type: 'boolean', default: true },
    'only-events': { type: 'boolean', default: false },
  },
});
const quick = flags.quick;
const duration = Number(flags.duration ?? (quick ? 4 : 20));
if (!(duration >= 2)) throw new Error('--duration must be at least 2 (seconds)');
const scenarios = flags.scenarios === 'none' ? [] : flags.scenarios.split(',');
for (const scenario of scenarios) if (!SCENARIOS.includes(scenario)) throw new Error(`unknown scenario ${scenario} (known: ${SCENARIOS.join(', ')})`);
const scales = flags.scale ? (flags.scales?.split(',') ?? (quick ? ['1k', '100k'] : ['1k', '100k', '1m'])) : [];
const [USERS, TASKS_PER_USER, CONNECTIONS] = [100, 1000, 64];
// Batches at most the API's default pool (10) at once: each holds a connection for its whole
// transaction, so 64 queue for the pool past DATABASE_CONNECT_TIMEOUT_MS and get 503s.
const BATCH_CONNECTIONS = 8;
const warmup = quick ? 1 : 5;
// Saturated: alternating rounds sharing --duration, each after 1 s of warm-up in its own load process.
const ROUND_WARMUP_SECONDS = 1;
const rounds = quick ? 2 : 4;
const roundSeconds = Math.max(2, Math.round(duration / rounds));
// Paced: windows alternating between the servers, each after 1 s at its rate: a load process fresh
// from fork() runs unoptimised code and opens its connections, and that lag was charged to the server.
const RATE_SCENARIOS = ['list', 'get', 'create', 'update'];
const WINDOW_WARMUP_SECONDS = 1;
const windows = quick ? 3 : 5;
const windowSeconds = Math.max(2, Math.round(duration / 4));
const scaleSamples = quick ? { samples: 40, warmup: 5, maxSeconds: 15 } : { samples: 300, warmup: 30, maxSeconds: 20 };
// The attack (issue 22): the other user lists at a modest rate, for as long as a scenario's side runs.
const attack = flags.attack ? { seconds: quick ? 8 : 20, rate: 50 } : null;
const partial = !SCENARIOS.every((scenario) => scenarios.includes(scenario)) || flags.scales !== undefined || [flags.rate, flags.limiter, flags.trigger, flags.reminders, flags.events, flags.scale, flags.feed, flags.attack].includes(false);

const startedAt = new Date();
const log = (message) => console.log(`[${String(Math.round((Date.now() - startedAt.getTime()) / 1000)).padStart(4)} s] ${message}`);
const cleanups = [];
const cleanup = async () => {
  while (cleanups.length > 0) await Promise.resolve(cleanups.pop()()).catch((error) => console.error(`cleanup: ${error.message}`));
};
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void cleanup().then(() => process.exit(130)));

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const machine = (postgres) => ({
  cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), kernel: release(), node: process.version, postgres,
  autocannon: JSON.parse(readFileSync(resolve(ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version, commit: git('rev-parse', '--short', 'HEAD'),
  dirty: git('status', '--porcelain', '--untracked-files=no', '--', 'src') !== '',
});

/** Issue 21: 1,000 streams (250 users × 4) and 200 creates/s over ~20 s; quick: 200 streams and 100/s over 5 s. */
async function measureEvents(secret) {
  const url = await freshDatabase('tasks_bench_events');
  const server = await startServer({ name: 'API (events)', script: 'bench/lib/api-entry.js', env: { NODE_ENV: 'production', HOST: '127.0.0.1', DATABASE_URL: url, DATABASE_MIGRATE: 'false', BETTER_AUTH_SECRET: secret, LOG_LEVEL: 'info', RATE_LIMIT_PER_USER: '10000000', RATE_LIMIT_PER_IP: '10000000' } });
  cleanups.push(() => server.stop());
  try {
    const scenario = quick ? { streams: 200, writesPerSecond: 100, seconds: 5 } : { streams: 1000, writesPerSecond: 200, seconds: 20 };
    return { ...(await measureEventDelivery({ server, secret, perUser: 4, ...scenario, log })), commit: git('rev-parse', '--short', 'HEAD') };
  } finally {
    await server.stop();
  }
}

/** `--only-events`: the events scenario alone; a full run's figures go into the last full run's results. */
async function onlyEvents() {
  const events = await measureEvents(randomSecret());
  const file = `bench/results/${quick ? 'quick' : 'latest'}.json`;
  const path = resolve(ROOT, file);
  const results = !quick && existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : { startedAt: startedAt.toISOString(), quick };
  results.events = events;
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  log(`Results: ${file}`);
  if (!quick && results.scenarios) writeReport(results, file);
  if (events.lost > 0 || events.failedWrites > 0) process.exitCode = 1;
}

async function main() {
  if (flags['only-events']) return onlyEvents();
  if (!existsSync(resolve(ROOT, 'dist/main.js'))) throw new Error('dist/ is missing: run `npx nest build` first (`npm run bench` does)');
  log(`tasks-api benchmark${quick ? ' (quick)' : ''}: ${rounds} rounds of ${roundSeconds} s per scenario and side after ${warmup} s of warm-up, ${CONNECTIONS} connections`);
  const postgres = await withClient(async (client) => (await client.query('SHOW server_version')).rows[0].server_version);
  const results = {
    startedAt: startedAt.toISOString(), quick, machine: machine(postgres), loadAverageAtStart: loadavg().map((value) => round(value, 2)),
    settings: { duration, warmup, saturatedRounds: rounds, saturatedRoundSeconds: roundSeconds, connections: CONNECTIONS, users: USERS, tasksPerUser: TASKS_PER_USER, nodeArgs: productionNodeArgs() },
    parity: [], scenarios: {}, rate: {}, scale: {}, explain: [],
  };
  const secret = randomSecret();
  const jwks = await startJwksServer();
  cleanups.push(() => jwks.stop());
  // The API as production runs it (LOG_LEVEL=info: one access line per request), with its default pool and token cache;
  // its limits far above the load, so nothing is refused: 64 connections over 100 users give a user 3 searches at once
  // now and then, which SEARCHES_PER_USER_MAX's default (2) refuses with a 429 (the specs prove the limits themselves).
  const apiEnv = {
    NODE_ENV: 'production', HOST: '127.0.0.1', DATABASE_MIGRATE: 'false', BETTER_AUTH_SECRET: secret, AUTH_JWKS_URL: jwks.url, AUTH_ALGORITHMS: 'EdDSA', LOG_LEVEL: 'info',
    RATE_LIMIT_PER_USER: '10000000', RATE_LIMIT_PER_IP: '10000000', SEARCHES_PER_USER_MAX: '100', BATCHES_PER_USER_MAX: '100',
  };
  /** A server: the API when `name` starts with "API" (`env` added to apiEnv), else the baseline. */
  const start = async (name, databaseUrl, env = {}) => {
    const isApi = name.startsWith('API');
    const script = isApi ? 'bench/lib/api-entry.js' : 'bench/baseline-server.js';
    const server = await startServer({ name, script, env: { ...(isApi ? { ...apiEnv, ...env } : { BETTER_AUTH_SECRET: secret }), DATABASE_URL: databaseUrl } });
    cleanups.push(() => server.stop());
    return server;
  };

  if (scenarios.length > 0 || flags.limiter || flags.trigger || flags.reminders) await loadPhase(results, { secret, jwks, start });
  if (flags.events) results.events = await measureEvents(secret);
  if (scales.length > 0) {
    Object.assign(results, await runScalePhase({ scales, reseed: flags.reseed, secret, start, samples: scaleSamples, feed: flags.feed, attack, log }));
  }

  results.totalSeconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
  const file = `bench/results/${quick ? 'quick' : partial ? 'partial' : 'latest'}.json`;
  writeFileSync(resolve(ROOT, file), `${JSON.stringify(results, null, 2)}\n`);
  log(`Results: ${file}`);
  if (!quick && !partial) writeReport(results, file);
  const failed = [
    ...Object.entries(results.scenarios).filter(([, e]) => [e.api, e.baseline ?? e.restList ?? e.singleCreates].some(failedAny)).map(([name]) => name),
    ...['limiter', 'trigger'].filter((part) => results[part] && ['memory', 'redis', 'on', 'off'].some((side) => failedAny(results[part][side]))),
    ...(results.attack && (!results.attack.apiUp || results.attack.serverErrors !== 0) ? ['attack'] : []),
    ...(results.events && results.events.lost + results.events.failedWrites > 0 ? ['events'] : []),
  ];
  if (failed.length > 0 || results.parity.length > 0) {
    log(`Failed: ${failed.join(', ')}${results.parity.length > 0 ? ' and parity' : ''}`);
    process.exitCode = 1;
  }
}

/** A side's figures had an error, a timeout or a non-2xx answer (false when the side was not run). */
const failedAny = (f) => f !== undefined && f.non2xx + f.errors + f.timeouts > 0;

/** The load part on `tasks_bench`: parity, the scenarios against the baseline, reminders, memory, the limiter's and the trigger's cost. */
async function loadPhase(results, { secret, jwks, start }) {
  const load = await seedLoadDatabase({ users: USERS, tasks: TASKS_PER_USER, log });
  const monitor = new pg.Client({ connectionString: load.url });
  await monitor.connect();
  cleanups.push(() => monitor.end());
  // Per user: a token, and up to 50 of the user's task ids for get and update.
  const taskIds = await monitor.query('SELECT owner_id, (array_agg(id ORDER BY random()))[1:50] AS ids FROM tasks WHERE owner_id = ANY($1) GROUP BY owner_id', [load.userIds]);
  const ids = new Map(taskIds.rows.map((row) => [row.owner_id, row.ids]));
  const actorsWith = (tokens) => load.userIds.map((userId, i) => ({ token: tokens[i], ids: ids.get(userId) ?? [] }));
  const actors = actorsWith(await hs256Tokens(secret, load.userIds));
  const eddsaActors = actorsWith(await jwks.tokens(load.userIds));

  const api = await start('API', load.url);
  const baseline = await start('baseline', load.url);
  results.parity = [...(await responseDifferences(api, baseline, actors[0])), ...(scenarios.includes('mcp-list') ? await mcpListDifferences(api, actors[0]) : [])];
  log(results.parity.length === 0 ? 'Parity: the baseline answers exactly as the API does' : `Parity differences:\n  ${results.parity.join('\n  ')}`);
  results.memory = { apiStartRssMiB: memoryMiB(api.pid).rss };
  const backendsOf = (server) => async () => {
    const applicationName = server.name.startsWith('API') ? 'tasks-api' : 'tasks-bench-baseline';
    const { rows } = await monitor.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [LOAD_DATABASE, applicationName]);
    return rows.map((row) => row.pid);
  };
  /**
   * `count` runs of each side (a server, what it is sent, and what to do before each run), alternating between the sides and
   * reversing their order every other round; each side's figures are the medians of its runs, so a
   * burst of other work on this shared machine spoils a run, not the figure.
   */
  const alternate = async (sides, count, options) => {
    const runs = sides.map(() => []);
    for (let i = 0; i < count; i += 1) {
      for (const s of i % 2 === 0 ? sides.keys() : [...sides.keys()].reverse()) {
        const { server, scenario, actors: sideActors, connections = CONNECTIONS, before } = sides[s];
        await before?.();
        runs[s].push(await measure({ server, scenario, actors: sideActors, connections, backends: backendsOf(server), ...options(i) }));
        if (server.exited) throw new Error(`${server.name} died during ${scenario}:\n${server.tail()}`);
      }
    }
    return Object.fromEntries(sides.map((side, s) => [side.key, combineRounds(runs[s])]));
  };
  const describe = (f) => `${f.rps} req/s, p99 ${f.latency.p99} ms, CPU ${f.serverCpuMsPerRequest} ms/req (${f.perRound.map((r) => r.serverCpuMsPerRequest).join(', ')}), ${JSON.stringify(f.statuses)}`;

  for (const [index, scenario] of scenarios.entries()) {
    if (scenario === 'mcp-list') {
      // The REST figure (the target) is the peak so far; the MCP scenario's own peak is kept apart.
      results.memory.apiPeakRssMiB = memoryMiB(api.pid).peak;
      resetPeakRss(api.pid);
    }
    // The EdDSA list and the MCP list alternate with the API's own HS256 REST list, the figure each is
    // compared with; batches of creates with the API's single creates.
    const sides =
      scenario === 'list-eddsa' || scenario === 'mcp-list'
        ? [{ key: 'api', server: api, scenario, actors: scenario === 'list-eddsa' ? eddsaActors : actors }, { key: 'restList', server: api, scenario: 'list', actors }]
        : scenario === 'batch'
          ? [{ key: 'api', server: api, scenario, actors, connections: BATCH_CONNECTIONS }, { key: 'singleCreates', server: api, scenario: 'create', actors }]
          : [{ key: 'api', server: api, scenario, actors }, { key: 'baseline', server: baseline, scenario, actors }];
    // Throughput and CPU at saturation, in rounds; the first one after the full warm-up.
    const entry = await alternate(index % 2 === 0 ? sides : [...sides].reverse(), rounds, (i) => ({ duration: roundSeconds, warmup: i === 0 ? warmup : ROUND_WARMUP_SECONDS }));
    const [a, b] = [entry.api, entry[sides[1].key]];
    entry.ratios = { rps: ratio(a.rps, b.rps), cpuPerRequest: ratio(a.serverCpuMsPerRequest, b.serverCpuMsPerRequest), p99: ratio(a.latency.p99, b.latency.p99), dbCpuPerRequest: ratio(a.dbCpuMsPerRequest, b.dbCpuMsPerRequest) };
    if (scenario === 'batch') {
      // Per task, not per request: a batch request is BATCH_SIZE creates.
      entry.perTask = batchPerTask(a, b);
      entry.ratios = { tasksPerSecond: ratio(entry.perTask.batch.tasksPerSecond, entry.perTask.singleCreates.tasksPerSecond), cpuPerTask: ratio(entry.perTask.batch.cpuMsPerTask, entry.perTask.singleCreates.cpuMsPerTask), dbCpuPerTask: ratio(entry.perTask.batch.dbCpuMsPerTask, entry.perTask.singleCreates.dbCpuMsPerTask) };
    }
    log(`${scenario}: API ${describe(a)}\n  ${sides[1].key} ${describe(b)}\n  ${entry.perTask ? `per task ${JSON.stringify(entry.perTask)}\n  ` : ''}ratios ${JSON.stringify(entry.ratios)}`);
    results.scenarios[scenario] = entry;
    if (!flags.rate || !RATE_SCENARIOS.includes(scenario)) continue;
    // p99 at the same offered rate, 60 % of the slower server's saturated rate, so both keep up.
    const rate = Math.max(50, Math.floor(0.6 * Math.min(a.rps, b.rps)));
    await alternate(sides, 1, () => ({ duration: 1, warmup: Math.min(warmup, 2), rate }));
    const paced = await alternate([...sides].reverse(), windows, () => ({ duration: windowSeconds, warmup: WINDOW_WARMUP_SECONDS, rate }));
    results.rate[scenario] = { offeredRps: rate, windowSeconds, ...paced, p99Ratio: ratio(paced.api.latency.p99, paced.baseline.latency.p99) };
    log(`${scenario} at ${rate} req/s: API ${describe(paced.api)}\n  baseline ${describe(paced.baseline)}`);
  }
  if (flags.reminders) {
    // Issue 20: 1,000 reminders due within a minute, fired by the API's own poller while it is idle.
    results.reminders = await measureReminderLag(monitor, { ownerId: 'bench-reminders', count: 1000, seconds: quick ? 20 : 60, log });
  }
  const apiMemory = memoryMiB(api.pid);
  const peak = results.memory.apiPeakRssMiB === undefined ? { apiPeakRssMiB: apiMemory.peak } : { mcpPeakRssMiB: apiMemory.peak };
  results.memory = { ...results.memory, ...peak, apiEndRssMiB: apiMemory.rss, baselinePeakRssMiB: memoryMiB(baseline.pid).peak };
  results.jwksFetches = jwks.fetches();
  log(`Memory (MiB): ${JSON.stringify(results.memory)}; JWKS fetched ${results.jwksFetches} time(s)`);
  await baseline.stop();
  const roundOptions = (i) => ({ duration: roundSeconds, warmup: i === 0 ? warmup : ROUND_WARMUP_SECONDS });
  if (flags.limiter) {
    // Issue 22: the limiter's cost per request, on the cheapest request (a get), where it weighs most.
    const startApi = (name, env) => start(name, load.url, env);
    const l = (results.limiter = await compareLimiter({ startApi, alternate, scenario: 'get', actors, rounds, options: roundOptions, log }));
    log(`limiter (get): ${['memory', 'off', 'redis'].filter((side) => l[side]).map((side) => `${side} ${describe(l[side])}`).join('\n  ')}\n  ratios ${JSON.stringify(l.ratios)}`);
  }
  if (flags.trigger) {
    // Issue 21: what the change feed's trigger adds to a write.
    const t = (results.trigger = await compareChangeTrigger({ api, db: monitor, alternate, actors, rounds, options: roundOptions }));
    log(`trigger (create): on ${describe(t.on)}, DB ${t.on.dbCpuMsPerRequest} ms/req\n  off ${describe(t.off)}, DB ${t.off.dbCpuMsPerRequest} ms/req\n  ratios ${JSON.stringify(t.ratios)}`);
  }
  await api.stop();
}

/** Tasks created per second and CPU per task, of batches of BATCH_SIZE creates and of single creates. */
function batchPerTask(batch, single) {
  const perTask = (figures, size) => ({
    tasksPerSecond: round(figures.rps * size, 0),
    cpuMsPerTask: figures.serverCpuMsPerRequest == null ? null : round(figures.serverCpuMsPerRequest / size, 4),
    dbCpuMsPerTask: figures.dbCpuMsPerRequest == null ? null : round(figures.dbCpuMsPerRequest / size, 4),
  });
  return { batchSize: BATCH_SIZE, batch: perTask(batch, BATCH_SIZE), singleCreates: perTask(single, 1) };
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
