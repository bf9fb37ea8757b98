import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/stats/wilson.js';

/** Written by scripts/fixtures/gen_wilson_fixtures.py (Wilson's formula, scipy's normal quantile). */
const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/stats/wilson.json'), 'utf8')) as {
  cases: Array<{ k: number; n: number; level: number; low: number; high: number }>;
};

describe('the Wilson score interval', () => {
  it('matches the python reference for every case', () => {
    expect(fixtures.cases.length).toBeGreaterThan(100);
    for (const c of fixtures.cases) {
      const got = wilsonInterval(c.k, c.n, c.level)!;
      expect(got.low, `${c.k}/${c.n} at ${c.level}`).toBeCloseTo(c.low, 10);
      expect(got.high, `${c.k}/${c.n} at ${c.level}`).toBeCloseTo(c.high, 10);
    }
  });

  it('gives 0 false verdicts in 20 an upper bound near 16%, not 0', () => {
    const r = wilsonInterval(0, 20)!;
    expect(r.rate).toBe(0);
    expect(r.low).toBe(0);
    expect(r.high).toBeCloseTo(0.1611, 4);
  });

  it('has no interval for no trials and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(0.5, 2)).toThrow(RangeError);
  });
});
