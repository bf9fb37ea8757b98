import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/contracts/comparison.js';
import { renderHtml } from '../../src/report/html.js';
import { reportScenario } from '../support/result-files.js';
import { loadComparison } from './fixtures.js';

const comparison = loadComparison('mixed');
const results = reportScenario();
const html = renderHtml(comparison, results);

/** Non-warm-up runs drawn as lines: every baseline run and the candidate's runs after its warm-up. */
const drawnRuns = [...results.baseline, results.candidate].flatMap((r) => r.runs).filter((r) => !r.warmupRun).length;

function count(haystack: string, needle: RegExp): number {
  return (haystack.match(needle) ?? []).length;
}

describe('renderHtml (as text)', () => {
  it('is one self-contained document: no scripts, no links, no external URLs besides the SVG namespace', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    const withoutNamespace = html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '');
    expect(withoutNamespace).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(/i);
  });

  it('has the verdict table, a CPU and a memory chart, and one distribution chart per compared metric', () => {
    expect(count(html, /<table class="verdicts">/g)).toBe(2);
    expect(count(html, /<tr class="v-/g)).toBe(comparison.metrics.length);
    expect(count(html, /class="chart chart-line chart-cpu"/g)).toBe(1);
    expect(count(html, /class="chart chart-line chart-memory"/g)).toBe(1);
    expect(count(html, /class="chart chart-strip"/g)).toBe(comparison.metrics.length);
    // One line per run in each time-series chart.
    expect(count(html, /<path class="series"/g)).toBe(2 * drawnRuns);
    // One dot per run-level value in the strip plots, and a median bar per non-empty side.
    const values = comparison.metrics.reduce((n, m) => n + m.baseline.values.length + m.candidate.values.length, 0);
    expect(count(html, /<circle /g)).toBe(values);
    expect(count(html, /<line class="median"/g)).toBe(2 * comparison.metrics.length);
  });

  it('labels the axes', () => {
    expect(html).toContain('seconds in load window');
    expect(html).toContain('CPU % of one core');
    expect(html).toContain('memory MiB');
    expect(html).toContain('run window means of CPU % (one core)');
  });

  it('draws invalid runs dashed', () => {
    const invalidRuns = [...results.baseline, results.candidate].flatMap((r) => r.runs).filter((r) => !r.valid).length;
    expect(invalidRuns).toBeGreaterThan(0);
    expect(count(html, /stroke-dasharray="4 3"><title>/g)).toBe(2 * invalidRuns);
  });

  it('escapes every piece of text from the data', () => {
    const hostile: Comparison = { ...comparison, benchmark: '<script>alert("b")</script>' };
    hostile.metrics = hostile.metrics.map((m) => ({
      ...m,
      envKey: `"><img src=x onerror=alert(1)>`,
      reason: '<b>bold</b> & co',
    }));
    const out = renderHtml(hostile, results);
    expect(out).not.toMatch(/<script|<img|<b>/);
    expect(out).toContain('&lt;script&gt;alert(&quot;b&quot;)&lt;/script&gt;');
    expect(out).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; co');
  });

  it('shows a placeholder chart when runs have no samples in the load window', () => {
    const empty = {
      baseline: [],
      candidate: { ...results.candidate, runs: results.candidate.runs.map((r) => ({ ...r, samples: [] })) },
    };
    const out = renderHtml(loadComparison('no-baseline'), empty);
    expect(out).toContain('no samples in the load window');
    expect(out).toContain('No baseline to compare with yet');
  });
});

describe('renderHtml in headless Chromium', () => {
  let dir: string;
  let context: BrowserContext;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'collector-bench-report-'));
    writeFileSync(join(dir, 'report.html'), html);
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1200, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens without console errors or network requests and lays out every chart', async () => {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(dir, 'report.html')).href;
    await page.goto(url, { waitUntil: 'load' });

    expect(errors).toEqual([]);
    expect(requests).toEqual([url]); // the file itself and nothing else

    const boxes = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((s) => {
        const r = s.getBoundingClientRect();
        return {
          cls: s.getAttribute('class'),
          w: r.width,
          h: r.height,
          marks: s.querySelectorAll('path.series, circle').length,
        };
      }),
    );
    expect(boxes).toHaveLength(2 + comparison.metrics.length);
    for (const b of boxes) {
      expect(b.w).toBeGreaterThan(300);
      expect(b.h).toBeGreaterThan(80);
      expect(b.marks).toBeGreaterThan(0);
    }
    const lineBoxes = await page.$$eval('svg.chart-cpu path.series', (paths) =>
      paths.map((p) => (p as SVGGraphicsElement).getBBox()).map((b) => ({ w: b.width, h: b.height })),
    );
    expect(lineBoxes).toHaveLength(drawnRuns);
    for (const b of lineBoxes) {
      expect(b.w).toBeGreaterThan(100);
      expect(b.h).toBeGreaterThan(0);
    }
    const dot = await page.locator('svg.chart-strip circle').first().boundingBox();
    expect(dot!.width).toBeGreaterThan(0);

    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBe(1200);
    expect(height).toBeGreaterThan(2000); // the whole report, charts included
    expect(statSync(shot).size).toBeGreaterThan(50_000);
    await page.close();
  });
});
