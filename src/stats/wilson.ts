/**
 * The Wilson score interval of a binomial rate (Wilson 1927): the interval the validate table
 * gives every rate it counts. Unlike the Wald interval (p +- z sqrt(p(1-p)/n)) it neither collapses
 * to zero width at 0 of n or n of n nor leaves [0, 1], which matters here: "0 false verdicts in 20"
 * is a typical row, and its honest upper bound is about 16%, not 0.
 */
import { upperNormalQuantile } from './group-sequential.js';

export interface RateInterval {
  k: number;
  n: number;
  rate: number;
  low: number;
  high: number;
}

/** k successes in n trials, the two-sided `level` Wilson interval; null when n is 0. */
export function wilsonInterval(k: number, n: number, level = 0.95): RateInterval | null {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || k > n)
    throw new RangeError(`wilsonInterval needs whole 0 <= k <= n (got ${k} of ${n})`);
  if (n === 0) return null;
  const z = upperNormalQuantile((1 - level) / 2);
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // At k = 0 or k = n one bound is exactly 0 or 1; rounding must not put it a hair inside.
  return {
    k,
    n,
    rate: p,
    low: k === 0 ? 0 : Math.max(0, centre - half),
    high: k === n ? 1 : Math.min(1, centre + half),
  };
}
