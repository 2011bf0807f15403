import { describe, expect, it } from 'vitest';
import { combineRounds, median, percentile, ratio, summarizeLatencies } from './stats.js';

describe('percentile (nearest rank)', () => {
  it('picks the smallest value with at least p% of the sample at or below it', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it('handles tiny and empty samples', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2], 50)).toBe(1);
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarises a latency sample', () => {
    const summary = summarizeLatencies([3, 1, 2, 4, 100]);
    expect(summary).toEqual({ count: 5, mean: 22, p50: 3, p90: 100, p99: 100, max: 100 });
  });
});

describe('median', () => {
  it('ignores missing values and averages the middle pair of an even count', () => {
    expect(median([5, null, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([undefined, null])).toBeNull();
  });
});

describe('ratio', () => {
  it('rounds to two decimals and refuses missing or zero denominators', () => {
    expect(ratio(2, 3)).toBe(0.67);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(3, undefined)).toBeNull();
  });
});

describe('combineRounds', () => {
  const run = (rps: number, cpu: number, p99: number, statuses: Record<string, number>) => ({
    seconds: 5,
    requests: rps * 5,
    rps,
    latency: { p50: p99 / 2, p90: p99 * 0.8, p99, max: p99 * 2 },
    serverCpuMsPerRequest: cpu,
    serverCpuUtilisation: (rps * cpu) / 1000,
    dbCpuMsPerRequest: cpu / 2,
    non2xx: statuses['500'] ?? 0,
    errors: 0,
    timeouts: 0,
    statuses,
  });

  it('takes the median of the rounds, so one spoilt round does not decide a figure', () => {
    const combined = combineRounds([run(1000, 0.2, 10, { 200: 5000 }), run(400, 0.6, 90, { 200: 2000 }), run(1100, 0.21, 12, { 200: 5500 })]);
    expect(combined.rps).toBe(1000);
    expect(combined.serverCpuMsPerRequest).toBe(0.21);
    expect(combined.latency.p99).toBe(12);
    expect(combined.latency.max).toBe(180);
    expect(combined.dbCpuMsPerRequest).toBe(0.105);
  });

  it('sums requests and failures over every round and keeps each round', () => {
    const combined = combineRounds([run(1000, 0.2, 10, { 200: 4990, 500: 10 }), run(900, 0.3, 20, { 200: 4500 })]);
    expect(combined.requests).toBe(9500);
    expect(combined.non2xx).toBe(10);
    expect(combined.statuses).toEqual({ 200: 9490, 500: 10 });
    expect(combined.rounds).toBe(2);
    expect(combined.perRound.map((round) => round.rps)).toEqual([1000, 900]);
  });
});
