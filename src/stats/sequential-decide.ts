/**
 * The deciding metric of a budgeted A/B file decided by its sequential design instead of the fixed
 * paired t-test: the file's looks replayed on its complete pairs (sequential-ab.ts), the verdict of
 * the look it stopped at, and the figures of that look in the contract's fields (the interval is
 * the (1 - 2 alpha) repeated interval, the MDE the repeated-interval MDE, both at the level the
 * design gave the metric). The fixed analysis' tests stay beside it as diagnostics; the metric is
 * not in the report's Holm family, whose other members share what alpha the design left.
 */
import type { Pairing } from '../contracts/ab.js';
import type { Run } from '../contracts/result.js';
import { formatChange, formatMde } from '../contracts/figures.js';
import type { SequentialOutcome, SequentialRecord } from '../contracts/sequential.js';
import type { Analysis } from './analysis.js';
import type { Decided } from './decide.js';
import type { MetricSpec } from './metrics.js';
import { replaySequential, type PairValue, type Replay } from './sequential-ab.js';

/**
 * The workloads' own CPU % in a run: their cgroups' CPU over the load window less the BPF programs'
 * run time in the same window (the collector's kernel-side cost, charged to the tasks it traces).
 * Null when either is unknown: without the BPF figure the covariate would carry the collector's cost.
 */
export function workloadOwnCpu(run: Run): number | null {
  const workloads = run.context?.workloadCpuPercent;
  const bpf = run.bpf?.available ? run.bpf.cpuPercent : null;
  if (typeof workloads !== 'number' || typeof bpf !== 'number') return null;
  const own = workloads - bpf;
  return own > 0 ? own : null;
}

/** The complete pairs that carry the metric, in pair order, as the sequential rule sees them. */
export function pairValues(spec: MetricSpec, pairing: Pairing): PairValue[] {
  return pairing.pairs.flatMap((p) => {
    const baseline = spec.value(p.baseline);
    const candidate = spec.value(p.candidate);
    if (baseline === null || candidate === null) return [];
    const [b, c] = [workloadOwnCpu(p.baseline), workloadOwnCpu(p.candidate)];
    return [{ baseline, candidate, covariate: b !== null && c !== null ? { baseline: b, candidate: c } : null }];
  });
}

function where(record: SequentialRecord, replay: Replay): string {
  const K = record.scheduledLooks.length;
  const at = replay.last ? `look ${replay.last.look} of ${K} (${replay.pairs} pairs)` : `no look (${K} planned)`;
  switch (replay.stop) {
    case 'decided':
      return `decided at ${at}`;
    case 'last look':
      return `undecided at its last ${at}`;
    case 'budget spent':
      return `budget spent at ${at}`;
    case null:
      return `stopped before its design did, at ${at}`;
  }
}

function reasonOf(record: SequentialRecord, replay: Replay): string {
  const last = replay.last;
  const design = `group-sequential (${record.spending}, alpha ${record.alpha} of ${record.familyAlpha})`;
  if (!last || last.change === null || last.interval === null) {
    return `${design}: ${where(record, replay)}; no pair log-ratios to test`;
  }
  const a = last.adjustment;
  const moved = a?.covariateChange != null ? formatChange(Math.expm1(a.covariateChange)) : null;
  const adjusted = !a
    ? ''
    : !a.applied
      ? `, not adjusted: ${a.why}`
      : `, adjusted for the workloads' own CPU (slope ${a.slope?.toFixed(2)}; it moved ${moved} between arms)${a.blocks ? `; ${a.why}` : ''}`;
  const change = `${formatChange(last.change)} (pair log-ratios${adjusted})`;
  const interval = `repeated ${Math.round((1 - 2 * record.alpha) * 1000) / 10}% interval ${formatChange(last.interval[0])} … ${formatChange(last.interval[1])}`;
  const floor = `floor ${formatMde(last.floor)}`;
  const mde = `MDE ${formatMde(last.mde)}`;
  const head = `${change}, ${interval}`;
  switch (replay.verdict) {
    case 'regression':
    case 'improvement':
      return `${head}; significant at its look and beyond the ${floor}; ${design} ${where(record, replay)}`;
    case 'unchanged':
      return `${head} and ${mde} inside the ${floor}; ${design} ${where(record, replay)}`;
    case 'inconclusive':
      return `${head}, ${mde} (${floor}); ${design} ${where(record, replay)}`;
  }
}

export function decideSequential(
  analysis: Analysis,
  pairing: Pairing,
  record: SequentialRecord,
): { decided: Decided; outcome: SequentialOutcome } {
  const pairs = pairValues(analysis.spec, pairing);
  const replay = replaySequential(record, pairs);
  const level = analysis.baselineLevel;
  const absolute = (rel: number | null) => (rel !== null && level !== null ? rel * level : null);
  const last = replay.last;
  const decided: Decided = {
    ...analysis,
    change: { absolute: absolute(last?.change ?? null), relative: last?.change ?? null, reference: level },
    // The pairs the verdict rests on: a file interrupted after its last look may hold more.
    preconditionFailures: [],
    decidingTest: analysis.test.value,
    interval:
      last?.interval && level !== null
        ? { level: 1 - 2 * record.alpha, low: last.interval[0] * level, high: last.interval[1] * level }
        : null,
    adjustedPValue: null,
    mde: last?.mde ?? null,
    mdeAbsolute: absolute(last?.mde ?? null),
    planner: null,
    verdict: replay.verdict,
    reason: reasonOf(record, replay),
  };
  const stopAt = record.stop?.elapsedSeconds;
  const outcome: SequentialOutcome = {
    metric: record.metric,
    budgetMinutes: record.budgetMinutes,
    plannedLooks: record.scheduledLooks.length,
    look: last?.look ?? null,
    pairs: replay.pairs,
    maxPairs: record.maxPairs,
    minutes: stopAt === undefined ? null : stopAt / 60,
    stop: replay.stop,
    alpha: record.alpha,
    spending: record.spending,
    mde: last?.mde ?? null,
    ...(record.ranOn ? { ranOnTo: record.ranOn.pairs } : {}),
  };
  return { decided, outcome };
}
