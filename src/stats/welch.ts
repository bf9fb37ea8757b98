/**
 * Welch's unequal-variance t-test on run-level values, as scipy.stats.ttest_ind(x, y,
 * equal_var=False) computes it: t = (mean(x) - mean(y)) / sqrt(vx/nx + vy/ny), with the
 * Welch–Satterthwaite degrees of freedom and a two-sided p-value from Student's t CDF.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { mean, variance } from './descriptive.js';
import { ok, unavailable, type StatResult } from './stat-result.js';

export interface WelchResult {
  t: number;
  df: number;
  pValue: number;
  /** mean(x) - mean(y) */
  meanDifference: number;
  standardError: number;
}

/** Welch–Satterthwaite degrees of freedom; NaN when both variances are zero. */
export function welchDf(varX: number, nX: number, varY: number, nY: number): number {
  const a = varX / nX;
  const b = varY / nY;
  return (a + b) ** 2 / ((a * a) / (nX - 1) + (b * b) / (nY - 1));
}

/**
 * Two-sided Welch test of x against y (the sign of t follows mean(x) - mean(y)). Null, with the
 * reason, when a side has fewer than two values or both sides have zero variance: scipy then
 * returns an infinite or NaN t, which is no evidence either way for a benchmark.
 */
export function welchTTest(x: readonly number[], y: readonly number[]): StatResult<WelchResult> {
  const nX = x.length;
  const nY = y.length;
  if (nX < 2 || nY < 2) {
    return unavailable(`Welch's t-test needs at least 2 values a side (have ${nX} and ${nY})`);
  }
  if ([...x, ...y].some((v) => !Number.isFinite(v))) {
    return unavailable("Welch's t-test got a non-finite value");
  }
  const varX = variance(x);
  const varY = variance(y);
  const standardError = Math.sqrt(varX / nX + varY / nY);
  if (!(standardError > 0)) {
    return unavailable("Welch's t-test is undefined: both sides have zero variance");
  }
  const meanDifference = mean(x) - mean(y);
  const t = meanDifference / standardError;
  const df = welchDf(varX, nX, varY, nY);
  // The lower tail of -|t| is computed directly (no 1 - cdf), so tiny p-values keep their digits.
  const pValue = Math.min(1, 2 * tCdf(-Math.abs(t), df));
  return ok({ t, df, pValue, meanDifference, standardError });
}
