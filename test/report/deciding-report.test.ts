/**
 * Every report says which metric decided the overall verdict (issue 18): the CPU measure that
 * `compare.deciding` chose, the other metrics that entered it, and those shown but not deciding.
 * The run table shows each run's CPU per 1,000 delivered events beside its CPU %.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderRunTable, renderTerminal } from '../../src/report/terminal.js';
import { comparePaired } from '../../src/stats/compare.js';
import { moreCpuSameCostPerEvent } from '../support/result-files.js';

const QUICK = { bootstrapResamples: 0 };
const PER_EVENT =
  'Overall verdict from CPU per 1,000 events (compare.deciding: cpuMsPer1000Events), Memory; shown, not deciding: CPU';

describe('the deciding metric in every report', () => {
  const file = moreCpuSameCostPerEvent();
  const perEvent = comparePaired(file, { ...QUICK, deciding: 'cpuMsPer1000Events' });
  const rate = comparePaired(file, QUICK);

  it('terminal: one line names the deciding metric, and the CPU row is marked as shown only', () => {
    const text = renderTerminal(perEvent, { color: false });
    expect(text).toContain('Unchanged within the floors');
    expect(text).toContain(PER_EVENT);
    expect(text).toMatch(/CPU per 1,000 events \(each run, load start to drained\)\s+500 ms\/1k events/);
    expect(text).toContain('CPU (run window means) · not deciding');
    expect(renderTerminal(rate, { color: false })).toContain(
      'Overall verdict from CPU (compare.deciding: cpuPercent), Memory; shown, not deciding: CPU per 1,000 events',
    );
  });

  it('Markdown comment and HTML carry the same line', () => {
    expect(renderMarkdown(perEvent)).toContain(PER_EVENT);
    expect(renderHtml(perEvent)).toContain(`<p class="meta deciding">${PER_EVENT}</p>`);
  });

  it('says so when the per-event figure was asked for but no run carried it', () => {
    const c = comparePaired(moreCpuSameCostPerEvent(false), { ...QUICK, deciding: 'cpuMsPer1000Events' });
    expect(renderTerminal(c, { color: false })).toContain(
      'Overall verdict from CPU, Memory; CPU per 1,000 events was asked for but not compared (no run carried it), so CPU decided',
    );
  });

  it("the run table shows each run's CPU per 1,000 delivered events", () => {
    const table = renderRunTable(file, { color: false });
    expect(table).toContain('CPU per 1k events');
    expect(table).toMatch(/500 ms\/1k events/);
  });
});
