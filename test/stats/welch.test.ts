import { describe, expect, it } from 'vitest';
import { welchTTest } from '../../src/stats/welch.js';
import { agrees, scipy } from './fixtures.js';

describe('welchTTest', () => {
  const defined = scipy.welch.filter((c) => c.defined);

  it('has reference cases from scipy to check against', () => {
    expect(defined.length).toBeGreaterThanOrEqual(12);
  });

  it.each(defined.map((c) => [c.name, c] as const))('matches scipy ttest_ind(equal_var=False): %s', (_name, c) => {
    const r = welchTTest(c.x, c.y);
    expect(r.reason).toBeNull();
    const v = r.value!;
    expect(agrees(v.t, c.t!), `t ${v.t} vs scipy ${c.t}`).toBe(true);
    expect(agrees(v.df, c.df!), `df ${v.df} vs scipy ${c.df}`).toBe(true);
    expect(agrees(v.pValue, c.pValue!), `p ${v.pValue} vs scipy ${c.pValue}`).toBe(true);
  });

  it('keeps the digits of tiny p-values (no 1 - cdf cancellation)', () => {
    const tiny = defined.filter((c) => c.pValue! < 1e-20);
    expect(tiny.length).toBeGreaterThan(0);
    for (const c of tiny) {
      const p = welchTTest(c.x, c.y).value!.pValue;
      expect(Math.abs(p - c.pValue!) / c.pValue!).toBeLessThan(1e-6);
    }
  });

  it('signs t by mean(x) - mean(y)', () => {
    expect(welchTTest([10, 11, 12], [1, 2, 3]).value!.t).toBeGreaterThan(0);
    expect(welchTTest([1, 2, 3], [10, 11, 12]).value!.t).toBeLessThan(0);
  });

  it.each(scipy.welch.filter((c) => !c.defined).map((c) => [c.name, c] as const))(
    'returns null with a reason where scipy gives no finite answer: %s',
    (_name, c) => {
      const r = welchTTest(c.x, c.y);
      expect(r.value).toBeNull();
      expect(r.reason).toMatch(/zero variance/);
    },
  );

  it('returns null with a reason below two values a side', () => {
    const r = welchTTest([1], [1, 2, 3]);
    expect(r.value).toBeNull();
    expect(r.reason).toMatch(/at least 2 values a side \(have 1 and 3\)/);
  });

  it('returns null for non-finite input instead of a NaN p-value', () => {
    expect(welchTTest([1, 2, Number.NaN], [1, 2, 3]).value).toBeNull();
  });
});
