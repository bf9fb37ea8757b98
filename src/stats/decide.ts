/**
 * One metric's verdict once the report's Holm family is known: the (1 - 2 alpha) interval of the
 * change, the MDE of the deciding test at Holm's first-step level, the run planner, and the
 * verdict rule of verdict.ts. The same for every metric, in either mode.
 */
import type { MetricComparison } from '../contracts/comparison.js';
import { relativeLevel, type Analysis, type Planner } from './analysis.js';
import { minimumDetectableEffect, unitsNeeded } from './mde.js';
import type { CompareOptions } from './options.js';
import { tInterval } from './prediction.js';
import { decideVerdict } from './verdict.js';

/** An analysis with its verdict: the contract's metric fields, for any metric. */
export type Decided = Omit<Analysis, 'planner'> &
  Pick<
    MetricComparison,
    'decidingTest' | 'interval' | 'adjustedPValue' | 'mde' | 'mdeAbsolute' | 'planner' | 'verdict' | 'reason'
  >;

const TEST_NAME = { 'paired-t': 'paired t', 'prediction-t': 'prediction t' } as const;

function plannerText(unit: Planner['unit'], needed: number | null): string {
  const noun = unit === 'pairs' ? 'runs a side (pairs)' : 'baseline sessions';
  if (needed === null) {
    return unit === 'pairs'
      ? `no affordable number of ${noun} would (over 1000)`
      : `no number of ${noun} would: the sessions themselves vary too much`;
  }
  return `about ${needed} ${noun} would`;
}

export function decide(
  a: Analysis,
  adjustedPValue: number | null,
  comparisons: number,
  options: CompareOptions,
): Decided {
  const test = a.test.value;
  const level = relativeLevel(a.spec, a.baselineLevel);
  const floor = a.floor.effective;
  const interval =
    test !== null && a.change.absolute !== null
      ? tInterval(a.change.absolute, test.standardError, test.df, 1 - 2 * options.alpha)
      : null;
  const mdeInput = { alpha: options.alpha, comparisons, power: options.power };
  const mdeAbsolute =
    test !== null
      ? minimumDetectableEffect({ ...mdeInput, standardError: test.standardError, df: test.df }).value
      : null;
  const needed =
    a.planner !== null && floor !== null
      ? unitsNeeded(floor, a.planner.standardErrorAt, a.planner.dfAt, mdeInput)
      : null;
  const planner =
    a.planner === null || floor === null
      ? null
      : { unit: a.planner.unit, needed, text: plannerText(a.planner.unit, needed) };
  const decision = decideVerdict({
    unit: a.spec.unit,
    alpha: options.alpha,
    preconditionFailures: a.preconditionFailures,
    change: a.change,
    baselineLevel: level,
    floor: { effective: floor },
    testName: test === null ? 'the deciding test' : TEST_NAME[test.test],
    testUnavailable: a.test.reason,
    adjustedPValue,
    interval,
    mdeAbsolute,
    plannerText: planner?.text ?? null,
  });
  return {
    ...a,
    decidingTest: test,
    interval: interval === null ? null : { level: 1 - 2 * options.alpha, low: interval[0], high: interval[1] },
    adjustedPValue,
    mdeAbsolute,
    mde: mdeAbsolute !== null && level !== null && level > 0 ? mdeAbsolute / level : null,
    planner,
    verdict: decision.verdict,
    reason: decision.reason,
  };
}
