import { describe, expect, it } from 'vitest';
import { renderValidateTableMarkdown, renderValidateTableText } from '../../src/report/validate-table.js';
import { summarizeRecord } from '../../src/stats/validate-table.js';
import { wilsonInterval } from '../../src/stats/wilson.js';
import { recordLine, type LineParts } from '../support/validate-record.js';

const times = (n: number, p: LineParts) => Array.from({ length: n }, () => recordLine(p));

/**
 * A synthetic record: the quiet interleaved row has 20 A/A comparisons (17 unchanged, 2
 * inconclusive, 1 with a false memory improvement), 10 at +5% (4 called), 10 at +10% (9 called);
 * the noisy row has 5 A/A comparisons only.
 */
const record = [
  ...times(17, { condition: 'aa', cpuMde: 0.04, minutes: 6 }),
  ...times(2, { condition: 'aa', cpuVerdict: 'inconclusive', cpuMde: 0.07, minutes: 6 }),
  ...times(1, { condition: 'aa', memoryVerdict: 'improvement', overall: 'improvement', minutes: 6 }),
  ...times(4, { condition: 'cpu5', cpuVerdict: 'regression', cpuChange: 0.06, minutes: 7 }),
  ...times(6, { condition: 'cpu5', cpuVerdict: 'inconclusive', cpuChange: 0.03, minutes: 7 }),
  ...times(9, { condition: 'cpu10', cpuVerdict: 'regression', cpuChange: 0.11, minutes: 7 }),
  ...times(1, { condition: 'cpu10', cpuVerdict: 'inconclusive', cpuChange: 0.02, minutes: 7 }),
  ...times(5, { condition: 'aa', neighbour: '50%x2', measuredCores: 0.8, cpuVerdict: 'inconclusive', cpuMde: 0.2 }),
];

describe('the modes table from a record', () => {
  const rows = summarizeRecord(record);

  it('has one row per (design, neighbour) in the order first seen', () => {
    expect(rows.map((r) => [r.design, r.neighbour, r.comparisons])).toEqual([
      ['interleaved', 'none', 40],
      ['interleaved', '50%x2', 5],
    ]);
  });

  it('counts each rate over its own condition, with the Wilson interval of k of n', () => {
    const [quiet, noisy] = rows;
    expect(quiet.aaComparisons).toBe(20);
    expect(quiet.aaUnchanged).toEqual(wilsonInterval(17, 20));
    expect(quiet.aaFalseVerdict).toEqual(wilsonInterval(1, 20)); // the memory improvement
    expect(quiet.cpu5Called).toEqual(wilsonInterval(4, 10));
    expect(quiet.cpu10Called).toEqual(wilsonInterval(9, 10));
    expect(quiet.cpu25Called).toBeNull();
    expect(noisy.aaUnchanged).toEqual(wilsonInterval(0, 5));
    expect(noisy.cpu10Called).toBeNull();
  });

  it('gives medians of the measured change per injected size, the CPU MDE and the minutes', () => {
    const [quiet, noisy] = rows;
    expect(quiet.measuredVsInjected).toEqual([
      { condition: 'cpu5', injected: 0.05, measuredMedian: 0.03, n: 10 },
      { condition: 'cpu10', injected: 0.1, measuredMedian: 0.11, n: 10 },
    ]);
    expect(quiet.medianCpuMde).toBe(0.04);
    expect(quiet.minutesPerDecision).toBe(6.5);
    expect(noisy.neighbourCores).toBe(0.8);
    expect(quiet.neighbourCores).toBeNull();
  });

  it('marks a row with fewer than 20 A/A comparisons as an anecdote, and only that row', () => {
    expect(rows.map((r) => r.anecdote)).toEqual([false, true]);
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

  it('says so when the record holds nothing', () => {
    expect(renderValidateTableText([])).toMatch(/no comparisons/);
  });
});
