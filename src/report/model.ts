/**
 * What every report shows, computed once from the contracts: metric rows grouped by environment
 * key, per-run rows and environment rows as display strings. The renderers only lay them out.
 */
import type { Comparison, MetricComparison } from '../contracts/comparison.js';
import {
  HARNESS_CPU_BUDGET_PERCENT,
  type DeliveryRecord,
  type Environment,
  type ResultFile,
  type Run,
} from '../contracts/result.js';
import { mean } from '../stats/descriptive.js';
import {
  MISSING,
  formatChangeWithAbsolute,
  formatCount,
  formatCpu,
  formatCpuPerEvents,
  formatGiB,
  formatLatencyMs,
  formatMde,
  formatMemory,
  formatPValue,
  formatProcessLoss,
  formatRate,
  formatIntervalVsFloor,
  formatMetricValue,
  formatRatioInterval,
  formatSeconds,
  metricLabel,
} from './format.js';
import { exitDetail } from '../contracts/exit.js';
import { METRIC_NAME } from '../contracts/figures.js';

/** Metrics grouped by environment key, keys in order of first appearance. */
export function groupByEnvKey(
  metrics: readonly MetricComparison[],
): Array<{ envKey: string; metrics: MetricComparison[] }> {
  const groups = new Map<string, MetricComparison[]>();
  for (const m of metrics) {
    const list = groups.get(m.envKey);
    if (list) list.push(m);
    else groups.set(m.envKey, [m]);
  }
  return [...groups].map(([envKey, ms]) => ({ envKey, metrics: ms }));
}

/** One row of a verdict table, every cell already formatted. */
export interface VerdictRow {
  metric: string;
  baseline: string;
  candidate: string;
  change: string;
  /** The (1 - 2 alpha) interval of the change next to the floor it must stay inside for "unchanged". */
  interval: string;
  pAdjusted: string;
  mde: string;
  verdict: MetricComparison['verdict'];
  reason: string;
  /** The run planner, e.g. "about 14 runs a side (pairs) would bring the MDE down to the floor". */
  plan: string | null;
  /** Tests shown but not deciding: Wilcoxon and the median paired ratio (A/B), pooled-run Welch (history). */
  diagnostics: string;
}

function sides(m: MetricComparison): { baseline: string; candidate: string } {
  if (m.history) {
    const k = m.history.sessionValues.length;
    return {
      baseline: `${formatMetricValue(m.unit, k > 0 ? mean(m.history.sessionValues) : null)} (${k} session${k === 1 ? '' : 's'})`,
      candidate: `${formatMetricValue(m.unit, m.history.candidateValue)} (n=${m.candidate.n})`,
    };
  }
  const pairs = m.paired?.pairs ?? m.baseline.n;
  return {
    baseline: `${formatMetricValue(m.unit, m.baseline.mean)} (${pairs} pair${pairs === 1 ? '' : 's'})`,
    candidate: formatMetricValue(m.unit, m.candidate.mean),
  };
}

function diagnosticsText(m: MetricComparison): string {
  const parts: string[] = [];
  if (m.paired) {
    const w = m.paired.wilcoxon;
    if (w) parts.push(`Wilcoxon p=${formatPValue(w.pValue)} (${w.method})`);
    const r = m.paired.medianRatio;
    if (r)
      parts.push(
        `median paired ratio ${r.estimate.toFixed(3)}${r.ci95 ? ` (95% ${formatRatioInterval(r.ci95)})` : ''}`,
      );
    if (m.paired.droppedPairs > 0) parts.push(`${m.paired.droppedPairs} pair(s) dropped`);
  }
  const welch = m.diagnostics.welch;
  if (m.history && welch)
    parts.push(`pooled-run Welch p=${formatPValue(welch.pValue)} (diagnostic, runs are not independent)`);
  return parts.join('; ');
}

/** Marks a metric compared and shown but not entering the overall verdict. */
export const NOT_DECIDING = ' · not deciding';

export function verdictRow(m: MetricComparison): VerdictRow {
  return {
    // Compared in the same Holm family, but its verdict does not enter the overall one (deciding.ts).
    metric: `${metricLabel(m)}${m.decides === false ? NOT_DECIDING : ''}`,
    ...sides(m),
    change: formatChangeWithAbsolute(m),
    interval: formatIntervalVsFloor(m),
    pAdjusted: formatPValue(m.adjustedPValue),
    mde: formatMde(m.mde),
    verdict: m.verdict,
    reason: m.reason,
    plan: m.planner ? `${m.planner.text.replace(/ would.*$/, '')} would bring the MDE down to the floor` : null,
    diagnostics: diagnosticsText(m),
  };
}

export const VERDICT_COLUMNS = [
  'Metric',
  'Baseline',
  'Candidate',
  'Change',
  'Interval vs floor',
  'p (adj.)',
  'MDE',
  'Verdict',
] as const;

/** What the columns mean, for a report's footer. */
export function legend(c: Comparison): string {
  const level = `${Math.round((1 - 2 * c.alpha) * 100)}%`;
  const values =
    c.mode === 'ab'
      ? "Baseline and candidate: mean of the arms' run window means over the complete pairs."
      : "Baseline: mean of the baseline sessions (one per results file, each the mean of its runs' window means); candidate: its session's mean.";
  return (
    `${values} Interval vs floor: ${level} interval of the change; "unchanged" needs it, and the MDE, inside the floor ` +
    `(the larger of the absolute and relative floors). p (adj.): the deciding test, Holm-adjusted over the report. ` +
    `MDE: the change the deciding test finds with 80% power at Holm's first-step level.`
  );
}

const minutes = (m: number) => `${m < 10 ? m.toFixed(1) : m.toFixed(0)} min`;

/**
 * Where a budgeted run's sequential design stopped: "decided at look 3 of 8 after 8 pairs (6.1 min
 * of the 10 min budget)" or "budget spent, inconclusive; MDE reached ±7.2%".
 */
export function sequentialLine(s: NonNullable<Comparison['sequential']>): string {
  const budget = `${minutes(s.budgetMinutes)} budget`;
  const used = s.minutes === null ? `the ${budget}` : `${minutes(s.minutes)} of the ${budget}`;
  const pairs = `${s.pairs} pair${s.pairs === 1 ? '' : 's'}`;
  const mde = `MDE reached ${formatMde(s.mde)}`;
  switch (s.stop) {
    case 'decided':
      return `decided at look ${s.look} of ${s.plannedLooks} after ${pairs} (${used})`;
    // The last look is the most pairs the budget bought: either way the budget is spent.
    case 'last look':
    case 'budget spent':
      return `budget spent, inconclusive; ${mde} (look ${s.look ?? '—'} of ${s.plannedLooks}, ${pairs}, ${used})`;
    case null:
      return `stopped before its design did (interrupted) after ${pairs}, look ${s.look ?? '—'} of ${s.plannedLooks}; inconclusive`;
  }
}

/** Which mode decided and with which test, e.g. "A/B mode: paired t-test on 5 pairs of one machine". */
export function modeDescription(c: Comparison): string {
  const level = `${Math.round((1 - 2 * c.alpha) * 100)}%`;
  if (c.mode === 'ab' && c.sequential) {
    const s = c.sequential;
    const pairs = c.metrics.find((m) => m.metric !== s.metric)?.paired?.pairs ?? s.pairs;
    return (
      `A/B mode with a ${minutes(s.budgetMinutes)} budget: ${METRIC_NAME[s.metric]} by the group-sequential rule (${s.spending}, alpha ${s.alpha}), ${sequentialLine(s)}; ` +
      `the other metrics by the paired t-test on ${pairs} pair${pairs === 1 ? '' : 's'} at the end (alpha ${Math.round((c.alpha - s.alpha) * 1e6) / 1e6}, Holm)` +
      (s.ranOnTo != null
        ? `; pairs went on to ${s.ranOnTo} after the deciding look while the overall verdict was open (compare.stopWhen: overall)`
        : '')
    );
  }
  if (c.mode === 'ab') {
    const pairs = c.metrics[0]?.paired?.pairs ?? 0;
    const s = pairs === 1 ? '' : 's';
    const how =
      c.design?.design === 'duet'
        ? `${pairs} duet pair${s} (both arms at once)`
        : `${pairs} interleaved pair${s}${c.design?.reason ? ` (a duet was asked for: ${c.design.reason})` : ''}`;
    return `A/B mode: paired t-test on ${how} (decides); interval: ${level} paired-mean interval`;
  }
  const k = c.metrics[0]?.history?.sessionValues.length ?? 0;
  return `history mode: prediction t-test of the candidate session against ${k} baseline session${k === 1 ? '' : 's'} (decides); interval: ${level} prediction interval`;
}

/**
 * Which metrics formed the overall verdict, e.g. "Overall verdict from CPU (compare.deciding:
 * cpuPercent), Memory; shown, not deciding: CPU per 1,000 events". Files written before the
 * choice existed say every metric decided.
 */
export function decidingDescription(c: Comparison): string {
  const d = c.deciding;
  if (!d) return 'Overall verdict from every compared metric';
  const names = (ms: readonly string[]) => ms.map((m) => METRIC_NAME[m as keyof typeof METRIC_NAME] ?? m);
  const decidedBy = names(d.decidedBy).map((n, i) =>
    d.decidedBy[i] === d.metric && d.metric === d.requested ? `${n} (compare.deciding: ${d.requested})` : n,
  );
  const fallback =
    d.metric !== d.requested
      ? `; ${METRIC_NAME[d.requested]} was asked for but not compared (no run carried it), so ${METRIC_NAME[d.metric]} decided`
      : '';
  const shown = d.shownOnly.length ? `; shown, not deciding: ${names(d.shownOnly).join(', ')}` : '';
  const watched = d.watched?.length
    ? `; watched (a regression turns it red, unresolved never holds back unchanged): ${names(d.watched).join(', ')}`
    : '';
  return `Overall verdict from ${decidedBy.join(', ') || 'no metric'}${fallback}${watched}${shown}`;
}

/** Numeric entries of a workload's closing line that are rates, e.g. { arrival_rate: 194 }. */
function achievedRates(achieved: Record<string, unknown> | null): Array<[string, number]> {
  if (!achieved) return [];
  return Object.entries(achieved).filter(
    (e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]) && /rate|per_?s(ec)?$/i.test(e[0]),
  );
}

/** "processes 194/s, endpoints ports 812/s": the achieved workload rates of one run. */
export function formatWorkloads(run: Run): string {
  const parts: string[] = [];
  for (const w of run.workloads) {
    const rates = achievedRates(w.achieved);
    if (rates.length === 0) {
      parts.push(`${w.name} ${w.exitCode !== null && w.exitCode !== 0 ? `exit ${w.exitCode}` : MISSING}`);
      continue;
    }
    const shown = rates.map(([k, v]) => {
      const name = k.replace(/[_-]?(rate|per_?s(ec)?)$/i, '').replace(/[_-]/g, ' ');
      return name ? `${name} ${formatRate(v)}` : formatRate(v);
    });
    parts.push(`${w.name} ${shown.join(' ')}`);
  }
  return parts.length > 0 ? parts.join(', ') : MISSING;
}

/** The harness's CPU, percent of one core, with a flag past HARNESS_CPU_BUDGET_PERCENT. */
function formatHarnessCpu(percent: number | null | undefined): string {
  const text = formatCpu(percent);
  return typeof percent === 'number' && percent > HARNESS_CPU_BUDGET_PERCENT
    ? `${text} (over ${HARNESS_CPU_BUDGET_PERCENT}%)`
    : text;
}

/** One run as display strings. */
export interface RunRow {
  run: string;
  valid: string;
  timeToReady: string;
  cpuMean: string;
  cpuP95: string;
  /** CPU per 1,000 delivered events, load start to drained (dash when nothing counted the events). */
  cpuPerEvents: string;
  memMean: string;
  memMax: string;
  samples: string;
  /** Canary event latency, e.g. "12 ms" (dash when the run has none). */
  canaryLatency: string;
  /** Process signal loss, e.g. "0.0% of 1965" (dash when the run has none). */
  processLoss: string;
  /** The collector's `drops` counter over the load window (dash when not scraped). */
  drops: string;
  /** The harness's own CPU over the load window, flagged past its budget, e.g. "4.7% (over 3%)". */
  harnessCpu: string;
  workloads: string;
  note: string;
  isValid: boolean;
}

export function runRow(run: Run): RunRow {
  const s = run.summary;
  const notes: string[] = [];
  if (run.warmupRun) notes.push('warm-up run, not compared');
  if (!run.valid) notes.push(run.invalidReason ?? 'invalid');
  if (run.collectorExitCode !== null && run.collectorExitCode !== 0)
    notes.push(`collector exited ${exitDetail({ exitCode: run.collectorExitCode })}`);
  if (run.outputBuffering?.blockBuffered) notes.push('output block-buffered');
  if (run.shortfall) notes.push(`workload fell short of its target: ${run.shortfall.reason}`);
  if (run.eventCost && !run.eventCost.drained) notes.push('collector still busy at the drain cap');
  return {
    run: `#${run.index + 1}${run.warmupRun ? ' (warm-up)' : ''}`,
    valid: run.valid ? 'yes' : 'no',
    timeToReady: formatSeconds(run.timeToReadyMs),
    cpuMean: formatCpu(s?.cpuPercent.windowMean),
    cpuP95: formatCpu(s?.cpuPercent.p95),
    cpuPerEvents: formatCpuPerEvents(run.eventCost?.cpuMsPer1000Events),
    memMean: formatMemory(s?.memoryBytes.windowMean),
    memMax: formatMemory(s?.memoryBytes.max),
    samples: String(s ? s.cpuPercent.n : 0) + (s ? '' : ` (${run.samples.length} raw)`),
    canaryLatency: formatLatencyMs(run.canaryLatencyMs),
    processLoss: formatProcessLoss(run.processLoss),
    drops: formatCount(run.collectorMetrics.drops),
    harnessCpu: formatHarnessCpu(run.context.harnessCpuPercent),
    workloads: formatWorkloads(run),
    note: notes.join('; '),
    isValid: run.valid,
  };
}

export type RunColumnKey = Exclude<keyof RunRow, 'isValid'>;

/** One column of the per-run table; `numeric` columns are right-aligned by every renderer. */
export interface RunColumn {
  key: RunColumnKey;
  header: string;
  numeric: boolean;
}

interface RunColumnSpec extends RunColumn {
  /** For an optional column: whether a run has the value. The column is shown when any run has it. */
  presentIn?: (run: Run) => boolean;
}

const RUN_COLUMN_SPECS: readonly RunColumnSpec[] = [
  { key: 'run', header: 'Run', numeric: false },
  { key: 'valid', header: 'Valid', numeric: false },
  { key: 'timeToReady', header: 'Ready after', numeric: true },
  { key: 'cpuMean', header: 'CPU mean', numeric: true },
  { key: 'cpuP95', header: 'CPU p95', numeric: true },
  {
    key: 'cpuPerEvents',
    header: 'CPU per 1k events',
    numeric: true,
    presentIn: (r) => typeof r.eventCost?.cpuMsPer1000Events === 'number',
  },
  { key: 'memMean', header: 'Mem mean', numeric: true },
  { key: 'memMax', header: 'Mem max', numeric: true },
  { key: 'samples', header: 'Samples', numeric: true },
  // Optional: older result files and runs without a canary or a Prometheus scrape lack them, and a
  // column of dashes only makes the table wider.
  {
    key: 'canaryLatency',
    header: 'Canary latency',
    numeric: true,
    presentIn: (r) => typeof r.canaryLatencyMs === 'number',
  },
  { key: 'processLoss', header: 'Process loss', numeric: true, presentIn: (r) => r.processLoss != null },
  { key: 'drops', header: 'Drops', numeric: true, presentIn: (r) => typeof r.collectorMetrics.drops === 'number' },
  {
    key: 'harnessCpu',
    header: 'Harness CPU',
    numeric: true,
    presentIn: (r) => typeof r.context.harnessCpuPercent === 'number',
  },
  { key: 'workloads', header: 'Workloads achieved', numeric: false },
  { key: 'note', header: 'Note', numeric: false },
];

/** The columns of the per-run table for these runs: the always-shown ones plus each optional one some run has. */
export function runColumns(runs: readonly Run[]): RunColumn[] {
  return RUN_COLUMN_SPECS.filter((c) => !c.presentIn || runs.some(c.presentIn)).map(({ key, header, numeric }) => ({
    key,
    header,
    numeric,
  }));
}

/** A run row's cells for the given columns (default: every column). */
export function runCells(r: RunRow, columns: readonly RunColumn[] = RUN_COLUMN_SPECS): string[] {
  return columns.map((c) => r[c.key]);
}

/** The environment as label/value pairs, in reading order. */
export function environmentRows(env: Environment): Array<[string, string]> {
  return [
    ['Kernel', env.kernel],
    ['OS', env.os],
    ['CPU', `${env.cpuModel} (${env.cpus} CPUs, ${env.arch})`],
    ['Memory', formatGiB(env.memoryBytes)],
    ['Runtime', `${env.runtime.kind} ${env.runtime.version}`],
    ['Collection method', env.collectionMethod],
    ['Collector image', env.collectorImage ?? MISSING],
    ['Image id', env.collectorImageId ?? MISSING],
    ['cgroup', env.cgroupVersion ?? MISSING],
  ];
}

/** A short name for a result file: "abc1234 · 2026-11-20T10:00:00Z". */
export function resultLabel(result: ResultFile): string {
  const sha = result.git.sha ? result.git.sha.slice(0, 7) : 'no sha';
  return `${sha} · ${result.createdAt}`;
}

/** A one-line description of the baseline this comparison used. */
export function baselineDescription(c: Comparison): string {
  if (c.mode === 'ab') return 'its baseline arm (same file, same machine)';
  if (c.baselineSource === 'none' || c.baselineResults.length === 0) return 'no baseline results';
  const n = c.baselineResults.length;
  return `${n} baseline result${n === 1 ? '' : 's'} from ${c.baselineSource}`;
}

/**
 * The warning every report carries when the candidate's event delivery was not checked
 * (collector.delivery via none): cheaper figures could then mean an agent that stopped collecting.
 */
export function deliveryWarning(delivery: DeliveryRecord | null | undefined): string | null {
  if (!delivery || delivery.verified) return null;
  return `Event delivery was not verified (collector.delivery: ${delivery.via}): nothing shows the agent delivered the events it saw, so lower CPU or memory may mean it stopped collecting.`;
}

/**
 * The warning a run table carries when log delivery saw the agent's output arrive in the flushes of
 * a stdio buffer (Run.outputBuffering): its canary latency and a readiness by log line then timed
 * the buffer filling, not the agent delivering.
 */
export function outputBufferingWarning(runs: readonly Run[]): string | null {
  const buffered = runs.filter((r) => r.outputBuffering?.blockBuffered);
  if (buffered.length === 0) return null;
  const bytes = buffered[0].outputBuffering!.burstBytes;
  return (
    `The agent's output arrived in bursts of ${bytes === null ? 'one size' : `about ${Math.round(bytes)} bytes`} in ${buffered.length} of ${runs.length} run${runs.length === 1 ? '' : 's'}: ` +
    'its stdout is block-buffered, so canary latency and a readiness by log line measure that buffer, not event delivery. ' +
    'Set collector.tty: true (a terminal makes libc flush every line), or run the agent under stdbuf -oL.'
  );
}

/**
 * What a comparison left out or counted although a run's workload fell short: the pairs the A/B
 * model dropped (each with why), and in history mode the candidate's short runs (counted: a
 * session has no pair to drop, so its mean carries their lighter load).
 */
export function droppedRunWarnings(c: Comparison): string[] {
  const out: string[] = [];
  const n = c.droppedPairs.length;
  if (n > 0) out.push(`${n} pair${n === 1 ? '' : 's'} left out of the comparison: ${c.droppedPairs.join('; ')}.`);
  const k = c.shortRuns.length;
  if (k > 0)
    out.push(
      `${k} candidate run${k === 1 ? '' : 's'} fell well short of the workload target and ${k === 1 ? 'is' : 'are'} counted ` +
        `(history mode has no pair to drop; the session's mean carries the lighter load): ${c.shortRuns.join('; ')}.`,
    );
  return out;
}

/**
 * The warning a run table carries when some runs' workloads fell well short of their target
 * (Run.shortfall): what they measured was a lighter load than the others.
 */
export function shortfallWarning(result: ResultFile): string | null {
  const { runs } = result;
  const short = runs.filter((r) => r.shortfall);
  if (short.length === 0) return null;
  const consequence =
    result.mode === 'ab'
      ? 'the comparison leaves their pairs out'
      : 'a comparison with stored sessions counts them and says so';
  return (
    `${short.length} of ${runs.length} run${runs.length === 1 ? '' : 's'} fell well short of the workload target ` +
    `(${short.map((r) => `#${r.index + 1}`).join(', ')}): they measured a lighter load; ${consequence}.`
  );
}

/** True when no baseline was available at all (the first run of a benchmark, say). */
export function hasNoBaseline(c: Comparison): boolean {
  return c.mode === 'history' && (c.baselineSource === 'none' || c.baselineResults.length === 0);
}
