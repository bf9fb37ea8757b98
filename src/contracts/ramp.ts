/**
 * The saturation ramp's results file, `collector-bench/ramp@1`: every step of `collector-bench ramp`
 * (the processes workload at a target rate, one run of the normal protocol each) and the highest
 * rate the collector sustained. Written after every step, so an interrupted ramp keeps its steps.
 */
import { z } from 'zod';
import { EnvironmentSchema, GitInfoSchema } from './result.js';

export const RAMP_SCHEMA = 'collector-bench/ramp@1' as const;

export const RampStepStatusSchema = z.enum(['sustained', 'collector-limit', 'machine-limit']);
export type RampStepStatus = z.infer<typeof RampStepStatusSchema>;

export const RampStepSchema = z.object({
  index: z.number().int(),
  /** 'double' while no step has failed, then 'bisect' between the last good and the first bad rate. */
  phase: z.enum(['double', 'bisect']),
  targetRate: z.number(),
  achievedRate: z.number().nullable(),
  /** The collector's cgroup CPU, median of the steady state, percent of one core. */
  collectorCpuPercent: z.number().nullable(),
  /** Collector CPU per 1,000 events, in ms (events: the collector's counter, else the execs). */
  cpuMsPer1000Events: z.number().nullable(),
  lossRatio: z.number().nullable(),
  drops: z.number().nullable(),
  dropRatio: z.number().nullable(),
  canaryLatencyMs: z.number().nullable(),
  status: RampStepStatusSchema,
  reason: z.string(),
  /** The step's own result@1 file (samples, logs). */
  resultFile: z.string(),
});
export type RampStep = z.infer<typeof RampStepSchema>;

export const RampResultSchema = z.object({
  schema: z.literal(RAMP_SCHEMA),
  createdAt: z.string(),
  git: GitInfoSchema,
  environment: EnvironmentSchema.nullable(),
  collectorImage: z.string().nullable(),
  settings: z.object({
    startRate: z.number(),
    maxRate: z.number(),
    threshold: z.number(),
    reachRatio: z.number(),
    resolution: z.number(),
    stepSeconds: z.number(),
  }),
  steps: z.array(RampStepSchema),
  /** Highest target rate whose step was sustained; null when not even the first was. */
  highestSustainedRate: z.number().nullable(),
  /** What ended the ramp: the collector's loss or drops, the machine's generator, or the rate ceiling. */
  limit: z.object({
    kind: z.enum(['collector', 'machine', 'max-rate', 'interrupted']),
    atRate: z.number().nullable(),
    reason: z.string(),
  }),
  complete: z.boolean(),
});
export type RampResult = z.infer<typeof RampResultSchema>;
