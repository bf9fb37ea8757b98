/**
 * Small inline-SVG charts for the HTML report: a multi-series line chart and a strip plot. No
 * library and no script: the report must open from a CI artifact with nothing else around it.
 */

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Round to 0.1 px: enough for a screen, and keeps the file small. */
function px(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/** About `count` round tick values (1, 2 or 5 times a power of ten) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/** As many decimals as the step needs (step 0.05 -> 2), so neighbouring ticks never print alike. */
function tickLabel(v: number, step: number): string {
  let decimals = 0;
  while (decimals < 6 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6) decimals++;
  return v.toFixed(decimals);
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

function axes(
  f: Frame,
  xTicks: number[],
  yTicks: number[] | null,
  x: (v: number) => number,
  y: ((v: number) => number) | null,
  xLabel: string,
  yLabel: string | null,
): string {
  const out: string[] = [];
  const plotBottom = f.height - f.bottom;
  const xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1;
  out.push(`<g class="axis axis-x" font-size="11" fill="#444">`);
  out.push(
    `<line x1="${px(f.left)}" x2="${px(f.width - f.right)}" y1="${px(plotBottom)}" y2="${px(plotBottom)}" stroke="#888"/>`,
  );
  for (const t of xTicks) {
    const xp = px(x(t));
    out.push(`<line x1="${xp}" x2="${xp}" y1="${px(plotBottom)}" y2="${px(plotBottom + 4)}" stroke="#888"/>`);
    out.push(
      `<text x="${xp}" y="${px(plotBottom + 16)}" text-anchor="middle">${escapeHtml(tickLabel(t, xStep))}</text>`,
    );
  }
  out.push(
    `<text x="${px((f.left + f.width - f.right) / 2)}" y="${px(f.height - 4)}" text-anchor="middle" fill="#222">${escapeHtml(xLabel)}</text>`,
  );
  out.push(`</g>`);
  if (yTicks && y && yLabel !== null) {
    const yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
    out.push(`<g class="axis axis-y" font-size="11" fill="#444">`);
    out.push(`<line x1="${px(f.left)}" x2="${px(f.left)}" y1="${px(f.top)}" y2="${px(plotBottom)}" stroke="#888"/>`);
    for (const t of yTicks) {
      const yp = px(y(t));
      out.push(`<line x1="${px(f.left)}" x2="${px(f.width - f.right)}" y1="${yp}" y2="${yp}" stroke="#eee"/>`);
      out.push(`<line x1="${px(f.left - 4)}" x2="${px(f.left)}" y1="${yp}" y2="${yp}" stroke="#888"/>`);
      out.push(
        `<text x="${px(f.left - 7)}" y="${yp}" dy="0.32em" text-anchor="end">${escapeHtml(tickLabel(t, yStep))}</text>`,
      );
    }
    const cy = (f.top + plotBottom) / 2;
    out.push(
      `<text transform="translate(13 ${px(cy)}) rotate(-90)" text-anchor="middle" fill="#222">${escapeHtml(yLabel)}</text>`,
    );
    out.push(`</g>`);
  }
  return out.join('');
}

export interface LineSeries {
  label: string;
  points: Array<[number, number]>;
  color: string;
  width?: number;
  opacity?: number;
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Start the y axis at zero (resource use): differences then look as big as they are. */
  yFromZero?: boolean;
  className?: string;
  /** Shaded rectangles under the series (a segment's interval), in data units. */
  bands?: readonly ChartBand[];
  /** Vertical lines across the plot at these x values (a change point). */
  markers?: readonly ChartMarker[];
}

export interface ChartBand {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  color: string;
  label: string;
}

export interface ChartMarker {
  x: number;
  color: string;
  label: string;
}

function emptyChart(f: Frame, title: string, className: string, message: string): string {
  return (
    `<svg class="${escapeHtml(className)}" xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img">` +
    `<title>${escapeHtml(title)}</title>` +
    `<rect x="0.5" y="0.5" width="${f.width - 1}" height="${f.height - 1}" fill="none" stroke="#ddd"/>` +
    `<text x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle" font-size="13" fill="#666">${escapeHtml(message)}</text></svg>`
  );
}

/** Several series over a shared x axis; series are drawn in order, so pass the highlighted one last. */
export function lineChart(series: readonly LineSeries[], opts: LineChartOptions): string {
  const f: Frame = { width: opts.width ?? 760, height: opts.height ?? 280, left: 60, right: 16, top: 12, bottom: 44 };
  const className = opts.className ?? 'chart chart-line';
  const all = series.flatMap((s) => s.points).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (all.length === 0) return emptyChart(f, opts.title, className, 'no samples in the load window');
  const xs = all.map((p) => p[0]);
  const bands = (opts.bands ?? []).filter((b) => [b.x0, b.x1, b.y0, b.y1].every(Number.isFinite));
  const ys = [...all.map((p) => p[1]), ...bands.flatMap((b) => [b.y0, b.y1])];
  const xTicks = niceTicks(Math.min(0, ...xs), Math.max(...xs), 8);
  const yTicks = niceTicks(opts.yFromZero ? Math.min(0, ...ys) : Math.min(...ys), Math.max(...ys), 5);
  const x = scale(xTicks[0], xTicks[xTicks.length - 1], f.left, f.width - f.right);
  const y = scale(yTicks[0], yTicks[yTicks.length - 1], f.height - f.bottom, f.top);
  const out: string[] = [
    `<svg class="${escapeHtml(className)}" xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" font-family="system-ui, sans-serif">`,
    `<title>${escapeHtml(opts.title)}</title>`,
    axes(f, xTicks, yTicks, x, y, opts.xLabel, opts.yLabel),
  ];
  for (const b of bands) {
    const [top, bottom] = [y(Math.max(b.y0, b.y1)), y(Math.min(b.y0, b.y1))];
    out.push(
      `<rect class="band" x="${px(x(Math.min(b.x0, b.x1)))}" y="${px(top)}" width="${px(Math.abs(x(b.x1) - x(b.x0)))}" height="${px(bottom - top)}" fill="${escapeHtml(b.color)}" fill-opacity="0.18"><title>${escapeHtml(b.label)}</title></rect>`,
    );
  }
  for (const m of opts.markers ?? []) {
    if (!Number.isFinite(m.x)) continue;
    const xp = px(x(m.x));
    out.push(
      `<line class="marker" x1="${xp}" x2="${xp}" y1="${px(f.top)}" y2="${px(f.height - f.bottom)}" stroke="${escapeHtml(m.color)}" stroke-width="1.5" stroke-dasharray="6 3"><title>${escapeHtml(m.label)}</title></line>`,
    );
  }
  for (const s of series) {
    const pts = s.points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    if (pts.length === 0) continue;
    const attrs =
      `fill="none" stroke="${escapeHtml(s.color)}" stroke-width="${s.width ?? 1.5}" stroke-opacity="${s.opacity ?? 1}" ` +
      `stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="4 3"' : ''}`;
    if (pts.length === 1) {
      // A single sample draws no line: show it as a dot.
      out.push(
        `<circle cx="${px(x(pts[0][0]))}" cy="${px(y(pts[0][1]))}" r="2.5" fill="${escapeHtml(s.color)}"><title>${escapeHtml(s.label)}</title></circle>`,
      );
      continue;
    }
    const d = pts.map(([a, b], i) => `${i === 0 ? 'M' : 'L'}${px(x(a))} ${px(y(b))}`).join('');
    out.push(`<path class="series" d="${d}" ${attrs}><title>${escapeHtml(s.label)}</title></path>`);
  }
  out.push('</svg>');
  return out.join('');
}

export interface StripGroup {
  label: string;
  values: number[];
  color: string;
}

export interface StripChartOptions {
  title: string;
  xLabel: string;
  width?: number;
  className?: string;
}

/** A stable pseudo-random offset in [-1, 1] so dots that coincide stay apart, identically every time. */
function jitter(i: number): number {
  const s = Math.sin((i + 1) * 12.9898) * 43758.5453;
  return (s - Math.floor(s)) * 2 - 1;
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** One row of dots per group (baseline, candidate) on a shared x axis, with a bar at each median. */
export function stripChart(groups: readonly StripGroup[], opts: StripChartOptions): string {
  const rowHeight = 44;
  const f: Frame = {
    width: opts.width ?? 760,
    height: 12 + rowHeight * groups.length + 44,
    left: 112,
    right: 16,
    top: 12,
    bottom: 44,
  };
  const className = opts.className ?? 'chart chart-strip';
  const all = groups.flatMap((g) => g.values).filter(Number.isFinite);
  if (all.length === 0) return emptyChart(f, opts.title, className, 'no run-level values');
  const xTicks = niceTicks(Math.min(...all), Math.max(...all), 6);
  const x = scale(xTicks[0], xTicks[xTicks.length - 1], f.left, f.width - f.right);
  const out: string[] = [
    `<svg class="${escapeHtml(className)}" xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" font-family="system-ui, sans-serif">`,
    `<title>${escapeHtml(opts.title)}</title>`,
    axes(f, xTicks, null, x, null, opts.xLabel, null),
  ];
  groups.forEach((g, row) => {
    const cy = f.top + rowHeight * row + rowHeight / 2;
    out.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${px(cy)}" y2="${px(cy)}" stroke="#f0f0f0"/>`);
    out.push(
      `<text x="${f.left - 8}" y="${px(cy)}" dy="0.32em" text-anchor="end" font-size="12" fill="#222">${escapeHtml(`${g.label} (n=${g.values.length})`)}</text>`,
    );
    const values = g.values.filter(Number.isFinite);
    values.forEach((v, i) => {
      out.push(
        `<circle cx="${px(x(v))}" cy="${px(cy + jitter(i) * rowHeight * 0.22)}" r="4" fill="${escapeHtml(g.color)}" fill-opacity="0.7" stroke="#fff" stroke-width="0.8"><title>${escapeHtml(`${g.label}: ${v}`)}</title></circle>`,
      );
    });
    if (values.length > 0) {
      const mx = px(x(median(values)));
      out.push(
        `<line class="median" x1="${mx}" x2="${mx}" y1="${px(cy - rowHeight * 0.36)}" y2="${px(cy + rowHeight * 0.36)}" stroke="#111" stroke-width="2.5"><title>${escapeHtml(`${g.label} median`)}</title></line>`,
      );
    }
  });
  out.push('</svg>');
  return out.join('');
}
