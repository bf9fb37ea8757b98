/**
 * The group-sequential boundaries are the published ones, agree with an independent computation
 * (scipy's multivariate normal cdf of the correlated look statistics, scripts/fixtures/
 * gen_group_sequential_fixtures.py), and spend exactly the alpha they are given.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exitProbabilitiesByLook,
  groupSequentialBoundaries,
  repeatedInterval,
  spentAlpha,
  tBoundary,
  upperNormalQuantile,
  type SpendingKind,
  type Sides,
} from '../../src/stats/group-sequential.js';

interface Fixtures {
  scipyVersion: string;
  boundaries: {
    name: string;
    fractions: number[];
    alpha: number;
    spending: SpendingKind;
    sides: Sides;
    bounds: number[];
  }[];
  exits: {
    name: string;
    fractions: number[];
    bounds: number[];
    sides: Sides;
    drift: number;
    above: number[];
    below: number[];
  }[];
  spending: { spending: SpendingKind; alpha: number; t: number; spent: number }[];
  upperNormalQuantile: { p: number; z: number }[];
  tBoundary: { z: number; df: number; t: number }[];
}
const fixtures = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/stats/group-sequential.json'), 'utf8'),
) as Fixtures;

const equallySpaced = (k: number) => Array.from({ length: k }, (_, i) => (i + 1) / k);

/**
 * Lan-DeMets boundaries for K = 2..5 equally spaced looks, one-sided alpha 0.025 (the upper half of
 * the symmetric two-sided 0.05 design), to the 3 decimals they are usually printed with: Jennison &
 * Turnbull (2000), "Group Sequential Methods with Applications to Clinical Trials", ch. 7 (error
 * spending), and the same numbers as gsDesign prints for gsDesign(k = K, test.type = 1,
 * alpha = 0.025, sfu = sfLDOF / sfLDPocock) and ldbounds for ldBounds(t = (1:K)/K, iuse = 1 / 2,
 * alpha = 0.025, sides = 1). Transcribed, not recomputed: no R on this machine; the scipy fixtures
 * below are the independent computation.
 */
const PUBLISHED: Record<SpendingKind, Record<number, number[]>> = {
  'obrien-fleming': {
    2: [2.963, 1.969],
    3: [3.71, 2.511, 1.993],
    4: [4.333, 2.963, 2.359, 2.014],
    5: [4.877, 3.357, 2.68, 2.29, 2.031],
  },
  pocock: {
    2: [2.157, 2.201],
    3: [2.279, 2.295, 2.296],
    4: [2.368, 2.368, 2.358, 2.35],
    5: [2.438, 2.427, 2.41, 2.397, 2.386],
  },
};

describe('groupSequentialBoundaries: published Lan-DeMets values', () => {
  for (const spending of ['obrien-fleming', 'pocock'] as const) {
    for (const k of [2, 3, 4, 5]) {
      it(`${spending}, K=${k}: one-sided 0.025 and two-sided 0.05 both match to the printed 3 decimals`, () => {
        const fractions = equallySpaced(k);
        for (const [alpha, sides] of [
          [0.025, 1],
          [0.05, 2],
        ] as const) {
          const bounds = groupSequentialBoundaries({ fractions, alpha, spending, sides });
          bounds.forEach((c, i) => expect(Math.abs(c - PUBLISHED[spending][k][i]), `look ${i + 1}`).toBeLessThan(6e-4));
        }
      });
    }
  }
});

describe(`groupSequentialBoundaries agrees with scipy ${fixtures.scipyVersion} multivariate_normal.cdf`, () => {
  // The QMC integration is good to about 1e-7 in probability; measured agreement 7e-7 in z, 1e-7 in probability.
  it.each(fixtures.boundaries.map((c) => [c.name, c] as const))('%s (within 1e-5 in z)', (_n, c) => {
    const bounds = groupSequentialBoundaries(c);
    expect(bounds).toHaveLength(c.bounds.length);
    bounds.forEach((b, i) =>
      expect(Math.abs(b - c.bounds[i]), `look ${i + 1}: ${b} vs ${c.bounds[i]}`).toBeLessThan(1e-5),
    );
  });

  it.each(fixtures.exits.map((c) => [c.name, c] as const))('exit probabilities by look: %s (within 5e-7)', (_n, c) => {
    const exits = exitProbabilitiesByLook(c.fractions, c.bounds, c.sides, c.drift);
    exits.forEach((e, i) => {
      expect(Math.abs(e.above - c.above[i]), `look ${i + 1} above`).toBeLessThan(5e-7);
      expect(Math.abs(e.below - c.below[i]), `look ${i + 1} below`).toBeLessThan(5e-7);
    });
  });

  it('spending functions, the upper normal quantile and the t boundaries match scipy to 1e-9 relative', () => {
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.abs(b) + 1e-15);
    for (const s of fixtures.spending) close(spentAlpha(s.spending, s.alpha, s.t), s.spent);
    for (const q of fixtures.upperNormalQuantile) close(upperNormalQuantile(q.p), q.z);
    for (const t of fixtures.tBoundary) expect(Math.abs(tBoundary(t.z, t.df) - t.t)).toBeLessThan(1e-7 * t.t);
  });
});

describe('what the boundaries mean', () => {
  it('a single look is the fixed test: z(0.975) two-sided, z(0.95) one-sided', () => {
    expect(
      groupSequentialBoundaries({ fractions: [1], alpha: 0.05, spending: 'obrien-fleming', sides: 2 })[0],
    ).toBeCloseTo(1.959964, 5);
    expect(groupSequentialBoundaries({ fractions: [1], alpha: 0.05, spending: 'pocock', sides: 1 })[0]).toBeCloseTo(
      1.644854,
      5,
    );
  });

  it('the exits under the null add up to the alpha spent, look by look', () => {
    const fractions = [0.2, 0.3, 0.5, 0.8, 1];
    for (const spending of ['obrien-fleming', 'pocock'] as const) {
      for (const sides of [1, 2] as const) {
        const bounds = groupSequentialBoundaries({ fractions, alpha: 0.05, spending, sides });
        let total = 0;
        exitProbabilitiesByLook(fractions, bounds, sides).forEach((e, i) => {
          total += e.above + e.below;
          const perSide = spentAlpha(spending, sides === 2 ? 0.025 : 0.05, fractions[i]);
          expect(Math.abs(total - (sides === 2 ? 2 : 1) * perSide)).toBeLessThan(1e-9);
        });
      }
    }
  });

  it('stopping at a last look short of 1 leaves the rest of alpha unspent', () => {
    const bounds = groupSequentialBoundaries({ fractions: [0.3, 0.6], alpha: 0.05, spending: 'pocock', sides: 2 });
    const total = exitProbabilitiesByLook([0.3, 0.6], bounds, 2).reduce((s, e) => s + e.above + e.below, 0);
    expect(total).toBeCloseTo(0.05 * Math.log(1 + (Math.E - 1) * 0.6), 9);
  });

  it('O’Brien-Fleming spending keeps the last boundary near the fixed one; Pocock spends early', () => {
    const fractions = equallySpaced(5);
    const obf = groupSequentialBoundaries({ fractions, alpha: 0.05, spending: 'obrien-fleming', sides: 2 });
    const pocock = groupSequentialBoundaries({ fractions, alpha: 0.05, spending: 'pocock', sides: 2 });
    expect(obf[0]).toBeGreaterThan(pocock[0]);
    expect(obf[4]).toBeLessThan(pocock[4]);
    expect(obf[4] - 1.96).toBeLessThan(0.1);
  });

  it('a drift of 2.8 (80% power of the fixed two-sided test at 5%) keeps nearly that power sequentially', () => {
    const fractions = equallySpaced(4);
    const bounds = groupSequentialBoundaries({ fractions, alpha: 0.05, spending: 'obrien-fleming', sides: 2 });
    const power = exitProbabilitiesByLook(fractions, bounds, 2, 2.8).reduce((s, e) => s + e.above, 0);
    expect(power).toBeGreaterThan(0.77);
    expect(power).toBeLessThan(0.8);
  });

  it('on the t scale a boundary keeps its tail probability: larger at small df, the z value as df grows', () => {
    expect(tBoundary(1.959964, 4)).toBeCloseTo(2.776445, 5);
    expect(tBoundary(2.031, 1e6)).toBeCloseTo(2.031, 4);
    expect(tBoundary(38, 5)).toBe(Infinity);
  });

  it('the repeated interval is estimate ± critical × se', () => {
    expect(repeatedInterval(1, 0.5, 2)).toEqual([0, 2]);
  });

  it('refuses fractions that do not increase within (0, 1], naming the look', () => {
    expect(() =>
      groupSequentialBoundaries({ fractions: [0.5, 0.5], alpha: 0.05, spending: 'pocock', sides: 2 }),
    ).toThrow(/look 2/);
    expect(() =>
      groupSequentialBoundaries({ fractions: [0.5, 1.2], alpha: 0.05, spending: 'pocock', sides: 2 }),
    ).toThrow(RangeError);
  });
});
