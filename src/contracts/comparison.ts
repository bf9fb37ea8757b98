/**
 * The comparison contract, `collector-bench/comparison@1`: what `collector-bench compare` writes as
 * JSON and what every report (terminal, Markdown, HTML) renders.
 */
import { z } from 'zod';
import { AgentCostComparisonSchema } from './agent-cost.js';

export const COMPARISON_SCHEMA = 'collector-bench/comparison@1' as const;

export const VerdictSchema = z.enum(['regression', 'improvement', 'unchanged', 'inconclusive']);
export type Verdict = z.infer<typeof VerdictSchema>;

export const SideStatsSchema = z.object({
  n: z.number().int(),
  median: z.number().nullable(),
  mean: z.number().nullable(),
  sd: z.number().nullable(),
  values: z.array(z.number()), // the run-level values the tests used
});
export type SideStats = z.infer<typeof SideStatsSchema>;

export const MetricComparisonSchema = z.object({
  metric: z.enum(['cpuPercent', 'memoryBytes']),
  unit: z.enum(['percent', 'bytes']),
  /** Which run-level statistic was compared (the median of each run's steady state by default). */
  statistic: z.string(),
  envKey: z.string(),
  baseline: SideStatsSchema,
  candidate: SideStatsSchema,
  change: z.object({
    absolute: z.number().nullable(), // candidate median - baseline median, in the metric's unit
    relative: z.number().nullable(), // (candidate - baseline) / baseline
    ci95: z.tuple([z.number(), z.number()]).nullable(), // bootstrap 95% interval of the ratio of medians
  }),
  tests: z.object({
    welch: z.object({ t: z.number(), df: z.number(), pValue: z.number() }).nullable(),
    mannWhitney: z.object({ u: z.number(), pValue: z.number(), exact: z.boolean() }).nullable(),
  }),
  adjustedPValue: z.number().nullable(), // Holm across every comparison in this report
  mde: z.number().nullable(), // minimum detectable relative change at 80% power
  floors: z.object({ absolute: z.number(), relative: z.number() }),
  verdict: VerdictSchema,
  reason: z.string(),
});
export type MetricComparison = z.infer<typeof MetricComparisonSchema>;

export const ComparisonSchema = z.object({
  schema: z.literal(COMPARISON_SCHEMA),
  createdAt: z.string(),
  benchmark: z.string(),
  alpha: z.number(),
  minRuns: z.number().int(),
  baselineSource: z.string(), // folder path or gs:// URL, or "none"
  baselineResults: z.array(z.object({ id: z.string(), sha: z.string().nullable(), createdAt: z.string() })),
  candidate: z.object({ file: z.string().nullable(), sha: z.string().nullable(), createdAt: z.string() }),
  /** Environments differ (kernel, method, cpus, arch): the verdicts are then inconclusive. */
  environmentMismatch: z.array(z.string()).default([]),
  metrics: z.array(MetricComparisonSchema),
  /** BPF kernel CPU, memory growth and host-CPU overhead, where both sides carry them (issue 11). */
  agentCost: z.array(AgentCostComparisonSchema).default([]),
  overall: VerdictSchema,
});
export type Comparison = z.infer<typeof ComparisonSchema>;
