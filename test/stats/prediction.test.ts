import { describe, expect, it } from 'vitest';
import { predictionTest, tInterval } from '../../src/stats/prediction.js';
import { agrees, scipy } from './fixtures.js';

describe('predictionTest (history mode: the candidate session against k baseline sessions)', () => {
  it.each(scipy.prediction.map((c) => [c.name, c] as const))('matches the scipy computation: %s', (_n, c) => {
    const r = predictionTest(c.sessions, c.candidate).value!;
    expect(agrees(r.t, c.t)).toBe(true);
    expect(r.df).toBe(c.df);
    expect(agrees(r.pValue, c.pValue), `p ${r.pValue} vs ${c.pValue}`).toBe(true);
    expect(agrees(r.standardError, c.standardError)).toBe(true);
    const [lo, hi] = tInterval(r.difference, r.standardError, r.df, 0.9);
    expect(agrees(lo, c.interval90[0])).toBe(true);
    expect(agrees(hi, c.interval90[1])).toBe(true);
  });

  it('refuses to decide with fewer than 3 baseline sessions', () => {
    expect(predictionTest([20, 21], 25).reason).toMatch(/at least 3 baseline sessions \(have 2\)/);
  });

  it('is unavailable when every session has the same value, and for non-finite values', () => {
    expect(predictionTest([5, 5, 5], 6).reason).toMatch(/same value/);
    expect(predictionTest([5, 6, Number.POSITIVE_INFINITY], 6).reason).toMatch(/non-finite/);
  });
});
