/**
 * The HTML report: ONE self-contained file (inline CSS and SVG, no script, no external asset) that
 * opens from a CI artifact: verdict tables, CPU and memory over time for every run, and the
 * run-level distributions baseline vs candidate.
 */
import type { Comparison, MetricComparison } from '../contracts/comparison.js';
import type { ResultFile, Run } from '../contracts/result.js';
import type { Verdict } from '../contracts/comparison.js';
import { MISSING, VERDICT_WORD, bytesToMiB, overallHeadline, shortSha } from './format.js';
import {
  VERDICT_COLUMNS,
  baselineDescription,
  decidingDescription,
  deliveryWarning,
  droppedRunWarnings,
  outputBufferingWarning,
  environmentRows,
  groupByEnvKey,
  hasNoBaseline,
  legend,
  modeDescription,
  resultLabel,
  runCells,
  runColumns,
  runRow,
  verdictRow,
} from './model.js';
import { escapeHtml, lineChart, stripChart, type LineSeries } from './svg.js';
import { agentCostLines, agentCostTables } from './agent-cost.js';
import { countedRuns } from '../contracts/result.js';

export interface HtmlResults {
  baseline: ResultFile[];
  candidate: ResultFile;
}

export const BASELINE_COLOR = '#4a6f94';
export const CANDIDATE_COLOR = '#e8710a';

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1f24; background: #fff; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f3f4f6; padding: 1px 4px; border-radius: 3px; }
.meta { color: #57606a; margin: 0 0 8px; }
.note { border-left: 4px solid #d4a72c; background: #fff8e1; padding: 6px 10px; margin: 8px 0; }
table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.scroll { overflow-x: auto; max-width: 100%; }
table.environment td { overflow-wrap: anywhere; }
td.num, td.verdict { text-align: right; white-space: nowrap; }
td.verdict { text-align: left; }
tr.v-regression td.verdict { color: #b42318; font-weight: 600; }
tr.v-improvement td.verdict { color: #1a7f37; font-weight: 600; }
tr.v-unchanged td.verdict { color: #57606a; }
tr.v-inconclusive td.verdict { color: #9a6700; font-weight: 600; }
tr.invalid td { background: #fff1f0; }
.legend { display: flex; gap: 18px; flex-wrap: wrap; margin: 4px 0; color: #333; }
.legend span::before { content: ""; display: inline-block; width: 22px; height: 3px; margin-right: 6px; vertical-align: middle; background: var(--c); }
.legend span.dashed::before { background: repeating-linear-gradient(90deg, var(--c) 0 4px, transparent 4px 7px); }
figure { margin: 10px 0 18px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg { display: block; max-width: 100%; height: auto; }
.mark { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%; margin-right: 0.35em; vertical-align: -0.05em; border: 1px solid rgba(0,0,0,.25); }
.m-regression { background: #d92d20; } .m-improvement { background: #12b76a; }
.m-unchanged { background: #fff; } .m-inconclusive { background: #f5c518; }
footer { color: #57606a; font-size: 12px; margin-top: 28px; }
`;

/** A coloured dot drawn by CSS: emoji need a font that a CI browser or viewer may not have. */
function mark(v: Verdict): string {
  return `<span class="mark m-${v}" title="${escapeHtml(v)}"></span>`;
}

function td(text: string, cls = ''): string {
  return `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</td>`;
}

function th(text: string): string {
  return `<th>${escapeHtml(text)}</th>`;
}

function verdictTables(c: Comparison): string {
  const groups = groupByEnvKey(c.metrics);
  if (groups.length === 0) return '<p>No metrics were compared.</p>';
  const out: string[] = [];
  for (const g of groups) {
    out.push(`<h3>Environment <code>${escapeHtml(g.envKey)}</code></h3>`);
    out.push(
      `<div class="scroll"><table class="verdicts"><thead><tr>${[...VERDICT_COLUMNS, 'Reason'].map(th).join('')}</tr></thead><tbody>`,
    );
    for (const m of g.metrics) {
      const r = verdictRow(m);
      out.push(
        `<tr class="v-${r.verdict}">` +
          td(r.metric) +
          [r.baseline, r.candidate, r.change, r.interval, r.pAdjusted, r.mde].map((v) => td(v, 'num')).join('') +
          `<td class="verdict">${mark(r.verdict)}${escapeHtml(VERDICT_WORD[r.verdict])}</td>` +
          td(
            [
              r.reason || MISSING,
              r.plan ? `Run planner: ${r.plan}.` : '',
              r.diagnostics ? `Shown, not deciding: ${r.diagnostics}.` : '',
            ]
              .filter(Boolean)
              .join(' '),
          ) +
          `</tr>`,
      );
    }
    out.push('</tbody></table></div>');
  }
  return out.join('\n');
}

/** Samples inside a run's load window as [seconds, value] points. */
function windowPoints(run: Run, value: (s: Run['samples'][number]) => number): Array<[number, number]> {
  const length = run.loadWindow.endMs - run.loadWindow.startMs;
  return run.samples
    .filter((s) => s.t >= 0 && (length <= 0 || s.t <= length))
    .sort((a, b) => a.t - b.t)
    .map((s) => [s.t / 1000, value(s)]);
}

function runSeries(results: HtmlResults, value: (s: Run['samples'][number]) => number): LineSeries[] {
  const series: LineSeries[] = [];
  const add = (r: ResultFile, fileKind: 'baseline' | 'candidate') => {
    for (const run of r.runs) {
      if (run.warmupRun) continue; // a cold start is not what the comparison looked at
      const kind = run.arm ?? fileKind; // an A/B file holds both arms
      series.push({
        label: `${kind} ${shortSha(r.git.sha)} run #${run.index + 1}${run.valid ? '' : ' (invalid)'}`,
        points: windowPoints(run, value),
        color: kind === 'baseline' ? BASELINE_COLOR : CANDIDATE_COLOR,
        width: kind === 'baseline' ? 1.2 : 2,
        opacity: kind === 'baseline' ? 0.55 : 0.95,
        dashed: !run.valid,
      });
    }
  };
  for (const b of results.baseline) add(b, 'baseline');
  add(results.candidate, 'candidate'); // last, so it is drawn on top
  return series;
}

function timeSeriesSection(results: HtmlResults | undefined): string {
  if (!results) return '<p class="meta">No result files were given, so there are no time series.</p>';
  const legend =
    `<div class="legend"><span style="--c:${BASELINE_COLOR}">baseline runs</span>` +
    `<span style="--c:${CANDIDATE_COLOR}">candidate runs</span>` +
    `<span class="dashed" style="--c:#777">invalid run</span></div>`;
  const cpu = lineChart(
    runSeries(results, (s) => s.cpuPercent),
    {
      title: 'Collector CPU over the load window',
      xLabel: 'seconds in load window',
      yLabel: 'CPU % of one core',
      yFromZero: true,
      className: 'chart chart-line chart-cpu',
    },
  );
  const mem = lineChart(
    runSeries(results, (s) => bytesToMiB(s.memoryBytes)),
    {
      title: 'Collector memory (working set) over the load window',
      xLabel: 'seconds in load window',
      yLabel: 'memory MiB',
      yFromZero: true,
      className: 'chart chart-line chart-memory',
    },
  );
  return [
    legend,
    `<figure><figcaption>CPU (% of one core)</figcaption>${cpu}</figure>`,
    `<figure><figcaption>Memory, working set (MiB)</figcaption>${mem}</figure>`,
  ].join('\n');
}

function distributionSection(c: Comparison): string {
  if (c.metrics.length === 0) return '<p>No metrics were compared.</p>';
  const out: string[] = [];
  for (const m of c.metrics) {
    const toUnit = (v: number) => (m.unit === 'bytes' ? bytesToMiB(v) : v);
    const title = `${verdictRow(m).metric} per run, ${m.envKey}`;
    const chart = stripChart(
      [
        { label: 'Baseline', values: m.baseline.values.map(toUnit), color: BASELINE_COLOR },
        { label: 'Candidate', values: m.candidate.values.map(toUnit), color: CANDIDATE_COLOR },
      ],
      { title, xLabel: unitLabel(m), className: 'chart chart-strip' },
    );
    out.push(
      `<figure><figcaption>${mark(m.verdict)}${escapeHtml(verdictRow(m).metric)} · <code>${escapeHtml(m.envKey)}</code></figcaption>${chart}</figure>`,
    );
  }
  return out.join('\n');
}

function unitLabel(m: MetricComparison): string {
  if (m.unit === 'ms/1000 events') return 'CPU ms per 1,000 delivered events (load start to drained)';
  return m.unit === 'percent' ? `${m.statistic} of CPU % (one core)` : `${m.statistic} of memory MiB`;
}

function runTables(results: HtmlResults | undefined): string {
  if (!results) return '<p class="meta">No result files were given.</p>';
  const files: Array<[string, ResultFile]> = [
    ['Candidate', results.candidate],
    ...results.baseline.map((b): [string, ResultFile] => ['Baseline', b]),
  ];
  const out: string[] = [];
  for (const [kind, r] of files) {
    out.push(`<h3>${escapeHtml(`${kind} ${resultLabel(r)}${r.complete ? '' : ' (incomplete)'}`)}</h3>`);
    if (r.runs.length === 0) {
      out.push('<p>No runs.</p>');
      continue;
    }
    const columns = runColumns(r.runs);
    out.push(
      `<div class="scroll"><table class="runs"><thead><tr>${columns.map((c) => th(c.header)).join('')}</tr></thead><tbody>`,
    );
    for (const run of r.runs) {
      const row = runRow(run);
      const cells = runCells(row, columns);
      out.push(
        `<tr${row.isValid ? '' : ' class="invalid"'}>${cells.map((v, i) => td(v, columns[i].numeric ? 'num' : '')).join('')}</tr>`,
      );
    }
    out.push('</tbody></table></div>');
  }
  return out.join('\n');
}

/** The candidate's working set per run with the fitted least-squares line over it (dashed). */
export function memoryGrowthChart(result: ResultFile): string {
  const series: LineSeries[] = [];
  for (const run of countedRuns(result)) {
    const g = run.memoryGrowth;
    if (!g) continue;
    const points = windowPoints(run, (s) => bytesToMiB(s.memoryBytes));
    series.push({ label: `run #${run.index + 1} working set`, points, color: CANDIDATE_COLOR, opacity: 0.6 });
    const end = (run.loadWindow.endMs - run.loadWindow.startMs) / 1000;
    const at = (sec: number) => bytesToMiB(g.interceptBytes) + (g.mibPerMinute * sec) / 60;
    series.push({
      label: `run #${run.index + 1} fit ${g.mibPerMinute.toFixed(2)} MiB/min`,
      points: [
        [0, at(0)],
        [end, at(end)],
      ],
      color: '#111',
      dashed: true,
      width: 1.5,
    });
  }
  if (series.length === 0) return '';
  return lineChart(series, {
    title: 'Working set over the load window with the fitted slope',
    xLabel: 'seconds in load window',
    yLabel: 'memory MiB',
    className: 'chart chart-line chart-memory-growth',
  });
}

function agentCostSection(c: Comparison, results: HtmlResults | undefined): string {
  const lines = agentCostLines(c, results?.candidate);
  if (lines.length === 0) return '';
  const out = [
    '<section id="agent-cost"><h2>Agent cost</h2>',
    '<p class="meta">Kernel-side BPF time (charged to the traced processes, not the agent), working-set growth, and the overhead against runs with no agent.</p>',
    '<ul>',
    ...lines.map(
      (l) =>
        `<li>${l.verdict ? `${mark(l.verdict)}` : ''}<strong>${escapeHtml(l.label)}</strong>: ${escapeHtml(l.text)}</li>`,
    ),
    '</ul>',
  ];
  if (results) {
    const chart = memoryGrowthChart(results.candidate);
    if (chart)
      out.push(
        `<div class="legend"><span style="--c:${CANDIDATE_COLOR}">candidate working set</span><span class="dashed" style="--c:#111">least-squares fit</span></div>`,
        `<figure><figcaption>Memory over time with the fitted slope</figcaption>${chart}</figure>`,
      );
    for (const t of agentCostTables(results.candidate))
      out.push(
        `<h3>${escapeHtml(t.title)}</h3><div class="scroll"><table><thead><tr>${t.headers.map(th).join('')}</tr></thead><tbody>` +
          t.rows.map((r) => `<tr>${r.map((v, i) => td(v, t.numeric[i] ? 'num' : '')).join('')}</tr>`).join('') +
          '</tbody></table></div>',
      );
  }
  out.push('</section>');
  return out.join('\n');
}

function environmentTable(results: HtmlResults | undefined): string {
  if (!results) return '<p class="meta">No result files were given.</p>';
  const cand = environmentRows(results.candidate.environment);
  const base = results.baseline.map((b) => environmentRows(b.environment));
  const rows = cand.map(([label, value], i) => {
    const bv = [...new Set(base.map((r) => r[i][1]))];
    return `<tr>${td(label)}${td(value)}${td(bv.length > 0 ? bv.join('; ') : MISSING)}</tr>`;
  });
  return `<table class="environment"><thead><tr>${['', 'Candidate', 'Baseline'].map(th).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The whole report as one HTML document. `results` adds the time series, run tables and environment. */
export function renderHtml(comparison: Comparison, results?: HtmlResults): string {
  const c = comparison;
  const title = `collector-bench ${c.benchmark}: ${overallHeadline(c.overall)}`;
  const notes: string[] = [];
  if (hasNoBaseline(c))
    notes.push('No baseline to compare with yet: verdicts stay inconclusive until results from main are stored.');
  const delivery = deliveryWarning(c.candidate.delivery);
  if (delivery) notes.push(delivery);
  notes.push(...droppedRunWarnings(c));
  const buffering = results ? outputBufferingWarning(results.candidate.runs) : null;
  if (buffering) notes.push(buffering);
  if (c.environmentMismatch.length > 0)
    notes.push(`Environments differ (${c.environmentMismatch.join(', ')}): verdicts are inconclusive.`);
  notes.push(...c.notes);
  const body = [
    `<h1>${mark(c.overall)}${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(
      `Candidate ${shortSha(c.candidate.sha)} (${c.candidate.createdAt}) compared with ${baselineDescription(c)} · ` +
        `alpha ${c.alpha}, Holm-adjusted · at least ${c.minRuns} runs per side`,
    )}</p>`,
    `<p class="meta mode">${escapeHtml(`Decided by ${modeDescription(c)}`)}</p>`,
    `<p class="meta deciding">${escapeHtml(decidingDescription(c))}</p>`,
    ...notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`),
    `<section id="verdicts"><h2>Verdicts</h2>${verdictTables(c)}</section>`,
    `<section id="timeseries"><h2>Resource use over time</h2>${timeSeriesSection(results)}</section>`,
    agentCostSection(c, results),
    `<section id="distributions"><h2>Run-level values, baseline vs candidate</h2>` +
      `<p class="meta">Each dot is one run; the black bar is the median of the runs.</p>${distributionSection(c)}</section>`,
    `<section id="runs"><h2>Runs</h2>${runTables(results)}</section>`,
    `<section id="environment"><h2>Environment</h2>${environmentTable(results)}</section>`,
    `<footer>${escapeHtml(`${legend(c)} Generated by collector-bench at ${c.createdAt}.`)}</footer>`,
  ].join('\n');
  return htmlDocument(title, body);
}

/** One self-contained page with the report's styles around `body` (already HTML). */
export function htmlDocument(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${escapeHtml(title)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n<main>\n${body}\n</main>\n</body>\n</html>\n`
  );
}
