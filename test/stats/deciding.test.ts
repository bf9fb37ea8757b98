/**
 * The deciding metric (issue 18, part 2): CPU % of a core and CPU per 1,000 delivered events are
 * both compared, in the report's one Holm family; `compare.deciding` says which enters the overall
 * verdict, the other is shown only, and the comparison records which metrics decided.
 */
import { describe, expect, it } from 'vitest';
import type { DecidingMetric, Verdict } from '../../src/contracts/comparison.js';
import { mergeComparisons } from '../../src/ci/merge-comparisons.js';
import { comparePaired, compareResults } from '../../src/stats/compare.js';
import { decidingMetrics, overallOf } from '../../src/stats/deciding.js';
import { parseCompareOptions } from '../../src/stats/options.js';
import { invalidInputOf } from '../support/errors.js';
import { MiB } from '../../src/units.js';
import { moreCpuSameCostPerEvent, resultFile } from '../support/result-files.js';

const QUICK = { bootstrapResamples: 0 };

const row = (c: ReturnType<typeof comparePaired>, metric: string) => c.metrics.find((m) => m.metric === metric)!;

/** The record when `metric` was asked for and decided together with memory, `other` shown only. */
const decidedWithMemory = (metric: DecidingMetric, other: string) => ({
  metric,
  requested: metric,
  decidedBy: [metric, 'memoryBytes'],
  shownOnly: [other],
  watched: [],
});

describe('memory growth is watched', () => {
  const rows = (growth: Verdict) =>
    [
      { metric: 'cpuPercent', verdict: 'unchanged' },
      { metric: 'memoryBytes', verdict: 'unchanged' },
      { metric: 'memoryGrowthMiBPerMinute', verdict: growth },
    ] as const;
  it('a short window that cannot resolve it does not hold back unchanged', () => {
    const { overall, deciding } = overallOf(rows('inconclusive'), 'cpuPercent');
    expect(overall).toBe('unchanged');
    expect(deciding).toMatchObject({ decidedBy: ['cpuPercent', 'memoryBytes'], watched: ['memoryGrowthMiBPerMinute'] });
  });
  it('its regression turns the verdict to regression, its improvement changes nothing', () => {
    expect(overallOf(rows('regression'), 'cpuPercent').overall).toBe('regression');
    expect(overallOf(rows('improvement'), 'cpuPercent').overall).toBe('unchanged');
  });
});

describe('compare.deciding', () => {
  it('defaults to CPU % of a core: its verdict decides, CPU per 1,000 events is compared and shown beside it', () => {
    const c = comparePaired(moreCpuSameCostPerEvent(), QUICK);
    expect(c.metrics.map((m) => m.metric)).toEqual(['cpuPercent', 'cpuMsPer1000Events', 'memoryBytes']);
    expect(row(c, 'cpuPercent').verdict).toBe('regression');
    expect(row(c, 'cpuMsPer1000Events').verdict).toBe('unchanged');
    expect(row(c, 'memoryBytes').verdict).toBe('unchanged');
    expect(c.overall).toBe('regression');
    expect(c.deciding).toEqual(decidedWithMemory('cpuPercent', 'cpuMsPer1000Events'));
    expect(c.metrics.map((m) => m.decides)).toEqual([true, false, true]);
  });

  it('with cpuMsPer1000Events, the per-event verdict decides and CPU % is shown, in a Holm family of the shown ones', () => {
    const rate = comparePaired(moreCpuSameCostPerEvent(), QUICK);
    const perEvent = comparePaired(moreCpuSameCostPerEvent(), { ...QUICK, deciding: 'cpuMsPer1000Events' });
    expect(perEvent.overall).toBe('unchanged');
    expect(perEvent.deciding).toEqual(decidedWithMemory('cpuMsPer1000Events', 'cpuPercent'));
    // The choice moves the overall verdict and the Holm families, never a row's own test.
    const tests = (c: typeof rate) => c.metrics.map((m) => [m.metric, m.decidingTest]);
    expect(tests(perEvent)).toEqual(tests(rate));
    expect(row(perEvent, 'cpuPercent').verdict).toBe('regression');
    expect(row(perEvent, 'cpuPercent').decides).toBe(false);
  });

  it('falls back to CPU % where no run carried the per-event figure, and records that it did', () => {
    const c = comparePaired(moreCpuSameCostPerEvent(false), { ...QUICK, deciding: 'cpuMsPer1000Events' });
    expect(c.metrics.map((m) => m.metric)).toEqual(['cpuPercent', 'memoryBytes']);
    expect(c.overall).toBe('regression');
    expect(c.deciding).toMatchObject({ metric: 'cpuPercent', requested: 'cpuMsPer1000Events', shownOnly: [] });
  });

  it('keeps BPF CPU % deciding and BPF ns per event shown beside it, whichever CPU measure is chosen', () => {
    const present = ['cpuPercent', 'cpuMsPer1000Events', 'memoryBytes', 'bpfCpuPercent', 'bpfNsPerEvent'] as const;
    expect([...decidingMetrics(present, 'cpuPercent')]).toEqual(['cpuPercent', 'memoryBytes', 'bpfCpuPercent']);
    expect([...decidingMetrics(present, 'cpuMsPer1000Events')]).toEqual([
      'cpuMsPer1000Events',
      'memoryBytes',
      'bpfCpuPercent',
    ]);
    // BPF CPU % decides where its per-event figure was not compared (an agent without an events counter).
    expect([...decidingMetrics(['cpuPercent', 'bpfCpuPercent'], 'cpuMsPer1000Events')]).toEqual([
      'cpuPercent',
      'bpfCpuPercent',
    ]);
    // One of a pair always decides: BPF ns per event where BPF CPU % was not compared.
    expect([...decidingMetrics(['cpuPercent', 'bpfNsPerEvent'], 'cpuPercent')]).toEqual([
      'cpuPercent',
      'bpfNsPerEvent',
    ]);
  });

  it('compares CPU per 1,000 events in history mode too, by the prediction test over sessions', () => {
    const session = (perEvent: number, sha: string, seed: number) =>
      resultFile({
        sha,
        seed,
        runs: [0, 1, 2].map((i) => ({ cpu: 20, mem: 50 * MiB, cpuMsPer1000Events: perEvent + i })),
      });
    const base = [session(500, 'a'.repeat(40), 1), session(505, 'c'.repeat(40), 2), session(497, 'd'.repeat(40), 3)];
    const c = compareResults(base, session(600, 'b'.repeat(40), 4), { ...QUICK, deciding: 'cpuMsPer1000Events' });
    const perEvent = row(c, 'cpuMsPer1000Events');
    expect(perEvent.decidingTest?.test).toBe('prediction-t');
    expect(perEvent.history?.sessionValues).toEqual([501, 506, 498]);
    expect(perEvent.verdict).toBe('regression');
    expect(c.overall).toBe('regression');
    expect(c.deciding?.metric).toBe('cpuMsPer1000Events');
  });

  it('keeps the same rule when machines are merged into one report', () => {
    const c = comparePaired(moreCpuSameCostPerEvent(), { ...QUICK, deciding: 'cpuMsPer1000Events' });
    const merged = mergeComparisons([
      { machine: 'a', comparison: c },
      { machine: 'b', comparison: c },
    ]);
    expect(merged.overall).toBe('unchanged');
    expect(merged.deciding?.requested).toBe('cpuMsPer1000Events');
    expect(merged.deciding?.shownOnly).toEqual(['cpuPercent', 'cpuPercent']);
  });

  it('refuses another value, naming the key and the allowed values', () => {
    const e = invalidInputOf(() => parseCompareOptions({ deciding: 'cpuPer1000Events' }));
    expect(e.message).toContain('deciding');
    expect(e.message).toContain('"cpuPercent" or "cpuMsPer1000Events"');
  });
});
