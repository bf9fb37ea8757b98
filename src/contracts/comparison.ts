/**
 * The comparison contract, `collector-bench/comparison@2`: what `collector-bench compare` writes as
 * JSON and what every report (terminal, Markdown, HTML) renders. @2 says which mode decided (same
 * machine A/B pairs, or history sessions), carries the interval of the change against the floor, the
 * MDE of the deciding test and a run planner, and keeps the pooled-run tests only as diagnostics.
 */
import { z } from 'zod';
import { DeliveryRecordSchema } from './result.js';
import { AgentCostMetricSchema } from './agent-cost.js';
import { DecidingMetricSchema } from './deciding-metric.js';
import { SequentialOutcomeSchema } from './sequential.js';

export const COMPARISON_SCHEMA = 'collector-bench/comparison@2' as const;

export const VerdictSchema = z.enum(['regression', 'improvement', 'unchanged', 'inconclusive']);
export type Verdict = z.infer<typeof VerdictSchema>;

/** ab: the paired runs of one A/B file decide. history: the candidate session against stored sessions. */
export const ComparisonModeSchema = z.enum(['ab', 'history']);
export type ComparisonMode = z.infer<typeof ComparisonModeSchema>;

export const SideStatsSchema = z.object({
  n: z.number().int(),
  median: z.number().nullable(),
  mean: z.number().nullable(),
  sd: z.number().nullable(),
  values: z.array(z.number()), // the run-level values (window means), in run order
});
export type SideStats = z.infer<typeof SideStatsSchema>;

export const DecidingTestSchema = z.object({
  test: z.enum(['paired-t', 'prediction-t']),
  t: z.number(),
  df: z.number(),
  pValue: z.number(),
  /** The standard error of the change the test used; the interval and the MDE use the same one. */
  standardError: z.number(),
});
export type DecidingTest = z.infer<typeof DecidingTestSchema>;

const IntervalSchema = z.object({ level: z.number(), low: z.number(), high: z.number() });

/**
 * One agent-cost metric (BPF kernel CPU, memory growth, host-CPU overhead), decided as every metric
 * is: the mode's deciding test, the report's one Holm family, `unchanged` only on equivalence.
 * The fields after `floors` were added within @2 (optional: files written before them still read).
 */
export const AgentCostComparisonSchema = z.object({
  metric: AgentCostMetricSchema,
  unit: z.enum(['percent', 'MiB/min', 'ns/event']),
  baseline: SideStatsSchema,
  candidate: SideStatsSchema,
  /** As for every metric: A/B the mean paired difference, history the candidate session minus the sessions' mean. */
  change: z.object({ absolute: z.number().nullable(), relative: z.number().nullable() }),
  /** Welch on the pooled runs: a diagnostic, never deciding. */
  welch: z.object({ t: z.number(), df: z.number(), pValue: z.number() }).nullable(),
  adjustedPValue: z.number().nullable(), // Holm across every comparison in this report
  floors: z.object({ absolute: z.number(), relative: z.number() }),
  effectiveFloor: z.number().nullable().optional(),
  decidingTest: DecidingTestSchema.nullable().optional(),
  interval: IntervalSchema.nullable().optional(),
  mde: z.number().nullable().optional(),
  mdeAbsolute: z.number().nullable().optional(),
  verdict: VerdictSchema,
  reason: z.string(),
  /** Whether this verdict entered the overall one (see `deciding`); absent in older files (then every one did). */
  decides: z.boolean().optional(),
});
export type AgentCostComparison = z.infer<typeof AgentCostComparisonSchema>;

export const MetricComparisonSchema = z.object({
  metric: z.enum(['cpuPercent', 'cpuMsPer1000Events', 'memoryBytes']),
  unit: z.enum(['percent', 'ms/1000 events', 'bytes']),
  /** Which run-level statistic was compared (each counted run's window mean). */
  statistic: z.string(),
  envKey: z.string(),
  baseline: SideStatsSchema,
  candidate: SideStatsSchema,
  change: z.object({
    absolute: z.number().nullable(), // A/B: mean paired difference; history: candidate session - mean of sessions
    relative: z.number().nullable(), // absolute / reference
    /** |baseline| that relative figures (change, interval, floor, MDE) refer to: the baseline arm's or sessions' mean. */
    reference: z.number().nullable(),
  }),
  /** The (1 - 2 alpha) interval of the absolute change: paired-mean interval (A/B) or prediction interval (history). */
  interval: IntervalSchema.nullable(),
  /** A change smaller than `effective` (the larger of absolute and relative x |baseline|) is of no interest. */
  floor: z.object({ absolute: z.number(), relative: z.number(), effective: z.number().nullable() }),
  decidingTest: DecidingTestSchema.nullable(),
  adjustedPValue: z.number().nullable(), // Holm across every comparison in this report
  /** Relative change the deciding test finds with the configured power at Holm's first-step alpha/m. */
  mde: z.number().nullable(),
  mdeAbsolute: z.number().nullable(),
  /** Runs a side (A/B: pairs) or baseline sessions (history) that would bring the MDE down to the floor. */
  planner: z
    .object({ unit: z.enum(['pairs', 'sessions']), needed: z.number().int().nullable(), text: z.string() })
    .nullable(),
  paired: z
    .object({
      pairs: z.number().int(),
      droppedPairs: z.number().int(),
      wilcoxon: z
        .object({ statistic: z.number(), pValue: z.number(), method: z.enum(['exact', 'permutation', 'asymptotic']) })
        .nullable(),
      /** Median of the per-pair ratios candidate/baseline with its bootstrap 95% interval. */
      medianRatio: z.object({ estimate: z.number(), ci95: z.tuple([z.number(), z.number()]).nullable() }).nullable(),
    })
    .nullable(),
  history: z
    .object({
      sessionValues: z.array(z.number()), // one per baseline results file: the mean of its counted runs
      candidateValue: z.number().nullable(),
      /** Coefficient of variation of the baseline sessions' values: how much sessions differ on their own. */
      sessionCv: z.number().nullable(),
    })
    .nullable(),
  /** Tests on the pooled runs of every session as if independent: shown, never deciding. */
  diagnostics: z.object({
    welch: z.object({ t: z.number(), df: z.number(), pValue: z.number() }).nullable(),
    mannWhitney: z.object({ u: z.number(), pValue: z.number(), exact: z.boolean() }).nullable(),
  }),
  verdict: VerdictSchema,
  reason: z.string(),
  /** Whether this verdict entered the overall one (see `deciding`); absent in older files (then every one did). */
  decides: z.boolean().optional(),
});
export type MetricComparison = z.infer<typeof MetricComparisonSchema>;

export { DecidingMetricSchema, type DecidingMetric } from './deciding-metric.js';

export const DecidingSchema = z.object({
  /** The CPU measure that decided: the one requested, or CPU % where no run carried the per-event figure. */
  metric: DecidingMetricSchema,
  /** What `compare.deciding` asked for. */
  requested: DecidingMetricSchema,
  /** The metrics whose verdicts formed the overall one, in report order. */
  decidedBy: z.array(z.string()),
  /** Compared and shown, in the same Holm family, but not entering the overall verdict. */
  shownOnly: z.array(z.string()),
  /**
   * Watched: its regression turns the overall verdict to regression, but its being unresolved never
   * holds back `unchanged` (memory growth: a short window cannot resolve its floor). Tested in the
   * deciding Holm family. Absent in files written before it.
   */
  watched: z.array(z.string()).default([]),
});
export type Deciding = z.infer<typeof DecidingSchema>;

export const ComparisonSchema = z.object({
  schema: z.literal(COMPARISON_SCHEMA),
  createdAt: z.string(),
  benchmark: z.string(),
  mode: ComparisonModeSchema,
  alpha: z.number(),
  minRuns: z.number().int(),
  baselineSource: z.string(), // folder path or gs:// URL, the A/B file itself, or "none"
  baselineResults: z.array(z.object({ id: z.string(), sha: z.string().nullable(), createdAt: z.string() })),
  candidate: z.object({
    file: z.string().nullable(),
    sha: z.string().nullable(),
    createdAt: z.string(),
    /** How the candidate's event delivery was checked; absent for results from before it was recorded. */
    delivery: DeliveryRecordSchema.nullable().optional(),
  }),
  /** Environments differ (kernel, method, cpus, arch): the verdicts are then inconclusive. */
  environmentMismatch: z.array(z.string()).default([]),
  /**
   * A/B mode: the pairs the A/B model left out (contracts/ab.ts), each with why, e.g. "pair 3:
   * candidate run #7 fell short of its workload target (...)". Added within @2 (older files: none).
   */
  droppedPairs: z.array(z.string()).default([]),
  /**
   * History mode: the candidate's counted runs whose workload fell well short of its target, each
   * with why; they are counted (a session has no pair to drop), and the report says so.
   */
  shortRuns: z.array(z.string()).default([]),
  /** A/B mode: how the pairs ran (both arms at once, or interleaved, with why a duet could not run); null in history mode. */
  design: z
    .object({ design: z.enum(['duet', 'interleaved']), reason: z.string().nullable() })
    .nullable()
    .optional(),
  /** Advice for the reader, e.g. that history sessions vary as much as the floors and A/B mode would decide. */
  notes: z.array(z.string()).default([]),
  metrics: z.array(MetricComparisonSchema),
  /** BPF kernel CPU, memory growth and host-CPU overhead, where both sides carry them (issue 11). */
  agentCost: z.array(AgentCostComparisonSchema).default([]),
  overall: VerdictSchema,
  /**
   * How the overall verdict was formed (stats/deciding.ts): the collector-CPU measure the config
   * chose (`compare.deciding`), the metrics whose verdicts entered it, and those shown beside them
   * but not deciding. Absent in files written before it (then every metric decided).
   */
  deciding: DecidingSchema.optional(),
  /** A budgeted A/B file: its deciding metric was decided by the group-sequential rule; where it stopped. */
  sequential: SequentialOutcomeSchema.optional(),
});
export type Comparison = z.infer<typeof ComparisonSchema>;
