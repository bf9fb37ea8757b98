import { describe, expect, it } from 'vitest';
import { summarizeRecord } from '../../src/stats/validate-table.js';
import { wilsonInterval } from '../../src/stats/wilson.js';
import { recordLine, syntheticRecord } from '../support/validate-record.js';

describe('the modes table from a record', () => {
  const rows = summarizeRecord(syntheticRecord());

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
  });

  it("forms each A/A line's overall verdict from its metric verdicts by today's rule, not the one it was written with", () => {
    const line = recordLine({ overall: 'inconclusive' });
    // Written while memory growth still decided: unresolved growth held the overall back.
    line.measured.verdicts.memoryGrowthMiBPerMinute = 'inconclusive';
    expect(summarizeRecord([line])[0].aaUnchanged).toEqual(wilsonInterval(1, 1));
    line.measured.verdicts.memoryGrowthMiBPerMinute = 'regression';
    expect(summarizeRecord([line])[0].aaUnchanged).toEqual(wilsonInterval(0, 1));
  });

  it('reads a per-event design by the CPU measure it decided on: its verdict, change and MDE, and its overall', () => {
    const line = (condition: 'aa' | 'cpu10', verdict: 'unchanged' | 'regression', change: number) => {
      const l = recordLine({ design: 'budget-per-event', condition, cpuVerdict: 'inconclusive', cpuMde: 0.09 });
      l.measured.verdicts.cpuMsPer1000Events = verdict;
      l.deciding = { metric: 'cpuMsPer1000Events', change, mde: 0.03, verdict };
      return l;
    };
    const [row] = summarizeRecord([line('aa', 'unchanged', 0.01), line('cpu10', 'regression', 0.12)]);
    // CPU % of a core was inconclusive in both, and is shown only: it neither holds back nor calls.
    expect(row.aaUnchanged).toEqual(wilsonInterval(1, 1));
    expect(row.cpu10Called).toEqual(wilsonInterval(1, 1));
    expect(row.measuredVsInjected).toEqual([{ condition: 'cpu10', injected: 0.1, measuredMedian: 0.12, n: 1 }]);
    expect(row.medianCpuMde).toBe(0.03);
  });
});
