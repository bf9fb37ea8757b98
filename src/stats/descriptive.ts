/**
 * Descriptive statistics over plain number arrays, from simple-statistics (two-pass variance, which
 * keeps its digits on memory values around 1e8 bytes). The wrappers only turn its "too few values"
 * exceptions into NaN, which the callers' StatResult checks report with a reason. The type-7
 * quantile stays here: simple-statistics interpolates differently, and p95 and the bootstrap
 * percentiles must match what numpy and R give in a notebook.
 */
import {
  mean as ssMean,
  median as ssMedian,
  sampleStandardDeviation,
  sampleVariance,
  coefficientOfVariation as ssCoefficientOfVariation,
} from 'simple-statistics';

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : ssMean(values as number[]);
}

/** Sample variance (divisor n - 1); NaN below two values. */
export function variance(values: readonly number[]): number {
  return values.length < 2 ? Number.NaN : sampleVariance(values as number[]);
}

/** Sample standard deviation (divisor n - 1); NaN below two values. */
export function standardDeviation(values: readonly number[]): number {
  return values.length < 2 ? Number.NaN : sampleStandardDeviation(values as number[]);
}

export function median(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : ssMedian(values as number[]);
}

/** Sample SD over |mean|; NaN below two values or at a zero mean. */
export function coefficientOfVariation(values: readonly number[]): number {
  if (values.length < 2 || mean(values) === 0) return Number.NaN;
  return Math.abs(ssCoefficientOfVariation(values as number[]));
}

/** Ascending copy; typed-array sort compares numerically (Array#sort would compare as strings). */
export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Quantile of an ascending-sorted array by linear interpolation between order statistics
 * (Hyndman & Fan type 7, the default of numpy and R).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
