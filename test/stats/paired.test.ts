import { describe, expect, it } from 'vitest';
import { pairedTTest } from '../../src/stats/paired-t.js';
import { wilcoxonSignedRank } from '../../src/stats/wilcoxon.js';
import { bootstrapMedianPairedRatio } from '../../src/stats/bootstrap.js';
import { agrees, scipy } from './fixtures.js';

describe('pairedTTest', () => {
  const defined = scipy.paired.filter((c) => c.tDefined);

  it('has reference cases from scipy, small and large, with tiny p-values among them', () => {
    expect(defined.length).toBeGreaterThanOrEqual(10);
    expect(defined.some((c) => c.pValue! < 1e-10)).toBe(true);
  });

  it.each(defined.map((c) => [c.name, c] as const))('matches scipy ttest_rel(candidate, baseline): %s', (_n, c) => {
    const r = pairedTTest(c.candidate, c.baseline).value!;
    expect(agrees(r.t, c.t!), `t ${r.t} vs ${c.t}`).toBe(true);
    expect(r.df).toBe(c.df);
    expect(agrees(r.pValue, c.pValue!), `p ${r.pValue} vs ${c.pValue}`).toBe(true);
  });

  it('is unavailable, with the reason, when every pair differs by the same amount', () => {
    const c = scipy.paired.find((x) => !x.tDefined)!;
    expect(pairedTTest(c.candidate, c.baseline).reason).toMatch(/same amount/);
  });

  it('refuses unequal lengths, fewer than two pairs and non-finite values with a reason', () => {
    expect(pairedTTest([1, 2, 3], [1, 2]).reason).toMatch(/as many/);
    expect(pairedTTest([1], [2]).reason).toMatch(/at least 2 pairs/);
    expect(pairedTTest([1, Number.NaN, 3], [1, 2, 3]).reason).toMatch(/non-finite/);
  });
});

describe('wilcoxonSignedRank', () => {
  const cases = scipy.paired.filter((c) => c.wilcoxon !== null);

  it('has exact, permutation (ties, zeros) and asymptotic reference cases', () => {
    const methods = new Set(cases.map((c) => c.wilcoxon!.method));
    expect([...methods].sort()).toEqual(['asymptotic', 'exact', 'permutation']);
  });

  it.each(cases.map((c) => [c.name, c] as const))('matches scipy wilcoxon(candidate, baseline): %s', (_n, c) => {
    const r = wilcoxonSignedRank(c.candidate, c.baseline).value!;
    expect(r.method).toBe(c.wilcoxon!.method);
    expect(agrees(r.statistic, c.wilcoxon!.statistic)).toBe(true);
    expect(agrees(r.pValue, c.wilcoxon!.pValue), `p ${r.pValue} vs ${c.wilcoxon!.pValue}`).toBe(true);
  });
});

describe('bootstrapMedianPairedRatio', () => {
  const baseline = [10, 11, 9.5, 10.5, 10.2, 9.8];
  const candidate = baseline.map((b, i) => b * (1.1 + 0.01 * (i - 2.5)));

  it('estimates the median of the per-pair ratios and brackets it', () => {
    const r = bootstrapMedianPairedRatio(baseline, candidate, { resamples: 2000, seed: 3 }).value!;
    expect(r.estimate).toBeCloseTo(1.1, 10);
    expect(r.ci95![0]).toBeLessThanOrEqual(r.estimate);
    expect(r.ci95![1]).toBeGreaterThanOrEqual(r.estimate);
    expect(r.ci95![1] - r.ci95![0]).toBeLessThan(0.06);
  });

  it('is reproducible from its seed', () => {
    const a = bootstrapMedianPairedRatio(baseline, candidate, { resamples: 500, seed: 9 });
    const b = bootstrapMedianPairedRatio(baseline, candidate, { resamples: 500, seed: 9 });
    expect(a).toEqual(b);
  });

  it('says why when a baseline run is zero', () => {
    expect(bootstrapMedianPairedRatio([0, 1], [1, 1]).reason).toMatch(/baseline run is 0/);
  });
});
