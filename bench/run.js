/**
 * The benchmark: `npm run bench` (builds the API, then runs this). See BENCHMARKS.md for the method.
 *
 *   node bench/run.js [--quick] [--duration 20] [--warmup 5] [--connections 64]
 *                     (--duration: measured seconds per scenario and server, in alternating rounds)
 *                     [--scenarios list,list-filtered,search,get,create,update,list-eddsa]
 *                     [--scales 1k,100k,1m | --no-scale] [--no-rate] [--profile [--profile-scenario list]]
 *                     [--users 100] [--tasks 1000] [--pool 10] [--log-level info] [--token-cache 10000]
 *                     [--reseed] [--embedded] [--no-report]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release } from 'node:os';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { hs256Tokens, randomSecret, startJwksServer } from './lib/auth.js';
import { parseFlags } from './lib/cli.js';
import { assertBuilt, backendPids, resolveServer, serverVersion } from './lib/db.js';
import { explainListQueries } from './lib/explain.js';
import { measure } from './lib/load.js';
import { responseDifferences, sqlDrift } from './lib/parity.js';
import { startRssSampler } from './lib/proc.js';
import { summarizeProfile } from './lib/profile.js';
import { writeReport } from './lib/report.js';
import { SCENARIOS } from './lib/requests.js';
import { cursorPosition, measureScale } from './lib/scale.js';
import { freePort, productionNodeArgs, startServer } from './lib/servers.js';
import { combineRounds, median, ratio, round } from './lib/stats.js';
import { LOAD_DATABASE, SCALE_DATABASE, ensureScaleDatabase, seedLoadDatabase } from './seed.js';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = resolve(import.meta.dirname, 'results');
const RATE_SCENARIOS = ['list', 'get', 'create', 'update'];
// Saturated runs: this many alternating rounds per scenario, sharing the measured --duration.
const SATURATED_ROUNDS = 4;
// Warm-up of each round after the first (whose warm-up is --warmup): the round's load process is
// fresh from fork() and opens its connections, as the paced windows' is.
const SATURATED_ROUND_WARMUP_SECONDS = 1;
const RATE_WINDOWS = 5;
// Each paced window's load process first runs this long at the window's rate: a load generator
// fresh from fork() runs unoptimised code and opens its connections in the measured window, and
// that lag was charged to whichever server it measured (BENCHMARKS.md).
const RATE_WINDOW_WARMUP_SECONDS = 1;

const flags = parseFlags(process.argv.slice(2), {
  quick: { type: 'boolean', default: false },
  duration: { type: 'number', default: undefined },
  warmup: { type: 'number', default: undefined },
  connections: { type: 'number', default: 64 },
  scenarios: { type: 'list', default: Object.keys(SCENARIOS) },
  scales: { type: 'list', default: undefined },
  scale: { type: 'boolean', default: true },
  rate: { type: 'boolean', default: true },
  profile: { type: 'boolean', default: false },
  'profile-scenario': { type: 'string', default: 'list' },
  users: { type: 'number', default: 100 },
  tasks: { type: 'number', default: 1000 },
  pool: { type: 'number', default: 10 },
  // Verified tokens remembered by both servers (the API's AUTH_TOKEN_CACHE_SIZE default); 0: both verify every request.
  'token-cache': { type: 'number', default: 10_000 },
  'log-level': { type: 'string', default: 'info' },
  reseed: { type: 'boolean', default: false },
  embedded: { type: 'boolean', default: false },
  report: { type: 'boolean', default: undefined },
});
const duration = flags.duration ?? (flags.quick ? 4 : 20);
const warmup = flags.warmup ?? (flags.quick ? 1 : 5);
const saturatedRounds = flags.quick ? 2 : SATURATED_ROUNDS;
const saturatedRoundSeconds = Math.max(2, Math.round(duration / saturatedRounds));
const scales = flags.scale ? (flags.scales ?? (flags.quick ? ['1k', '100k'] : ['1k', '100k', '1m'])) : [];
const scaleSamples = flags.quick ? { samples: 40, warmup: 5, maxSeconds: 15 } : { samples: 300, warmup: 30, maxSeconds: 20 };
const writeMarkdown = flags.report ?? !flags.quick;
// Both servers run with the node options of `npm run start:prod`: the V8 garbage-collector settings
// production uses would make the floor cheaper too (the baseline's list promotes whole requests
// without them), and the ratios should compare code, not runtime tuning.
const productionArgs = productionNodeArgs();
const baselineKey = process.env.BASELINE_HS256_KEY === 'keyobject' ? 'keyobject' : 'cryptokey';
for (const scenario of flags.scenarios) if (!SCENARIOS[scenario]) throw new Error(`unknown scenario ${scenario} (known: ${Object.keys(SCENARIOS).join(', ')})`);

const startedAt = new Date();
const log = (message) => console.log(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const cleanups = [];
const cleanup = async () => {
  while (cleanups.length > 0) await cleanups.pop()().catch((error) => console.error(`cleanup: ${error.message}`));
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping the servers`);
    void cleanup().then(() => process.exit(130));
  });
}

function machine(pgVersion) {
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  };
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    kernel: release(),
    node: process.version,
    postgres: pgVersion,
    commit: git('rev-parse', '--short', 'HEAD'),
    dirty: (git('status', '--porcelain', '--untracked-files=no', '--', 'src') ?? '') !== '',
    autocannon: JSON.parse(readFileSync(resolve(ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version,
  };
}

/** Per user: a few task ids for get/update, and the user's tokens. */
async function actorsFor(url, userIds, tokens) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT owner_id, (array_agg(id ORDER BY random()))[1:50] AS ids FROM tasks WHERE owner_id = ANY($1) GROUP BY owner_id`,
      [userIds],
    );
    const ids = new Map(rows.map((row) => [row.owner_id, row.ids]));
    return userIds.map((userId, i) => ({ userId, token: tokens[i], ids: ids.get(userId) ?? [] }));
  } finally {
    await client.end();
  }
}

function apiEnv({ databaseUrl, secret, jwksUrl, dataDir }) {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATABASE_MIGRATE: 'false',
    DATABASE_POOL_SIZE: String(flags.pool),
    BETTER_AUTH_SECRET: secret,
    AUTH_JWKS_URL: jwksUrl,
    AUTH_ALGORITHMS: 'EdDSA',
    LOG_LEVEL: flags['log-level'],
    AUTH_TOKEN_CACHE_SIZE: String(flags['token-cache']),
    DATA_DIR: dataDir,
  };
}

async function main() {
  assertBuilt();
  log(`tasks-api benchmark: ${flags.quick ? 'quick, ' : ''}${duration} s per run after ${warmup} s of warm-up, ${flags.connections} connections`);
  const db = await resolveServer({ embedded: flags.embedded, log });
  cleanups.push(() => db.stop());
  const pgVersion = await serverVersion(db.url);
  const results = {
    startedAt: startedAt.toISOString(),
    quick: flags.quick,
    machine: machine(pgVersion),
    loadAverageAtStart: loadavg().map((value) => round(value, 2)),
    settings: { duration, warmup, saturatedRounds, saturatedRoundSeconds, saturatedRoundWarmup: SATURATED_ROUND_WARMUP_SECONDS, connections: flags.connections, users: flags.users, tasksPerUser: flags.tasks, poolSize: flags.pool, logLevel: flags['log-level'], tokenCacheSize: flags['token-cache'], database: db.kind, baselineHs256Key: baselineKey, apiNodeArgs: productionArgs, baselineNodeArgs: productionArgs },
    sqlDrift: await sqlDrift(),
    parity: [],
    scenarios: {},
    rate: {},
    memory: undefined,
    jwksFetches: undefined,
    scale: {},
    explain: [],
    profile: undefined,
  };
  log(`PostgreSQL ${pgVersion} (${db.kind}); SQL drift between the API and the baseline: ${results.sqlDrift.length === 0 ? 'none' : results.sqlDrift.join(', ')}`);

  const load = await seedLoadDatabase(db.url, { users: flags.users, tasks: flags.tasks, log });
  const secret = randomSecret();
  const jwks = await startJwksServer();
  cleanups.push(() => jwks.stop());
  const actors = await actorsFor(load.url, load.userIds, await hs256Tokens(secret, load.userIds));
  const eddsaActors = actors.map((actor, i) => ({ ...actor, token: undefined, index: i }));
  const eddsaTokens = await jwks.tokens(load.userIds);
  eddsaActors.forEach((actor, i) => (actor.token = eddsaTokens[i]));
  const dataDir = resolve(ROOT, '.data', 'bench-api');

  const startApi = async (databaseUrl, nodeArgs = []) => {
    const server = await startServer({
      name: 'API',
      script: 'bench/lib/api-entry.js',
      env: apiEnv({ databaseUrl, secret, jwksUrl: jwks.url, dataDir }),
      nodeArgs: [...productionArgs, ...nodeArgs],
      port: await freePort(),
    });
    cleanups.push(() => server.stop());
    return server;
  };
  const startBaseline = async (databaseUrl, nodeArgs = []) => {
    const server = await startServer({
      name: 'baseline',
      script: 'bench/baseline-server.js',
      env: { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(flags.pool), BETTER_AUTH_SECRET: secret, BASELINE_HS256_KEY: baselineKey, BASELINE_TOKEN_CACHE_SIZE: String(flags['token-cache']) },
      nodeArgs: [...productionArgs, ...nodeArgs],
      port: await freePort(),
    });
    cleanups.push(() => server.stop());
    return server;
  };

  let api = await startApi(load.url);
  const baseline = await startBaseline(load.url);
  log(`API pid ${api.pid} at ${api.origin} (NODE_ENV=production, LOG_LEVEL=${flags['log-level']}); baseline pid ${baseline.pid} at ${baseline.origin}`);
  results.memory = { apiStartRssMiB: undefined };
  results.parity = await responseDifferences(api, baseline, actors[0]);
  log(results.parity.length === 0 ? 'Parity: the baseline answers exactly as the API does' : `Parity differences:\n  ${results.parity.join('\n  ')}`);

  const monitor = new pg.Client({ connectionString: load.url });
  await monitor.connect();
  cleanups.push(() => monitor.end());
  const backendsOf = (name) => () => backendPids(monitor, LOAD_DATABASE, name === 'API' ? 'tasks-api' : 'tasks-bench-baseline');
  const rss = startRssSampler(api.pid);
  const apiStart = rss.stop();
  results.memory.apiStartRssMiB = round(apiStart.rssMiB ?? NaN, 1);
  const loadRss = startRssSampler(api.pid);
  const baselineRss = startRssSampler(baseline.pid);

  /**
   * p99 at the same offered rate (60 % of the slower server's saturated rate, so both keep up):
   * short paced windows, alternating between the servers, and the median of each server's
   * window p99s, so a burst of other work on this shared machine spoils one window, not the figure.
   */
  const sameRateComparison = async (scenario, rate) => {
    const windows = flags.quick ? 3 : RATE_WINDOWS;
    const windowSeconds = Math.max(2, Math.round(duration / 4));
    const sides = { api: [], baseline: [] };
    for (const server of [baseline, api]) {
      await measure({ server, scenario, actors, connections: flags.connections, duration: 1, warmup: Math.min(warmup, 2), rate });
    }
    for (let round = 0; round < windows; round += 1) {
      for (const server of round % 2 === 0 ? [baseline, api] : [api, baseline]) {
        const figures = await measure({ server, scenario, actors, connections: flags.connections, duration: windowSeconds, warmup: RATE_WINDOW_WARMUP_SECONDS, rate, backends: backendsOf(server.name) });
        sides[server.name === 'API' ? 'api' : 'baseline'].push(figures);
      }
    }
    const summarize = (runs) => ({
      windows: runs.length,
      windowSeconds,
      windowWarmupSeconds: RATE_WINDOW_WARMUP_SECONDS,
      latency: { p50: median(runs.map((run) => run.latency.p50)), p99: median(runs.map((run) => run.latency.p99)) },
      worstWindowP99: Math.max(...runs.map((run) => run.latency.p99 ?? 0)),
      serverCpuMsPerRequest: median(runs.map((run) => run.serverCpuMsPerRequest)),
      failed: runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0),
    });
    const result = { offeredRps: rate, api: summarize(sides.api), baseline: summarize(sides.baseline) };
    result.p99Ratio = ratio(result.api.latency.p99, result.baseline.latency.p99);
    result.p50Ratio = ratio(result.api.latency.p50, result.baseline.latency.p50);
    log(
      `${scenario.padEnd(14)} at ${rate} req/s offered (median of ${windows} × ${windowSeconds} s windows): p99 API ${result.api.latency.p99} ms ` +
        `vs baseline ${result.baseline.latency.p99} ms (${result.p99Ratio}×); worst windows ${result.api.worstWindowP99} / ${result.baseline.worstWindowP99} ms`,
    );
    return result;
  };

  /**
   * Throughput and CPU at saturation: each side (a server and what it is sent) warmed up once, then
   * short rounds alternating between the sides, and each figure the median of a side's rounds. One
   * 20 s run per server let a burst of other work on this shared machine decide a ratio: two full
   * runs of the same commit gave get 2.22× and 1.48× the floor's CPU per request (BENCHMARKS.md,
   * 2026-12-04).
   * @param {Array<{ key: string, server: any, scenario: string, actors: any[] }>} sides
   */
  const saturatedComparison = async (sides) => {
    const runs = new Map(sides.map((side) => [side, []]));
    for (let round = 0; round < saturatedRounds; round += 1) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const { server, scenario } = side;
        const figures = await measure({
          server,
          scenario,
          actors: side.actors,
          connections: flags.connections,
          duration: saturatedRoundSeconds,
          warmup: round === 0 ? warmup : SATURATED_ROUND_WARMUP_SECONDS,
          backends: backendsOf(server.name),
        });
        runs.get(side).push(figures);
        if (server.exited) throw new Error(`${server.name} died during ${scenario}:\n${server.tail().split('\n').filter((line) => !line.includes('"context":"HTTP"')).join('\n')}`);
      }
    }
    const entry = {};
    for (const [side, sideRuns] of runs) {
      const figures = { ...combineRounds(sideRuns), roundSeconds: saturatedRoundSeconds };
      entry[side.key] = figures;
      const failed = figures.non2xx + figures.errors + figures.timeouts;
      log(
        `${side.scenario.padEnd(14)} ${side.server.name.padEnd(8)} ${String(figures.rps).padStart(8)} req/s  p50 ${figures.latency.p50} ms  p99 ${figures.latency.p99} ms  ` +
          `CPU ${figures.serverCpuMsPerRequest} ms/req (${figures.serverCpuUtilisation} cores)  DB ${figures.dbCpuMsPerRequest ?? '–'} ms/req  ` +
          `(median of ${saturatedRounds} × ${saturatedRoundSeconds} s; CPU per round ${figures.perRound.map((run) => run.serverCpuMsPerRequest).join(', ')})` +
          (failed > 0 ? `  FAILED: non-2xx ${figures.non2xx} ${JSON.stringify(figures.statuses)}, errors ${figures.errors}, timeouts ${figures.timeouts}` : ''),
      );
    }
    return entry;
  };

  /** What each scenario's rounds alternate between: the API and the floor, or, for EdDSA, the API's own HS256 list. */
  const sidesOf = (scenario, apiFirst) => {
    const spec = SCENARIOS[scenario];
    if (spec.apiOnly) {
      return [
        { key: 'api', server: api, scenario, actors: spec.tokens === 'eddsa' ? eddsaActors : actors },
        { key: 'hs256List', server: api, scenario: 'list', actors },
      ];
    }
    const sides = [
      { key: 'api', server: api, scenario, actors },
      { key: 'baseline', server: baseline, scenario, actors },
    ];
    return apiFirst ? sides : sides.reverse();
  };

  for (const [index, scenario] of flags.scenarios.entries()) {
    const entry = await saturatedComparison(sidesOf(scenario, index % 2 === 0));
    if (entry.api && entry.baseline) {
      entry.ratios = {
        rps: ratio(entry.api.rps, entry.baseline.rps),
        cpuPerRequest: ratio(entry.api.serverCpuMsPerRequest, entry.baseline.serverCpuMsPerRequest),
        p99: ratio(entry.api.latency.p99, entry.baseline.latency.p99),
        dbCpuPerRequest: ratio(entry.api.dbCpuMsPerRequest, entry.baseline.dbCpuMsPerRequest),
      };
      log(`${scenario.padEnd(14)} API/baseline: req/s ${entry.ratios.rps}×, CPU/request ${entry.ratios.cpuPerRequest}×, p99 ${entry.ratios.p99}× (at saturation)`);
    }
    if (entry.api && entry.hs256List) {
      entry.ratios = { rpsToHs256List: ratio(entry.api.rps, entry.hs256List.rps), cpuPerRequestToHs256List: ratio(entry.api.serverCpuMsPerRequest, entry.hs256List.serverCpuMsPerRequest) };
      log(`${scenario.padEnd(14)} EdDSA/HS256 list on the API: req/s ${entry.ratios.rpsToHs256List}×, CPU/request ${entry.ratios.cpuPerRequestToHs256List}× (JWKS fetched ${jwks.fetches}× so far)`);
    }
    results.scenarios[scenario] = entry;

    if (flags.rate && RATE_SCENARIOS.includes(scenario) && entry.api && entry.baseline) {
      results.rate[scenario] = await sameRateComparison(scenario, Math.max(50, Math.floor(0.6 * Math.min(entry.api.rps, entry.baseline.rps))));
    }
  }
  const loadMemory = loadRss.stop();
  const baselineMemory = baselineRss.stop();
  results.memory = {
    ...results.memory,
    apiPeakRssMiB: round(loadMemory.peakRssMiB ?? NaN, 1),
    apiMaxSampledRssMiB: round(loadMemory.maxSampledRssMiB, 1),
    apiEndRssMiB: round(loadMemory.rssMiB ?? NaN, 1),
    baselinePeakRssMiB: round(baselineMemory.peakRssMiB ?? NaN, 1),
  };
  results.jwksFetches = jwks.fetches;
  log(`API memory: ${results.memory.apiStartRssMiB} MiB after start, peak (VmHWM) ${results.memory.apiPeakRssMiB} MiB (baseline peak ${results.memory.baselinePeakRssMiB} MiB); JWKS fetched ${jwks.fetches} time(s)`);

  if (flags.profile) {
    // Both servers, one at a time, the same scenario: the difference is what the API adds.
    await api.stop();
    await baseline.stop();
    const profileDir = resolve(RESULTS, 'profiles');
    mkdirSync(profileDir, { recursive: true });
    results.profile = { scenario: flags['profile-scenario'] };
    for (const name of ['API', 'baseline']) {
      const before = new Set(readdirSync(profileDir));
      const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
      const server = name === 'API' ? await startApi(load.url, nodeArgs) : await startBaseline(load.url, nodeArgs);
      log(`Profiling the ${name} (--cpu-prof) during ${flags['profile-scenario']} for ${duration} s`);
      const figures = await measure({ server, scenario: flags['profile-scenario'], actors, connections: flags.connections, duration, warmup, backends: backendsOf(name) });
      await server.stop();
      const written = readdirSync(profileDir).filter((file) => file.endsWith('.cpuprofile') && !before.has(file));
      if (written.length === 0) continue;
      const file = resolve(profileDir, written[0]);
      // Only the samples of the measured run (the profile also holds start-up and warm-up); its clock
      // starts with the process, give or take the few ms Node takes to start the profiler.
      const window = [(figures.window.startedAt - server.spawnedAt) * 1000, (figures.window.endedAt - server.spawnedAt) * 1000];
      results.profile[name === 'API' ? 'api' : 'baseline'] = { file: file.replace(`${ROOT}/`, ''), ...summarizeProfile(file, 25, figures.requests, window) };
      const summary = results.profile[name === 'API' ? 'api' : 'baseline'];
      log(`Profile of the ${name}: ${summary.busyMicrosPerRequest} µs busy per request; top: ${summary.topModules.slice(0, 6).map((m) => `${m.name} ${m.microsPerRequest} µs`).join(', ')}`);
    }
  } else {
    await api.stop();
    await baseline.stop();
  }


  if (scales.length > 0) {
    const scale = await ensureScaleDatabase(db.url, { scales, reseed: flags.reseed, log });
    const scaleTokens = await hs256Tokens(secret, scale.users.map((user) => user.ownerId));
    const scaleApi = await startApi(scale.url);
    const scaleBaseline = await startBaseline(scale.url);
    for (const [i, user] of scale.users.entries()) {
      results.scale[user.label] = { tasks: user.tasks };
      for (const server of [scaleApi, scaleBaseline]) {
        const figures = await measureScale(server, scaleTokens[i], scaleSamples);
        results.scale[user.label][server.name === 'API' ? 'api' : 'baseline'] = figures;
        log(
          `scale ${user.label.padEnd(5)} ${server.name.padEnd(8)} ` +
            Object.entries(figures)
              .map(([variant, f]) => `${variant}: first p50 ${f.first.p50}/p99 ${f.first.p99} ms, deep ${f.deep ? `p50 ${f.deep.p50}/p99 ${f.deep.p99} ms` : `n/a (${f.matches} items)`}`)
              .join('; '),
        );
      }
    }
    const largest = scale.users.at(-1);
    results.explain = await explainListQueries(scale.url, largest.ownerId, results.scale[largest.label].api, cursorPosition);
    results.explainScale = largest.label;
    for (const plan of results.explain) {
      log(`EXPLAIN ${largest.label} ${plan.variant}/${plan.page}: ${plan.seqScanOnTasks ? 'SEQ SCAN on tasks' : 'no seq scan'}, ${plan.executionMs} ms: ${plan.outline}`);
    }
    await scaleApi.stop();
    await scaleBaseline.stop();
    results.scaleDatabase = { name: SCALE_DATABASE, reused: scale.reused, seedSeconds: round(scale.seconds, 1) };
  }

  results.finishedAt = new Date().toISOString();
  results.loadAverageAtEnd = loadavg().map((value) => round(value, 2));
  results.totalSeconds = round((Date.now() - startedAt.getTime()) / 1000, 0);
  mkdirSync(RESULTS, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const file = resolve(RESULTS, `${flags.quick ? 'quick-' : ''}${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`Results: ${file.replace(`${ROOT}/`, '')}`);
  if (writeMarkdown) {
    writeReport(results, file.replace(`${ROOT}/`, ''));
    log('BENCHMARKS.md regenerated');
  }
  const failures = Object.entries(results.scenarios).flatMap(([name, entry]) =>
    ['api', 'baseline'].filter((side) => entry[side] && entry[side].non2xx + entry[side].errors + entry[side].timeouts > 0).map((side) => `${name} (${side})`),
  );
  if (failures.length > 0) {
    log(`Requests failed in: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
