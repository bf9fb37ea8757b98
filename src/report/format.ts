/**
 * THE number and verdict formatter of the reports (terminal, Markdown, HTML). The words for a
 * change, a p-value and an MDE come from src/contracts/figures.ts, which the verdict reasons that
 * src/stats writes use too, so a value reads the same wherever a user meets it (a +46% change is
 * "+46%" in the table and in the reason). Missing values (null, NaN) render as an em dash.
 */
import type { MetricComparison, Verdict } from '../contracts/comparison.js';
import {
  MISSING,
  adaptive,
  bytesToMiB,
  formatAbsoluteChange,
  formatChange,
  formatMde,
  formatPValue,
  METRIC_NAME,
  present,
} from '../contracts/figures.js';
import { MiB } from '../units.js';

export { MISSING, bytesToMiB, formatAbsoluteChange, formatChange, formatMde, formatPValue };

export const VERDICT_MARK: Record<Verdict, string> = {
  regression: '🔴',
  improvement: '🟢',
  unchanged: '⚪',
  inconclusive: '🟡',
};

export const VERDICT_WORD: Record<Verdict, string> = {
  regression: 'regression',
  improvement: 'improvement',
  unchanged: 'unchanged',
  inconclusive: 'inconclusive',
};

/** Mark and word together, e.g. "🔴 regression". */
export function verdictLabel(verdict: Verdict): string {
  return `${VERDICT_MARK[verdict]} ${VERDICT_WORD[verdict]}`;
}

/** The headline phrase for the overall verdict of a comparison. */
export function overallHeadline(verdict: Verdict): string {
  switch (verdict) {
    case 'regression':
      return 'Regression detected';
    case 'improvement':
      return 'Improvement detected';
    case 'unchanged':
      return 'Unchanged within the floors';
    case 'inconclusive':
      return 'Inconclusive';
  }
}

/** CPU usage in percent of one core, e.g. "3.42%". */
export function formatCpu(percent: number | null | undefined): string {
  return present(percent) ? `${adaptive(percent)}%` : MISSING;
}

/** Memory in MiB, e.g. "31.8 MiB". */
export function formatMemory(bytes: number | null | undefined): string {
  return present(bytes) ? `${adaptive(bytesToMiB(bytes))} MiB` : MISSING;
}

/** CPU ms per 1,000 delivered events, e.g. "512 ms/1k events". */
export function formatCpuPerEvents(ms: number | null | undefined): string {
  return present(ms) ? `${adaptive(ms)} ms/1k events` : MISSING;
}

/** A metric value in its own unit. */
export function formatMetricValue(unit: MetricComparison['unit'], value: number | null | undefined): string {
  if (unit === 'percent') return formatCpu(value);
  if (unit === 'ms/1000 events') return formatCpuPerEvents(value);
  return formatMemory(value);
}

/** "+4.2% (+0.41 pp)": relative and absolute change together. */
export function formatChangeWithAbsolute(m: Pick<MetricComparison, 'unit' | 'change'>): string {
  const rel = formatChange(m.change.relative);
  const abs = formatAbsoluteChange(m.unit, m.change.absolute);
  if (rel === MISSING && abs === MISSING) return MISSING;
  if (abs === MISSING) return rel;
  if (rel === MISSING) return abs;
  return `${rel} (${abs})`;
}

/**
 * The 95% interval of the ratio candidate/baseline, e.g. "1.08–1.17×". Narrow intervals get a third
 * decimal so the two ends do not print as the same number.
 */
export function formatRatioInterval(ci: readonly [number, number] | null | undefined): string {
  if (!ci || !present(ci[0]) || !present(ci[1])) return MISSING;
  const digits = Math.abs(ci[1] - ci[0]) < 0.02 ? 3 : 2;
  return `${ci[0].toFixed(digits)}–${ci[1].toFixed(digits)}×`;
}

/**
 * The interval of the change against the floor, relative to the baseline, e.g. "-2.1% … +3.4% (floor ±5.0%)".
 * Without a baseline level to divide by, in the metric's unit.
 */
export function formatIntervalVsFloor(m: Pick<MetricComparison, 'unit' | 'interval' | 'floor' | 'change'>): string {
  const floor = m.floor.effective;
  const level = m.change.reference;
  const rel = (v: number) => (level !== null && level > 0 ? formatChange(v / level) : formatAbsoluteChange(m.unit, v));
  const floorText =
    floor === null
      ? MISSING
      : level !== null && level > 0
        ? formatMde(floor / level)
        : formatAbsoluteChange(m.unit, floor).replace(/^\+/, '±');
  if (!m.interval) return `${MISSING} (floor ${floorText})`;
  return `${rel(m.interval.low)} … ${rel(m.interval.high)} (floor ${floorText})`;
}

/** Human names of the compared metrics (their one definition: contracts/figures.ts). */
export const METRIC_LABEL: Record<MetricComparison['metric'], string> = METRIC_NAME;

/** "CPU (median)" etc.: the metric and which run-level statistic was compared. */
export function metricLabel(m: Pick<MetricComparison, 'metric' | 'statistic'>): string {
  return `${METRIC_LABEL[m.metric]} (${m.statistic})`;
}

/** Milliseconds as seconds, e.g. "2.4 s". */
export function formatSeconds(ms: number | null | undefined): string {
  if (!present(ms)) return MISSING;
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(1) : s.toFixed(0)} s`;
}

/** A rate in events per second, e.g. "194/s", "3.5/s". */
export function formatRate(perSecond: number): string {
  return `${adaptive(perSecond)}/s`;
}

/** A short git sha (7 characters) or the dash. */
export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : MISSING;
}

/** Bytes as GiB for host memory, e.g. "7.8 GiB". */
export function formatGiB(bytes: number | null | undefined): string {
  return present(bytes) ? `${adaptive(bytes / (1024 * MiB))} GiB` : MISSING;
}

/**
 * Canary event latency, e.g. "12 ms", "0.4 ms"; from 10 s on in seconds ("12 s"), since a latency
 * that long is about a collector that barely keeps up, not about milliseconds.
 */
export function formatLatencyMs(ms: number | null | undefined): string {
  if (!present(ms)) return MISSING;
  if (Math.abs(ms) >= 10_000) return formatSeconds(ms);
  return `${Math.abs(ms) < 1 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
}

/**
 * Process signal loss as "<lost %> of <spawned>", e.g. "0.0% of 1965": the share the Sensor never
 * received next to how many processes it was out of. A ratio that could not be computed (nothing
 * spawned) shows the dash in its place ("— of 0").
 */
export function formatProcessLoss(
  loss: { spawned: number; received: number; lossRatio: number | null } | null | undefined,
): string {
  if (!loss) return MISSING;
  const ratio = present(loss.lossRatio) ? `${(loss.lossRatio * 100).toFixed(1)}%` : MISSING;
  return `${ratio} of ${present(loss.spawned) ? Math.round(loss.spawned) : MISSING}`;
}

/** A counter delta (events, drops) as a whole number, e.g. "0", "1234". */
export function formatCount(n: number | null | undefined): string {
  return present(n) ? Math.round(n).toString() : MISSING;
}
