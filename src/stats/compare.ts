/**
 * Compares a candidate result with its baseline results and writes the comparison@1 contract.
 *
 * Run-level value: each counted run's steady-state MEDIAN (robust to the odd spike sample; the run
 * is the unit of replication). The baseline side pools the counted runs of all baseline results.
 * Per metric: Welch's t-test and Mann-Whitney U (candidate first, so t > 0 and a large U mean the
 * candidate is higher), a seeded bootstrap interval of the ratio of medians, the minimum detectable
 * effect, then Holm over the Welch p-values of EVERY metric comparison in the report, then the
 * verdict (see verdict.ts for the rules and why Welch decides).
 */
import {
  COMPARISON_SCHEMA,
  ComparisonSchema,
  type Comparison,
  type MetricComparison,
  type SideStats,
} from '../contracts/comparison.js';
import { countedRuns, type ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import { bootstrapRatioOfMedians } from './bootstrap.js';
import { mean, median, standardDeviation } from './descriptive.js';
import { envKey as storeEnvKey } from '../baseline/env-key.js';
import { environmentMismatches } from './environment.js';
import { holmAdjust } from './holm.js';
import { mannWhitneyU } from './mann-whitney.js';
import { minimumDetectableEffect } from './mde.js';
import { parseCompareOptions, type CompareOptions, type CompareOptionsInput } from './options.js';
import { decideVerdict, overallVerdict } from './verdict.js';
import { welchTTest } from './welch.js';
import { compareAgentCost } from './agent-cost.js';

export { CompareOptionsSchema, type CompareOptions, type CompareOptionsInput } from './options.js';

export type ComparedMetric = MetricComparison['metric'];

export const METRICS: readonly { metric: ComparedMetric; unit: 'percent' | 'bytes' }[] = [
  { metric: 'cpuPercent', unit: 'percent' },
  { metric: 'memoryBytes', unit: 'bytes' },
];

// Short because reports print it beside the metric: each counted run's steady-state median.
export const RUN_LEVEL_STATISTIC = 'run medians';

/** One benchmark's inputs in a multi-benchmark report. Metadata here overrides the shared options. */
export interface ComparisonInput {
  baseline: readonly ResultFile[];
  candidate: ResultFile;
  baselineSource?: string;
  candidateFile?: string | null;
  baselineIds?: string[];
  envKey?: string;
}

/** Run-level values of one metric: the steady-state median of every counted run, in run order. */
export function runLevelValues(results: readonly ResultFile[], metric: ComparedMetric): number[] {
  return results.flatMap((r) => countedRuns(r).map((run) => run.summary![metric].median));
}

export function sideStats(values: readonly number[]): SideStats {
  return {
    n: values.length,
    median: values.length > 0 ? median(values) : null,
    mean: values.length > 0 ? mean(values) : null,
    sd: values.length > 1 ? standardDeviation(values) : null,
    values: [...values],
  };
}

interface MetricAnalysis {
  comparison: Omit<MetricComparison, 'adjustedPValue' | 'verdict' | 'reason'>;
  welchUnavailable: string | null;
  preconditionFailures: string[];
}

function analyseMetric(
  metric: ComparedMetric,
  unit: 'percent' | 'bytes',
  baseline: readonly number[],
  candidate: readonly number[],
  envKey: string,
  preconditionFailures: string[],
  options: CompareOptions,
): MetricAnalysis {
  const base = sideStats(baseline);
  const cand = sideStats(candidate);
  const absolute = base.median !== null && cand.median !== null ? cand.median - base.median : null;
  const relative = absolute !== null && base.median !== 0 ? absolute / base.median! : null;
  const ci = bootstrapRatioOfMedians(baseline, candidate, {
    resamples: options.bootstrapResamples,
    seed: options.seed,
  });
  const welch = welchTTest(candidate, baseline);
  const mwu = mannWhitneyU(candidate, baseline);
  const mde =
    base.median === null
      ? null
      : minimumDetectableEffect({
          baseline,
          candidate,
          baselineMedian: base.median,
          alpha: options.alpha,
          power: options.power,
        }).value;
  const floors =
    unit === 'percent'
      ? { absolute: options.floors.cpu.absolute, relative: options.floors.cpu.relative }
      : { absolute: options.floors.memory.absoluteBytes, relative: options.floors.memory.relative };
  return {
    comparison: {
      metric,
      unit,
      statistic: RUN_LEVEL_STATISTIC,
      envKey,
      baseline: base,
      candidate: cand,
      change: { absolute, relative, ci95: ci.value },
      tests: {
        welch: welch.value === null ? null : { t: welch.value.t, df: welch.value.df, pValue: welch.value.pValue },
        mannWhitney: mwu.value,
      },
      mde: mde === null ? null : mde.relative,
      floors,
    },
    welchUnavailable: welch.reason,
    preconditionFailures,
  };
}

function resultId(result: ResultFile): string {
  return `${result.createdAt}-${result.git.sha ?? 'nosha'}`;
}

/**
 * Compares several benchmarks in one report: Holm runs over every metric comparison of every
 * benchmark together, so the chance of any false verdict in the whole report stays at alpha.
 */
export function compareResultSets(
  inputs: readonly ComparisonInput[],
  optionsInput: CompareOptionsInput = {},
): Comparison[] {
  const options = parseCompareOptions(optionsInput);
  const createdAt = options.createdAt ?? new Date().toISOString();

  const prepared = inputs.map((input) => {
    const { baseline, candidate } = input;
    baseline.forEach((b, i) => {
      if (b.benchmark !== candidate.benchmark) {
        throw new InvalidInputError(
          `baseline result ${input.baselineIds?.[i] ?? resultId(b)}`,
          'benchmark',
          b.benchmark,
          `"${candidate.benchmark}" (the candidate's benchmark)`,
        );
      }
    });
    const mismatch =
      baseline.length > 0
        ? environmentMismatches(
            baseline.map((b) => b.environment),
            candidate.environment,
          )
        : [];
    const envKey = input.envKey ?? options.envKey ?? storeEnvKey(candidate.environment); // the baseline stores' grouping, so reports and stores agree
    const analyses = METRICS.map(({ metric, unit }) => {
      const base = runLevelValues(baseline, metric);
      const cand = runLevelValues([candidate], metric);
      const failures: string[] = [];
      if (base.length < options.minRuns || cand.length < options.minRuns) {
        failures.push(
          `too few counted runs: baseline ${base.length}, candidate ${cand.length} (need ${options.minRuns} a side)`,
        );
      }
      if (mismatch.length > 0) failures.push(`environments differ (${mismatch.join('; ')})`);
      return analyseMetric(metric, unit, base, cand, envKey, failures, options);
    });
    return { input, mismatch, analyses };
  });

  // One Holm family for the whole report. Comparisons that end inconclusive still count in it:
  // leaving them out would make the threshold depend on the verdicts it is used to decide.
  const flat = prepared.flatMap((p) => p.analyses);
  const adjusted = holmAdjust(flat.map((a) => a.comparison.tests.welch?.pValue ?? null));
  let cursor = 0;

  return prepared.map(({ input, mismatch, analyses }) => {
    const metrics: MetricComparison[] = analyses.map((a) => {
      const adjustedPValue = adjusted[cursor++];
      const decision = decideVerdict({
        unit: a.comparison.unit,
        alpha: options.alpha,
        floors: a.comparison.floors,
        change: a.comparison.change,
        welchT: a.comparison.tests.welch?.t ?? null,
        welchUnavailable: a.welchUnavailable,
        adjustedPValue,
        mdeRelative: a.comparison.mde,
        preconditionFailures: a.preconditionFailures,
      });
      return { ...a.comparison, adjustedPValue, verdict: decision.verdict, reason: decision.reason };
    });
    const agentCost = compareAgentCost(input.baseline, input.candidate, {
      alpha: options.alpha,
      minRuns: options.minRuns,
      floors: { cpu: options.floors.cpu, memoryGrowthMiBPerMinute: options.floors.memoryGrowth.absoluteMiBPerMinute },
      environmentMismatch: mismatch,
    });
    const comparison: Comparison = {
      schema: COMPARISON_SCHEMA,
      createdAt,
      benchmark: input.candidate.benchmark,
      alpha: options.alpha,
      minRuns: options.minRuns,
      baselineSource: input.baselineSource ?? options.baselineSource,
      baselineResults: input.baseline.map((b, i) => ({
        id: input.baselineIds?.[i] ?? options.baselineIds?.[i] ?? resultId(b),
        sha: b.git.sha,
        createdAt: b.createdAt,
      })),
      candidate: {
        file: input.candidateFile !== undefined ? input.candidateFile : options.candidateFile,
        sha: input.candidate.git.sha,
        createdAt: input.candidate.createdAt,
      },
      environmentMismatch: mismatch,
      metrics,
      agentCost,
      overall: overallVerdict([...metrics, ...agentCost].map((m) => m.verdict)),
    };
    // Validate what we emit: the reports and the PR comment trust this contract.
    return ComparisonSchema.parse(comparison);
  });
}

/** Compares one candidate result with its baseline results (Holm over this report's metrics). */
export function compareResults(
  baseline: readonly ResultFile[],
  candidate: ResultFile,
  options: CompareOptionsInput = {},
): Comparison {
  return compareResultSets([{ baseline, candidate }], options)[0];
}
