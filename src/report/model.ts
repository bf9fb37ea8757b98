/**
 * What every report shows, computed once from the contracts: metric rows grouped by environment
 * key, per-run rows and environment rows as display strings. The renderers only lay them out.
 */
import type { Comparison, MetricComparison } from '../contracts/comparison.js';
import type { DeliveryRecord, Environment, ResultFile, Run } from '../contracts/result.js';
import {
  MISSING,
  formatChangeWithAbsolute,
  formatCount,
  formatCpu,
  formatGiB,
  formatLatencyMs,
  formatMde,
  formatMemory,
  formatPValue,
  formatProcessLoss,
  formatRate,
  formatRatioInterval,
  formatSeconds,
  formatSide,
  metricLabel,
} from './format.js';
import { exitDetail } from '../runtime/exit.js';

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
  ci95: string;
  pAdjusted: string;
  mde: string;
  verdict: MetricComparison['verdict'];
  reason: string;
}

export function verdictRow(m: MetricComparison): VerdictRow {
  return {
    metric: metricLabel(m),
    baseline: formatSide(m.unit, m.baseline),
    candidate: formatSide(m.unit, m.candidate),
    change: formatChangeWithAbsolute(m),
    ci95: formatRatioInterval(m.change.ci95),
    pAdjusted: formatPValue(m.adjustedPValue),
    mde: formatMde(m.mde),
    verdict: m.verdict,
    reason: m.reason,
  };
}

export const VERDICT_COLUMNS = [
  'Metric',
  'Baseline',
  'Candidate',
  'Change',
  '95% CI (ratio)',
  'p (adj.)',
  'MDE',
  'Verdict',
] as const;

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

/** One run as display strings. */
export interface RunRow {
  run: string;
  valid: string;
  timeToReady: string;
  cpuMedian: string;
  cpuP95: string;
  memMedian: string;
  memMax: string;
  samples: string;
  /** Canary event latency, e.g. "12 ms" (dash when the run has none). */
  canaryLatency: string;
  /** Process signal loss, e.g. "0.0% of 1965" (dash when the run has none). */
  processLoss: string;
  /** The collector's `drops` counter over the load window (dash when not scraped). */
  drops: string;
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
  return {
    run: `#${run.index + 1}${run.warmupRun ? ' (warm-up)' : ''}`,
    valid: run.valid ? 'yes' : 'no',
    timeToReady: formatSeconds(run.timeToReadyMs),
    cpuMedian: formatCpu(s?.cpuPercent.median),
    cpuP95: formatCpu(s?.cpuPercent.p95),
    memMedian: formatMemory(s?.memoryBytes.median),
    memMax: formatMemory(s?.memoryBytes.max),
    samples: String(s ? s.cpuPercent.n : 0) + (s ? '' : ` (${run.samples.length} raw)`),
    canaryLatency: formatLatencyMs(run.canaryLatencyMs),
    processLoss: formatProcessLoss(run.processLoss),
    drops: formatCount(run.collectorMetrics.drops),
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
  { key: 'cpuMedian', header: 'CPU median', numeric: true },
  { key: 'cpuP95', header: 'CPU p95', numeric: true },
  { key: 'memMedian', header: 'Mem median', numeric: true },
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

/** True when no baseline was available at all (the first run of a benchmark, say). */
export function hasNoBaseline(c: Comparison): boolean {
  return c.baselineSource === 'none' || c.baselineResults.length === 0;
}
