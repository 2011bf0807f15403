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
