/** The budget planner on noise models whose answers can be worked out by hand. */
import { describe, expect, it } from 'vitest';
import {
  balancedWindowSeconds,
  pairDifferenceVariance,
  pairSeconds,
  pairedMde,
  planBudget,
  type NoiseModel,
} from '../../src/stats/budget-planner.js';

const LEVEL = { alpha: 0.05, comparisons: 1, power: 0.8 };
// sigma_between^2 = 1, sigma_within^2 = 16 per 1 s sample, autocorrelation doubling the window's variance.
const NOISE: NoiseModel = {
  withinRunVariance: 16,
  betweenRunVariance: 1,
  autocorrelationFactor: 2,
  sampleIntervalSeconds: 1,
};
const INTERLEAVED = { fixedSecondsPerRun: 30, runsInSeries: 2 as const };

describe('the variance and cost of one pair', () => {
  it('var(d) = 2 (sigma_between^2 + sigma_within^2 x factor / samples): 6 for a 16 s window', () => {
    expect(pairDifferenceVariance(NOISE, 16)).toBeCloseTo(6, 12);
    // Samples every 2 s: half as many samples, twice the within-run share.
    expect(pairDifferenceVariance({ ...NOISE, sampleIntervalSeconds: 2 }, 16)).toBeCloseTo(10, 12);
  });

  it('a pair costs (fixed + window) per run, twice interleaved, once as a duet', () => {
    expect(pairSeconds(INTERLEAVED, 16)).toBe(92);
    expect(pairSeconds({ ...INTERLEAVED, runsInSeries: 1 }, 16)).toBe(46);
  });
});

describe('pairedMde', () => {
  it('is (t(0.975, 5) + t(0.8, 5)) x sqrt(6 / 6) = 3.490126 for 6 pairs of 16 s windows (scipy.stats.t.ppf)', () => {
    expect(pairedMde(NOISE, 16, 6, LEVEL).value).toBeCloseTo(3.4901256, 6);
    // Two comparisons in the Holm family: t(1 - 0.05/4, 5) + t(0.8, 5).
    expect(pairedMde(NOISE, 16, 6, { ...LEVEL, comparisons: 2 }).value).toBeCloseTo(4.0829252, 6);
  });

  it('is unavailable below 2 pairs, for a window without a sample, or without noise', () => {
    expect(pairedMde(NOISE, 16, 1, LEVEL).reason).toMatch(/at least 2 pairs/);
    expect(pairedMde(NOISE, 0.5, 6, LEVEL).reason).toMatch(/no sample/);
    expect(pairedMde({ ...NOISE, withinRunVariance: 0, betweenRunVariance: 0 }, 16, 6, LEVEL).reason).toMatch(
      /no spread/,
    );
  });
});

describe('planBudget', () => {
  it('spends 10 minutes of 16 s interleaved pairs on 6 pairs (6 x 92 s <= 600 s)', () => {
    const plan = planBudget({
      noise: NOISE,
      cost: INTERLEAVED,
      level: LEVEL,
      budgetMinutes: 10,
      minWindowSeconds: 16,
      maxWindowSeconds: 16,
    });
    expect(plan.value).toMatchObject({ windowSeconds: 16, pairs: 6, seconds: 552 });
    expect(plan.value!.mde).toBeCloseTo(3.4901256, 6);
  });

  it('with a large budget picks the window near w* = sqrt(16 x 2 x 1 x 30 / 1) = 31 s', () => {
    expect(balancedWindowSeconds(NOISE, INTERLEAVED)).toBeCloseTo(Math.sqrt(960), 12);
    const plan = planBudget({
      noise: NOISE,
      cost: INTERLEAVED,
      level: LEVEL,
      budgetMinutes: 600,
      minWindowSeconds: 5,
      maxWindowSeconds: 120,
    }).value!;
    expect(Math.abs(plan.windowSeconds - Math.sqrt(960))).toBeLessThanOrEqual(3);
    // No other window does better within the same budget.
    for (let w = 5; w <= 120; w++) {
      const pairs = Math.floor((600 * 60) / pairSeconds(INTERLEAVED, w));
      expect(pairedMde(NOISE, w, pairs, LEVEL).value!).toBeGreaterThanOrEqual(plan.mde);
    }
  });

  it('buys pairs when only runs vary and window length when only seconds vary (given budget enough for t to settle)', () => {
    const q = { cost: INTERLEAVED, level: LEVEL, budgetMinutes: 600, minWindowSeconds: 8, maxWindowSeconds: 60 };
    expect(planBudget({ ...q, noise: { ...NOISE, withinRunVariance: 0 } }).value!.windowSeconds).toBe(8);
    expect(planBudget({ ...q, noise: { ...NOISE, betweenRunVariance: 0 } }).value!.windowSeconds).toBe(60);
    expect(balancedWindowSeconds({ ...NOISE, betweenRunVariance: 0 }, INTERLEAVED)).toBe(Infinity);
  });

  it('a duet pair costs half, so the same budget buys about twice the pairs and a smaller MDE', () => {
    const q = { noise: NOISE, level: LEVEL, budgetMinutes: 10, minWindowSeconds: 16, maxWindowSeconds: 16 };
    const interleaved = planBudget({ ...q, cost: INTERLEAVED }).value!;
    const duet = planBudget({ ...q, cost: { ...INTERLEAVED, runsInSeries: 1 } }).value!;
    expect(duet.pairs).toBe(13);
    expect(duet.mde).toBeLessThan(interleaved.mde / Math.SQRT2);
  });

  it('says so when the budget does not buy 2 pairs', () => {
    expect(
      planBudget({
        noise: NOISE,
        cost: INTERLEAVED,
        level: LEVEL,
        budgetMinutes: 1,
        minWindowSeconds: 16,
        maxWindowSeconds: 20,
      }).reason,
    ).toMatch(/does not buy 2 pairs.*92 s/);
  });
});
