/**
 * How a figure is worded in the prose fields of the contracts (a comparison's verdict reasons and
 * notes). The reports (src/report/format.ts) word their tables with these same functions, so a
 * value reads the same wherever a user meets it (a +46% change is "+46%" in the table and in the
 * reason). They live here, below both, because the reason is part of the comparison contract that
 * src/stats writes. Missing values (null, NaN) render as an em dash.
 */
import { MiB } from '../units.js';
import type { AgentCostMetric } from './agent-cost.js';
import type { MetricComparison } from './comparison.js';

/** The one human name of each compared metric, in reasons, notes and every report. */
export const METRIC_NAME: Record<MetricComparison['metric'] | AgentCostMetric, string> = {
  cpuPercent: 'CPU',
  cpuMsPer1000Events: 'CPU per 1,000 events',
  memoryBytes: 'Memory',
  bpfCpuPercent: 'BPF kernel CPU',
  bpfNsPerEvent: 'BPF time per event',
  memoryGrowthMiBPerMinute: 'Memory growth',
  hostCpuOverheadPercent: 'Host CPU overhead',
};

export const MISSING = '—';

/** The unit of a compared metric: percent of one core, bytes, a working-set slope, or a cost per event. */
export type FigureUnit = 'percent' | 'bytes' | 'MiB/min' | 'ms/1000 events' | 'ns/event';

export function present(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Fewer decimals for bigger numbers: 0.123, 1.23, 12.3, 123. */
export function adaptive(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a < 1) return v.toFixed(3);
  if (a < 10) return v.toFixed(2);
  if (a < 100) return v.toFixed(1);
  return v.toFixed(0);
}

export function bytesToMiB(bytes: number): number {
  return bytes / MiB;
}

function signed(text: string, v: number): string {
  return v > 0 ? `+${text}` : text; // negative numbers already carry their "-"
}

/** A relative change (0.042 = +4.2%) as a signed percentage, e.g. "+4.2%" or "-12.0%". */
export function formatChange(relative: number | null | undefined): string {
  if (!present(relative)) return MISSING;
  const pct = relative * 100;
  const text = Math.abs(pct) < 10 ? pct.toFixed(1) : pct.toFixed(0);
  // -0.04% rounds to "-0.0": show it as an unsigned zero.
  if (Number(text) === 0) return '0.0%';
  return `${signed(text, pct)}%`;
}

const SUFFIX: Record<FigureUnit, string> = {
  percent: ' pp',
  bytes: ' MiB',
  'MiB/min': ' MiB/min',
  'ms/1000 events': ' ms/1k events',
  'ns/event': ' ns/event',
};

/**
 * An absolute change in the metric's unit: percentage points for CPU (the floors are in points),
 * MiB for memory, MiB/min for a slope, CPU ms per 1,000 events, BPF ns per event. E.g. "+0.41 pp",
 * "-12.3 MiB", "+31 ms/1k events".
 */
export function formatAbsoluteChange(unit: FigureUnit, absolute: number | null | undefined): string {
  if (!present(absolute)) return MISSING;
  const v = unit === 'bytes' ? bytesToMiB(absolute) : absolute;
  const text = adaptive(v);
  if (Number(text) === 0) return `0${SUFFIX[unit]}`;
  return `${signed(text, v)}${SUFFIX[unit]}`;
}

/** A p-value: "0.43", "0.049", "0.0004", and "<1e-4" below that (more digits would be noise). */
export function formatPValue(p: number | null | undefined): string {
  if (!present(p)) return MISSING;
  if (p < 1e-4) return '<1e-4';
  if (p < 1e-3) return p.toFixed(4);
  if (p < 0.1) return p.toFixed(3);
  return p.toFixed(2);
}

/** The minimum detectable relative change, e.g. "±6.1%". */
export function formatMde(mde: number | null | undefined): string {
  if (!present(mde)) return MISSING;
  const pct = Math.abs(mde) * 100;
  return `±${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`;
}
