/**
 * Minimum detectable effect of the test that decides, with its own standard error and df, at Holm's
 * first-step level alpha/m (the level the smallest p-value of a report with m comparisons must
 * clear):
 *   MDE = (t(1 - alpha/(2m), df) + t(power, df)) * se
 * A true change of this size is flagged with about the configured power (measured by simulation in
 * test/stats/mde.test.ts). The run planner inverts it: how many pairs (A/B) or baseline sessions
 * (history) would bring the MDE down to the floor, from the observed spread.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { ok, unavailable, type StatResult } from './stat-result.js';

export interface MdeInput {
  standardError: number;
  df: number;
  alpha: number;
  /** Comparisons in the Holm family (m >= 1). */
  comparisons: number;
  power: number;
}

export function mdeMultiplier(df: number, alpha: number, comparisons: number, power: number): number {
  return tQuantile(1 - alpha / (2 * Math.max(1, comparisons)), df) + tQuantile(power, df);
}

/** The absolute MDE; unavailable (not zero) when the spread is zero or unknown. */
export function minimumDetectableEffect(input: MdeInput): StatResult<number> {
  if (!(input.standardError > 0) || !Number.isFinite(input.standardError)) {
    return unavailable('MDE undefined: no spread to estimate it from');
  }
  if (!(input.df >= 1)) return unavailable(`MDE needs at least 1 degree of freedom (have ${input.df})`);
  return ok(mdeMultiplier(input.df, input.alpha, input.comparisons, input.power) * input.standardError);
}

const PLAN_LIMIT = 1000;

/**
 * Smallest n (from 2 to 1000) whose MDE reaches `floor`, where `standardErrorAt(n)` and `dfAt(n)` give
 * the deciding test's standard error and df with n units; null when even 1000 would not.
 */
export function unitsNeeded(
  floor: number,
  standardErrorAt: (n: number) => number,
  dfAt: (n: number) => number,
  mde: Omit<MdeInput, 'standardError' | 'df'>,
): number | null {
  if (!(floor > 0)) return null;
  const reaches = (n: number) => {
    const df = dfAt(n);
    return df >= 1 && mdeMultiplier(df, mde.alpha, mde.comparisons, mde.power) * standardErrorAt(n) <= floor;
  };
  if (!reaches(PLAN_LIMIT)) return null;
  // The MDE falls as n grows, so bisect: reaches(hi) holds, reaches(lo) does not (or lo is below the start).
  let lo = 1;
  let hi = PLAN_LIMIT;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  return Math.max(2, hi);
}
