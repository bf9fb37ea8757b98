/**
 * History mode's test: is the candidate session's value one more draw from the sessions of the
 * baseline? With k baseline session values b (one per results file: the mean of its counted runs)
 * and the candidate session's value c,
 *   t = (c - mean(b)) / (sd(b) * sqrt(1 + 1/k)),  df = k - 1,
 * two-sided: the prediction interval of a new session. The session is the unit because runs of one
 * session share the machine's state of that hour; pooling them as independent (Welch on all runs)
 * reads a shift between sessions as a regression.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, standardDeviation } from './descriptive.js';
import { ok, unavailable, type StatResult } from './stat-result.js';

export interface PredictionTestResult {
  t: number;
  df: number;
  pValue: number;
  /** c - mean(b) */
  difference: number;
  /** sd(b) * sqrt(1 + 1/k): the standard error of a new session's difference from the mean. */
  standardError: number;
}

/** Below this many baseline sessions the spread between sessions is not known well enough to decide. */
export const MIN_BASELINE_SESSIONS = 3;

export function predictionTest(sessions: readonly number[], candidate: number): StatResult<PredictionTestResult> {
  const k = sessions.length;
  if (k < MIN_BASELINE_SESSIONS) {
    return unavailable(`history mode needs at least ${MIN_BASELINE_SESSIONS} baseline sessions (have ${k})`);
  }
  if (![...sessions, candidate].every(Number.isFinite))
    return unavailable('the prediction test got a non-finite value');
  const standardError = standardDeviation(sessions) * Math.sqrt(1 + 1 / k);
  if (!(standardError > 0))
    return unavailable('the prediction test is undefined: every baseline session has the same value');
  const difference = candidate - mean(sessions);
  const t = difference / standardError;
  const df = k - 1;
  return ok({ t, df, pValue: Math.min(1, 2 * tCdf(-Math.abs(t), df)), difference, standardError });
}

/** The two-sided interval estimate ± t(1 - (1 - level)/2, df) * se. */
export function tInterval(estimate: number, standardError: number, df: number, level: number): [number, number] {
  const half = tQuantile(1 - (1 - level) / 2, df) * standardError;
  return [estimate - half, estimate + half];
}
