/**
 * The saturation ramp in the terminal and as an HTML page: one row per step, the highest
 * sustained rate and what stopped the ramp; the chart puts achieved against target rate (a
 * sustained step sits on the diagonal) and the collector's CPU per 1,000 events beside it.
 */
import type { RampResult, RampStep } from '../contracts/ramp.js';
import { MISSING, formatCpu, formatLatencyMs, shortSha } from './format.js';
import { BASELINE_COLOR, CANDIDATE_COLOR, htmlDocument } from './html.js';
import { escapeHtml, lineChart, type LineSeries } from './svg.js';
import { textTable } from './text-table.js';

const RAMP_COLUMNS = [
  'Step',
  'Phase',
  'Target',
  'Achieved',
  'Collector CPU',
  'CPU / 1k events',
  'Loss',
  'Drops',
  'Canary',
  'Status',
] as const;

const ratio = (r: number | null) => (r === null ? MISSING : `${(r * 100).toFixed(2)}%`);
const rate = (r: number | null) => (r === null ? MISSING : `${Math.round(r)}/s`);

function stepCells(s: RampStep): string[] {
  return [
    String(s.index + 1),
    s.phase,
    rate(s.targetRate),
    rate(s.achievedRate),
    formatCpu(s.collectorCpuPercent),
    s.cpuMsPer1000Events === null ? MISSING : `${s.cpuMsPer1000Events.toFixed(1)} ms`,
    ratio(s.lossRatio),
    s.drops === null ? MISSING : `${s.drops}${s.dropRatio ? ` (${ratio(s.dropRatio)})` : ''}`,
    formatLatencyMs(s.canaryLatencyMs),
    s.status,
  ];
}

/** "highest sustained rate 400/s; stopped by the machine's limit at 800/s: ..." */
export function rampVerdict(r: RampResult): string {
  const top =
    r.highestSustainedRate === null ? 'no rate was sustained' : `highest sustained rate ${r.highestSustainedRate}/s`;
  const who =
    r.limit.kind === 'machine'
      ? "this machine's limit (the workload generator)"
      : r.limit.kind === 'collector'
        ? "the collector's limit"
        : r.limit.kind === 'max-rate'
          ? 'the rate ceiling'
          : 'an interruption';
  const at = r.limit.atRate !== null ? ` at ${r.limit.atRate}/s` : '';
  const notAgent = r.limit.kind === 'machine' ? ", not the agent's" : '';
  return `${top}; stopped by ${who}${at}${notAgent}: ${r.limit.reason}`;
}

export function renderRampTable(r: RampResult): string {
  const rows = r.steps.map(stepCells);
  const align = RAMP_COLUMNS.map((_, i) => (i >= 2 && i <= 8 ? 'right' : 'left') as 'left' | 'right');
  return [
    `collector-bench ramp: processes workload, ${r.settings.stepSeconds} s per step, threshold ${ratio(r.settings.threshold)}, target reached when ≥ ${ratio(r.settings.reachRatio)}`,
    '',
    textTable([...RAMP_COLUMNS], rows, { indent: '  ', align }),
    '',
    rampVerdict(r),
    '',
  ].join('\n');
}

/** Which of two ramps (e.g. two images) sustains more; equal within the bisection's resolution is a tie. */
export function compareRamps(
  a: RampResult,
  b: RampResult,
  labels: [string, string] = ['baseline', 'candidate'],
): string {
  const [x, y] = [a.highestSustainedRate, b.highestSustainedRate];
  if (x === null && y === null) return `neither ${labels[0]} nor ${labels[1]} sustained any rate`;
  if (x === null || y === null)
    return `${x === null ? labels[1] : labels[0]} sustains more (${x ?? y}/s; the other sustained none)`;
  const limited = [a, b].filter((r) => r.limit.kind === 'machine');
  const caveat = limited.length
    ? ` (${limited.length === 2 ? 'both' : 'one'} stopped at this machine's limit, so the difference may be the machine's)`
    : '';
  const tolerance = Math.max(a.settings.resolution, b.settings.resolution) * Math.min(x, y);
  if (Math.abs(x - y) <= tolerance)
    return `${labels[0]} and ${labels[1]} sustain the same rate within the ramp's resolution (${x}/s vs ${y}/s)${caveat}`;
  const [hi, lo] = x > y ? [0, 1] : [1, 0];
  return `${labels[hi]} sustains more: ${Math.max(x, y)}/s vs ${Math.min(x, y)}/s for ${labels[lo]}${caveat}`;
}

function stepSeries(r: RampResult, label: string, color: string, value: (s: RampStep) => number | null): LineSeries {
  const points = r.steps
    .flatMap((s) => {
      const v = value(s);
      return v === null ? [] : [[s.targetRate, v] as [number, number]];
    })
    .sort((p, q) => p[0] - q[0]);
  return { label, points, color, width: 2 };
}

export function renderRampHtml(ramps: ReadonlyArray<{ label: string; ramp: RampResult }>): string {
  const colors = [BASELINE_COLOR, CANDIDATE_COLOR];
  const maxTarget = Math.max(...ramps.flatMap((r) => r.ramp.steps.map((s) => s.targetRate)), 1);
  const rateChart = lineChart(
    [
      {
        label: 'target = achieved',
        points: [
          [0, 0],
          [maxTarget, maxTarget],
        ],
        color: '#999',
        dashed: true,
        width: 1,
      },
      ...ramps.map((r, i) => stepSeries(r.ramp, `${r.label}: achieved`, colors[i % 2], (s) => s.achievedRate)),
    ],
    { title: 'Achieved vs target exec rate', xLabel: 'target execs/s', yLabel: 'achieved execs/s', yFromZero: true },
  );
  const cpuChart = lineChart(
    ramps.map((r, i) =>
      stepSeries(r.ramp, `${r.label}: CPU per 1,000 events`, colors[i % 2], (s) => s.cpuMsPer1000Events),
    ),
    {
      title: 'Collector CPU per 1,000 events',
      xLabel: 'target execs/s',
      yLabel: 'ms CPU / 1,000 events',
      yFromZero: true,
    },
  );
  const lossChart = lineChart(
    ramps.map((r, i) =>
      stepSeries(r.ramp, `${r.label}: loss`, colors[i % 2], (s) => (s.lossRatio === null ? null : s.lossRatio * 100)),
    ),
    { title: 'Process loss', xLabel: 'target execs/s', yLabel: 'loss %', yFromZero: true },
  );
  const tables = ramps.map(
    ({ label, ramp }) =>
      `<h3>${escapeHtml([label, ramp.collectorImage ?? 'reference collector', shortSha(ramp.git.sha)].filter((x, i, all) => all.indexOf(x) === i).join(' · '))}</h3>` +
      `<p><strong>${escapeHtml(rampVerdict(ramp))}</strong></p>` +
      `<div class="scroll"><table><thead><tr>${RAMP_COLUMNS.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>` +
      ramp.steps
        .map(
          (s) =>
            `<tr${s.status === 'sustained' ? '' : ' class="invalid"'}>${stepCells(s)
              .map((c) => `<td>${escapeHtml(c)}</td>`)
              .join('')}</tr>`,
        )
        .join('') +
      `</tbody></table></div>`,
  );
  const legend = ramps.map((r, i) => `<span style="--c:${colors[i % 2]}">${escapeHtml(r.label)}</span>`).join('');
  const headline =
    ramps.length === 2
      ? compareRamps(ramps[0].ramp, ramps[1].ramp, [ramps[0].label, ramps[1].label])
      : rampVerdict(ramps[0].ramp);
  const body = [
    `<h1>collector-bench ramp</h1>`,
    `<p class="meta">${escapeHtml(headline)}</p>`,
    `<section id="ramp"><h2>Saturation ramp</h2><div class="legend">${legend}<span class="dashed" style="--c:#999">target = achieved</span></div>`,
    `<figure><figcaption>Achieved vs target rate</figcaption>${rateChart}</figure>`,
    `<figure><figcaption>CPU per 1,000 events</figcaption>${cpuChart}</figure>`,
    `<figure><figcaption>Process loss</figcaption>${lossChart}</figure></section>`,
    `<section id="steps"><h2>Steps</h2>${tables.join('\n')}</section>`,
  ].join('\n');
  return htmlDocument(`collector-bench ramp: ${headline}`, body);
}
