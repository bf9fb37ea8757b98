/**
 * The paired t-test of an A/B file, as scipy.stats.ttest_rel(candidate, baseline) computes it: on the
 * differences d_i = candidate_i - baseline_i of adjacent runs, t = mean(d) / (sd(d) / sqrt(n)),
 * df = n - 1, two-sided p from Student's t. Pairing removes what both runs of a pair share (the
 * machine's state at that minute), which is most of the noise between sessions.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { mean, standardDeviation } from './descriptive.js';
import { ok, unavailable, type StatResult } from './stat-result.js';

export interface PairedTResult {
  t: number;
  df: number;
  pValue: number;
  meanDifference: number;
  standardError: number;
}

export function pairedDifferences(candidate: readonly number[], baseline: readonly number[]): number[] {
  return candidate.map((c, i) => c - baseline[i]);
}

export function pairedTTest(candidate: readonly number[], baseline: readonly number[]): StatResult<PairedTResult> {
  if (candidate.length !== baseline.length) {
    return unavailable(
      `a paired test needs as many candidate as baseline runs (${candidate.length} and ${baseline.length})`,
    );
  }
  const n = candidate.length;
  if (n < 2) return unavailable(`the paired t-test needs at least 2 pairs (have ${n})`);
  if ([...candidate, ...baseline].some((v) => !Number.isFinite(v))) {
    return unavailable('the paired t-test got a non-finite value');
  }
  const d = pairedDifferences(candidate, baseline);
  const standardError = standardDeviation(d) / Math.sqrt(n);
  if (!(standardError > 0)) {
    return unavailable('the paired t-test is undefined: every pair differs by the same amount');
  }
  const meanDifference = mean(d);
  const t = meanDifference / standardError;
  const df = n - 1;
  // The lower tail of -|t| directly (no 1 - cdf), so tiny p-values keep their digits.
  const pValue = Math.min(1, 2 * tCdf(-Math.abs(t), df));
  return ok({ t, df, pValue, meanDifference, standardError });
}
