/**
 * A budgeted A/B comparison (`run ... --budget <minutes>`): the group-sequential rule
 * (sequential-rule.ts) applied to the deciding metric (`compare.deciding`: the collector's CPU % of a
 * core, or its CPU per 1,000 delivered events) of an A/B run that keeps adding pairs. Used twice with the same code: live, after every complete pair (`stepSequential`:
 * take a look or not, stop or go on), and by `compare` on the finished file (`replaySequential`),
 * which takes the same looks on the same pairs with the same boundaries and so gives the same verdict.
 *
 * The statistic is the pair log-ratio ln(candidate / baseline) of the run window means: a change in
 * percent is what the floor and the report speak of, and a log-ratio's spread does not grow with the
 * level. A design with a covariate (`covariate: workloadOwnCpu`, interleaved runs) decides on those
 * log-ratios adjusted for how fast the machine was in each run (covariate-adjustment.ts): the
 * least-squares intercept on the workloads' own log-ratios, with pairs - 2 degrees of freedom.
 * The floor is the config's floor of that metric (`compare.floors.cpu`: the larger of 1 point and
 * 5% of the baseline arm's mean; `compare.floors.cpuPer1000Events`: 1 ms and 5%) as a
 * log-ratio, ln(1 + floor / level), on both sides (the rule's
 * simulation in test/stats/sequential-rule.test.ts uses ln(1.05)); it is recorded with the design,
 * so a later change of the config does not change a recorded run's verdict.
 *
 * The design is fixed before the data count, from time alone: the most pairs the rest of the budget
 * buys at the measured cost of a pair, and looks at FIRST_LOOK complete pairs and every LOOK_EVERY
 * after, up to that most. Why 4 and 2: the Thue-Morse order of the pairs (run/plans.ts) cancels a
 * linear drift over every two pairs, so a look after an even number of pairs sees a balanced set;
 * 4 is the first such count with 3 degrees of freedom (at df 1-2 the t conversion of an early
 * O'Brien-Fleming boundary is in the hundreds: a look there cannot decide, it only spends), and
 * looks at 4, 6, 8, ... are the design whose error rates the simulation measures.
 *
 * Alpha: the deciding metric is given DECIDING_SHARE of the report's family-wise alpha, fixed in
 * advance, and the other metrics (memory, the agent-cost metrics), still compared by the fixed
 * design at the end, share the rest by Holm (stats/compare.ts): a Bonferroni split of the family, so
 * the chance of any false verdict in the report stays at alpha. Half is what the fixed design gives
 * CPU already with two metrics in its Holm family (its first step is alpha/m), and more than with
 * the three or four an A/B report usually has.
 */
import type { Verdict } from '../contracts/comparison.js';
import type { DecidingMetric } from '../contracts/deciding-metric.js';
import type { Covariate, SequentialLook, SequentialRecord, SequentialStop } from '../contracts/sequential.js';
import { adjustedEstimate, unadjusted, type Adjustment, type LookEstimate } from './covariate-adjustment.js';
import { mean } from './descriptive.js';
import { effectiveFloor, type Floor } from './floors.js';
import type { SpendingKind } from './group-sequential.js';
import {
  decideAtLook,
  planSequential,
  type LookDecision,
  type SequentialDesign,
  type SequentialPlan,
} from './sequential-rule.js';
import { ok, unavailable, type StatResult } from './stat-result.js';

export const DECIDING_SHARE = 0.5;
export const FIRST_LOOK = 4;
export const LOOK_EVERY = 2;

/** One complete pair's values of the deciding metric, and of the design's covariate when it has one. */
export interface PairValue {
  baseline: number;
  candidate: number;
  covariate?: { baseline: number; candidate: number } | null;
}

export interface DesignInput {
  /** The metric the looks decide on (config `compare.deciding`). */
  metric: DecidingMetric;
  budgetMinutes: number;
  /** The report's family-wise alpha (config `compare.alpha`). */
  familyAlpha: number;
  power: number;
  spending: SpendingKind;
  /** The deciding metric's floor (config `compare.floors` at the run), recorded with the design. */
  floor: Floor;
  /** Seconds of the budget used before the design is fixed (runtime, images, warm-ups). */
  elapsedSeconds: number;
  pairSeconds: number;
  estimatedFrom: string;
  /** The covariate the looks adjust for (interleaved designs), null for none. */
  covariate?: Covariate | null;
  /** When the session stops adding pairs (config `compare.stopWhen`; app/budgeted-ab.ts runs on). */
  stopWhen?: 'deciding' | 'overall';
  firstLook?: number;
  lookEvery?: number;
}

/** Complete pairs at each look: firstLook, firstLook + every, ..., then maxPairs (one look when maxPairs <= firstLook). */
export function lookSchedule(maxPairs: number, firstLook = FIRST_LOOK, every = LOOK_EVERY): number[] {
  const looks: number[] = [];
  for (let n = Math.max(2, firstLook); n < maxPairs; n += Math.max(1, every)) looks.push(n);
  return [...looks, maxPairs];
}

/** The design of a budgeted run, or why the budget cannot buy one (fewer than 2 pairs). */
export function designSequential(input: DesignInput): StatResult<SequentialRecord> {
  const left = input.budgetMinutes * 60 - input.elapsedSeconds;
  const maxPairs = Math.floor(left / input.pairSeconds);
  if (!(maxPairs >= 2)) {
    return unavailable(
      `the ${input.budgetMinutes} min budget buys ${Math.max(0, maxPairs)} pair(s) (${Math.round(left)} s left after ${Math.round(input.elapsedSeconds)} s, a pair costs about ${Math.round(input.pairSeconds)} s); the paired test needs at least 2: about ${Math.ceil((input.elapsedSeconds + 2 * input.pairSeconds) / 6) / 10} min here`,
    );
  }
  return ok({
    metric: input.metric,
    statistic: 'pair log-ratio of run window means',
    covariate: input.covariate ?? null,
    budgetMinutes: input.budgetMinutes,
    familyAlpha: input.familyAlpha,
    alpha: input.familyAlpha * DECIDING_SHARE,
    power: input.power,
    spending: input.spending,
    floor: { absolute: input.floor.absolute, relative: input.floor.relative },
    maxPairs,
    scheduledLooks: lookSchedule(maxPairs, input.firstLook, input.lookEvery),
    pairSeconds: input.pairSeconds,
    estimatedFrom: input.estimatedFrom,
    fixedAtSeconds: input.elapsedSeconds,
    looks: [],
    ...(input.stopWhen === 'overall' ? { stopWhen: 'overall' as const, ranOn: null } : {}),
    stop: null,
  });
}

/** The floor of `floor` (the deciding metric's floor) as a pair log-ratio at the baseline arm's mean. */
export function logFloor(floor: Floor, pairs: readonly PairValue[]): number {
  const level = pairs.length > 0 ? mean(pairs.map((p) => p.baseline)) : Number.NaN;
  const effective = effectiveFloor(floor, level);
  return effective !== null && level > 0 ? Math.log1p(effective / level) : Number.NaN;
}

function lookData(
  record: SequentialRecord,
  pairs: readonly PairValue[],
): { data: LookEstimate; adjustment: Adjustment | null } {
  const ys = pairs.map((p) => Math.log(p.candidate / p.baseline));
  if (!record.covariate) return { data: unadjusted(ys), adjustment: null };
  const { estimate, adjustment } = adjustedEstimate(
    pairs.map((p, i) => ({
      y: ys[i],
      x:
        p.covariate && p.covariate.baseline > 0 && p.covariate.candidate > 0
          ? Math.log(p.covariate.candidate / p.covariate.baseline)
          : null,
    })),
  );
  return { data: estimate, adjustment };
}

interface LookPoint {
  pairs: number;
  final: boolean;
}

/** Plans by design: a run asks for the same few again at every look (each costs about 0.1 s to integrate). */
const plans = new Map<string, SequentialPlan>();
function planOf(design: SequentialDesign): SequentialPlan {
  const key = JSON.stringify(design);
  let plan = plans.get(key);
  if (!plan) {
    if (plans.size >= 256) plans.clear();
    plan = planSequential(design);
    plans.set(key, plan);
  }
  return plan;
}

/** A look's decision with its figures as relative changes (exp - 1 of the log-ratio figures). */
export interface SequentialDecision {
  decision: LookDecision;
  /** 1-based look number and the looks planned (K). */
  look: number;
  change: number | null;
  /** The (1 - 2 alpha) repeated interval (the equivalence interval), relative. */
  interval: [number, number] | null;
  mde: number | null;
  floor: number;
  /** Designs with a covariate: whether this look used it, and why not. */
  adjustment: Adjustment | null;
}

/** A log-ratio figure as a relative change; null past what a results file holds (exp of an early look's t of 20,000). */
function relative(x: number): number | null {
  const r = Math.expm1(x);
  return Number.isFinite(r) && Math.abs(r) <= 1e9 ? r : null;
}

function relativeInterval(x: [number, number] | null): [number, number] | null {
  const lo = x && relative(x[0]);
  const hi = x && relative(x[1]);
  return lo === null || hi === null ? null : [lo, hi];
}

/**
 * The decision at the last of `taken` looks (the earlier ones as they were taken): the plan holds
 * every look so far, then, unless this look is final, the scheduled looks still to come, so that
 * the rule answers `continue` before the last look and each boundary is the one of its fraction.
 */
function decideLook(
  record: SequentialRecord,
  taken: readonly LookPoint[],
  pairs: readonly PairValue[],
): SequentialDecision {
  const current = taken[taken.length - 1];
  const later = current.final ? [] : record.scheduledLooks.filter((n) => n > current.pairs);
  const points = [...taken, ...later.map((n) => ({ pairs: n, final: false }))];
  const plan = planOf({
    looks: points.map((p) => p.pairs),
    fractions: points.map((p) => (p.final ? 1 : p.pairs / record.maxPairs)),
    alpha: record.alpha,
    power: record.power,
    spending: record.spending,
  });
  const seen = pairs.slice(0, current.pairs);
  const logFloorValue = logFloor(record.floor, seen);
  const { data, adjustment } = lookData(record, seen);
  const decided = decideAtLook(plan, taken.length - 1, data, logFloorValue);
  // A look whose covariate premise broke shows its figures and decides nothing (covariate-adjustment.ts).
  const undecided: LookDecision['verdict'] = later.length === 0 ? 'inconclusive' : 'continue';
  const decision = adjustment?.blocks ? { ...decided, verdict: undecided } : decided;
  return {
    decision,
    look: taken.length,
    change: relative(data.meanDifference),
    interval: relativeInterval(decision.equivalenceInterval),
    mde: decision.mde === null ? null : relative(decision.mde),
    floor: relative(logFloorValue) ?? Number.NaN,
    adjustment,
  };
}

function lookRecord(d: SequentialDecision, point: LookPoint, maxPairs: number, elapsed: number): SequentialLook {
  return {
    look: d.look,
    pairs: point.pairs,
    fraction: point.final ? 1 : point.pairs / maxPairs,
    final: point.final,
    verdict: d.decision.verdict,
    change: d.change,
    interval: d.interval,
    mde: d.mde,
    elapsedSeconds: elapsed,
    ...(d.adjustment ? { adjustment: d.adjustment } : {}),
  };
}

function stopReason(verdict: Verdict | 'continue', pairs: number, maxPairs: number): SequentialStop | null {
  if (verdict === 'continue') return null;
  if (verdict !== 'inconclusive') return 'decided';
  return pairs >= maxPairs ? 'last look' : 'budget spent';
}

/** Whether the rest of the budget, `elapsedSeconds` into the session, buys another pair of `pairSeconds`. */
export function budgetBuysAnotherPair(record: SequentialRecord, elapsedSeconds: number, pairSeconds: number): boolean {
  return record.budgetMinutes * 60 - elapsedSeconds >= pairSeconds;
}

export interface SequentialStep {
  record: SequentialRecord;
  /** The look taken now, if any. */
  look: SequentialDecision | null;
  /** Whether another pair should run. */
  more: boolean;
}

/**
 * After a complete pair (or a pair dropped as invalid), at `elapsedSeconds` into the session: a
 * look when the complete pairs reach a scheduled look, or when they reach the most pairs, or when
 * the rest of the budget cannot buy another pair of `pairSeconds` (then the look is final: fraction
 * 1, the rest of alpha); stop at the first look that decides, at a final look, or when the budget is
 * spent with no new pair to look at.
 */
export function stepSequential(
  record: SequentialRecord,
  pairs: readonly PairValue[],
  elapsedSeconds: number,
  pairSeconds = record.pairSeconds,
): SequentialStep {
  if (record.stop) return { record, look: null, more: false };
  const n = pairs.length;
  const lastTaken = record.looks[record.looks.length - 1]?.pairs ?? 0;
  const affordable = budgetBuysAnotherPair(record, elapsedSeconds, pairSeconds);
  const atMost = n >= record.maxPairs;
  const due = n > lastTaken && n >= 2 && (atMost || !affordable || record.scheduledLooks.includes(n));
  if (!due) {
    if (affordable) return { record, look: null, more: true };
    const look = record.looks.length > 0 ? record.looks.length : null;
    return {
      record: { ...record, stop: { reason: 'budget spent', look, pairs: n, elapsedSeconds } },
      look: null,
      more: false,
    };
  }
  const point = { pairs: n, final: atMost || !affordable };
  const taken = [...record.looks.map((l) => ({ pairs: l.pairs, final: l.final })), point];
  const d = decideLook(record, taken, pairs);
  const looks = [...record.looks, lookRecord(d, point, record.maxPairs, elapsedSeconds)];
  const reason = stopReason(d.decision.verdict, n, record.maxPairs);
  return {
    record: { ...record, looks, stop: reason ? { reason, look: d.look, pairs: n, elapsedSeconds } : null },
    look: d,
    more: reason === null,
  };
}

export interface Replay {
  /** The look it stopped at (or the last taken), null when no look was taken. */
  last: SequentialDecision | null;
  verdict: Verdict;
  /** Null when the file stops before its design did (an interrupted run). */
  stop: SequentialStop | null;
  pairs: number;
}

/**
 * The looks of a finished (or interrupted) budgeted file, taken again on its complete pairs in pair
 * order: every scheduled look the pairs reached (before a final look, if the run took one), then
 * the final look it recorded. The first look that decides gives the verdict, as it did in the run.
 */
export function replaySequential(record: SequentialRecord, pairs: readonly PairValue[]): Replay {
  const final = record.looks.find((l) => l.final);
  const limit = final ? final.pairs : pairs.length;
  const points: LookPoint[] = record.scheduledLooks
    .filter((n) => n <= Math.min(limit, pairs.length) && !(final && n >= final.pairs))
    .map((n) => ({ pairs: n, final: n >= record.maxPairs }));
  if (final && final.pairs <= pairs.length) points.push({ pairs: final.pairs, final: true });
  let last: SequentialDecision | null = null;
  for (let k = 0; k < points.length; k++) {
    last = decideLook(record, points.slice(0, k + 1), pairs);
    const reason = stopReason(last.decision.verdict, points[k].pairs, record.maxPairs);
    if (reason) return { last, verdict: last.decision.verdict as Verdict, stop: reason, pairs: points[k].pairs };
  }
  // No look decided and none was final: the run stopped early (interrupted), or its budget ran out
  // with no new pair to look at.
  const spent = record.stop?.reason === 'budget spent' ? 'budget spent' : null;
  return { last, verdict: 'inconclusive', stop: spent, pairs: last ? points[points.length - 1].pairs : 0 };
}
