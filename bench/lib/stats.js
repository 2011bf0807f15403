/** Small statistics helpers for the benchmark (plain ESM so `npm run bench` needs no TS step). */

/**
 * The p-th percentile (0–100) of `values` by the nearest-rank method on a sorted copy: the smallest
 * value such that at least p% of the values are ≤ it. Returns null for an empty sample.
 * @param {ArrayLike<number>} values
 * @param {number} p
 * @returns {number | null}
 */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return percentileOfSorted(sorted, p);
}

/**
 * @param {Float64Array | number[]} sorted ascending
 * @param {number} p 0–100
 * @returns {number | null}
 */
export function percentileOfSorted(sorted, p) {
  if (sorted.length === 0) return null;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile out of range: ${p}`);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/**
 * p50, p90, p99, max and mean of a latency sample (milliseconds), rounded to 0.01 ms.
 * @param {ArrayLike<number>} values
 */
export function summarizeLatencies(values) {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    mean: sorted.length ? round(sum / sorted.length, 2) : null,
    p50: roundOrNull(percentileOfSorted(sorted, 50), 2),
    p90: roundOrNull(percentileOfSorted(sorted, 90), 2),
    p99: roundOrNull(percentileOfSorted(sorted, 99), 2),
    max: roundOrNull(sorted.length ? sorted[sorted.length - 1] : null, 2),
  };
}

/**
 * `numerator / denominator` rounded to 0.01, or null when either is missing or the denominator is 0.
 * @param {number | null | undefined} numerator
 * @param {number | null | undefined} denominator
 */
export function ratio(numerator, denominator) {
  if (numerator == null || denominator == null || denominator === 0) return null;
  return round(numerator / denominator, 2);
}

/**
 * @param {number} value
 * @param {number} digits
 */
export function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * @param {number | null | undefined} value
 * @param {number} digits
 */
export function roundOrNull(value, digits) {
  return value == null ? null : round(value, digits);
}

/**
 * The median of the non-null values (the mean of the middle two for an even count), or null.
 * @param {Array<number | null | undefined>} values
 */
export function median(values) {
  const sorted = values.filter((value) => value != null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : round((sorted[middle - 1] + sorted[middle]) / 2, 4);
}

/**
 * One server's figures for a scenario measured in several rounds (lib/load.js `measure()` results):
 * each rate, latency and per-request figure is the median of the rounds, so that one round spoilt
 * by other work on the machine does not decide the figure; requests, failures and statuses are
 * summed, and the rounds themselves are kept.
 * @param {any[]} runs
 */
export function combineRounds(runs) {
  const medianOf = (pick) => median(runs.map(pick));
  const sumOf = (pick) => runs.reduce((sum, run) => sum + (pick(run) ?? 0), 0);
  const statuses = {};
  for (const run of runs) for (const [status, count] of Object.entries(run.statuses ?? {})) statuses[status] = (statuses[status] ?? 0) + count;
  return {
    rounds: runs.length,
    seconds: round(sumOf((run) => run.seconds), 2),
    requests: sumOf((run) => run.requests),
    rps: medianOf((run) => run.rps),
    latency: {
      p50: medianOf((run) => run.latency.p50),
      p90: medianOf((run) => run.latency.p90),
      p99: medianOf((run) => run.latency.p99),
      max: runs.length > 0 ? Math.max(...runs.map((run) => run.latency.max ?? 0)) : null,
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
