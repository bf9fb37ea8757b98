import { describe, expect, it } from 'vitest';
import {
  harmonic,
  randomAlphanumeric,
  sampleExponential,
  sampleUniformInt,
  seededRng,
  zipfMean,
  zipfSampler,
} from '../../src/workloads/distributions.js';

const N = 200_000;

function mean(draw: () => number, n = N): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += draw();
  return s / n;
}

describe('seededRng', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    const c = seededRng(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
  });

  it('is uniform on [0, 1): mean 1/2, variance 1/12, never 1', () => {
    const rng = seededRng(1);
    const xs = Array.from({ length: N }, () => rng());
    const m = xs.reduce((a, x) => a + x, 0) / N;
    const v = xs.reduce((a, x) => a + (x - m) ** 2, 0) / (N - 1);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(m).toBeCloseTo(0.5, 2);
    expect(v).toBeCloseTo(1 / 12, 3);
  });
});

describe('sampleExponential', () => {
  // Standard error of the mean of N draws is (1/rate)/sqrt(N) = 0.22% of the mean: 1% is ~4.5 SE.
  it.each([0.5, 10, 200])('has mean 1/rate for rate %s (within 1%%)', (rate) => {
    const rng = seededRng(7);
    expect(mean(() => sampleExponential(rng, rate)) * rate).toBeGreaterThan(0.99);
    expect(mean(() => sampleExponential(rng, rate)) * rate).toBeLessThan(1.01);
  });

  it('has P(X > 1/rate) = e^-1', () => {
    const rng = seededRng(8);
    let above = 0;
    for (let i = 0; i < N; i++) if (sampleExponential(rng, 4) > 0.25) above++;
    expect(above / N).toBeCloseTo(Math.exp(-1), 2);
  });

  it('refuses a non-positive rate', () => {
    expect(() => sampleExponential(seededRng(1), 0)).toThrow(RangeError);
  });
});

describe('zipf', () => {
  it('harmonic numbers match closed forms', () => {
    expect(harmonic(4, 1)).toBeCloseTo(1 + 1 / 2 + 1 / 3 + 1 / 4, 12);
    expect(harmonic(10, 0)).toBe(10);
    expect(harmonic(1_000_000, 2)).toBeCloseTo(Math.PI ** 2 / 6, 5);
  });

  it.each([
    [10, 1.0],
    [200, 1.4],
    [8000, 1.4],
    [100, 2.5],
  ])('Zipf(%s, %s) has mean H(n,s-1)/H(n,s) (within 3%%) and stays in 1..n', (n, s) => {
    const rng = seededRng(11);
    const draw = zipfSampler(n, s);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < N; i++) {
      const k = draw(rng);
      sum += k;
      min = Math.min(min, k);
      max = Math.max(max, k);
      if (!Number.isInteger(k)) throw new Error(`non-integer draw ${k}`);
    }
    expect(min).toBe(1);
    expect(max).toBeLessThanOrEqual(n);
    expect(sum / N / zipfMean(n, s)).toBeGreaterThan(0.97);
    expect(sum / N / zipfMean(n, s)).toBeLessThan(1.03);
  });

  it('P(1) = 1/H(n,s)', () => {
    const rng = seededRng(12);
    const draw = zipfSampler(8000, 1.4);
    let ones = 0;
    for (let i = 0; i < N; i++) if (draw(rng) === 1) ones++;
    expect(ones / N).toBeCloseTo(1 / harmonic(8000, 1.4), 2);
  });

  // Fixtures: scipy.stats.zipfian(s, n).mean() and .pmf(1), scipy 1.17.
  it.each([
    [8000, 1.4, 120.21044780659027, 0.3292843475728087],
    [200, 1.4, 13.8876498216058, 0.3564343039024884],
    [10, 1.0, 3.414171521474055, 0.34141715214740553],
    [100, 2.5, 1.7995436193471213, 0.745809166053837],
  ])('zipfMean(%s, %s) and P(1) match scipy.stats.zipfian', (n, s, m, p1) => {
    expect(zipfMean(n, s)).toBeCloseTo(m, 9);
    expect(1 / harmonic(n, s)).toBeCloseTo(p1, 12);
  });
});

describe('sampleUniformInt', () => {
  it('covers [lower, upper) evenly with mean (lower + upper - 1) / 2', () => {
    const rng = seededRng(3);
    const counts = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const k = sampleUniformInt(rng, 1, 5);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4]);
    for (const c of counts.values()) expect(c / N).toBeCloseTo(0.25, 2);
  });
});

describe('randomAlphanumeric', () => {
  it('gives 7 characters of [A-Za-z0-9], different each time', () => {
    const rng = seededRng(5);
    const xs = Array.from({ length: 1000 }, () => randomAlphanumeric(rng));
    for (const x of xs) expect(x).toMatch(/^[A-Za-z0-9]{7}$/);
    expect(new Set(xs).size).toBe(1000);
  });
});
