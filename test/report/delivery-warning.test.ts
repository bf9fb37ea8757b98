/**
 * A candidate whose event delivery was not verified (collector.delivery: none) must say so in
 * every report a person reads: the run table after a benchmark, the terminal comparison, the
 * Markdown PR comment and the HTML report. A verified one, or an older file without the record, says nothing.
 */
import { describe, expect, it } from 'vitest';
import type { ResultFile } from '../../src/contracts/result.js';
import { renderHtml, renderMarkdown, renderRunTable, renderTerminal } from '../../src/report/index.js';
import { deliveryRecord } from '../../src/run/delivery/resolve-delivery.js';
import { compareResults } from '../../src/stats/compare.js';
import { resultFile } from '../support/result-files.js';

const runs = [1, 2, 3].map((i) => ({ cpu: 10 + i / 10, mem: 50e6 + i * 1e5 }));
const baseline = [resultFile({ runs, seed: 2, createdAt: '2026-01-01T00:00:00.000Z' })];
const WARNING = 'Event delivery was not verified (collector.delivery: none)';

function reports(candidate: ResultFile): string[] {
  const comparison = compareResults(baseline, candidate);
  return [
    renderRunTable(candidate, { color: false }),
    renderTerminal(comparison, { color: false }),
    renderMarkdown(comparison, { results: { baseline, candidate } }),
    renderHtml(comparison, { baseline, candidate }),
  ];
}

describe('the delivery warning', () => {
  it('is in every report when delivery was not verified', () => {
    const candidate = { ...resultFile({ runs, seed: 3 }), delivery: deliveryRecord({ via: 'none' }) };
    for (const text of reports(candidate)) expect(text).toContain(WARNING);
  });

  it('is in none when delivery was checked, or not recorded (older files)', () => {
    const checked = {
      ...resultFile({ runs, seed: 3 }),
      delivery: deliveryRecord({ via: 'log', regex: 'x {canary}' }),
    };
    for (const text of [...reports(checked), ...reports(resultFile({ runs, seed: 3 }))])
      expect(text).not.toContain('not verified');
  });
});
