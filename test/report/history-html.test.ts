/**
 * The history page: the series with its segment means, a band for each mean's interval and a
 * dashed line at every step, as text and laid out in headless Chromium.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryReport } from '../../src/contracts/history.js';
import { buildHistory } from '../../src/history/history.js';
import { renderHistoryHtml } from '../../src/report/history-html.js';
import { historyMarker, renderHistoryJson, renderHistoryMarkdown } from '../../src/report/history.js';
import { HistoryReportSchema } from '../../src/contracts/history.js';
import { shaOf, storeSessions, wobble } from '../support/history-store.js';
import { at } from '../support/result-files.js';

let dir: string;
let history: HistoryReport;
let html: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'collector-bench-history-html-'));
  // CPU: up 25% after session 10, back down after session 20; memory: steady.
  const cpu = [...wobble(20, 10), ...wobble(25, 10), ...wobble(20, 10)];
  history = await buildHistory(
    await storeSessions(
      join(dir, 'store'),
      cpu.map((c) => ({ cpu: c })),
    ),
    'default',
  );
  html = renderHistoryHtml(history);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const count = (re: RegExp) => (html.match(re) ?? []).length;

describe('renderHistoryHtml (as text)', () => {
  it('is one self-contained document', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|\ssrc=/i);
  });

  it('draws one chart per series, a band per segment and a dashed line per step', () => {
    const cpu = history.series.find((s) => s.metric === 'cpuPercent')!;
    expect(cpu.changePoints.map((c) => c.index)).toEqual([10, 20]);
    expect(count(/class="chart chart-line chart-history/g)).toBe(history.series.length);
    const segments = history.series.reduce((n, s) => n + s.segments.length, 0);
    expect(count(/<rect class="band"/g)).toBe(segments);
    expect(count(/<line class="marker"/g)).toBe(2);
    expect(count(/<table class="change-points">/g)).toBe(1);
    expect(html).toContain('session from main (oldest first)');
  });
});

describe('the Markdown and JSON histories', () => {
  it('Markdown: the marker, one row per series, one row per step with its commit range', () => {
    const md = renderHistoryMarkdown(history);
    expect(md.startsWith(historyMarker('default'))).toBe(true);
    expect(md).toMatch(/\| \+25% \(\+\d+% … \+\d+%\) \| 20\.\d+% → 25\.\d+% \|/);
    expect(md).toContain(`\`${shaOf(9).slice(0, 7)}\` ${at(9)} | \`${shaOf(10).slice(0, 7)}\` ${at(10)} | 10 / 10 |`);
    expect(md).toMatch(/\| -20% \(-\d+% … -\d+%\) \|/);
  });

  it('JSON: valid against the schema, and refused when not', () => {
    expect(HistoryReportSchema.parse(JSON.parse(renderHistoryJson(history)))).toEqual(history);
    expect(() => renderHistoryJson({ ...history, status: 'green' as never })).toThrow(/status/);
  });
});

describe('renderHistoryHtml in headless Chromium', () => {
  let context: BrowserContext;

  beforeAll(async () => {
    writeFileSync(join(dir, 'history.html'), html);
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      viewport: { width: 1200, height: 900 },
    });
  });
  afterAll(async () => {
    await context?.close();
  });

  it('lays out the steps where the series steps, with visible bands', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(dir, 'history.html')).href;
    await page.goto(url, { waitUntil: 'load' });
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);

    const chart = await page.$eval('svg.chart-cpuPercent', (svg) => {
      const box = (e: Element) => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, w: r.width, h: r.height };
      };
      return {
        svg: box(svg),
        bands: [...svg.querySelectorAll('rect.band')].map(box),
        markers: [...svg.querySelectorAll('line.marker')].map(box),
      };
    });
    expect(chart.svg.w).toBeGreaterThan(300);
    expect(chart.bands).toHaveLength(3);
    for (const b of chart.bands) {
      expect(b.w).toBeGreaterThan(50);
      expect(b.h).toBeGreaterThan(1);
    }
    // The middle segment (+25%) sits higher on screen than the ones around it.
    expect(chart.bands[1].y + chart.bands[1].h).toBeLessThan(chart.bands[0].y);
    expect(chart.bands[1].y + chart.bands[1].h).toBeLessThan(chart.bands[2].y);
    // Each step line is between the bands it separates and spans the plot's height.
    expect(chart.markers).toHaveLength(2);
    chart.markers.forEach((m, i) => {
      expect(m.x).toBeGreaterThanOrEqual(chart.bands[i].x + chart.bands[i].w - 1);
      expect(m.x).toBeLessThanOrEqual(chart.bands[i + 1].x + 1);
      expect(m.h).toBeGreaterThan(chart.svg.h / 2);
    });
    await page.close();
  });
});
