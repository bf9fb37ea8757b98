/**
 * Random numbers for the workloads: a small seeded PRNG (so tests and re-runs can be reproduced)
 * and the three distributions berserker draws from: exponential (inter-arrival times and
 * lifetimes), Zipf over 1..n (port range sizes), and discrete uniform.
 */
import { mulberry32, type Random } from '../stats/prng.js';

/** A source of uniform doubles in [0, 1): the same seeded mulberry32 the statistics use. */
export type Rng = Random;
export const seededRng: (seed: number) => Rng = mulberry32;

/** A seed from the clock and pid, for runs that need not be reproducible. */
export function randomSeed(): number {
  return (Date.now() ^ (process.pid << 16) ^ Math.floor(Math.random() * 0xffffffff)) >>> 0;
}

/** Exp(rate): mean 1/rate. Inverse CDF; 1 - u keeps the argument of log in (0, 1]. */
export function sampleExponential(rng: Rng, rate: number): number {
  if (!(rate > 0)) throw new RangeError(`exponential rate must be > 0, got ${rate}`);
  return -Math.log(1 - rng()) / rate;
}

/** Integer uniform on [lower, upperExclusive), like rand's Uniform::new(lower, upper). */
export function sampleUniformInt(rng: Rng, lower: number, upperExclusive: number): number {
  if (!(upperExclusive > lower)) throw new RangeError(`uniform needs upper > lower, got [${lower}, ${upperExclusive})`);
  return lower + Math.floor(rng() * (upperExclusive - lower));
}

/** Generalised harmonic number H(n, s) = sum_{k=1..n} k^-s. */
export function harmonic(n: number, s: number): number {
  let h = 0;
  // Smallest terms first keeps the float sum accurate.
  for (let k = n; k >= 1; k--) h += Math.pow(k, -s);
  return h;
}

/** Theoretical mean of Zipf(n, s) over 1..n: H(n, s-1) / H(n, s). */
export function zipfMean(n: number, s: number): number {
  return harmonic(n, s - 1) / harmonic(n, s);
}

/**
 * Zipf(n, s) on 1..n with P(k) proportional to k^-s, by exact inverse CDF: the cumulative table
 * is built once (n <= 64511 ports here, so at most ~0.5 MB) and each draw is a binary search.
 */
export function zipfSampler(n: number, s: number): (rng: Rng) => number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`zipf n must be an integer >= 1, got ${n}`);
  if (!(s > 0)) throw new RangeError(`zipf exponent must be > 0, got ${s}`);
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let k = 1; k <= n; k++) {
    acc += Math.pow(k, -s);
    cdf[k - 1] = acc;
  }
  const total = acc;
  return (rng) => {
    const u = rng() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo + 1;
  };
}

/** Seven characters from [A-Za-z0-9], like berserker's random stub argument. */
export function randomAlphanumeric(rng: Rng, length = 7): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += chars[Math.floor(rng() * chars.length)];
  return out;
}
