/**
 * The history as one self-contained HTML page (the comparison report's styles, inline SVG, no
 * script): per environment key and metric the session values, each segment between change points
 * as its mean with a band for the mean's interval, a dashed line at every step, and the table of
 * the change points with their commit range.
 */
import type { HistoryReport, HistorySeries } from '../contracts/history.js';
import { MISSING, bytesToMiB, formatMetricValue, formatPValue, shortSha } from './format.js';
import { HISTORY_STATUS_WORD, formatStep, seriesTitle } from './history.js';
import { BASELINE_COLOR, CANDIDATE_COLOR, htmlDocument } from './html.js';
import { escapeHtml, lineChart, type ChartBand, type LineSeries } from './svg.js';

const STEP_COLOR = '#b42318';

function plotted(s: HistorySeries, v: number): number {
  return s.unit === 'bytes' ? bytesToMiB(v) : v;
}

/** Sessions are numbered from 1 on the x axis, as in the text report. */
function seriesChart(s: HistorySeries): string {
  const lines: LineSeries[] = [
    {
      label: 'session values',
      points: s.sessions.map((x, i) => [i + 1, plotted(s, x.value)]),
      color: BASELINE_COLOR,
      width: 1.2,
    },
    ...s.segments.map((seg) => ({
      label: `segment mean of sessions ${seg.from + 1}-${seg.to}: ${formatMetricValue(s.unit, seg.mean)}`,
      points: [
        [seg.from + 1, plotted(s, seg.mean)],
        [seg.to, plotted(s, seg.mean)],
      ] as Array<[number, number]>,
      color: CANDIDATE_COLOR,
      width: 2.5,
    })),
  ];
  const bands: ChartBand[] = s.segments.flatMap((seg) =>
    seg.interval
      ? [
          {
            x0: seg.from + 1,
            x1: seg.to,
            y0: plotted(s, seg.interval[0]),
            y1: plotted(s, seg.interval[1]),
            color: CANDIDATE_COLOR,
            label: `interval of the mean of sessions ${seg.from + 1}-${seg.to}: ${formatMetricValue(s.unit, seg.interval[0])} … ${formatMetricValue(s.unit, seg.interval[1])}`,
          },
        ]
      : [],
  );
  const markers = s.changePoints.map((cp) => ({
    x: cp.index + 0.5,
    color: STEP_COLOR,
    label: `step ${formatStep(cp)} before session ${cp.index + 1} (${shortSha(cp.firstAfter.sha)})`,
  }));
  return lineChart(lines, {
    title: seriesTitle(s),
    xLabel: 'session from main (oldest first)',
    yLabel: s.unit === 'bytes' ? 'memory MiB' : 'CPU % of one core',
    className: `chart chart-line chart-history chart-${s.metric}`,
    bands,
    markers,
  });
}

function changeTable(s: HistorySeries): string {
  if (s.changePoints.length === 0) return '';
  const head = ['step', 'before → after', 'p', 'last before', 'first after', 'sessions before / after'];
  const rows = s.changePoints.map((cp) =>
    [
      formatStep(cp),
      `${formatMetricValue(s.unit, cp.before.mean)} → ${formatMetricValue(s.unit, cp.after.mean)}`,
      formatPValue(cp.pValue),
      `${shortSha(cp.lastBefore.sha)} ${cp.lastBefore.createdAt}`,
      `${shortSha(cp.firstAfter.sha)} ${cp.firstAfter.createdAt}`,
      `${cp.before.n} / ${cp.after.n}`,
    ]
      .map((t) => `<td>${escapeHtml(t)}</td>`)
      .join(''),
  );
  return (
    `<table class="change-points"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table>`
  );
}

function epochNote(s: HistorySeries): string {
  if (s.epochs.length < 2) return '';
  const parts = s.epochs.map(
    (e) =>
      `sessions ${e.from + 1}-${e.to}: ${Object.entries(e.environment)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
  );
  return `<p class="meta epochs">${escapeHtml(`Epochs (an environment change; no step spans two): ${parts.join('; ')}`)}</p>`;
}

export function renderHistoryHtml(h: HistoryReport): string {
  const title = `collector-bench history of ${h.benchmark}: ${HISTORY_STATUS_WORD[h.status]}`;
  const sections = h.series.map(
    (s) =>
      `<section class="series status-${s.status}"><h2>${escapeHtml(seriesTitle(s))}</h2>` +
      `<p class="${s.status === 'insufficient' ? 'note' : 'meta'}">${escapeHtml(s.reason)}</p>` +
      epochNote(s) +
      (s.sessions.length > 0 ? `<figure>${seriesChart(s)}</figure>` : `<p class="meta">${MISSING}</p>`) +
      changeTable(s) +
      `</section>`,
  );
  const o = h.options;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(
      `${h.store} · E-divisive means; a step is kept at Welch p < ${o.alpha}, at least ${(o.minMagnitude * 100).toFixed(0)}%, ` +
        `${o.minSegment} sessions a side · bands: ${(o.level * 100).toFixed(0)}% t interval of each segment mean`,
    )}</p>`,
    ...sections,
  ].join('\n');
  return htmlDocument(title, body);
}
