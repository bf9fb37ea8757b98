import { describe, expect, it } from 'vitest';
import { renderValidateTableMarkdown, renderValidateTableText } from '../../src/report/validate-table.js';
import { recordSpan, summarizeRecord } from '../../src/stats/validate-table.js';
import { wilsonInterval } from '../../src/stats/wilson.js';
import { syntheticRecord } from '../support/validate-record.js';

describe('the modes table, rendered', () => {
  const rows = summarizeRecord(syntheticRecord());

  it('says "anecdote" on the row with fewer than 20 A/A comparisons only', () => {
    const text = renderValidateTableText(rows);
    expect(text.match(/anecdote: n < 20/g)).toHaveLength(1);
  });

  it('renders rates as k/n with the interval, and the goals beside their columns', () => {
    const md = renderValidateTableMarkdown(rows);
    const lines = md.split('\n');
    expect(lines[0]).toContain('P(unchanged \\| A/A) \\[goal ≥ 80%\\]');
    expect(lines[0]).toContain('P(false verdict \\| A/A) \\[goal ≤ 5%\\]');
    expect(lines[0]).toContain('median CPU MDE \\[goal ≤ 5%\\]');
    const w = wilsonInterval(17, 20)!;
    expect(lines[2]).toContain(`85% (17/20, ${(w.low * 100).toFixed(0)}-${(w.high * 100).toFixed(0)}%)`);
    expect(lines[2]).toContain('+3.0% for +5.0% (n=10)');
    expect(lines[3]).toContain('50%x2 (measured 0.80 cores)');
    // Every row has as many cells as the header.
    const cellsOf = (l: string) => l.split(/(?<!\\)\|/).length;
    for (const l of lines.slice(1, 4)) expect(cellsOf(l)).toBe(cellsOf(lines[0]));
  });

  it('says above the table what it was computed from: comparisons, time span, commits, machines', () => {
    const record = syntheticRecord();
    const text = renderValidateTableText(rows, recordSpan(record));
    expect(text.split('\n')[0]).toBe(
      '45 comparison(s) from 2026-12-07T09:00:00.000Z to 2026-12-07T09:00:00.000Z; 1 commit(s) (abc123); ' +
        'machine(s): test (2 CPU, 6.18.0)',
    );
    expect(renderValidateTableMarkdown(rows, recordSpan(record)).split('\n')[0]).toMatch(/^45 comparison\(s\)/);
  });

  it('says so when the record holds nothing', () => {
    expect(renderValidateTableText([])).toMatch(/no comparisons/);
  });
});
