/**
 * Calibration of the whole comparison on simulated data: A/A comparisons must rarely call a change,
 * a real +20% CPU change must be found, and Holm must hold the report-wide false-positive rate when
 * a report compares many metrics. Seeds are fixed, so the figures are the same on every run; the
 * bounds leave room for sampling error of the simulation, not for a wrong implementation.
 */
import { describe, expect, it } from 'vitest';
import { compareResults, compareResultSets } from '../../src/stats/compare.js';
import { MIB, isPositive, simulator } from './simulate.js';

const FAST = { bootstrapResamples: 100, createdAt: '2026-01-01T00:00:00.000Z' } as const;
const NO_FLOORS = { floors: { cpu: { absolute: 0, relative: 0 }, memory: { absoluteBytes: 0, relative: 0 } } } as const;
const side = { cpu: 10, mem: 100 * MIB, cv: 0.05, runs: 5 };

describe('A/A calibration (no true change, 5% CV, 5 runs a side)', () => {
  it('calls a regression or improvement in at most alpha of 1,000 comparisons', () => {
    const sim = simulator(1);
    let positives = 0;
    for (let i = 0; i < 1000; i++) {
      const c = compareResults([sim(side)], sim(side), FAST);
      if (isPositive(c.overall)) positives++;
    }
    console.info(`A/A with floors: ${(positives / 10).toFixed(1)}% of 1,000 comparisons flagged`);
    expect(positives / 1000).toBeLessThanOrEqual(0.05);
  });

  it('without floors, keeps the report-wide false-positive rate near but not above alpha (Welch is calibrated)', () => {
    const sim = simulator(2);
    let positives = 0;
    for (let i = 0; i < 1000; i++) {
      const c = compareResults([sim(side)], sim(side), { ...FAST, ...NO_FLOORS });
      if (isPositive(c.overall)) positives++;
    }
    // Two metrics under Holm: the family-wise rate is at most 0.05 and, being Holm, not far below.
    // Binomial sampling SD at 1,000 trials is ~0.007.
    expect(positives / 1000).toBeLessThanOrEqual(0.065);
    expect(positives / 1000).toBeGreaterThan(0.015);
  });
});

describe('detecting a real change', () => {
  it('finds a +20% CPU shift (5% CV, 5 runs a side) as a regression in at least 90% of 200 trials', () => {
    const sim = simulator(3);
    let found = 0;
    let memoryFalseAlarms = 0;
    for (let i = 0; i < 200; i++) {
      const c = compareResults([sim(side)], sim({ ...side, cpu: 12 }), FAST);
      if (c.metrics.find((m) => m.metric === 'cpuPercent')!.verdict === 'regression') found++;
      // The memory did not change: it may be flagged only at the false-positive rate.
      if (isPositive(c.metrics.find((m) => m.metric === 'memoryBytes')!.verdict)) memoryFalseAlarms++;
    }
    // Welch alone would find it ~99% of the time; the 1 pp floor on the medians costs a little.
    console.info(
      `+20% CPU shift: found in ${(found / 2).toFixed(1)}% of 200 trials; memory false alarms ${(memoryFalseAlarms / 2).toFixed(1)}%`,
    );
    expect(found / 200).toBeGreaterThanOrEqual(0.9);
    expect(memoryFalseAlarms / 200).toBeLessThanOrEqual(0.05);
  });

  it('finds a -20% CPU shift as an improvement', () => {
    const sim = simulator(4);
    const c = compareResults([sim(side)], sim({ ...side, cpu: 8 }), FAST);
    expect(c.metrics[0].verdict).toBe('improvement');
    expect(c.overall).toBe('improvement');
  });
});

describe('Holm across a report with many metrics', () => {
  it('holds the chance of any false verdict in a 20-comparison report near alpha, where raw p-values would not', () => {
    const sim = simulator(5);
    const reports = 150;
    let anyRaw = 0;
    let anyHolm = 0;
    for (let r = 0; r < reports; r++) {
      const inputs = Array.from({ length: 10 }, (_, b) => ({
        baseline: [sim(side, `bench-${b}`)],
        candidate: sim(side, `bench-${b}`),
      }));
      const comparisons = compareResultSets(inputs, { ...FAST, bootstrapResamples: 0, ...NO_FLOORS });
      const metrics = comparisons.flatMap((c) => c.metrics);
      expect(metrics).toHaveLength(20);
      if (metrics.some((m) => m.tests.welch!.pValue < 0.05)) anyRaw++;
      if (metrics.some((m) => isPositive(m.verdict))) anyHolm++;
    }
    // Without correction: 1 - 0.95^20 = 64% of reports would carry a false alarm.
    console.info(
      `20-comparison reports with any false verdict: raw p ${((100 * anyRaw) / reports).toFixed(1)}%, Holm ${((100 * anyHolm) / reports).toFixed(1)}%`,
    );
    expect(anyRaw / reports).toBeGreaterThan(0.45);
    expect(anyHolm / reports).toBeLessThanOrEqual(0.08);
    expect(anyHolm).toBeLessThan(anyRaw / 4);
  });
});
