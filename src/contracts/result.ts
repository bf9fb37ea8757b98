/**
 * The results file contract, `collector-bench/result@2`. Other tools (the comparison, the baseline
 * stores, people's notebooks) read these files, so changes here must stay backward compatible or
 * bump the schema version. @2 adds same-machine A/B files (`mode: "ab"`, runs tagged with `arm` and
 * `pair`) and the run's window mean; `result@1` files still parse, upgraded on read to the @2 shape.
 */
import { z } from 'zod';
import { BpfCostSchema, MemoryGrowthSchema, OverheadSchema } from './agent-cost.js';

export const RESULT_SCHEMA = 'collector-bench/result@2' as const;
/** Versions this code reads; everything it writes is RESULT_SCHEMA. */
export const READABLE_RESULT_SCHEMAS = ['collector-bench/result@1', RESULT_SCHEMA] as const;

/** One sample of the collector's resource use. `t` is milliseconds since the run's load window began (negative during warm-up). */
export const SampleSchema = z.object({
  t: z.number(),
  cpuPercent: z.number(), // percent of ONE core (200 = two cores busy)
  memoryBytes: z.number(), // working set: usage minus inactive file cache
  rssBytes: z.number().optional(),
});
export type Sample = z.infer<typeof SampleSchema>;

export const MetricSummarySchema = z.object({
  mean: z.number(),
  median: z.number(),
  p95: z.number(),
  max: z.number(),
  n: z.number().int(),
  /**
   * The run-level value every comparison tests: CPU time over the steady window divided by its wall
   * time, or the time-weighted mean working set. Absent in result@1 files and then read as `mean`.
   */
  windowMean: z.number().optional(),
});
export type MetricSummary = z.infer<typeof MetricSummarySchema>;

/** Summary of one run's steady state (samples inside the load window, after warm-up). */
export const RunSummarySchema = z.object({
  cpuPercent: MetricSummarySchema,
  memoryBytes: MetricSummarySchema,
  rssBytes: MetricSummarySchema.optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const WorkloadReportSchema = z.object({
  name: z.string(), // file stem, e.g. "processes"
  type: z.string(), // processes | endpoints | network | syscalls
  /** The generator's closing JSON line: achieved counts and rates. Null when the generator printed none. */
  achieved: z.record(z.string(), z.unknown()).nullable(),
  exitCode: z.number().int().nullable(),
  /** CPU of this workload's own cgroup over the load window (docker runtime), percent of one core. */
  cpuPercent: z.number().nullable().optional(),
});
export type WorkloadReport = z.infer<typeof WorkloadReportSchema>;

export const ARMS = ['baseline', 'candidate'] as const;
export const ArmSchema = z.enum(ARMS);
export type Arm = z.infer<typeof ArmSchema>;

export const RunSchema = z.object({
  index: z.number().int(), // 0-based, warm-up runs included; in an A/B file the slot in time order
  /** A/B files only: which arm this run measured, and its pair (1-based; null on warm-up runs). */
  arm: ArmSchema.optional(),
  pair: z.number().int().min(1).nullable().optional(),
  warmupRun: z.boolean().default(false), // a discarded cold-start run: not used in comparisons
  startedAt: z.string(),
  timeToReadyMs: z.number().nullable(),
  loadWindow: z.object({ startMs: z.number(), endMs: z.number() }), // epoch ms
  samples: z.array(SampleSchema),
  summary: RunSummarySchema.nullable(), // null when the run has no steady-state samples
  workloads: z.array(WorkloadReportSchema),
  /** Deltas of the collector's Prometheus counters over the load window, e.g. { events: 1234, drops: 0 }. */
  collectorMetrics: z.record(z.string(), z.number()).default({}),
  /** Host and workload context, sampled beside the collector. */
  context: z
    .object({
      hostCpuPercent: z.number().nullable().optional(),
      workloadCpuPercent: z.number().nullable().optional(),
    })
    .default({}),
  /** Issue 3 fields: event latency of the canary exec, and process signal loss. */
  canaryLatencyMs: z.number().nullable().optional(),
  processLoss: z
    .object({ spawned: z.number(), received: z.number(), lossRatio: z.number().nullable() })
    .nullable()
    .optional(),
  valid: z.boolean(),
  invalidReason: z.string().nullable().default(null),
  collectorExitCode: z.number().int().nullable().default(null),
  logsFile: z.string().nullable().optional(),
  diagnosticBundle: z.string().nullable().optional(),
  /** A run with no collector at all (`--overhead`): the workloads alone, the neighbour of a measured run. */
  noAgent: z.boolean().optional(),
  bpf: BpfCostSchema.nullable().optional(),
  memoryGrowth: MemoryGrowthSchema.nullable().optional(),
  overhead: OverheadSchema.nullable().optional(),
});
export type Run = z.infer<typeof RunSchema>;

export const EnvironmentSchema = z.object({
  kernel: z.string(), // uname -r
  os: z.string(),
  cpuModel: z.string(),
  cpus: z.number().int(),
  memoryBytes: z.number(),
  arch: z.string(),
  runtime: z.object({ kind: z.enum(['docker', 'process']), version: z.string() }),
  collectionMethod: z.string(), // core_bpf | procfs | whatever the collector under test reports
  collectorImage: z.string().nullable(),
  collectorImageId: z.string().nullable(),
  cgroupVersion: z.enum(['v1', 'v2', 'none']).optional(),
});
export type Environment = z.infer<typeof EnvironmentSchema>;

export const GitInfoSchema = z.object({
  sha: z.string().nullable(),
  ref: z.string().nullable(),
  pr: z.number().int().nullable(),
});
export type GitInfo = z.infer<typeof GitInfoSchema>;

/** What one arm of an A/B file ran: its image (docker) or command (process runtime) and extra env. */
export const ArmInfoSchema = z.object({
  label: z.string(),
  image: z.string().nullable(),
  imageId: z.string().nullable(),
  command: z.string().nullable(),
  env: z.record(z.string(), z.string()).default({}),
});
export type ArmInfo = z.infer<typeof ArmInfoSchema>;

export const ResultModeSchema = z.enum(['single', 'ab']);

export const ResultFileSchema = z.object({
  schema: z.enum(READABLE_RESULT_SCHEMAS).transform(() => RESULT_SCHEMA),
  /** "ab": both arms' runs interleaved in this one file (see `arm`, `pair`); absent or "single": one build. */
  mode: ResultModeSchema.optional(),
  arms: z.object({ baseline: ArmInfoSchema, candidate: ArmInfoSchema }).optional(),
  benchmark: z.string(),
  createdAt: z.string(),
  git: GitInfoSchema,
  environment: EnvironmentSchema,
  config: z.record(z.string(), z.unknown()), // the resolved config that produced this file
  runs: z.array(RunSchema),
  complete: z.boolean().default(true), // false while a benchmark is still writing runs or was interrupted
});
export type ResultFile = z.infer<typeof ResultFileSchema>;

/** Runs that count in a comparison: valid, not warm-up, with a summary. */
export function countedRuns(result: ResultFile): Run[] {
  return result.runs.filter((r) => r.valid && !r.warmupRun && !r.noAgent && r.summary !== null);
}

export function isAbResult(result: ResultFile): boolean {
  return result.mode === 'ab';
}

/** The run-level value of one metric: the window mean, or for files without it the steady-state sample mean. */
export function runValue(run: Run, metric: 'cpuPercent' | 'memoryBytes'): number {
  const s = run.summary![metric];
  return s.windowMean ?? s.mean;
}
