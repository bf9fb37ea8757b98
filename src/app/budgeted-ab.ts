/**
 * `run --baseline-image X --candidate-image Y --budget <minutes>`: an A/B session that adds pairs
 * while the verdict of the deciding metric (`compare.deciding`: the collector's CPU % of a core or
 * its CPU per 1,000 delivered events) is open and stops at the first look that decides, or when the
 * budget cannot buy another pair (src/stats/sequential-ab.ts owns the rule; this file is its clock
 * and its log). It is also the default A/B design (`abDefaults`): without `--runs` an A/B run is a
 * 10-minute budget deciding on CPU per 1,000 delivered events, its pair log-ratios adjusted for the
 * workloads' own CPU (compare.covariate), not stopped by an early CPU verdict while memory is open
 * (compare.stopWhen, `stopRule`): the design `validate pr` measures as
 * `budget-per-event-adjusted-overall`. The design is fixed once, before any pair counts: after the warm-up runs,
 * from their measured time (without warm-ups, after the first pair, from its time), so the
 * boundaries never depend on the data. The budget counts from the start of the session (runtime,
 * images, warm-ups included), so `--budget 10` is a run of about ten minutes.
 */
import type { Config } from '../config/schema.js';
import { abPairs } from '../contracts/ab.js';
import { formatChange, formatMde, METRIC_NAME } from '../contracts/figures.js';
import type { ResultFile } from '../contracts/result.js';
import type { DecidingMetric } from '../contracts/deciding-metric.js';
import type { SequentialRecord } from '../contracts/sequential.js';
import { InvalidInputError } from '../errors.js';
import type { Growth } from '../run/ab-benchmark.js';
import type { PlanProgress } from '../run/plans.js';
import { resolveDelivery } from '../run/delivery/resolve-delivery.js';
import { METRICS, type MetricSpec } from '../stats/metrics.js';
import type { SpendingKind } from '../stats/group-sequential.js';
import { comparePaired } from '../stats/compare.js';
import {
  budgetBuysAnotherPair,
  designSequential,
  stepSequential,
  type SequentialDecision,
} from '../stats/sequential-ab.js';
import { pairValues } from '../stats/sequential-decide.js';
import { compareOptionsFrom } from './compare.js';

export interface BudgetSettings {
  minutes: number;
  /** Looks: at `firstLook` complete pairs and every `lookEvery` after (defaults: sequential-ab.ts). */
  firstLook?: number;
  lookEvery?: number;
  spending?: SpendingKind;
  /** Slots of one pair: 2 interleaved, 1 when both arms run in one window. */
  slotsPerPair?: number;
}

const seconds = (ms: number) => ms / 1000;

/** The budget of an A/B run given neither `--runs` nor `--budget`: the issue's ten-minute PR run. */
export const DEFAULT_AB_BUDGET_MINUTES = 10;

/**
 * The default A/B design, applied before anything starts: an A/B run without `--runs` (flag or
 * COLLECTOR_BENCH_RUNS) and without a budget gets `DEFAULT_AB_BUDGET_MINUTES`, its looks adjusted
 * for the workloads' own CPU by `compare.covariate`'s default. Why (README "Does the default PR run
 * decide?", docs/validate-record.jsonl, whose table counts every comparison): 5 fixed pairs (MDE
 * about ±17% here) read `unchanged` in none of the A/A comparisons recorded, the budgeted designs
 * in far more with no false verdict. `--runs N` keeps the fixed design. Returns the config
 * unchanged, and no line, otherwise.
 */
export function abDefaults(
  config: Config,
  given: { ab: boolean; runsGiven: boolean },
): { config: Config; said: string | null } {
  if (!given.ab || given.runsGiven || config.run.budgetMinutes !== null) return { config, said: null };
  return {
    config: { ...config, run: { ...config.run, budgetMinutes: DEFAULT_AB_BUDGET_MINUTES } },
    said: `the default A/B design: pairs added within ${DEFAULT_AB_BUDGET_MINUTES} min while the verdict is open (--budget ${DEFAULT_AB_BUDGET_MINUTES}); --runs N runs a fixed number of pairs instead`,
  };
}

/**
 * When a budgeted run stops adding pairs: what `compare.stopWhen` names, else `overall`, the
 * default design measured by `validate pr` as `budget-per-event-adjusted-overall` (README, "When it
 * stops": an early CPU verdict does not leave memory undecided on 6 pairs).
 */
export function stopRule(config: Config): 'deciding' | 'overall' {
  return config.compare.stopWhen ?? 'overall';
}

/**
 * The metric a budget's looks decide on, and why: `compare.deciding` when the config sets it; else
 * CPU per 1,000 delivered events (the measured default design, whose CPU cost does not move with
 * how much CPU the machine had free), or CPU % of a core where delivery `none` counts no events.
 */
export function budgetMetric(config: Config): { metric: DecidingMetric; why: string } {
  if (config.compare.deciding) return { metric: config.compare.deciding, why: 'compare.deciding' };
  if (resolveDelivery(config).via === 'none')
    return { metric: 'cpuPercent', why: 'the default where delivery `none` counts no events' };
  return { metric: 'cpuMsPer1000Events', why: 'the default where delivery counts events' };
}

function lookLine(d: SequentialDecision, planned: number, pairs: number, label: string): string {
  const interval = d.interval ? ` [${formatChange(d.interval[0])}, ${formatChange(d.interval[1])}]` : '';
  const verdict = d.decision.verdict;
  const next = verdict === 'continue' ? 'continuing' : `${verdict}, stopping`;
  const a = d.adjustment;
  const how = !a
    ? ''
    : a.blocks
      ? ` (${a.why})`
      : a.applied
        ? ' (adjusted for the workloads)'
        : ` (unadjusted: ${a.why})`;
  return `look ${d.look} of ${planned} (${pairs} pairs): ${label} ${formatChange(d.change)}${interval}, MDE ${formatMde(d.mde)} (floor ${formatMde(d.floor)})${how}, ${next}`;
}

function describeDesign(r: SequentialRecord, label: string): string {
  const adjusted = r.covariate
    ? "; its pair log-ratios are adjusted for the workloads' own CPU, how fast the machine was in each run (compare.covariate: none turns it off)"
    : '';
  return (
    `budget: ${r.budgetMinutes} min; ${Math.round(r.fixedAtSeconds)} s used before the first pair, which costs about ${Math.round(r.pairSeconds)} s ` +
    `(measured on ${r.estimatedFrom}): at most ${r.maxPairs} pairs, looks after ${r.scheduledLooks.join(', ')} complete pairs ` +
    `(${r.spending} alpha spending; ${label} decides at alpha ${r.alpha} of ${r.familyAlpha}, the other metrics share the rest ` +
    `and are compared by the fixed design at the end${adjusted}). The boundaries are fixed now, before any pair counts.`
  );
}

/**
 * The growth of a budgeted session: asked after the warm-ups and after every pair whether to run
 * another. `clock` is injectable so the rule's wiring can be driven without waiting.
 */
export function budgetGrowth(
  config: Config,
  budget: BudgetSettings,
  line: (msg: string) => void,
  clock: () => number = Date.now,
): Growth {
  const startedAt = clock();
  const slotsPerPair = budget.slotsPerPair ?? 2;
  let record: SequentialRecord | null = null;
  let droppedSeen = 0;
  let lackingSeen = 0;
  const chosen = budgetMetric(config);
  const spec: MetricSpec = METRICS.find((m) => m.metric === chosen.metric)!;
  const label = METRIC_NAME[spec.metric];

  const fixDesign = (progress: PlanProgress, now: number): SequentialRecord | null => {
    const warm = progress.done.filter((d) => d.slot.kind === 'warm-up');
    const measured = progress.done.filter((d) => d.slot.kind !== 'warm-up');
    const timed = measured.length >= slotsPerPair ? measured.slice(0, slotsPerPair) : warm;
    if (timed.length === 0) return null; // no warm-ups: the first pair is timed
    const perSlot = seconds(now - Date.parse(timed[0].run.startedAt)) / timed.length;
    // The budget left for pairs: from where the first pair began (now, after warm-ups).
    const pairsFrom = measured.length > 0 ? Date.parse(measured[0].run.startedAt) : now;
    const design = designSequential({
      metric: chosen.metric,
      budgetMinutes: budget.minutes,
      familyAlpha: config.compare.alpha,
      power: 0.8,
      spending: budget.spending ?? 'obrien-fleming',
      floor: spec.floor(config.compare.floors),
      elapsedSeconds: seconds(pairsFrom - startedAt),
      pairSeconds: perSlot * slotsPerPair,
      estimatedFrom: timed === warm ? `the ${warm.length} warm-up run(s)` : 'the first pair',
      // Both runs of an interleaved pair do the same seeded work in windows of their own, so the
      // workloads' own CPU tells how fast the machine was in each; a duet's arms share one window.
      covariate: slotsPerPair === 2 && config.compare.covariate === 'workloads' ? 'workloadOwnCpu' : null,
      stopWhen: stopRule(config),
      firstLook: budget.firstLook,
      lookEvery: budget.lookEvery,
    });
    if (design.value === null) {
      throw new InvalidInputError(
        'flag --budget',
        'run.budgetMinutes',
        budget.minutes,
        'minutes that buy at least 2 pairs',
        design.reason,
      );
    }
    line(`› ${describeDesign(design.value, `${label} (${chosen.why})`)}`);
    return design.value;
  };

  const keepGoing = (progress: PlanProgress): boolean => {
    const now = clock();
    const file = progress.files[0];
    const pairing = file ? abPairs(file.result, file.file) : { pairs: [], dropped: [], kept: [] };
    record ??= fixDesign(progress, now);
    if (record === null) return true;
    for (const why of pairing.dropped.slice(droppedSeen)) {
      line(`› ${why}: dropped, the next look waits for another complete pair`);
    }
    droppedSeen = pairing.dropped.length;
    const values = pairValues(spec, pairing);
    // A pair without the deciding figure (a per-event run that counted no events, e.g. an agent too
    // busy to deliver) cannot count at a look; said every time it happens, so the looks' pair counts
    // never hide a run the agent could not keep up with.
    const lacking = pairing.pairs.length - values.length;
    if (lacking > lackingSeen) {
      const why = spec.metric === 'cpuMsPer1000Events' ? 'the delivery check counted no events' : 'no window value';
      line(
        `› ${lacking} of ${pairing.pairs.length} complete pairs lack ${label} in a run (${why}): left out of the looks`,
      );
    }
    lackingSeen = lacking;
    // Whether another pair fits: the cost measured so far when it is above the design's estimate.
    const measured = progress.done.filter((d) => d.slot.kind !== 'warm-up');
    const pairsRun = Math.floor(measured.length / slotsPerPair);
    const sincePairs = pairsRun > 0 ? seconds(now - Date.parse(measured[0].run.startedAt)) / pairsRun : 0;
    const pairCost = Math.max(record.pairSeconds, sincePairs);
    if (record.ranOn) return runOn(record, file!.result, pairing.pairs.length, now, pairCost);
    const step = stepSequential(record, values, seconds(now - startedAt), pairCost);
    record = step.record;
    if (step.look) line(lookLine(step.look, record.scheduledLooks.length, step.record.looks.at(-1)!.pairs, label));
    if (!step.more && record.stop?.reason === 'budget spent' && !step.look) {
      line(
        `› budget spent: ${Math.round(seconds(now - startedAt))} s of ${budget.minutes * 60} s used, no time for another pair`,
      );
    }
    // A regression decides the overall verdict whatever the others say; unchanged or improvement may not.
    const held = record.stop?.reason === 'decided' ? step.look?.decision.verdict : null;
    if (record.stopWhen === 'overall' && (held === 'unchanged' || held === 'improvement') && file) {
      const open = openMetrics(record, file.result);
      if (open.length > 0 && canAfford(record, pairing.pairs.length, now, pairCost)) {
        record = { ...record, ranOn: { open, pairs: null, ended: null } };
        line(
          `› ${label} is decided (${held}, held from now on), but the overall verdict is open: ` +
            `${names(open)} inconclusive on ${pairing.pairs.length} pairs. ` +
            `Pairs go on until the overall verdict is decided at a scheduled look (${record.scheduledLooks.filter((n) => n > pairing.pairs.length).join(', ')} pairs) or the budget ends (compare.stopWhen: overall)`,
        );
        return true;
      }
    }
    return step.more;
  };

  /**
   * The deciding metrics other than the sequential one whose verdict on the pairs so far is
   * inconclusive, by the comparison the finished file will get (compare.ts, fixed test, Holm); none
   * when the overall verdict is decided (a regression of any of them decides it too).
   */
  const openMetrics = (rec: SequentialRecord, result: ResultFile): string[] => {
    const comparison = comparePaired({ ...result, sequential: rec }, compareOptionsFrom(config.compare));
    if (comparison.overall !== 'inconclusive') return [];
    const deciding = new Set(comparison.deciding?.decidedBy ?? []);
    return comparison.metrics
      .filter((m) => deciding.has(m.metric) && m.metric !== rec.metric && m.verdict === 'inconclusive')
      .map((m) => m.metric);
  };

  let runOnLooked = 0;
  const names = (metrics: readonly string[]) =>
    metrics.map((m) => METRIC_NAME[m as keyof typeof METRIC_NAME] ?? m).join(', ');

  const canAfford = (rec: SequentialRecord, pairs: number, now: number, pairCost: number) =>
    pairs < rec.maxPairs && budgetBuysAnotherPair(rec, seconds(now - startedAt), pairCost);

  /**
   * Pairs after the deciding look (`compare.stopWhen: overall`): the sequential verdict stays as its
   * look decided it (replaySequential stops there whatever pairs follow); the others are looked at
   * again only at the design's scheduled look counts, its last pair, or when the budget cannot buy
   * another pair, so the number of times their fixed test can end the session stays at most the
   * design's looks (README, `compare.stopWhen`, says what that can cost in error rate).
   */
  const runOn = (rec: SequentialRecord, result: ResultFile, pairs: number, now: number, pairCost: number): boolean => {
    const affordable = canAfford(rec, pairs, now, pairCost);
    // A dropped pair asks again at the same count: that count was looked at already.
    const due = !affordable || (rec.scheduledLooks.includes(pairs) && pairs !== runOnLooked);
    if (!due) return true;
    runOnLooked = pairs;
    const open = openMetrics(rec, result);
    const ended =
      open.length === 0 ? 'overall decided' : affordable ? null : pairs >= rec.maxPairs ? 'last look' : 'budget spent';
    record = { ...rec, ranOn: { ...rec.ranOn!, pairs: ended ? pairs : null, ended } };
    line(
      ended === 'overall decided'
        ? `› ${pairs} pairs: the overall verdict is decided, stopping`
        : ended
          ? `› ${pairs} pairs: ${ended}, the overall verdict still open (${names(open)} inconclusive), stopping`
          : `› ${pairs} pairs: ${names(open)} still inconclusive, continuing`,
    );
    return ended === null;
  };

  return {
    keepGoing,
    maxPairs: () => record?.maxPairs ?? null,
    annotate: (result: ResultFile) => (record ? { ...result, sequential: record } : result),
  };
}

/**
 * What `--budget` cannot honour, refused before anything starts (exit 2, naming both): it needs an
 * A/B run (its pairs are what it adds), chooses the number of pairs itself (`--runs`), and cannot
 * give each arm the no-agent neighbours of `--overhead` or the one long window of `--soak`.
 */
export function refuseWithBudget(config: Config, given: { ab: boolean; runsGiven: boolean }): void {
  const budget = config.run.budgetMinutes;
  if (budget === null) return;
  const refuse = (flag: string, key: string, value: unknown, why: string) => {
    throw new InvalidInputError(`flags ${flag} and --budget`, key, value, 'not with --budget', why);
  };
  if (config.run.overhead)
    refuse('--overhead', 'run.overhead', true, "measure each arm's overhead in a run of its own");
  if (config.run.soakMinutes !== null)
    refuse('--soak', 'run.soakMinutes', config.run.soakMinutes, 'a soak is one long run of one collector');
  // The looks decide on the deciding metric; CPU per 1,000 events needs the events counted, and
  // delivery `none` counts none: every look would have no pairs and the budget would run out blind.
  const delivery = resolveDelivery(config).via;
  if (config.compare.deciding === 'cpuMsPer1000Events' && delivery === 'none') {
    throw new InvalidInputError(
      'compare.deciding: cpuMsPer1000Events with --budget',
      'collector.delivery.via',
      delivery,
      'sensor, log or metrics (or compare.deciding: cpuPercent)',
      'the looks decide on CPU per 1,000 delivered events, and delivery `none` counts no events',
    );
  }
  if (given.runsGiven)
    refuse('--runs', 'run.runs', config.run.runs, 'the budget chooses how many pairs run (at most what it buys)');
  if (!given.ab) {
    throw new InvalidInputError(
      'flag --budget',
      'run.budgetMinutes',
      budget,
      'only with an A/B run (--baseline-image/--candidate-image, --baseline-command/--candidate-command or --candidate-env)',
      'a budget adds A/B pairs while the verdict is open',
    );
  }
}
