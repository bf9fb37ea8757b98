import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import { median } from '../../src/stats/descriptive.js';
import { minimumDetectableEffect } from '../../src/stats/mde.js';
import { agrees, scipy } from './fixtures.js';

describe('minimumDetectableEffect', () => {
  it('uses t quantiles that agree with scipy.stats.t.ppf', () => {
    for (const { p, df, q } of scipy.tQuantile) {
      expect(agrees(tQuantile(p, df), q), `t.ppf(${p}, ${df})`).toBe(true);
    }
  });

  it.each(scipy.mde.map((c) => [c.name, c] as const))(
    'matches the documented formula computed with scipy: %s',
    (_n, c) => {
      const r = minimumDetectableEffect({
        baseline: c.baseline,
        candidate: c.candidate,
        baselineMedian: median(c.baseline),
        alpha: c.alpha,
        power: c.power,
      }).value!;
      expect(agrees(r.df, c.df)).toBe(true);
      expect(agrees(r.absolute, c.absolute)).toBe(true);
      expect(agrees(r.relative, c.relative)).toBe(true);
    },
  );

  it('is about 10% for 5 runs a side with 5% run-to-run noise', () => {
    // Five runs with a sample SD of exactly 5 around 100 (squared deviations sum to 100 = 4 * 25).
    const side = [100 - Math.sqrt(40), 100 - Math.sqrt(10), 100, 100 + Math.sqrt(10), 100 + Math.sqrt(40)];
    const r = minimumDetectableEffect({ baseline: side, candidate: side, baselineMedian: 100, alpha: 0.05 }).value!;
    expect(r.pooledSd).toBeCloseTo(5, 10);
    expect(r.df).toBeCloseTo(8, 10);
    // (2.306 + 0.889) * 5 * sqrt(2/5) = 10.1
    expect(r.relative).toBeCloseTo(0.101, 3);
  });

  it('shrinks as runs are added', () => {
    const a = [98, 101, 99, 102, 100];
    const small = minimumDetectableEffect({ baseline: a, candidate: a, baselineMedian: 100, alpha: 0.05 }).value!;
    const large = minimumDetectableEffect({
      baseline: [...a, ...a],
      candidate: [...a, ...a],
      baselineMedian: 100,
      alpha: 0.05,
    }).value!;
    expect(large.relative).toBeLessThan(small.relative);
  });

  it('returns null with a reason for fewer than 2 runs a side or a zero baseline median', () => {
    expect(
      minimumDetectableEffect({ baseline: [1], candidate: [1, 2], baselineMedian: 1, alpha: 0.05 }).reason,
    ).toMatch(/at least 2 runs/);
    expect(
      minimumDetectableEffect({ baseline: [0, 0], candidate: [1, 2], baselineMedian: 0, alpha: 0.05 }).reason,
    ).toMatch(/median of 0/);
  });
});
