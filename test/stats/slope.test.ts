import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryGrowth } from '../../src/stats/memory-growth.js';
import { mulberry32, normalDraw } from '../../src/stats/prng.js';
import { leastSquaresSlope } from '../../src/stats/slope.js';

interface SlopeCase {
  name: string;
  x: number[];
  y: number[];
  trueSlope: number | null;
  slope: number;
  intercept: number;
  stderr: number;
  interceptStderr: number;
  pValue: number;
  ci95: [number, number];
}
const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/stats/slope.json'), 'utf8')) as {
  cases: SlopeCase[];
  coverage: { simulations: number; rate: number };
};

const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

describe('leastSquaresSlope agrees with scipy.stats.linregress (scripts/fixtures/gen_slope_fixtures.py)', () => {
  for (const c of fixtures.cases) {
    it(c.name, () => {
      const fit = leastSquaresSlope(c.x, c.y).value!;
      close(fit.slope, c.slope);
      close(fit.intercept, c.intercept);
      close(fit.standardError, c.stderr);
      close(fit.interceptStandardError, c.interceptStderr);
      close(fit.interval[0], c.ci95[0]);
      close(fit.interval[1], c.ci95[1]);
      expect(Math.abs(fit.pValue - c.pValue)).toBeLessThan(1e-9);
      if (c.trueSlope !== null) {
        // The known slope of the synthetic series lies inside the interval for these seeds.
        expect(fit.interval[0]).toBeLessThanOrEqual(c.trueSlope);
        expect(fit.interval[1]).toBeGreaterThanOrEqual(c.trueSlope);
      }
    });
  }
});

describe('the 95% interval of the slope', () => {
  it('covers the true slope about 95% of the time (measured here and in scipy alike)', () => {
    const random = mulberry32(11);
    const x = Array.from({ length: 19 }, (_, i) => i);
    const trials = 4000;
    let covered = 0;
    for (let k = 0; k < trials; k++) {
      const y = x.map((xi) => 40 + 0.05 * xi + 0.5 * normalDraw(random));
      const [lo, hi] = leastSquaresSlope(x, y).value!.interval;
      if (lo <= 0.05 && 0.05 <= hi) covered++;
    }
    const rate = covered / trials;
    // Binomial sd at n = 4000 is 0.0034: 4 sd either side of 95%.
    expect(rate).toBeGreaterThan(0.936);
    expect(rate).toBeLessThan(0.964);
    expect(Math.abs(fixtures.coverage.rate - 0.95)).toBeLessThan(0.014);
  });
});

describe('leastSquaresSlope on degenerate input', () => {
  it('says why when there are fewer than 3 points or x does not vary', () => {
    expect(leastSquaresSlope([1, 2], [1, 2]).reason).toMatch(/at least 3 points/);
    expect(leastSquaresSlope([1, 1, 1], [1, 2, 3]).reason).toMatch(/two distinct x/);
    expect(leastSquaresSlope([1, 2, 3], [1, Number.NaN, 3]).reason).toMatch(/non-finite/);
  });

  it('gives an exact slope with a zero-width interval for a perfect line', () => {
    const fit = leastSquaresSlope([0, 1, 2, 3], [5, 7, 9, 11]).value!;
    expect(fit.slope).toBe(2);
    expect(fit.interval).toEqual([2, 2]);
    expect(fit.pValue).toBe(0);
  });
});

describe('memoryGrowth of a run', () => {
  const MIB = 2 ** 20;
  const series = (mibPerMin: number, from = -5000, to = 20000) =>
    Array.from({ length: (to - from) / 1000 }, (_, i) => {
      const t = from + i * 1000;
      return { t, cpuPercent: 1, memoryBytes: (40 + (mibPerMin * t) / 60000) * MIB };
    });

  it('reports the working-set slope in MiB per minute over the steady state only', () => {
    // a warm-up spike and a ramp-up spike are both ignored
    const samples = series(3).map((s) => (s.t < 3000 ? { ...s, memoryBytes: 500 * MIB } : s));
    const g = memoryGrowth(samples, 20000, 3000)!;
    expect(g.mibPerMinute).toBeCloseTo(3, 9);
    expect(g.n).toBe(16); // t = 3 .. 18 s: the ramp and the last second of the window are left out
    expect(g.interceptBytes).toBeCloseTo(40 * MIB, 0);
  });

  it('is null when the steady state has fewer than 3 samples', () => {
    expect(memoryGrowth(series(1, 0, 2000), 3000, 0)).toBeNull();
  });
});
