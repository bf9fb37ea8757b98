/**
 * The verdict of one metric comparison, from numbers already computed. Three honest answers:
 * - regression / improvement: the Holm-adjusted p-value of the deciding test is below alpha AND the
 *   change is beyond the floor (the larger of the absolute floor and the relative floor x |baseline|);
 * - unchanged: only when equivalence is shown: the (1 - 2 alpha) interval of the change lies inside
 *   ±floor AND the MDE of the deciding test is within the floor (so a change of floor size would
 *   have been seen), which is what lets "unchanged" count as green;
 * - inconclusive otherwise, saying what could not be ruled out and what would settle it.
 * Nothing defaults to green: a missing number leads to inconclusive.
 */
import type { Verdict } from '../contracts/comparison.js';
import { formatAbsoluteChange, formatChange, formatMde, formatPValue, type FigureUnit } from '../contracts/figures.js';

export interface VerdictInput {
  unit: FigureUnit;
  alpha: number;
  /** Reasons the comparison cannot decide at all (too few runs, environments differ, non-finite values). */
  preconditionFailures: readonly string[];
  change: { absolute: number | null; relative: number | null };
  /** |baseline| that relative figures refer to; null words every figure in the metric's unit. */
  baselineLevel: number | null;
  floor: { effective: number | null };
  /** The deciding test, or why it could not run. */
  testName: string;
  testUnavailable: string | null;
  adjustedPValue: number | null;
  /** (1 - 2 alpha) interval of the absolute change. */
  interval: [number, number] | null;
  mdeAbsolute: number | null;
  /** e.g. "about 14 runs a side would"; null when no number of runs would. */
  plannerText: string | null;
}

export interface VerdictDecision {
  verdict: Verdict;
  reason: string;
}

function relativeOf(value: number, level: number | null): number | null {
  return level !== null && level > 0 ? value / level : null;
}

function sizeText(value: number, input: VerdictInput): string {
  const rel = relativeOf(value, input.baselineLevel);
  return rel === null ? formatAbsoluteChange(input.unit, value).replace(/^\+/, '±') : formatMde(rel);
}

export function decideVerdict(input: VerdictInput): VerdictDecision {
  if (input.preconditionFailures.length > 0) {
    return { verdict: 'inconclusive', reason: input.preconditionFailures.join('; ') };
  }
  const absolute = input.change.absolute;
  const floor = input.floor.effective;
  if (absolute === null || floor === null) {
    return { verdict: 'inconclusive', reason: 'no run-level values to compare' };
  }
  // A metric without relative figures (a slope near zero) is worded in its own unit alone.
  const changeText =
    input.change.relative === null
      ? formatAbsoluteChange(input.unit, absolute)
      : `${formatChange(input.change.relative)} (${formatAbsoluteChange(input.unit, absolute)})`;
  const floorText = sizeText(floor, input);
  if (input.adjustedPValue === null || input.testUnavailable !== null) {
    return {
      verdict: 'inconclusive',
      reason: `${changeText}; ${input.testUnavailable ?? `${input.testName} unavailable`}`,
    };
  }
  const p = `${input.testName} p_adj=${formatPValue(input.adjustedPValue)}`;
  const significant = input.adjustedPValue < input.alpha;
  const beyondFloor = Math.abs(absolute) > floor;
  if (significant && beyondFloor) {
    return {
      verdict: absolute > 0 ? 'regression' : 'improvement',
      reason: `${changeText}, ${p} < ${input.alpha}, beyond the floor ${floorText}`,
    };
  }
  const inside = input.interval !== null && input.interval[0] >= -floor && input.interval[1] <= floor;
  const mdeWithin = input.mdeAbsolute !== null && input.mdeAbsolute <= floor;
  const mde =
    input.mdeAbsolute === null ? 'MDE —' : `MDE ${formatMde(relativeOf(input.mdeAbsolute, input.baselineLevel))}`;
  if (inside && mdeWithin) {
    return {
      verdict: 'unchanged',
      reason: `${changeText}, ${p}; interval and ${mde} inside the floor ${floorText}`,
    };
  }
  // What could not be ruled out: the farther end of the interval, or the MDE when that is larger.
  const reach = Math.max(
    input.interval === null ? 0 : Math.max(Math.abs(input.interval[0]), Math.abs(input.interval[1])),
    input.mdeAbsolute ?? 0,
  );
  const why = significant ? `${p} < ${input.alpha} but within the floor ${floorText}` : `${p}`;
  const plan = input.plannerText ?? 'no affordable number of runs would';
  return {
    verdict: 'inconclusive',
    reason: `${changeText}, ${why}; could not rule out a change of ${sizeText(reach, input)} (floor ${floorText}); ${plan}`,
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
