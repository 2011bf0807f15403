export interface LatencySummary {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}
export function percentile(values: ArrayLike<number>, p: number): number | null;
export function percentileOfSorted(sorted: Float64Array | number[], p: number): number | null;
export function summarizeLatencies(values: ArrayLike<number>): LatencySummary;
export function ratio(numerator: number | null | undefined, denominator: number | null | undefined): number | null;
export function round(value: number, digits: number): number;
export function roundOrNull(value: number | null | undefined, digits: number): number | null;
export function median(values: Array<number | null | undefined>): number | null;

/** One measured run, as lib/load.js `measure()` returns it (the fields combineRounds reads). */
export interface MeasuredRun {
  seconds: number;
  requests: number;
  rps: number;
  latency: Pick<LatencySummary, 'p50' | 'p90' | 'p99' | 'max'>;
  serverCpuMsPerRequest: number | null;
  serverCpuUtilisation: number;
  dbCpuMsPerRequest: number | null;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
}
export interface CombinedRounds {
  rounds: number;
  seconds: number;
  requests: number;
  rps: number | null;
  latency: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  serverCpuMsPerRequest: number | null;
  serverCpuUtilisation: number | null;
  dbCpuMsPerRequest: number | null;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  perRound: Array<{ rps: number; p99: number | null; serverCpuMsPerRequest: number | null; dbCpuMsPerRequest: number | null }>;
}
export function combineRounds(runs: MeasuredRun[]): CombinedRounds;
