/** The benchmark's arithmetic (plain ESM, so `npm run bench` needs no TypeScript step). */

/** `value` rounded to `digits` decimals; null stays null. @param {number | null | undefined} value @param {number} digits */
export function round(value, digits) {
  if (value == null) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * The p-th percentile (0–100) by the nearest-rank method: the smallest value with at least p% of
 * the sample at or below it; null for an empty sample.
 * @param {ArrayLike<number>} values @param {number} p
 */
export function percentile(values, p) {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile out of range: ${p}`);
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

/** Count, mean, p50, p90, p99 and max of a latency sample (ms, to 0.01 ms). @param {ArrayLike<number>} values */
export function summarizeLatencies(values) {
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += values[i];
  const at = (p) => round(percentile(values, p), 2);
  return { count: values.length, mean: values.length ? round(sum / values.length, 2) : null, p50: at(50), p90: at(90), p99: at(99), max: at(100) };
}

/** `numerator / denominator` to 0.01, or null when either is missing or the denominator is 0. */
export function ratio(numerator, denominator) {
  if (numerator == null || denominator == null || denominator === 0) return null;
  return round(numerator / denominator, 2);
}

/** The median of the values that are not null (the mean of the middle two for an even count), or null. */
export function median(values) {
  const sorted = values.filter((value) => value != null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : round((sorted[middle - 1] + sorted[middle]) / 2, 4);
}

/**
 * One side's figures for a scenario measured in several rounds (lib/load.js `measure()` results):
 * each rate, latency and per-request figure is the median of the rounds, so one round spoilt by
 * other work on the machine does not decide it; requests, failures and statuses are summed, and
 * each round is kept.
 * @param {any[]} runs
 */
export function combineRounds(runs) {
  const medianOf = (pick) => median(runs.map(pick));
  const sumOf = (pick) => runs.reduce((sum, run) => sum + (pick(run) ?? 0), 0);
  const statuses = {};
  for (const run of runs) for (const [status, count] of Object.entries(run.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  return {
    rounds: runs.length,
    seconds: round(sumOf((run) => run.seconds), 2),
    requests: sumOf((run) => run.requests),
    rps: medianOf((run) => run.rps),
    latency: {
      p50: medianOf((run) => run.latency.p50),
      p90: medianOf((run) => run.latency.p90),
      p99: medianOf((run) => run.latency.p99),
      max: Math.max(...runs.map((run) => run.latency.max ?? 0)),
    },
    serverCpuMsPerRequest: medianOf((run) => run.serverCpuMsPerRequest),
    serverCpuUtilisation: medianOf((run) => run.serverCpuUtilisation),
    dbCpuMsPerRequest: medianOf((run) => run.dbCpuMsPerRequest),
    non2xx: sumOf((run) => run.non2xx),
    errors: sumOf((run) => run.errors),
    timeouts: sumOf((run) => run.timeouts),
    statuses,
    perRound: runs.map((run) => ({ rps: run.rps, p99: run.latency.p99, serverCpuMsPerRequest: run.serverCpuMsPerRequest, dbCpuMsPerRequest: run.dbCpuMsPerRequest })),
  };
}
