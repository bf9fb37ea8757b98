/**
 * Compares results and writes the comparison@2 contract. Two modes, chosen by the candidate file
 * (contracts/ab.ts decides what an A/B file is):
 * - A/B: the file holds both arms, run interleaved on one machine; its complete pairs decide
 *   (paired-analysis.ts). No store is needed.
 * - history: the candidate session against stored sessions (history-analysis.ts).
 * Every metric of metrics.ts (the collector's CPU, its CPU per 1,000 delivered events and memory,
 * and the agent-cost metrics: BPF kernel CPU and ns per event, memory growth, host-CPU overhead)
 * goes through the same analysis of its mode, one Holm family over the report's deciding metrics
 * (the shown-only ones in a family of their own), and the same verdict rule (decide.ts). A metric other than the collector's CPU % and memory is
 * compared only when both sides carry it (older results have none). The overall verdict reads the
 * deciding metrics' verdicts (deciding.ts, `compare.deciding`).
 */
import { abDesign, abPairs, isAbResult, type Pairing } from '../contracts/ab.js';
import { COMPARISON_SCHEMA, ComparisonSchema, type Comparison, type ComparisonMode } from '../contracts/comparison.js';
import { envKey as storeEnvKey } from '../contracts/env-key.js';
import { countedRuns, type ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import type { Analysis } from './analysis.js';
import { agentCostComparison, metricComparison } from './comparison-rows.js';
import { decide } from './decide.js';
import { decidingMetrics, overallOf, WATCHED } from './deciding.js';
import { environmentMismatches } from './environment.js';
import { analyseHistory } from './history-analysis.js';
import { holmAdjust } from './holm.js';
import { METRICS, runLevelValues, type MetricSpec } from './metrics.js';
import { designNotes, historyNotes } from './notes.js';
import { parseCompareOptions, type CompareOptions, type CompareOptionsInput } from './options.js';
import { analysePaired } from './paired-analysis.js';
import { decideSequential } from './sequential-decide.js';

export { type CompareOptionsInput } from './options.js';

/** One benchmark's inputs in a multi-benchmark report. Metadata here overrides the shared options. */
export interface ComparisonInput {
  baseline: readonly ResultFile[];
  candidate: ResultFile;
  baselineSource?: string;
  candidateFile?: string | null;
  baselineIds?: string[];
  /** The stores' grouping key of the candidate; default computed from its environment. */
  envKey?: string;
}

function resultId(result: ResultFile): string {
  return `${result.createdAt}-${result.git.sha ?? 'nosha'}`;
}

/** Whether an A/B file's two arms both have a counted run carrying the metric. */
function bothArmsCarry(result: ResultFile, spec: MetricSpec): boolean {
  const counted = countedRuns(result).filter((r) => spec.value(r) !== null);
  return counted.some((r) => r.arm === 'baseline') && counted.some((r) => r.arm === 'candidate');
}

function abAnalyses(candidate: ResultFile, pairing: Pairing, envKey: string, options: CompareOptions): Analysis[] {
  return METRICS.filter((spec) => spec.alwaysCompared || bothArmsCarry(candidate, spec)).map((spec) =>
    analysePaired(spec, pairing, envKey, options),
  );
}

/**
 * A budgeted A/B file (`--budget`): its deciding metric is decided by the sequential design it
 * recorded (sequential-decide.ts) and leaves the Holm family; the rest of the metrics stay in it.
 */
function sequentialPart(candidate: ResultFile, pairing: Pairing, analyses: Analysis[]) {
  const record = candidate.sequential;
  const at = record ? analyses.findIndex((a) => a.spec.metric === record.metric) : -1;
  if (!record || at < 0) return { analyses, sequential: null };
  return {
    analyses: analyses.filter((_, i) => i !== at),
    sequential: { at, alpha: record.alpha, ...decideSequential(analyses[at], pairing, record) },
  };
}

function historyAnalyses(
  input: ComparisonInput,
  mismatch: readonly string[],
  envKey: string,
  options: CompareOptions,
): Analysis[] {
  const { baseline, candidate } = input;
  const carried = (spec: MetricSpec) =>
    runLevelValues(baseline, spec).length > 0 && runLevelValues([candidate], spec).length > 0;
  return METRICS.filter((spec) => spec.alwaysCompared || carried(spec)).map((spec) =>
    analyseHistory(spec, baseline, candidate, mismatch, envKey, options),
  );
}

function checkSameBenchmark(input: ComparisonInput): void {
  input.baseline.forEach((b, i) => {
    if (b.benchmark !== input.candidate.benchmark) {
      throw new InvalidInputError(
        `baseline result ${input.baselineIds?.[i] ?? resultId(b)}`,
        'benchmark',
        b.benchmark,
        `"${input.candidate.benchmark}" (the candidate's benchmark)`,
      );
    }
  });
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
    const envKey = input.envKey ?? options.envKey ?? storeEnvKey(candidate.environment);
    if (mode === 'ab') {
      const where = input.candidateFile ?? options.candidateFile ?? 'candidate results';
      const pairing = abPairs(candidate, where);
      const split = sequentialPart(candidate, pairing, abAnalyses(candidate, pairing, envKey, options));
      return {
        input,
        mode,
        mismatch: [] as string[],
        ...split,
        droppedPairs: pairing.dropped,
        keptPairs: pairing.kept,
      };
    }
    checkSameBenchmark(input);
    const mismatch =
      baseline.length > 0
        ? environmentMismatches(
            baseline.map((b) => b.environment),
            candidate.environment,
          )
        : [];
    return {
      input,
      mode,
      mismatch,
      analyses: historyAnalyses(input, mismatch, envKey, options),
      sequential: null,
      droppedPairs: [] as string[],
      keptPairs: [] as string[],
    };
  });

  // Holm over the whole report, every metric of every benchmark. Comparisons that end
  // inconclusive still count in it: leaving them out would make the threshold depend on the
  // verdicts it is used to decide. The metrics that form the overall verdict make one family; those
  // only shown beside them (the per-event or rate twin that compare.deciding did not choose) make
  // their own, so showing more figures never widens the deciding metrics' intervals.
  // A budgeted file was stopped on the metric its design recorded: that one decides, whatever
  // `compare.deciding` says now (as the floor recorded with the design does).
  const decidingOf = (p: (typeof prepared)[number]) =>
    (p.sequential && p.input.candidate.sequential?.metric) || options.deciding;
  const flat = prepared.flatMap((p) => {
    const present = p.analyses.map((a) => a.spec.metric);
    if (p.sequential) present.splice(p.sequential.at, 0, p.sequential.decided.spec.metric);
    const chosen = decidingMetrics(present, decidingOf(p));
    // A watched metric's regression can still turn the verdict: it is tested with the deciding ones.
    return p.analyses.map((a) => chosen.has(a.spec.metric) || WATCHED.has(a.spec.metric));
  });
  const pValues = prepared.flatMap((p) => p.analyses.map((a) => a.test.value?.pValue ?? null));
  const adjusted: Array<number | null> = new Array(pValues.length).fill(null);
  const familySize: number[] = new Array(pValues.length).fill(1);
  for (const member of [true, false]) {
    const idx = flat.flatMap((d, i) => (d === member ? [i] : []));
    const adj = holmAdjust(idx.map((i) => pValues[i]));
    const size = Math.max(1, adj.filter((x) => x !== null).length);
    idx.forEach((i, k) => {
      adjusted[i] = adj[k];
      familySize[i] = size;
    });
  }
  // A budgeted file's deciding metric was given its share of alpha before its run (sequential-ab.ts);
  // the families share the rest. Each budgeted run fixed its share alone, so a report over several
  // budgeted files keeps alpha per file (its deciding metric and the families), not over all of them.
  const familyOptions = {
    ...options,
    alpha: options.alpha - Math.max(0, ...prepared.map((p) => p.sequential?.alpha ?? 0)),
  };
  let cursor = 0;

  return prepared.map((p) => {
    const { input, mode, mismatch, analyses, sequential, droppedPairs, keptPairs } = p;
    const decided = analyses.map((a) => {
      const i = cursor++;
      return decide(a, adjusted[i], familySize[i], familyOptions);
    });
    if (sequential) decided.splice(sequential.at, 0, sequential.decided);
    const { overall, deciding } = overallOf(
      decided.map((d) => ({ metric: d.spec.metric, verdict: d.verdict })),
      decidingOf(p),
    );
    const decides = (d: (typeof decided)[number]) =>
      deciding.decidedBy.includes(d.spec.metric) || deciding.watched.includes(d.spec.metric);
    const metrics = decided
      .filter((d) => d.spec.family === 'resource')
      .map((d) => ({ ...metricComparison(d), decides: decides(d) }));
    const agentCost = decided
      .filter((d) => d.spec.family === 'agentCost')
      .map((d) => ({ ...agentCostComparison(d), decides: decides(d) }));
    const ab = mode === 'ab';
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
      design: ab ? abDesign(input.candidate) : null,
      droppedPairs,
      shortRuns: ab
        ? []
        : countedRuns(input.candidate)
            .filter((r) => r.shortfall)
            .map((r) => `run #${r.index + 1}: ${r.shortfall!.reason}`),
      notes: ab ? [...designNotes(abDesign(input.candidate)), ...keptPairs] : historyNotes(decided),
      metrics,
      agentCost,
      overall,
      deciding,
      ...(sequential ? { sequential: sequential.outcome } : {}),
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
      '"ab" (a same-machine A/B results file, both arms interleaved in one session)',
    );
  }
  return compareResults([], result, options);
}
