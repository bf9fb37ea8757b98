/**
 * Compares results and writes the comparison@2 contract. Two modes, chosen by the candidate file:
 * - A/B (`mode: "ab"`): the file holds both arms, run interleaved on one machine. The paired t-test
 *   on adjacent runs decides; Wilcoxon's signed-rank test and a bootstrap interval of the median
 *   paired ratio are shown beside it. No store is needed.
 * - history: the candidate session against stored sessions. The unit is the session (one results
 *   file, value = mean of its counted runs), tested with the prediction t-test; Welch and
 *   Mann-Whitney on the pooled runs stay in the JSON as labelled diagnostics, never deciding.
 * The run-level value is each counted run's window mean. Holm runs over the deciding p-values of
 * EVERY metric comparison in the report; the MDE is the deciding test's at Holm's first-step level.
 */
import {
  COMPARISON_SCHEMA,
  ComparisonSchema,
  type Comparison,
  type ComparisonMode,
  type DecidingTest,
  type MetricComparison,
  type SideStats,
} from '../contracts/comparison.js';
import { abPairs, armResult, isAbResult, type Arm, type RunPair } from '../contracts/ab.js';
import { countedRuns, type ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import { envKey as storeEnvKey } from '../baseline/env-key.js';
import { formatMde } from '../report/format.js';
import { bootstrapMedianPairedRatio } from './bootstrap.js';
import { coefficientOfVariation, mean, median, standardDeviation } from './descriptive.js';
import { environmentMismatches } from './environment.js';
import { holmAdjust } from './holm.js';
import { mannWhitneyU } from './mann-whitney.js';
import { minimumDetectableEffect, unitsNeeded } from './mde.js';
import { parseCompareOptions, type CompareOptions, type CompareOptionsInput } from './options.js';
import { pairedDifferences, pairedTTest } from './paired-t.js';
import { predictionTest, tInterval } from './prediction.js';
import type { StatResult } from './stat-result.js';
import { decideVerdict, overallVerdict } from './verdict.js';
import { welchTTest } from './welch.js';
import { wilcoxonSignedRank } from './wilcoxon.js';
import { compareAgentCost } from './agent-cost.js';

export { CompareOptionsSchema, type CompareOptions, type CompareOptionsInput } from './options.js';

export type ComparedMetric = MetricComparison['metric'];

export const METRICS: readonly { metric: ComparedMetric; unit: 'percent' | 'bytes' }[] = [
  { metric: 'cpuPercent', unit: 'percent' },
  { metric: 'memoryBytes', unit: 'bytes' },
];

// Short because reports print it beside the metric: each counted run's window mean.
export const RUN_LEVEL_STATISTIC = 'run window means';

/** One benchmark's inputs in a multi-benchmark report. Metadata here overrides the shared options. */
export interface ComparisonInput {
  baseline: readonly ResultFile[];
  candidate: ResultFile;
  baselineSource?: string;
  candidateFile?: string | null;
  baselineIds?: string[];
  envKey?: string;
}

/** Run-level values of one metric: the window mean of every counted run, in run order. */
export function runLevelValues(results: readonly ResultFile[], metric: ComparedMetric): number[] {
  return results.flatMap((r) => countedRuns(r).map((run) => run.summary![metric].windowMean));
}

/** One session's value: the mean of its counted runs' values; null without counted runs. */
export function sessionValue(result: ResultFile, metric: ComparedMetric): number | null {
  const values = runLevelValues([result], metric);
  return values.length > 0 ? mean(values) : null;
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

function nonFinite(label: string, values: readonly number[]): string | null {
  const bad = values.map((v, i) => [v, i] as const).filter(([v]) => !Number.isFinite(v));
  if (bad.length === 0) return null;
  return `${label} has non-finite values (${bad.map(([v, i]) => `#${i + 1}: ${v}`).join(', ')})`;
}

interface Planner {
  unit: 'pairs' | 'sessions';
  standardErrorAt: (n: number) => number;
  dfAt: (n: number) => number;
}

/** Everything about one metric that does not depend on the rest of the report. */
interface Analysis {
  partial: Omit<
    MetricComparison,
    'adjustedPValue' | 'mde' | 'mdeAbsolute' | 'planner' | 'verdict' | 'reason' | 'decidingTest' | 'interval'
  >;
  test: StatResult<DecidingTest>;
  baselineLevel: number | null;
  planner: Planner | null;
  preconditionFailures: string[];
}

function floorsFor(unit: 'percent' | 'bytes', options: CompareOptions) {
  return unit === 'percent'
    ? { absolute: options.floors.cpu.absolute, relative: options.floors.cpu.relative }
    : { absolute: options.floors.memory.absoluteBytes, relative: options.floors.memory.relative };
}

function effectiveFloor(floors: { absolute: number; relative: number }, level: number | null): number | null {
  return level === null ? null : Math.max(floors.absolute, floors.relative * level);
}

function changeOf(absolute: number | null, level: number | null) {
  return {
    absolute,
    relative: absolute !== null && level !== null && level > 0 ? absolute / level : null,
    reference: level,
  };
}

function diagnostics(candidate: readonly number[], baseline: readonly number[]): MetricComparison['diagnostics'] {
  const w = welchTTest(candidate, baseline).value;
  return {
    welch: w === null ? null : { t: w.t, df: w.df, pValue: w.pValue },
    mannWhitney: mannWhitneyU(candidate, baseline).value,
  };
}

function decidingTest(
  test: DecidingTest['test'],
  r: StatResult<{ t: number; df: number; pValue: number; standardError: number }>,
): StatResult<DecidingTest> {
  if (r.value === null) return { value: null, reason: r.reason };
  const { t, df, pValue, standardError } = r.value;
  return { value: { test, t, df, pValue, standardError }, reason: null };
}

function pairValues(pairs: readonly RunPair[], metric: ComparedMetric) {
  return {
    baseline: pairs.map((p) => p.baseline.summary![metric].windowMean),
    candidate: pairs.map((p) => p.candidate.summary![metric].windowMean),
  };
}

function where(input: ComparisonInput, options: CompareOptions): string {
  return input.candidateFile ?? options.candidateFile ?? 'candidate results';
}

function analysePaired(
  metric: ComparedMetric,
  unit: 'percent' | 'bytes',
  result: ResultFile,
  where: string,
  envKey: string,
  options: CompareOptions,
): Analysis {
  const { pairs, dropped } = abPairs(result, where);
  const { baseline, candidate } = pairValues(pairs, metric);
  const failures: string[] = [];
  for (const bad of [nonFinite('baseline arm', baseline), nonFinite('candidate arm', candidate)]) {
    if (bad) failures.push(bad);
  }
  if (pairs.length < options.minRuns) {
    failures.push(
      `too few complete pairs: ${pairs.length} (need ${options.minRuns})` +
        (dropped.length > 0 ? `; dropped ${dropped.join('; ')}` : ''),
    );
  }
  const clean = failures.length === 0;
  const level = clean && pairs.length > 0 ? Math.abs(mean(baseline)) : null;
  const floors = floorsFor(unit, options);
  const t = clean ? pairedTTest(candidate, baseline) : pairedTTest([], []);
  const d = clean ? pairedDifferences(candidate, baseline) : [];
  const sdD = d.length > 1 ? standardDeviation(d) : Number.NaN;
  const ratio = clean
    ? bootstrapMedianPairedRatio(baseline, candidate, { resamples: options.bootstrapResamples, seed: options.seed })
    : null;
  const wilcoxon = clean ? wilcoxonSignedRank(candidate, baseline).value : null;
  return {
    partial: {
      metric,
      unit,
      statistic: RUN_LEVEL_STATISTIC,
      envKey,
      baseline: sideStats(baseline),
      candidate: sideStats(candidate),
      change: changeOf(d.length > 0 ? mean(d) : null, level),
      floor: { ...floors, effective: effectiveFloor(floors, level) },
      paired: {
        pairs: pairs.length,
        droppedPairs: dropped.length,
        wilcoxon,
        medianRatio: ratio?.value ?? null,
      },
      history: null,
      diagnostics: clean ? diagnostics(candidate, baseline) : { welch: null, mannWhitney: null },
    },
    test: decidingTest('paired-t', t),
    baselineLevel: level,
    planner:
      Number.isFinite(sdD) && sdD > 0
        ? { unit: 'pairs', standardErrorAt: (n) => sdD / Math.sqrt(n), dfAt: (n) => n - 1 }
        : null,
    preconditionFailures: failures,
  };
}

function analyseHistory(
  metric: ComparedMetric,
  unit: 'percent' | 'bytes',
  baselineFiles: readonly ResultFile[],
  candidateFile: ResultFile,
  mismatch: readonly string[],
  envKey: string,
  options: CompareOptions,
): Analysis {
  const pooledBase = runLevelValues(baselineFiles, metric);
  const pooledCand = runLevelValues([candidateFile], metric);
  const failures: string[] = [];
  for (const bad of [nonFinite('baseline runs', pooledBase), nonFinite('candidate runs', pooledCand)]) {
    if (bad) failures.push(bad);
  }
  if (pooledCand.length < options.minRuns) {
    failures.push(`too few counted candidate runs: ${pooledCand.length} (need ${options.minRuns})`);
  }
  if (mismatch.length > 0) failures.push(`environments differ (${mismatch.join('; ')})`);
  const sessions = baselineFiles.map((f) => sessionValue(f, metric)).filter((v): v is number => v !== null);
  const candidate = sessionValue(candidateFile, metric);
  const clean = failures.length === 0 && candidate !== null && sessions.every(Number.isFinite);
  const level = clean && sessions.length > 0 ? Math.abs(mean(sessions)) : null;
  const floors = floorsFor(unit, options);
  const t = clean ? predictionTest(sessions, candidate) : predictionTest([], Number.NaN);
  const sdB = sessions.length > 1 ? standardDeviation(sessions) : Number.NaN;
  const cv = clean ? coefficientOfVariation(sessions) : Number.NaN;
  return {
    partial: {
      metric,
      unit,
      statistic: RUN_LEVEL_STATISTIC,
      envKey,
      baseline: sideStats(pooledBase),
      candidate: sideStats(pooledCand),
      change: changeOf(clean && sessions.length > 0 ? candidate - mean(sessions) : null, level),
      floor: { ...floors, effective: effectiveFloor(floors, level) },
      paired: null,
      history: {
        sessionValues: sessions.filter(Number.isFinite),
        candidateValue: candidate !== null && Number.isFinite(candidate) ? candidate : null,
        sessionCv: Number.isFinite(cv) ? cv : null,
      },
      diagnostics: clean ? diagnostics(pooledCand, pooledBase) : { welch: null, mannWhitney: null },
    },
    test: decidingTest('prediction-t', t),
    baselineLevel: level,
    planner:
      Number.isFinite(sdB) && sdB > 0
        ? { unit: 'sessions', standardErrorAt: (k) => sdB * Math.sqrt(1 + 1 / k), dfAt: (k) => k - 1 }
        : null,
    preconditionFailures: failures,
  };
}

const TEST_NAME: Record<DecidingTest['test'], string> = { 'paired-t': 'paired t', 'prediction-t': 'prediction t' };

function plannerText(unit: Planner['unit'], needed: number | null): string {
  const noun = unit === 'pairs' ? 'runs a side (pairs)' : 'baseline sessions';
  if (needed === null) {
    return unit === 'pairs'
      ? `no affordable number of ${noun} would (over 1000)`
      : `no number of ${noun} would: the sessions themselves vary too much`;
  }
  return `about ${needed} ${noun} would`;
}

function finish(
  a: Analysis,
  adjustedPValue: number | null,
  comparisons: number,
  options: CompareOptions,
): MetricComparison {
  const test = a.test.value;
  const level = a.baselineLevel;
  const floor = a.partial.floor.effective;
  const interval =
    test !== null && a.partial.change.absolute !== null
      ? tInterval(a.partial.change.absolute, test.standardError, test.df, 1 - 2 * options.alpha)
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
    unit: a.partial.unit,
    alpha: options.alpha,
    preconditionFailures: a.preconditionFailures,
    change: a.partial.change,
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
    ...a.partial,
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

/** The note a history report carries when sessions alone vary as much as the floor. */
function historyNotes(metrics: readonly MetricComparison[]): string[] {
  const notes: string[] = [];
  for (const m of metrics) {
    const cv = m.history?.sessionCv;
    const floor = m.floor.effective;
    if (cv === null || cv === undefined || floor === null || m.mdeAbsolute === null || m.mdeAbsolute <= floor) continue;
    notes.push(
      `${m.metric === 'cpuPercent' ? 'CPU' : 'Memory'}: the baseline sessions themselves vary by ${(cv * 100).toFixed(1)}% ` +
        `(MDE ${formatMde(m.mde)} against a floor of ${formatMde(floor / (m.baseline.mean ?? floor))}); ` +
        `history mode cannot decide at that spread. Use the same-machine A/B mode ` +
        `(collector-bench run --baseline-image A --candidate-image B) for a verdict.`,
    );
  }
  return notes;
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
    const mode: ComparisonMode = isAbResult(candidate) ? 'ab' : 'history';
    const file = where(input, options);
    const envKey = input.envKey ?? options.envKey ?? storeEnvKey(candidate.environment); // the stores' grouping
    if (mode === 'ab') {
      const analyses = METRICS.map(({ metric, unit }) => analysePaired(metric, unit, candidate, file, envKey, options));
      return { input, mode, mismatch: [] as string[], analyses };
    }
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
    const analyses = METRICS.map(({ metric, unit }) =>
      analyseHistory(metric, unit, baseline, candidate, mismatch, envKey, options),
    );
    return { input, mode, mismatch, analyses };
  });

  // One Holm family for the whole report. Comparisons that end inconclusive still count in it:
  // leaving them out would make the threshold depend on the verdicts it is used to decide.
  const flat = prepared.flatMap((p) => p.analyses);
  const adjusted = holmAdjust(flat.map((a) => a.test.value?.pValue ?? null));
  const family = Math.max(1, adjusted.filter((p) => p !== null).length);
  let cursor = 0;

  return prepared.map(({ input, mode, mismatch, analyses }) => {
    const metrics = analyses.map((a) => finish(a, adjusted[cursor++], family, options));
    const ab = mode === 'ab';
    // A/B: the file's own arms are the two sides; history: the stored results against the candidate.
    const armOf = (arm: Arm) => armResult(input.candidate, arm, 'all-runs', where(input, options));
    const agentCost = compareAgentCost(
      ab ? [armOf('baseline')] : input.baseline,
      ab ? armOf('candidate') : input.candidate,
      {
        alpha: options.alpha,
        minRuns: options.minRuns,
        floors: { cpu: options.floors.cpu, memoryGrowthMiBPerMinute: options.floors.memoryGrowth.absoluteMiBPerMinute },
        environmentMismatch: mismatch,
      },
    );
    const comparison: Comparison = {
      schema: COMPARISON_SCHEMA,
      createdAt,
      benchmark: input.candidate.benchmark,
      mode,
      alpha: options.alpha,
      minRuns: options.minRuns,
      baselineSource: ab ? 'baseline arm of the A/B file' : (input.baselineSource ?? options.baselineSource),
      baselineResults: ab
        ? []
        : input.baseline.map((b, i) => ({
            id: input.baselineIds?.[i] ?? options.baselineIds?.[i] ?? resultId(b),
            sha: b.git.sha,
            createdAt: b.createdAt,
          })),
      candidate: {
        file: input.candidateFile !== undefined ? input.candidateFile : options.candidateFile,
        sha: input.candidate.git.sha,
        createdAt: input.candidate.createdAt,
        delivery: input.candidate.delivery ?? null,
      },
      environmentMismatch: mismatch,
      notes: ab ? [] : historyNotes(metrics),
      metrics,
      agentCost,
      overall: overallVerdict([...metrics, ...agentCost].map((m) => m.verdict)),
    };
    // Validate what we emit: the reports and the PR comment trust this contract.
    return ComparisonSchema.parse(comparison);
  });
}

/**
 * Compares one candidate with its baseline results (Holm over this report's metrics). An A/B
 * candidate file is compared with itself (its baseline arm); `baseline` is then ignored.
 */
export function compareResults(
  baseline: readonly ResultFile[],
  candidate: ResultFile,
  options: CompareOptionsInput = {},
): Comparison {
  return compareResultSets([{ baseline, candidate }], options)[0];
}

/** The paired analysis of one A/B results file, with no store. */
export function comparePaired(result: ResultFile, options: CompareOptionsInput = {}): Comparison {
  if (!isAbResult(result)) {
    throw new InvalidInputError(
      options.candidateFile ?? 'results file',
      'mode',
      result.mode ?? 'single',
      '"ab" (a file written by `collector-bench run --baseline-image X --candidate-image Y`)',
    );
  }
  return compareResults([], result, options);
}
