/**
 * The verdict of one metric comparison, from numbers already computed. The rules, in order:
 * 1. Any precondition failure (too few counted runs, environments differ) -> inconclusive.
 * 2. regression / improvement only when the Holm-adjusted Welch p-value is below alpha AND the
 *    change of the medians clears BOTH floors (absolute and relative), in the direction of the sign.
 * 3. Otherwise unchanged, with the minimum detectable effect in the reason so "unchanged" is never
 *    read as "proven equal".
 * Nothing defaults to a green verdict: a missing number leads to inconclusive, not unchanged, unless
 * the change is already below the floors (then it cannot be a regression whatever the test says).
 *
 * Why Welch's p-value decides and Mann-Whitney only informs: with the run counts a CI job can
 * afford (3-10 a side) the exact Mann-Whitney test is coarse — with 5 runs a side its smallest
 * two-sided p-value is 2/252 = 0.0079, which can never pass a Holm threshold of alpha/m once a
 * report holds more than 6 comparisons, so a real regression could never be flagged. Run-level
 * medians of many per-second samples are close to normal, where Welch's test is efficient and keeps
 * its level with unequal variances. Mann-Whitney is reported beside it as a robustness check.
 */
import type { Verdict } from '../contracts/comparison.js';
import { absoluteChange, floorsText, percentChange, pValue, trim } from './format.js';

export interface VerdictInput {
  unit: 'percent' | 'bytes';
  alpha: number;
  floors: { absolute: number; relative: number };
  change: { absolute: number | null; relative: number | null; ci95: [number, number] | null };
  /** Welch's t (sign = direction of the means), null when the test could not run. */
  welchT: number | null;
  /** Why Welch's test could not run, when it could not. */
  welchUnavailable: string | null;
  adjustedPValue: number | null;
  mdeRelative: number | null;
  /** Reasons the comparison cannot decide at all (too few runs, environment mismatch). */
  preconditionFailures: readonly string[];
}

export interface VerdictDecision {
  verdict: Verdict;
  reason: string;
}

/** True when |change| reaches both floors. A zero baseline median makes any nonzero change infinitely large relatively. */
export function clearsFloors(
  change: { absolute: number; relative: number | null },
  floors: { absolute: number; relative: number },
): boolean {
  const absoluteOk = Math.abs(change.absolute) >= floors.absolute;
  const relativeOk = change.relative === null ? change.absolute !== 0 : Math.abs(change.relative) >= floors.relative;
  return absoluteOk && relativeOk && change.absolute !== 0;
}

function describeChange(input: VerdictInput, absolute: number): string {
  const rel = input.change.relative === null ? 'n/a%' : percentChange(input.change.relative);
  const ci = input.change.ci95 === null ? '' : `; CI ${trim(input.change.ci95[0])}–${trim(input.change.ci95[1])}`;
  return `${rel} (${absoluteChange(absolute, input.unit)}${ci})`;
}

export function decideVerdict(input: VerdictInput): VerdictDecision {
  if (input.preconditionFailures.length > 0) {
    return { verdict: 'inconclusive', reason: input.preconditionFailures.join('; ') };
  }
  const absolute = input.change.absolute;
  if (absolute === null) {
    return { verdict: 'inconclusive', reason: 'no run-level medians to compare' };
  }
  const changeText = describeChange(input, absolute);
  const floors = floorsText(input.floors, input.unit);
  const aboveFloors = clearsFloors({ absolute, relative: input.change.relative }, input.floors);
  const mde = input.mdeRelative === null ? '' : ` (MDE ${(input.mdeRelative * 100).toFixed(1)}%)`;

  if (input.adjustedPValue === null) {
    const why = input.welchUnavailable ?? "Welch's test unavailable";
    if (!aboveFloors) return { verdict: 'unchanged', reason: `${changeText}, below floors ${floors}; ${why}` };
    return { verdict: 'inconclusive', reason: `${changeText}, above floors ${floors} but untested: ${why}` };
  }

  const p = `Welch p_adj=${pValue(input.adjustedPValue)}`;
  const alpha = String(input.alpha);
  const significant = input.adjustedPValue < input.alpha;
  if (!significant) {
    return { verdict: 'unchanged', reason: `${changeText}, ${p} ≥ ${alpha}${mde}` };
  }
  if (!aboveFloors) {
    return { verdict: 'unchanged', reason: `${changeText}, ${p} < ${alpha} but below floors ${floors}` };
  }
  if (input.welchT !== null && Math.sign(input.welchT) !== Math.sign(absolute)) {
    return {
      verdict: 'inconclusive',
      reason: `${changeText}, ${p} < ${alpha} but the means move the other way from the medians`,
    };
  }
  return {
    verdict: absolute > 0 ? 'regression' : 'improvement',
    reason: `${changeText}, ${p} < ${alpha}, above floors ${floors}`,
  };
}

/** regression if any; else inconclusive if any; else improvement if any; else unchanged. None at all is inconclusive. */
export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length === 0) return 'inconclusive';
  for (const v of ['regression', 'inconclusive', 'improvement'] as const) {
    if (verdicts.includes(v)) return v;
  }
  return 'unchanged';
}
