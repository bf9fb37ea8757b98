/**
 * What one metric's analysis yields before the report's Holm family is known: the two sides, the
 * change, the floor, the deciding test and the planner's standard error. The A/B analysis
 * (paired-analysis.ts) and the history analysis (history-analysis.ts) both produce it; decide.ts
 * turns it into a verdict. Shared helpers of the two live here.
 */
import type { DecidingTest, MetricComparison, SideStats } from '../contracts/comparison.js';
import { mean, median, standardDeviation } from './descriptive.js';
import type { Floor } from './floors.js';
import { mannWhitneyU } from './mann-whitney.js';
import type { MetricSpec } from './metrics.js';
import type { StatResult } from './stat-result.js';
import { welchTTest } from './welch.js';

export interface Planner {
  unit: 'pairs' | 'sessions';
  standardErrorAt: (n: number) => number;
  dfAt: (n: number) => number;
}

/** Everything about one metric that does not depend on the rest of the report. */
export interface Analysis {
  spec: MetricSpec;
  envKey: string;
  baseline: SideStats;
  candidate: SideStats;
  change: MetricComparison['change'];
  floor: Floor & { effective: number | null };
  paired: MetricComparison['paired'];
  history: MetricComparison['history'];
  diagnostics: MetricComparison['diagnostics'];
  test: StatResult<DecidingTest>;
  /** |baseline| the floor's relative part refers to; relative figures use it only when `spec.relative`. */
  baselineLevel: number | null;
  planner: Planner | null;
  preconditionFailures: string[];
}

export function sideStats(values: readonly number[]): SideStats {
  const finite = values.filter(Number.isFinite);
  return {
    n: finite.length,
    median: finite.length > 0 ? median(finite) : null,
    mean: finite.length > 0 ? mean(finite) : null,
    sd: finite.length > 1 ? standardDeviation(finite) : null,
    values: finite,
  };
}

export function nonFinite(label: string, values: readonly number[]): string | null {
  const bad = values.map((v, i) => [v, i] as const).filter(([v]) => !Number.isFinite(v));
  if (bad.length === 0) return null;
  return `${label} has non-finite values (${bad.map(([v, i]) => `#${i + 1}: ${v}`).join(', ')})`;
}

/** The level relative figures refer to: none for a metric whose ratios mean nothing. */
export function relativeLevel(spec: MetricSpec, level: number | null): number | null {
  return spec.relative ? level : null;
}

export function changeOf(absolute: number | null, level: number | null): MetricComparison['change'] {
  return {
    absolute,
    relative: absolute !== null && level !== null && level > 0 ? absolute / level : null,
    reference: level,
  };
}

/** Tests on the pooled runs as if independent: shown, never deciding. */
export function diagnostics(
  candidate: readonly number[],
  baseline: readonly number[],
): MetricComparison['diagnostics'] {
  const w = welchTTest(candidate, baseline).value;
  return {
    welch: w === null ? null : { t: w.t, df: w.df, pValue: w.pValue },
    mannWhitney: mannWhitneyU(candidate, baseline).value,
  };
}

export function decidingTest(
  test: DecidingTest['test'],
  r: StatResult<{ t: number; df: number; pValue: number; standardError: number }>,
): StatResult<DecidingTest> {
  if (r.value === null) return { value: null, reason: r.reason };
  const { t, df, pValue, standardError } = r.value;
  return { value: { test, t, df, pValue, standardError }, reason: null };
}
