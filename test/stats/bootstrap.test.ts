import { describe, expect, it } from 'vitest';
import { bootstrapRatioOfMedians } from '../../src/stats/bootstrap.js';
import { mulberry32, normalDraw } from '../../src/stats/prng.js';

const baseline = [10.1, 9.8, 10.4, 10.0, 9.7, 10.2];
const candidate = [12.2, 11.9, 12.5, 12.0, 11.6];

describe('bootstrapRatioOfMedians', () => {
  it('is deterministic for a seed: the same inputs and seed give the same interval', () => {
    const a = bootstrapRatioOfMedians(baseline, candidate, { seed: 42 });
    const b = bootstrapRatioOfMedians(baseline, candidate, { seed: 42 });
    expect(a.value).not.toBeNull();
    expect(a.value).toEqual(b.value);
  });

  it('depends on the seed (the seed really drives the resampling)', () => {
    const a = bootstrapRatioOfMedians(baseline, candidate, { seed: 1, resamples: 500 }).value!;
    const b = bootstrapRatioOfMedians(baseline, candidate, { seed: 2, resamples: 500 }).value!;
    expect(a).not.toEqual(b);
  });

  it('brackets the observed ratio of medians (~1.20 here) within the range of possible ratios', () => {
    const [lo, hi] = bootstrapRatioOfMedians(baseline, candidate).value!;
    expect(lo).toBeLessThan(12.0 / 10.05);
    expect(hi).toBeGreaterThan(12.0 / 10.05);
    expect(lo).toBeGreaterThanOrEqual(11.6 / 10.4);
    expect(hi).toBeLessThanOrEqual(12.5 / 9.7);
  });

  it('covers the true ratio about 95% of the time for normal data (coverage check, 300 trials)', () => {
    const random = mulberry32(7);
    const gauss = () => normalDraw(random);
    let covered = 0;
    const trials = 300;
    for (let i = 0; i < trials; i++) {
      const b = Array.from({ length: 10 }, () => 100 + 5 * gauss());
      const c = Array.from({ length: 10 }, () => 110 + 5 * gauss());
      const [lo, hi] = bootstrapRatioOfMedians(b, c, { seed: i, resamples: 1000 }).value!;
      if (lo <= 1.1 && 1.1 <= hi) covered++;
    }
    // Percentile intervals with 10 runs a side under-cover slightly; far from 95% means a bug.
    expect(covered / trials).toBeGreaterThan(0.85);
    expect(covered / trials).toBeLessThanOrEqual(1);
  });

  it('returns null with a reason when a side is empty or the baseline median can be zero', () => {
    expect(bootstrapRatioOfMedians([], [1]).reason).toMatch(/both sides/);
    expect(bootstrapRatioOfMedians([0, 0, 0], [1, 2, 3]).reason).toMatch(/baseline median is 0/);
  });

  it('is disabled by 0 resamples', () => {
    expect(bootstrapRatioOfMedians(baseline, candidate, { resamples: 0 }).value).toBeNull();
  });
});
