import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../src/stats/holm.js';

describe('holmAdjust', () => {
  it('multiplies the k-th smallest of m p-values by m - k + 1, in input order', () => {
    // sorted: 0.01 (x4) = 0.04, 0.02 (x3) = 0.06, 0.03 (x2) = 0.06, 0.04 (x1) = 0.04 -> monotone 0.06
    expect(holmAdjust([0.03, 0.01, 0.04, 0.02])).toEqual([0.06, 0.04, 0.06, 0.06].map((v) => expect.closeTo(v, 12)));
  });

  it('enforces monotonicity: a larger raw p never gets a smaller adjusted p', () => {
    // Raw products 0.004, 0.036, 0.032, 0.2: the third is lifted to 0.036 by the running maximum.
    const adjusted = holmAdjust([0.001, 0.012, 0.016, 0.2]) as number[];
    expect(adjusted).toEqual([0.004, 0.036, 0.036, 0.2].map((v) => expect.closeTo(v, 12)));
    for (let i = 1; i < adjusted.length; i++) expect(adjusted[i]).toBeGreaterThanOrEqual(adjusted[i - 1]);
  });

  it('caps adjusted p-values at 1', () => {
    expect(holmAdjust([0.5, 0.6, 0.7])).toEqual([1, 1, 1]);
  });

  it('passes nulls through and leaves them out of the count m', () => {
    expect(holmAdjust([null, 0.01, null, 0.04])).toEqual([null, 0.02, null, 0.04]);
  });

  it('leaves a single p-value unchanged and handles an empty family', () => {
    expect(holmAdjust([0.03])).toEqual([0.03]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('rejects a value that is not a probability', () => {
    expect(() => holmAdjust([0.1, 1.5])).toThrow(/index 1 is 1.5/);
  });
});
