/**
 * The sequential design of a budgeted A/B run (`run ... --budget <minutes>`), as the results file
 * records it and as the comparison reports where it stopped. The design (looks, spending, alpha,
 * most pairs) is fixed before the first measured pair, from the budget and the measured time of the
 * warm-ups (or of the first pair), so the boundaries never depend on the data; `compare` replays
 * the looks on the file's complete pairs with the same boundaries (src/stats/sequential-ab.ts), so
 * recomputing gives the same verdict.
 */
import { z } from 'zod';
import { DecidingMetricSchema } from './deciding-metric.js';
import { quantity } from './quantity.js';

/** Why a budgeted run stopped adding pairs. */
export const SequentialStopSchema = z.enum([
  /** A look decided (regression, improvement or unchanged). */
  'decided',
  /** The design's last look (its most pairs) came without a decision. */
  'last look',
  /** The budget could not buy another pair before the last look: the final look spent the rest of alpha. */
  'budget spent',
]);
export type SequentialStop = z.infer<typeof SequentialStopSchema>;

/**
 * What a budgeted design adjusts its pair log-ratios for (src/stats/covariate-adjustment.ts):
 * `workloadOwnCpu`, the workloads' CPU less the BPF programs' run time, in an interleaved design;
 * null (or absent, in files written before it existed): none.
 */
export const CovariateSchema = z.enum(['workloadOwnCpu']);
export type Covariate = z.infer<typeof CovariateSchema>;

/** Whether a look used the covariate, and when not, why (src/stats/covariate-adjustment.ts). */
export const LookAdjustmentSchema = z.object({
  applied: z.boolean(),
  why: z.string().nullable(),
  /** The premise broke (the workloads moved between arms): the look decided nothing (absent: false). */
  blocks: z.boolean().default(false),
  slope: quantity().nullable(),
  /** The covariate's mean pair log-ratio: how much the workloads' own CPU moved between arms. */
  covariateChange: quantity().nullable(),
});

const VerdictOrContinue = z.enum(['regression', 'improvement', 'unchanged', 'inconclusive', 'continue']);

/** One look as it was taken during the run (for the reader; `compare` recomputes them). */
export const SequentialLookSchema = z.object({
  /** 1-based. */
  look: quantity().int().min(1),
  pairs: quantity().int().min(2),
  /** Information fraction: pairs / the design's most pairs; 1 at a final look. */
  fraction: quantity(),
  /** The budget's final look: it spends the rest of alpha whatever its pairs. */
  final: z.boolean(),
  verdict: VerdictOrContinue,
  /** Relative change (exp of the mean pair log-ratio, minus 1) and its repeated interval. */
  change: quantity().nullable(),
  interval: z.tuple([quantity(), quantity()]).nullable(),
  mde: quantity().nullable(),
  /** Seconds since the session started, at this look. */
  elapsedSeconds: quantity(),
  /** Designs with a covariate: whether this look used it. */
  adjustment: LookAdjustmentSchema.optional(),
});
export type SequentialLook = z.infer<typeof SequentialLookSchema>;

export const SequentialRecordSchema = z.object({
  /** The deciding metric (config `compare.deciding` at the run) and its statistic. */
  metric: DecidingMetricSchema,
  statistic: z.literal('pair log-ratio of run window means'),
  /** The covariate the looks adjust for, fixed with the design. */
  covariate: CovariateSchema.nullable().optional(),
  budgetMinutes: quantity().positive(),
  /** The report's family-wise alpha, and the share the deciding metric was given (the rest: Holm over the others). */
  familyAlpha: quantity(),
  alpha: quantity(),
  power: quantity(),
  spending: z.enum(['obrien-fleming', 'pocock']),
  /** The deciding metric's floor the looks decide against: in its unit, and a fraction of the baseline level. */
  floor: z.object({ absolute: quantity().min(0), relative: quantity().min(0) }),
  /** The most pairs the budget buys (the information fractions' denominator). */
  maxPairs: quantity().int().min(2),
  /** Complete pairs at each planned look, increasing, the last = maxPairs. */
  scheduledLooks: z.array(quantity().int().min(2)).min(1).max(1000),
  /** Seconds one pair was estimated to cost when the design was fixed, and from what. */
  pairSeconds: quantity().positive(),
  estimatedFrom: z.string(),
  /** Seconds of the budget already used when the design was fixed (runtime, images, warm-ups). */
  fixedAtSeconds: quantity(),
  looks: z.array(SequentialLookSchema).max(1000),
  /**
   * When the session stops adding pairs (config `compare.stopWhen`): `deciding`, at the look that
   * decides the deciding metric; `overall`, not before the overall verdict is decided (absent, in
   * files written before it existed: `deciding`).
   */
  stopWhen: z.enum(['deciding', 'overall']).optional(),
  /**
   * `stopWhen: overall`: the deciding metric's look decided (its verdict held from then on) while
   * the overall verdict was open, so pairs went on; `open` names the deciding metrics that were
   * inconclusive when it began, `pairs` the complete pairs when the run on ended (null while it
   * goes on) and `ended` why. Absent or null: the session stopped at the deciding look.
   */
  ranOn: z
    .object({
      open: z.array(z.string().max(64)).max(20),
      pairs: quantity().int().nullable(),
      ended: z.enum(['overall decided', 'last look', 'budget spent']).nullable(),
    })
    .nullable()
    .optional(),
  /** Null while the run is still going (or was interrupted). */
  stop: z
    .object({
      reason: SequentialStopSchema,
      look: quantity().int().min(1).nullable(),
      pairs: quantity().int(),
      elapsedSeconds: quantity(),
    })
    .nullable(),
});
export type SequentialRecord = z.infer<typeof SequentialRecordSchema>;

/** What a comparison says about the sequential design that decided its deciding metric. */
export const SequentialOutcomeSchema = z.object({
  metric: DecidingMetricSchema,
  budgetMinutes: quantity(),
  /** Planned looks (K) and the look it stopped at (k; null when it stopped before any look). */
  plannedLooks: quantity().int(),
  look: quantity().int().nullable(),
  pairs: quantity().int(),
  maxPairs: quantity().int(),
  minutes: quantity().nullable(),
  /** Null for an interrupted file: the run stopped before its design did. */
  stop: SequentialStopSchema.nullable(),
  alpha: quantity(),
  spending: z.enum(['obrien-fleming', 'pocock']),
  /** The relative MDE reached at the last look (the repeated-interval MDE). */
  mde: quantity().nullable(),
  /**
   * `compare.stopWhen: overall`: the complete pairs the session ran on to after the deciding look,
   * while the overall verdict was open (the other metrics are compared on them); absent otherwise.
   */
  ranOnTo: quantity().int().nullable().optional(),
});
export type SequentialOutcome = z.infer<typeof SequentialOutcomeSchema>;
