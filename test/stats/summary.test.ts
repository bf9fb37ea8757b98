import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/contracts/result.js';
import { steadyStateSamples, summarizeRun, summarizeValues } from '../../src/stats/summary.js';

const s = (t: number, cpuPercent: number, memoryBytes: number, rssBytes?: number): Sample =>
  rssBytes === undefined ? { t, cpuPercent, memoryBytes } : { t, cpuPercent, memoryBytes, rssBytes };

describe('steadyStateSamples', () => {
  it('keeps samples from the start of the load window up to, not into, its last second', () => {
    const samples = [s(-1000, 1, 1), s(0, 2, 2), s(3999, 3, 3), s(4000, 4, 4), s(5000, 5, 5)];
    expect(steadyStateSamples(samples, 5000).map((x) => x.t)).toEqual([0, 3999]);
  });
});

describe('summarizeRun', () => {
  it('summarises mean, median, p95 (linear interpolation), max and n over the steady state only', () => {
    const samples = [
      s(-2000, 500, 900), // warm-up: ignored
      ...[10, 20, 30, 40, 50].map((cpu, i) => s(i * 1000, cpu, cpu * 1000)),
      s(5500, 999, 999_000), // last second of a 6 s window: ignored
    ];
    const summary = summarizeRun(samples, 6000)!;
    expect(summary.cpuPercent).toEqual({ mean: 30, median: 30, p95: 48, max: 50, n: 5 });
    expect(summary.memoryBytes).toEqual({ mean: 30_000, median: 30_000, p95: 48_000, max: 50_000, n: 5 });
    expect(summary.rssBytes).toBeUndefined();
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    const summary = summarizeRun([s(0, 1, 10), s(1000, 2, 20), s(2000, 4, 40), s(3000, 9, 90)], 10_000)!;
    expect(summary.cpuPercent.median).toBe(3);
  });

  it('summarises rssBytes over the samples that carry it', () => {
    const summary = summarizeRun([s(0, 1, 10, 100), s(1000, 2, 20), s(2000, 3, 30, 300)], 10_000)!;
    expect(summary.rssBytes).toEqual({ mean: 200, median: 200, p95: 290, max: 300, n: 2 });
  });

  it('returns null when no sample is in the steady state', () => {
    expect(summarizeRun([], 60_000)).toBeNull();
    expect(summarizeRun([s(-500, 1, 1), s(59_500, 1, 1)], 60_000)).toBeNull();
    expect(summarizeRun([s(0, 1, 1)], 1000)).toBeNull(); // a 1 s window is all "last second"
  });
});

describe('summarizeValues', () => {
  it('ignores non-finite values and returns null when none is left', () => {
    expect(summarizeValues([1, Number.POSITIVE_INFINITY, 3])!.n).toBe(2);
    expect(summarizeValues([Number.NaN])).toBeNull();
  });
});
