/**
 * Minimum detectable effect: the smallest true change in means that a two-sided test at `alpha`
 * would detect with probability `power`, given the noise and run counts observed, relative to the
 * baseline median. It tells a reader what an "unchanged" verdict can and cannot rule out.
 *
 *   MDE_abs = (t(1 - alpha/2, df) + t(power, df)) * s_p * sqrt(1/n1 + 1/n2)
 *   MDE_rel = MDE_abs / |baseline median|
 *
 * s_p is the pooled SD, sqrt(((n1-1) s1^2 + (n2-1) s2^2) / (n1 + n2 - 2)); df is the
 * Welch–Satterthwaite df from the observed variances (the df the decision test itself uses; it is
 * n1 + n2 - 2 when both variances are zero). This is the usual normal-theory approximation that
 * ignores the far rejection tail (negligible at 80% power). alpha is the per-comparison level,
 * before Holm: with many comparisons in one report the effective MDE is somewhat larger.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { variance } from './descriptive.js';
import { ok, unavailable, type StatResult } from './stat-result.js';
import { welchDf } from './welch.js';

export interface MdeInput {
  baseline: readonly number[];
  candidate: readonly number[];
  baselineMedian: number;
  alpha: number;
  power?: number; // default 0.8
}

export interface MdeResult {
  absolute: number;
  relative: number;
  pooledSd: number;
  df: number;
}

export function minimumDetectableEffect(input: MdeInput): StatResult<MdeResult> {
  const power = input.power ?? 0.8;
  const n1 = input.baseline.length;
  const n2 = input.candidate.length;
  if (n1 < 2 || n2 < 2) return unavailable(`MDE needs at least 2 runs a side (have ${n1} and ${n2})`);
  if (input.baselineMedian === 0 || !Number.isFinite(input.baselineMedian)) {
    return unavailable('MDE relative to a baseline median of 0 is undefined');
  }
  const v1 = variance(input.baseline);
  const v2 = variance(input.candidate);
  const pooledSd = Math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2));
  const welch = welchDf(v1, n1, v2, n2);
  const df = Number.isFinite(welch) ? welch : n1 + n2 - 2;
  const multiplier = tQuantile(1 - input.alpha / 2, df) + tQuantile(power, df);
  const absolute = multiplier * pooledSd * Math.sqrt(1 / n1 + 1 / n2);
  return ok({ absolute, relative: absolute / Math.abs(input.baselineMedian), pooledSd, df });
}
