/**
 * The modes table of `validate table`, for the terminal and as Markdown for the README: one row per
 * (design, neighbour), every rate as "pct (k/n, 95% CI lo-hi)", the goal beside each column's
 * name, and rows with fewer than 20 A/A comparisons marked as anecdotes.
 */
import type { RateInterval } from '../stats/wilson.js';
import { ANECDOTE_BELOW, VALIDATE_GOALS, type RecordSpan, type ValidateTableRow } from '../stats/validate-table.js';
import { markdownText } from './escape.js';
import { MISSING, formatChange, formatMde } from './format.js';
import { textTable } from './text-table.js';

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/** "85% (17/20, 64-95%)". */
export function formatRate(r: RateInterval | null): string {
  if (r === null) return MISSING;
  return `${pct(r.rate)} (${r.k}/${r.n}, ${(r.low * 100).toFixed(0)}-${pct(r.high)})`;
}

const G = VALIDATE_GOALS;
const HEADERS = [
  'design',
  'neighbour',
  'n A/A',
  `P(unchanged | A/A) [goal ≥ ${pct(G.aaUnchangedAtLeast)}]`,
  `P(false verdict | A/A) [goal ≤ ${pct(G.falseVerdictAtMost)}]`,
  'P(regression | +5%)',
  `P(regression | +10%) [goal ≥ ${pct(G.cpu10CalledAtLeast)}]`,
  'measured vs injected (median)',
  `median CPU MDE [goal ≤ ${pct(G.medianCpuMdeAtMost)}]`,
  'minutes per decision',
];

function cells(r: ValidateTableRow): string[] {
  const neighbour =
    r.neighbourCores === null ? r.neighbour : `${r.neighbour} (measured ${r.neighbourCores.toFixed(2)} cores)`;
  const measured = r.measuredVsInjected.length
    ? r.measuredVsInjected
        .map((m) => `${formatChange(m.measuredMedian)} for ${formatChange(m.injected)} (n=${m.n})`)
        .join('; ')
    : MISSING;
  return [
    r.design,
    neighbour,
    `${r.aaComparisons}${r.anecdote ? ` (anecdote: n < ${ANECDOTE_BELOW})` : ''}`,
    formatRate(r.aaUnchanged),
    formatRate(r.aaFalseVerdict),
    formatRate(r.cpu5Called),
    formatRate(r.cpu10Called),
    measured,
    formatMde(r.medianCpuMde),
    r.minutesPerDecision === null ? MISSING : r.minutesPerDecision.toFixed(1),
  ];
}

const FOOTNOTE =
  'Rates: k/n with the 95% Wilson interval. False verdict: any metric called regression or improvement. ' +
  'P(regression | +x%): the deciding CPU measure (CPU %, or CPU per 1,000 events in a per-event design) called a regression with the knob raised by x%; ' +
  "the measured change and the median MDE are that measure's. " +
  'Minutes per decision: the median wall time of one comparison.';

/** One line above the table: how much of what it was computed from. */
function formatRecordSpan(span: RecordSpan): string {
  if (span.comparisons === 0) return 'The record holds no comparisons.';
  const shas = span.shas.map((s) => s.slice(0, 7));
  return (
    `${span.comparisons} comparison(s) from ${span.first} to ${span.last}; ` +
    `${shas.length} commit(s) (${shas.join(', ')}); machine(s): ${span.machines.join('; ')}`
  );
}

/** The table for the terminal, with the record's span above it when given. */
export function renderValidateTableText(rows: readonly ValidateTableRow[], span?: RecordSpan): string {
  if (!rows.length) return 'The record holds no comparisons.';
  return `${span ? `${formatRecordSpan(span)}\n\n` : ''}${textTable(HEADERS, rows.map(cells), { align: ['left', 'left', 'right'] })}\n\n${FOOTNOTE}`;
}

/** The table as Markdown (for the README), with the record's span above it when given. */
export function renderValidateTableMarkdown(rows: readonly ValidateTableRow[], span?: RecordSpan): string {
  const line = (cs: readonly string[]) => `| ${cs.map(markdownText).join(' | ')} |`;
  return [
    ...(span ? [markdownText(formatRecordSpan(span)), ''] : []),
    line(HEADERS),
    `| ${HEADERS.map((_, i) => (i < 2 ? '---' : '--:')).join(' | ')} |`,
    ...rows.map((r) => line(cells(r))),
    '',
    markdownText(FOOTNOTE),
  ].join('\n');
}
