/**
 * The modes table from the whole validate record: per (design, neighbour) the rates the goal of
 * issue 18 is stated in, each as k of n with its Wilson interval, since a rate from a handful of
 * comparisons is an anecdote (the issue saw one batch's SD move from 3.4% to 17.6% within the hour).
 *
 * - P(unchanged | A/A): the comparison's overall verdict reads `unchanged`, formed from the line's
 *   metric verdicts by today's rule (deciding.ts, with the CPU measure the line's design decided on:
 *   CPU % in lines that do not say), so a change of the rule applies to the whole record, never only
 *   to the lines written after it.
 * - P(false verdict | A/A): any metric reads `regression` or `improvement` (the gate's rule).
 * - P(regression | +x%): the deciding CPU measure, which the knob moves (work per event), reads
 *   `regression`; the measured change and the median MDE are that measure's too.
 */
import type { ValidateCondition, ValidateRecordLine } from '../contracts/validate-record.js';
import type { ComparedMetric } from './metrics.js';
import { DEFAULT_DECIDING, overallOf } from './deciding.js';
import { median } from './descriptive.js';
import { wilsonInterval, type RateInterval } from './wilson.js';

/** The goal of issue 18 for the default PR mode on this 2-core machine. */
export const VALIDATE_GOALS = {
  aaUnchangedAtLeast: 0.8,
  falseVerdictAtMost: 0.05,
  cpu10CalledAtLeast: 0.8,
  medianCpuMdeAtMost: 0.05,
} as const;

/** Fewer A/A comparisons than this and a row is an anecdote, whatever its rates say. */
export const ANECDOTE_BELOW = 20;

export interface ValidateTableRow {
  design: string;
  neighbour: string;
  /** Median cores the neighbour actually used over the row's comparisons; null without one. */
  neighbourCores: number | null;
  comparisons: number;
  aaComparisons: number;
  aaUnchanged: RateInterval | null;
  aaFalseVerdict: RateInterval | null;
  cpu5Called: RateInterval | null;
  cpu10Called: RateInterval | null;
  cpu25Called: RateInterval | null;
  /** Per injected condition: the median measured CPU change, the injected one, and how many comparisons. */
  measuredVsInjected: Array<{ condition: ValidateCondition; injected: number; measuredMedian: number; n: number }>;
  /** Median of every comparison's MDE of its deciding CPU measure in the row. */
  medianCpuMde: number | null;
  /** Median wall minutes of one comparison: what a PR waits for its verdict. */
  minutesPerDecision: number | null;
  anecdote: boolean;
}

/** The line's overall verdict by today's rule, from its metric verdicts. */
function overallNow(l: ValidateRecordLine) {
  const rows = Object.entries(l.measured.verdicts).map(([metric, verdict]) => ({
    metric: metric as ComparedMetric,
    verdict,
  }));
  return rows.length ? overallOf(rows, l.deciding?.metric ?? DEFAULT_DECIDING).overall : l.measured.overall;
}

/** The deciding CPU measure's figures: the line's `deciding`, or its CPU % figures in older lines. */
function decidingOf(l: ValidateRecordLine) {
  return l.deciding ?? { change: l.measured.cpuChange, mde: l.measured.cpuMde, verdict: l.measured.cpuVerdict };
}

const isFalse = (l: ValidateRecordLine) =>
  Object.values(l.measured.verdicts).some((v) => v === 'regression' || v === 'improvement');

function rate(lines: readonly ValidateRecordLine[], hit: (l: ValidateRecordLine) => boolean): RateInterval | null {
  return wilsonInterval(lines.filter(hit).length, lines.length);
}

const medianOrNull = (xs: readonly number[]) => (xs.length ? median(xs) : null);
const present = <T>(xs: ReadonlyArray<T | null>): T[] => xs.filter((x): x is T => x !== null);

/** One row per (design, neighbour) in the order first seen in the record. */
export function summarizeRecord(lines: readonly ValidateRecordLine[]): ValidateTableRow[] {
  const groups = new Map<string, ValidateRecordLine[]>();
  for (const l of lines) {
    const key = JSON.stringify([l.design, l.neighbour.label]);
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  return [...groups.values()].map((mine) => {
    const of = (c: ValidateCondition) => mine.filter((l) => l.condition === c);
    const aa = of('aa');
    const called = (c: ValidateCondition) => rate(of(c), (l) => decidingOf(l).verdict === 'regression');
    return {
      design: mine[0].design,
      neighbour: mine[0].neighbour.label,
      neighbourCores: medianOrNull(present(mine.map((l) => l.neighbour.measuredCores))),
      comparisons: mine.length,
      aaComparisons: aa.length,
      aaUnchanged: rate(aa, (l) => overallNow(l) === 'unchanged'),
      aaFalseVerdict: rate(aa, isFalse),
      cpu5Called: called('cpu5'),
      cpu10Called: called('cpu10'),
      cpu25Called: called('cpu25'),
      measuredVsInjected: (['cpu5', 'cpu10', 'cpu25'] as const).flatMap((condition) => {
        const changes = present(of(condition).map((l) => decidingOf(l).change));
        return changes.length
          ? [
              {
                condition,
                injected: of(condition)[0].injected.cpuRelative,
                measuredMedian: median(changes),
                n: changes.length,
              },
            ]
          : [];
      }),
      medianCpuMde: medianOrNull(present(mine.map((l) => decidingOf(l).mde))),
      minutesPerDecision: medianOrNull(mine.map((l) => l.minutes)),
      anecdote: aa.length < ANECDOTE_BELOW,
    };
  });
}

/** What the table was computed from: a record gathered over days may span several commits and machines. */
export interface RecordSpan {
  comparisons: number;
  first: string | null;
  last: string | null;
  shas: string[];
  machines: string[];
}

export function recordSpan(lines: readonly ValidateRecordLine[]): RecordSpan {
  const times = lines.map((l) => l.recordedAt).sort();
  const distinct = (xs: string[]) => [...new Set(xs)];
  return {
    comparisons: lines.length,
    first: times[0] ?? null,
    last: times[times.length - 1] ?? null,
    shas: distinct(lines.map((l) => l.git.sha ?? 'unknown')),
    machines: distinct(lines.map((l) => `${l.machine.hostname} (${l.machine.cpus} CPU, ${l.machine.kernel})`)),
  };
}
