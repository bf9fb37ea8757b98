/**
 * The validate record, `collector-bench/validate-record@1`: one JSON line per A/B comparison that
 * `validate pr` ran, appended to one file over as many invocations as it takes (issue 18: the
 * noise drifts within an hour, so a rate is counted over many comparisons gathered over time, never
 * taken from one batch). `validate table` computes the modes table from all of it.
 */
import { z } from 'zod';
import { VerdictSchema } from './comparison.js';
import { DecidingMetricSchema } from './deciding-metric.js';

export const VALIDATE_RECORD_SCHEMA = 'collector-bench/validate-record@1' as const;

/** The conditions of a comparison: A/A, or the reference collector's CPU knob raised by this much. */
export const ValidateConditionSchema = z.enum(['aa', 'cpu5', 'cpu10', 'cpu25']);
export type ValidateCondition = z.infer<typeof ValidateConditionSchema>;

/** The relative CPU change each condition injects (the knob's calibration, README "Does the gate hold"). */
export const INJECTED_CPU: Record<ValidateCondition, number> = { aa: 0, cpu5: 0.05, cpu10: 0.1, cpu25: 0.25 };

const text = (max = 200) => z.string().max(max);
const finite = z.number().finite();

export const ValidateRecordLineSchema = z
  .object({
    schema: z.literal(VALIDATE_RECORD_SCHEMA),
    recordedAt: z.string().datetime(),
    /** One `validate pr` invocation: its lines share it. */
    session: text(100),
    repetition: z.number().int().min(1),
    git: z.object({ sha: text(64).nullable() }).strict(),
    /** From diagnostics/host-facts.ts, and the runtime the runs used. */
    machine: z
      .object({
        hostname: text(),
        kernel: text(),
        os: text(),
        cpus: z.number().int().min(1),
        cpuModel: text().nullable(),
        memoryBytes: finite.min(0),
        cgroupVersion: z.enum(['v1', 'v2', 'none']),
        runtime: text(),
        collectionMethod: text(50),
      })
      .strict(),
    /** The design's name (`interleaved`, `duet`, `budget`, ...). */
    design: text(50),
    /** How its pairs actually ran (a duet falls back to interleaved where two agents cannot coexist); absent in older lines. */
    ranAs: z.enum(['duet', 'interleaved']).nullable().optional(),
    condition: ValidateConditionSchema,
    injected: z
      .object({
        /** The relative CPU change the knob aims at (0 for A/A). */
        cpuRelative: finite.min(0),
        baselineWorkFactor: z.number().int().min(0),
        candidateWorkFactor: z.number().int().min(0),
      })
      .strict(),
    neighbour: z
      .object({
        /** `none`, `50%`, `50%x2`. */
        label: text(50),
        dutyPercent: finite.min(0).max(100).nullable(),
        processes: z.number().int().min(0),
        /** Cores the hogs actually used over this comparison (0.5 = half of one core); null without a neighbour. */
        measuredCores: finite.min(0).nullable(),
      })
      .strict(),
    /** The collector CPU comparison (the metric the knobs move) and every metric's verdict. */
    measured: z
      .object({
        cpuChange: finite.nullable(),
        /** The comparison's (1 - 2 alpha) interval of the change, relative to the baseline arm's mean. */
        cpuInterval: z.object({ level: finite, low: finite, high: finite }).strict().nullable(),
        cpuMde: finite.min(0).nullable(),
        cpuVerdict: VerdictSchema,
        overall: VerdictSchema,
        /** metric -> verdict, collector CPU and memory and every agent-cost metric compared. */
        verdicts: z.record(text(50), VerdictSchema),
      })
      .strict(),
    /**
     * The CPU measure that decided (compare.deciding, or the one a budgeted run looked at) and its
     * figures: the same as `measured`'s CPU figures when CPU % decided. Absent in older lines (CPU %).
     */
    deciding: z
      .object({
        metric: DecidingMetricSchema,
        change: finite.nullable(),
        mde: finite.min(0).nullable(),
        verdict: VerdictSchema,
      })
      .strict()
      .nullable()
      .optional(),
    /** Complete pairs the comparison counted. */
    pairs: z.number().int().min(0),
    /** Wall time of the whole comparison, runs and warm-ups included: what a PR waits. */
    minutes: finite.min(0),
    resultsFile: text(4096), // PATH_MAX
  })
  .strict();
export type ValidateRecordLine = z.infer<typeof ValidateRecordLineSchema>;
