/**
 * Ordinary least-squares slope of y on x with its two-sided confidence interval, as
 * scipy.stats.linregress computes it: slope = Sxy / Sxx, standard error = sqrt(SSE / (n - 2) / Sxx),
 * interval slope ± t(1 - (1 - level) / 2, n - 2) · se. Centred sums (two-pass) because working-set
 * values around 1e8 bytes lose digits in the one-pass formulas.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean } from './descriptive.js';
import { ok, unavailable, type StatResult } from './stat-result.js';

export interface SlopeFit {
  slope: number;
  intercept: number;
  /** Standard error of the slope. */
  standardError: number;
  /** Standard error of the intercept, sqrt(SSE / (n - 2) (1/n + mean(x)^2 / Sxx)) (scipy's intercept_stderr). */
  interceptStandardError: number;
  /** Two-sided interval of the slope at `level`. */
  interval: [number, number];
  level: number;
  /** Two-sided p-value of slope = 0. */
  pValue: number;
  n: number;
}

export function leastSquaresSlope(x: readonly number[], y: readonly number[], level = 0.95): StatResult<SlopeFit> {
  const n = x.length;
  if (n !== y.length) return unavailable(`x and y differ in length (${n} and ${y.length})`);
  if (n < 3) return unavailable(`a slope with an interval needs at least 3 points (have ${n})`);
  if ([...x, ...y].some((v) => !Number.isFinite(v))) return unavailable('a slope got a non-finite value');
  const mx = mean(x);
  const my = mean(y);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (!(sxx > 0)) return unavailable('a slope needs at least two distinct x values');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - intercept - slope * x[i]) ** 2;
  const df = n - 2;
  const standardError = Math.sqrt(sse / df / sxx);
  const interceptStandardError = Math.sqrt((sse / df) * (1 / n + (mx * mx) / sxx));
  const half = tQuantile(1 - (1 - level) / 2, df) * standardError;
  // A perfect fit has se 0: the slope is exact, so p is 0 for a nonzero slope and 1 for a flat line.
  const pValue = standardError > 0 ? Math.min(1, 2 * tCdf(-Math.abs(slope / standardError), df)) : slope === 0 ? 1 : 0;
  return ok({
    slope,
    intercept,
    standardError,
    interceptStandardError,
    interval: [slope - half, slope + half],
    level,
    pValue,
    n,
  });
}
