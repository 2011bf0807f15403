export interface LatencySummary {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}
export function round(value: number | null | undefined, digits: number): number | null;
export function percentile(values: ArrayLike<number>, p: number): number | null;
export function summarizeLatencies(values: ArrayLike<number>): LatencySummary;
export function ratio(numerator: number | null | undefined, denominator: number | null | undefined): number | null;
export function median(values: Array<number | null | undefined>): number | null;
/** One side's figures over several runs (lib/load.js `measure()` results): see stats.js. */
export interface CombinedRounds {
  rounds: number;
  seconds: number;
  requests: number;
  rps: number | null;
  latency: { p50: number | null; p90: number | null; p99: number | null; max: number };
  serverCpuMsPerRequest: number | null;
  serverCpuUtilisation: number | null;
  dbCpuMsPerRequest: number | null;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  perRound: Array<{ rps: number; p99: number | null; serverCpuMsPerRequest: number | null; dbCpuMsPerRequest: number | null }>;
}
export function combineRounds(runs: object[]): CombinedRounds;
