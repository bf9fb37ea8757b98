/**
 * The results file contract, `collector-bench/result@2`. Other tools (the comparison, the baseline
 * stores, people's notebooks) read these files, so changes here must stay backward compatible or
 * bump the schema version. @2 added the run-level `windowMean` to each run summary; result@1 files are still read (src/contracts/result-v1.ts, upgraded on reading).
 */
import { z } from 'zod';
import { quantity } from './quantity.js';
import { BpfCostSchema, EventCostSchema, MemoryGrowthSchema, OverheadSchema } from './agent-cost.js';
import { SequentialRecordSchema } from './sequential.js';

/**
 * Bounds a results file must keep whoever wrote it (a pull request's job writes the files the
 * report workflow reads): every number is finite (`1e999` parses to Infinity, which JSON cannot
 * store), and counts stay in a range a real benchmark reaches, so a crafted file cannot make the
 * reader allocate without bound or file results under an absurd environment key.
 */
export const RESULT_LIMITS = {
  /** Samples one run may hold: a one-hour load window at 10 Hz is 36,000. */
  samplesPerRun: 100_000,
  /** Runs one file may hold, warm-ups and both A/B arms included. */
  runs: 1_000,
  /** Cores of the machine. */
  cpus: 4_096,
  /** Memory of the machine, bytes (64 TiB). */
  memoryBytes: 2 ** 46,
} as const;

/** An ISO 8601 date-time that Date can hold and print (year 275760 parses and then cannot be printed). */
const isoDateTime = z
  .string()
  .max(40)
  .refine((s) => {
    const ms = Date.parse(s);
    return Number.isFinite(ms) && ms >= Date.UTC(1970, 0, 1) && ms < Date.UTC(10000, 0, 1);
  }, 'an ISO 8601 date-time between 1970 and 9999');

export const RESULT_SCHEMA = 'collector-bench/result@2' as const;

/** One sample of the collector's resource use. `t` is milliseconds since the run's load window began (negative during warm-up). */
export const SampleSchema = z.object({
  t: quantity(),
  cpuPercent: quantity(), // percent of ONE core (200 = two cores busy)
  memoryBytes: quantity(), // working set: usage minus inactive file cache
  rssBytes: quantity().optional(),
  /** The source's cumulative CPU counter at this reading, ns (absent in result@1 files): the window mean can be checked against it. */
  cpuNs: quantity().optional(),
});
export type Sample = z.infer<typeof SampleSchema>;

/** Per-sample statistics of a run's steady window: diagnostics beside the run-level value. */
export const SampleStatsSchema = z.object({
  mean: quantity(), // unweighted mean of the samples
  median: quantity(),
  p95: quantity(),
  max: quantity(),
  n: quantity().int(),
});
export type SampleStats = z.infer<typeof SampleStatsSchema>;

/**
 * `windowMean` is the run-level value the comparison tests: the steady window's mean (CPU: CPU
 * time consumed over the window / its wall time; memory: the time-weighted mean working set).
 */
export const MetricSummarySchema = SampleStatsSchema.extend({ windowMean: quantity() });
export type MetricSummary = z.infer<typeof MetricSummarySchema>;

/** Memory also keeps the working set at the window's end (a leak shows as end > windowMean). */
export const MemorySummarySchema = MetricSummarySchema.extend({ end: quantity() });
export type MemorySummary = z.infer<typeof MemorySummarySchema>;

/**
 * Summary of one run's steady window: the load window minus its ramp-up (`rampMs`, the workloads
 * starting) and its last second. `fromMs`/`toMs` are the sample times that bound the intervals
 * actually averaged (ms since the load window began).
 */
export const RunSummarySchema = z.object({
  window: z.object({ fromMs: quantity(), toMs: quantity(), rampMs: quantity() }),
  cpuPercent: MetricSummarySchema,
  memoryBytes: MemorySummarySchema,
  rssBytes: MemorySummarySchema.optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const WorkloadReportSchema = z.object({
  name: z.string(), // file stem, e.g. "processes"
  type: z.string(), // processes | endpoints | network | syscalls
  /** The generator's closing JSON line: achieved counts and rates. Null when the generator printed none. */
  achieved: z.record(z.string(), z.unknown()).nullable(),
  exitCode: quantity().int().nullable(),
  /** CPU of this workload's own cgroup over the load window (docker runtime), percent of one core. */
  cpuPercent: quantity().nullable().optional(),
});
export type WorkloadReport = z.infer<typeof WorkloadReportSchema>;

/**
 * How the agent's output lines arrived during a run checked by its log (collector.delivery via log),
 * from ready to the closing canary (the rule: src/run/delivery/output-buffering.ts).
 * `blockBuffered`: they came in regular bursts, the flushes of a stdio buffer, so the run's canary
 * latency (and a readiness by log line) measured that buffer, not delivery.
 */
export const OutputBufferingSchema = z.object({
  lines: quantity().int(),
  /** Instants at which many lines arrived together. */
  bursts: quantity().int(),
  linesInBursts: quantity().int(),
  /** The median size of a burst in bytes (a block-buffered agent's buffer size, give or take a line). */
  burstBytes: quantity().nullable(),
  blockBuffered: z.boolean(),
});
export type OutputBuffering = z.infer<typeof OutputBufferingSchema>;

/**
 * A run whose workloads reached well below their target (the rule: src/workloads/reach.ts): the
 * lowest reach (spawned / drawn arrivals, or achieved / target rate) and, per short workload, why.
 * Such a run measured a lighter load than its pair, so the A/B model drops its pair.
 */
export const ShortfallSchema = z.object({
  ratio: quantity().nullable(),
  reason: z.string(),
});

/**
 * The harness's own CPU a run may use, percent of one core (issue 18's goal at 400 execs/s): the
 * harness (mock sensor, samplers) shares the cores with the agent, so more than this is noise on
 * the agent's figures, and the run table flags it.
 */
export const HARNESS_CPU_BUDGET_PERCENT = 3;

export const RunSchema = z.object({
  index: quantity().int(), // 0-based, warm-up runs included
  warmupRun: z.boolean().default(false), // a discarded cold-start run: not used in comparisons
  startedAt: z.string(),
  timeToReadyMs: quantity().nullable(),
  loadWindow: z.object({ startMs: quantity(), endMs: quantity() }), // epoch ms
  samples: z.array(SampleSchema).max(RESULT_LIMITS.samplesPerRun),
  summary: RunSummarySchema.nullable(), // null when the run has no steady-state samples
  workloads: z.array(WorkloadReportSchema),
  /** Deltas of the collector's Prometheus counters over the load window, e.g. { events: 1234, drops: 0 }. */
  collectorMetrics: z.record(z.string(), quantity()).default({}),
  /** Host and workload context, sampled beside the collector. */
  context: z
    .object({
      hostCpuPercent: quantity().nullable().optional(),
      workloadCpuPercent: quantity().nullable().optional(),
      /** The harness's own process over the load window (mock sensor, samplers), percent of one core. */
      harnessCpuPercent: quantity().nullable().optional(),
    })
    .default({}),
  /** The workloads' reach: null when every workload with a target reached it; absent in files from before it was judged. */
  shortfall: ShortfallSchema.nullable().optional(),
  /** Issue 3 fields: event latency of the canary exec, and process signal loss. */
  canaryLatencyMs: quantity().nullable().optional(),
  processLoss: z
    .object({ spawned: quantity(), received: quantity(), lossRatio: quantity().nullable() })
    .nullable()
    .optional(),
  /** Log delivery only: how the agent's output arrived (absent for other checks and older files). */
  outputBuffering: OutputBufferingSchema.nullable().optional(),
  valid: z.boolean(),
  invalidReason: z.string().nullable().default(null),
  collectorExitCode: quantity().int().nullable().default(null),
  logsFile: z.string().nullable().optional(),
  diagnosticBundle: z.string().nullable().optional(),
  /** A/B files only: the arm this run measured, and its pair (two consecutive counted slots, one of each arm; null on warm-up runs). */
  arm: z.enum(['baseline', 'candidate']).optional(),
  pair: quantity().int().min(1).nullable().optional(),
  /** A run with no collector at all (`--overhead`): the workloads alone, the neighbour of a measured run. */
  noAgent: z.boolean().optional(),
  bpf: BpfCostSchema.nullable().optional(),
  memoryGrowth: MemoryGrowthSchema.nullable().optional(),
  overhead: OverheadSchema.nullable().optional(),
  /** CPU per 1,000 delivered events, load start to drained (run/drain.ts); absent in older files. */
  eventCost: EventCostSchema.nullable().optional(),
});
export type Run = z.infer<typeof RunSchema>;

export const EnvironmentSchema = z.object({
  kernel: z.string(), // uname -r
  os: z.string(),
  cpuModel: z.string(),
  cpus: quantity().int().min(1).max(RESULT_LIMITS.cpus),
  memoryBytes: quantity().positive().max(RESULT_LIMITS.memoryBytes),
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
  pr: quantity().int().nullable(),
});
export type GitInfo = z.infer<typeof GitInfoSchema>;

/**
 * Set by the baseline store on a pull request's results that a maintainer accepted (the
 * update-baseline label, permission checked with the API): they count in the baseline from then on.
 */
export const BaselineApprovalSchema = z.object({
  pr: quantity().int(),
  approvedBy: z.string(),
  role: z.string(), // write | maintain | admin at the time of approval
  approvedAt: z.string(),
});
export type BaselineApproval = z.infer<typeof BaselineApprovalSchema>;

/** One arm of an A/B file: what was run (its image, or command with the process runtime, and extra env). */
export const ArmSchema = z.object({
  label: z.string(),
  image: z.string().nullable(),
  imageId: z.string().nullable(),
  command: z.string().nullable(),
  env: z.record(z.string(), z.string()),
});
export type ArmInfo = z.infer<typeof ArmSchema>;

/** How a benchmark checked that the agent delivered what it saw (collector.delivery). */
export const DeliveryRecordSchema = z.object({
  via: z.enum(['sensor', 'log', 'metrics', 'none']),
  verified: z.boolean(),
  detail: z.string(),
});

export type DeliveryRecord = z.infer<typeof DeliveryRecordSchema>;

export const ResultFileSchema = z.object({
  schema: z.literal(RESULT_SCHEMA),
  benchmark: z.string(),
  createdAt: isoDateTime,
  git: GitInfoSchema,
  environment: EnvironmentSchema,
  config: z.record(z.string(), z.unknown()), // the resolved config that produced this file
  /**
   * How event delivery was checked (collector.delivery). `verified: false` (via none): the runs are
   * valid but nothing showed the agent delivered what it saw. Absent in files from before it was recorded.
   */
  delivery: DeliveryRecordSchema.optional(),
  runs: z.array(RunSchema).max(RESULT_LIMITS.runs),
  complete: z.boolean().default(true), // false while a benchmark is still writing runs or was interrupted
  /** 'ab': both arms measured interleaved on this machine, runs carry `arm` and `pair`. */
  mode: z.enum(['single', 'ab']).default('single'),
  arms: z.object({ baseline: ArmSchema, candidate: ArmSchema }).optional(),
  baselineApproval: BaselineApprovalSchema.optional(),
  /** A/B files of a budgeted run (`--budget`): the sequential design that decided when to stop (contracts/sequential.ts). */
  sequential: SequentialRecordSchema.optional(),
});
export type ResultFile = z.infer<typeof ResultFileSchema>;

/** Runs that count in a comparison: valid, not warm-up, with a summary. */
export function countedRuns(result: ResultFile): Run[] {
  return result.runs.filter((r) => r.valid && !r.warmupRun && !r.noAgent && r.summary !== null);
}

/** Versions this code reads (result@1 through parseResultValue's upgrade); everything it writes is RESULT_SCHEMA. */
export const READABLE_RESULT_SCHEMAS = ['collector-bench/result@1', RESULT_SCHEMA] as const;
