/**
 * The history contract, `collector-bench/history@1`: what `collector-bench history --format json`
 * writes and every history report renders. Per benchmark, environment key and metric: main's
 * sessions oldest first, their epochs (an environment change starts one), the segments between
 * change points, and each change point with the commit range around it and its size with an interval.
 */
import { z } from 'zod';

export const HISTORY_SCHEMA = 'collector-bench/history@1' as const;

export const HistoryMetricSchema = z.enum(['cpuPercent', 'memoryBytes']);
export type HistoryMetric = z.infer<typeof HistoryMetricSchema>;

/** One stored result from main: one session of the benchmark. */
export const HistorySessionSchema = z.object({
  sha: z.string().nullable(),
  createdAt: z.string(),
  /** The store's key of the result (where to find it). */
  key: z.string(),
  /** The mean of the session's counted runs' window means. */
  value: z.number(),
  runs: z.number().int(),
  epoch: z.number().int(),
});
export type HistorySession = z.infer<typeof HistorySessionSchema>;

const CommitSchema = z.object({ sha: z.string().nullable(), createdAt: z.string() });

/** Sessions [from, to) (indexes into `sessions`) with the mean and its t interval. */
export const HistorySegmentSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  n: z.number().int(),
  mean: z.number(),
  sd: z.number().nullable(),
  /** The t interval of the segment mean at `level` (null for one session). */
  interval: z.tuple([z.number(), z.number()]).nullable(),
});
export type HistorySegment = z.infer<typeof HistorySegmentSchema>;

export const HistoryChangePointSchema = z.object({
  /** Index of the first session after the step. */
  index: z.number().int(),
  epoch: z.number().int(),
  /** The commit range: the last session before the step and the first after it. */
  lastBefore: CommitSchema,
  firstAfter: CommitSchema,
  /** The sessions on each side (up to the neighbouring change points or the epoch's ends). */
  before: HistorySegmentSchema,
  after: HistorySegmentSchema,
  q: z.number(),
  pValue: z.number(),
  change: z.object({
    absolute: z.number(),
    relative: z.number().nullable(),
    /** Welch t interval of mean(after) - mean(before), and the same over mean(before). */
    method: z.literal('welch-t'),
    level: z.number(),
    absoluteInterval: z.tuple([z.number(), z.number()]).nullable(),
    relativeInterval: z.tuple([z.number(), z.number()]).nullable(),
  }),
});
export type HistoryChangePoint = z.infer<typeof HistoryChangePointSchema>;

export const HistoryEpochSchema = z.object({
  epoch: z.number().int(),
  from: z.number().int(),
  to: z.number().int(),
  /** The environment fields that define an epoch, as the sessions recorded them. */
  environment: z.record(z.string(), z.union([z.string(), z.number()])),
});

export const HistoryStatusSchema = z.enum(['changes', 'steady', 'insufficient']);
export type HistoryStatus = z.infer<typeof HistoryStatusSchema>;

export const HistorySeriesSchema = z.object({
  envKey: z.string(),
  metric: HistoryMetricSchema,
  unit: z.enum(['percent', 'bytes']),
  /** insufficient: the latest epoch has too few sessions to see a step in it (never "steady"). */
  status: HistoryStatusSchema,
  /** How many more sessions the latest epoch needs (0: enough). */
  sessionsShort: z.number().int(),
  reason: z.string(),
  sessions: z.array(HistorySessionSchema),
  epochs: z.array(HistoryEpochSchema),
  segments: z.array(HistorySegmentSchema),
  changePoints: z.array(HistoryChangePointSchema),
});
export type HistorySeries = z.infer<typeof HistorySeriesSchema>;

export const HistoryReportSchema = z.object({
  schema: z.literal(HISTORY_SCHEMA),
  benchmark: z.string(),
  store: z.string(),
  options: z.object({
    minSegment: z.number().int(),
    alpha: z.number(),
    minMagnitude: z.number(),
    level: z.number(),
  }),
  /** insufficient if any series is, else changes if any series has a change point, else steady. */
  status: HistoryStatusSchema,
  series: z.array(HistorySeriesSchema),
});
export type HistoryReport = z.infer<typeof HistoryReportSchema>;
