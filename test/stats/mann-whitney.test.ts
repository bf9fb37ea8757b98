import { describe, expect, it } from 'vitest';
import { averageRanks, mannWhitneyNullCdf, mannWhitneyU } from '../../src/stats/mann-whitney.js';
import { agrees, scipy } from './fixtures.js';

describe('mannWhitneyU', () => {
  it('has exact and asymptotic reference cases from scipy', () => {
    expect(scipy.mannWhitney.filter((c) => c.exact).length).toBeGreaterThanOrEqual(8);
    expect(scipy.mannWhitney.filter((c) => !c.exact).length).toBeGreaterThanOrEqual(8);
  });

  it.each(scipy.mannWhitney.map((c) => [c.name, c] as const))(
    'matches scipy mannwhitneyu(two-sided, method auto): %s',
    (_name, c) => {
      const r = mannWhitneyU(c.x, c.y);
      expect(r.reason).toBeNull();
      const v = r.value!;
      expect(v.u).toBe(c.u); // U1, the first sample's statistic
      expect(v.exact).toBe(c.exact);
      expect(agrees(v.pValue, c.pValue), `p ${v.pValue} vs scipy ${c.pValue}`).toBe(true);
    },
  );

  it('reports U of the first sample, so swapping the samples gives n1*n2 - U and the same p', () => {
    const a = [1.2, 3.4, 2.2, 5.1];
    const b = [4.4, 6.1, 7.3, 5.5, 8.0];
    const ab = mannWhitneyU(a, b).value!;
    const ba = mannWhitneyU(b, a).value!;
    expect(ab.u + ba.u).toBe(20);
    expect(ab.pValue).toBeCloseTo(ba.pValue, 15);
  });

  it('uses the exact distribution: the smallest two-sided p with 5 runs a side is 2/252', () => {
    const r = mannWhitneyU([10, 11, 12, 13, 14], [1, 2, 3, 4, 5]).value!;
    expect(r.exact).toBe(true);
    expect(r.u).toBe(25);
    expect(r.pValue).toBeCloseTo(2 / 252, 15);
  });

  it('returns null with a reason for an empty side', () => {
    const r = mannWhitneyU([], [1, 2]);
    expect(r.value).toBeNull();
    expect(r.reason).toMatch(/at least 1 value a side/);
  });
});

describe('mannWhitneyNullCdf', () => {
  it('is the cumulative count of rank arrangements over C(m+n, m)', () => {
    // m = 2, n = 2: U takes 0,1,2,2,3,4 over the 6 arrangements.
    const cdf = mannWhitneyNullCdf(2, 2, 4);
    expect(Array.from(cdf)).toEqual([1 / 6, 2 / 6, 4 / 6, 5 / 6, 1].map((v) => expect.closeTo(v, 15)));
  });
});

describe('averageRanks', () => {
  it('gives tied values the mean of their ranks and counts the tie groups', () => {
    const r = averageRanks([10, 20, 20, 5, 20]);
    expect(Array.from(r.ranks)).toEqual([2, 4, 4, 1, 4]);
    expect(r.tieGroupSizes.sort()).toEqual([1, 1, 3]);
  });
});

describe('mannWhitneyU on a lopsided sample too large for the exact recurrence', () => {
  it('falls back to the normal approximation and says so', () => {
    const big = Array.from({ length: 3000 }, (_, i) => i + 0.5);
    const r = mannWhitneyU([1, 2, 3, 4, 5, 6, 7, 8], big).value!;
    expect(r.exact).toBe(false);
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(0.01);
  });
});
