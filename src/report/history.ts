/**
 * Text, Markdown and JSON renderings of a history (collector-bench/history@1): per environment key
 * and metric, its status, and every change point with its size and interval, the commit range and
 * the sessions on each side. Numbers go through format.ts like every other report.
 */
import {
  HistoryReportSchema,
  type HistoryChangePoint,
  type HistoryReport,
  type HistorySeries,
} from '../contracts/history.js';
import { InvalidInputError } from '../errors.js';
import type { DetectorValidation } from '../history/detector-validation.js';
import { METRIC_LABEL, MISSING, formatChange, formatMetricValue, formatPValue, shortSha } from './format.js';

export const HISTORY_STATUS_WORD: Record<HistoryReport['status'], string> = {
  changes: 'change points found',
  steady: 'steady',
  insufficient: 'too little history',
};

/** "+19% (+12% … +26%)": the relative change with its interval. */
export function formatStep(cp: HistoryChangePoint): string {
  const ci = cp.change.relativeInterval;
  const interval = ci ? ` (${formatChange(ci[0])} … ${formatChange(ci[1])})` : '';
  return `${formatChange(cp.change.relative)}${interval}`;
}

/** "a1b2c3d 2026-01-01T00:14:00.000Z": a session's commit and time. */
function commitText(c: HistoryChangePoint['firstAfter']): string {
  return `${shortSha(c.sha)} ${c.createdAt}`;
}

export function seriesTitle(s: Pick<HistorySeries, 'envKey' | 'metric'>): string {
  return `${s.envKey} · ${METRIC_LABEL[s.metric]}`;
}

function methodLine(h: HistoryReport): string {
  const o = h.options;
  return (
    `E-divisive means, a step kept at Welch p < ${o.alpha} and at least ${(o.minMagnitude * 100).toFixed(0)}%, ` +
    `${o.minSegment} sessions a side; intervals: ${(o.level * 100).toFixed(0)}% Welch t on the two segments`
  );
}

function changePointLines(s: HistorySeries, cp: HistoryChangePoint): string[] {
  const level = formatMetricValue(s.unit, cp.before.mean);
  const after = formatMetricValue(s.unit, cp.after.mean);
  return [
    `step at session ${cp.index + 1}: ${formatStep(cp)}, ${level} -> ${after}, p ${formatPValue(cp.pValue)}`,
    `  commits: last before ${commitText(cp.lastBefore)}, first after ${commitText(cp.firstAfter)}`,
    `  sessions: ${cp.before.n} before (${cp.before.from + 1}-${cp.before.to}), ${cp.after.n} after (${cp.after.from + 1}-${cp.after.to})`,
  ];
}

export function renderHistoryText(h: HistoryReport): string {
  const out = [`History of ${h.benchmark} in ${h.store}: ${HISTORY_STATUS_WORD[h.status]}`, methodLine(h)];
  for (const s of h.series) {
    out.push('', `${seriesTitle(s)}: ${s.sessions.length} sessions, ${s.epochs.length} epoch(s): ${s.reason}`);
    for (const cp of s.changePoints) out.push(...changePointLines(s, cp).map((l) => `  ${l}`));
  }
  return `${out.join('\n')}\n`;
}

/** The hidden marker a Markdown history starts with (the tracking issue is found by it). */
export function historyMarker(benchmark: string): string {
  return `<!-- collector-bench-history:${benchmark} -->`;
}

export function renderHistoryMarkdown(h: HistoryReport, opts: { marker?: string } = {}): string {
  const out = [
    opts.marker ?? historyMarker(h.benchmark),
    `## History of \`${h.benchmark}\`: ${HISTORY_STATUS_WORD[h.status]}`,
    '',
    `_${methodLine(h)}._`,
    '',
    '| environment · metric | sessions | status |',
    '| --- | --- | --- |',
    ...h.series.map((s) => `| ${seriesTitle(s)} | ${s.sessions.length} | ${s.reason} |`),
  ];
  const withSteps = h.series.filter((s) => s.changePoints.length > 0);
  for (const s of withSteps) {
    out.push(
      '',
      `### ${seriesTitle(s)}`,
      '',
      '| step | before → after | p | last before | first after | sessions before / after |',
      '| --- | --- | --- | --- | --- | --- |',
      ...s.changePoints.map(
        (cp) =>
          `| ${formatStep(cp)} | ${formatMetricValue(s.unit, cp.before.mean)} → ${formatMetricValue(s.unit, cp.after.mean)} | ` +
          `${formatPValue(cp.pValue)} | \`${shortSha(cp.lastBefore.sha)}\` ${cp.lastBefore.createdAt} | ` +
          `\`${shortSha(cp.firstAfter.sha)}\` ${cp.firstAfter.createdAt} | ${cp.before.n} / ${cp.after.n} |`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

/** The history as JSON, checked against its schema first so no reader gets a file it would reject. */
export function renderHistoryJson(h: HistoryReport): string {
  const parsed = HistoryReportSchema.safeParse(h);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError('(history)', issue.path.join('.') || '(root)', undefined, issue.message);
  }
  return `${JSON.stringify(parsed.data, null, 2)}\n`;
}

const pct = (v: number | null) => (v === null ? MISSING : `${(v * 100).toFixed(1)}%`);
const sessionsText = (v: number | null) => (v === null ? MISSING : `${Number.isInteger(v) ? v : v.toFixed(1)}`);

/** The detector's measured precision, recall and delay (validate history) as a Markdown table. */
export function renderDetectorValidation(v: DetectorValidation): string {
  const s = v.settings;
  const o = s.options;
  const head =
    `Generated series: ${s.repetitions} per condition, ${s.before} sessions before the change and ${s.after} after, ` +
    `session noise SD ${(s.noise * 100).toFixed(1)}% of the level (Gaussian), seed ${s.seed}; a change point matches within ` +
    `${s.tolerance} sessions. Detector: min segment ${o.minSegment}, Welch p < ${o.alpha}, min magnitude ${(o.minMagnitude * 100).toFixed(0)}%.`;
  const rows = v.rows.map(
    (r) =>
      `| ${r.condition} | ${r.series} x ${r.sessions} | ${r.detected} | ${pct(r.recall)} | ${pct(r.precision)} | ` +
      `${r.falseChangePoints} in ${r.seriesWithFalse} series | ${sessionsText(r.medianDelay)} | ${sessionsText(r.p90Delay)} |`,
  );
  return [
    head,
    '',
    '| condition | series x sessions | detected | recall | precision | false change points | median delay (sessions) | p90 delay |',
    '| --- | --: | --: | --: | --: | --: | --: | --: |',
    ...rows,
    '',
  ].join('\n');
}
