/**
 * Calibration of the whole comparison on simulated data, in both modes: A/A comparisons must rarely
 * call a change, session-to-session shifts must not read as regressions in history mode (where the
 * pooled-run rule used before comparison@2 does), "unchanged" must mean equivalence was shown, and
 * real changes must be found. Seeds are fixed, so the figures are the same on every run; the bounds
 * leave room for the simulation's sampling error, not for a wrong implementation. The rates are
 * printed for the README: `npx vitest run test/stats/calibration.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import type { MetricComparison } from '../../src/contracts/comparison.js';
import { comparePaired, compareResults, compareResultSets } from '../../src/stats/compare.js';
import { holmAdjust } from '../../src/stats/holm.js';
import { MiB } from '../../src/units.js';
import { isPositive, simulator } from './simulate.js';

const FAST = { bootstrapResamples: 0, createdAt: '2026-01-01T00:00:00.000Z' } as const;
const NO_FLOORS = { floors: { cpu: { absolute: 0, relative: 0 }, memory: { absoluteBytes: 0, relative: 0 } } } as const;
const LEVEL = { cpu: 20, mem: 100 * MiB };
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;

/**
 * The rule before comparison@2: Welch on the pooled runs of every baseline session, Holm over the
 * report, and the change of the medians beyond both floors (1 pp / 5% CPU, 10 MiB / 5% memory).
 */
function oldRuleFlags(metrics: readonly MetricComparison[]): boolean {
  const adjusted = holmAdjust(metrics.map((m) => m.diagnostics.welch?.pValue ?? null));
  return metrics.some((m, i) => {
    const change = m.candidate.median! - m.baseline.median!;
    const floor = Math.max(m.floor.absolute, m.floor.relative * Math.abs(m.baseline.median!));
    return adjusted[i] !== null && adjusted[i]! < 0.05 && Math.abs(change) >= floor;
  });
}

describe('A/B mode A/A calibration (no true change)', () => {
  it('flags at most alpha of 1,000 reports without floors (8 pairs, 4% run noise, 5% pair drift)', () => {
    const sim = simulator(1);
    let positives = 0;
    for (let i = 0; i < 1000; i++) {
      const c = comparePaired(sim.ab(LEVEL, LEVEL, 8, { runCv: 0.04, pairCv: 0.05 }), { ...FAST, ...NO_FLOORS });
      if (isPositive(c.overall)) positives++;
    }
    console.info(`A/B A/A, no floors: ${pct(positives, 1000)} of 1,000 reports flagged`);
    expect(positives / 1000).toBeLessThanOrEqual(0.06); // binomial SD at 1,000 trials is ~0.007
  });
});

// Without floors, so the tests themselves are measured: a floor hides part of a miscalibrated test's
// false alarms behind a minimum size, it does not calibrate it.
describe('history mode with sessions that shift (10 baseline sessions of 5 runs, run CV 3%, no floors)', () => {
  for (const sessionCv of [0.02, 0.04]) {
    it(`keeps the false-positive rate at or below alpha at a session CV of ${sessionCv * 100}%, where the pooled-run rule exceeds it`, () => {
      const sim = simulator(sessionCv === 0.02 ? 2 : 3);
      const trials = 1000;
      let positives = 0;
      let oldPositives = 0;
      for (let i = 0; i < trials; i++) {
        const noise = { runCv: 0.03, sessionCv };
        const baseline = Array.from({ length: 10 }, () => sim.session(LEVEL, 5, noise));
        const c = compareResults(baseline, sim.session(LEVEL, 5, noise), { ...FAST, ...NO_FLOORS });
        if (isPositive(c.overall)) positives++;
        if (oldRuleFlags(c.metrics)) oldPositives++;
      }
      console.info(
        `history A/A, session CV ${sessionCv * 100}%: prediction test ${pct(positives, trials)}, pooled-run rule ${pct(oldPositives, trials)} of ${trials}`,
      );
      expect(positives / trials).toBeLessThanOrEqual(0.05);
      expect(oldPositives / trials).toBeGreaterThan(0.05);
    });
  }
});

describe('"unchanged" means equivalence was shown', () => {
  it('reads a true zero change as unchanged with enough pairs, inconclusive with too few, never unchanged when the MDE exceeds the floor', () => {
    const sim = simulator(4);
    const trials = 400;
    const rates: Record<string, number> = {};
    let unchangedAboveFloor = 0;
    for (const pairs of [3, 20]) {
      let unchanged = 0;
      for (let i = 0; i < trials; i++) {
        const c = comparePaired(sim.ab(LEVEL, LEVEL, pairs, { runCv: 0.03, pairCv: 0.05 }), FAST);
        const cpu = c.metrics[0];
        if (cpu.verdict === 'unchanged') unchanged++;
        for (const m of c.metrics) {
          if (m.verdict === 'unchanged' && (m.mdeAbsolute === null || m.mdeAbsolute > m.floor.effective!))
            unchangedAboveFloor++;
        }
      }
      rates[pairs] = unchanged / trials;
    }
    console.info(
      `A/B, true zero change, CPU unchanged: 3 pairs ${(100 * rates[3]).toFixed(1)}%, 20 pairs ${(100 * rates[20]).toFixed(1)}% of ${trials}`,
    );
    expect(rates[20]).toBeGreaterThanOrEqual(0.9);
    expect(rates[3]).toBeLessThanOrEqual(0.1); // inconclusive (or, rarely, a lucky tight sample) ~95%
    expect(unchangedAboveFloor).toBe(0);
  });

  it('never reads a true +25% change as unchanged with 3 pairs (the old rule did at an MDE of 105%)', () => {
    const sim = simulator(5);
    let unchanged = 0;
    for (let i = 0; i < 400; i++) {
      const c = comparePaired(sim.ab(LEVEL, { ...LEVEL, cpu: 25 }, 3, { runCv: 0.15, pairCv: 0.05 }), FAST);
      if (c.metrics[0].verdict === 'unchanged') unchanged++;
    }
    expect(unchanged).toBe(0);
  });
});

describe('detecting a real change in A/B mode', () => {
  it('finds a +20% CPU change (5 pairs, 5% run noise) as a regression in at least 90% of 400 trials, memory staying quiet', () => {
    const sim = simulator(6);
    let found = 0;
    let memoryAlarms = 0;
    for (let i = 0; i < 400; i++) {
      const c = comparePaired(sim.ab(LEVEL, { ...LEVEL, cpu: 24 }, 5, { runCv: 0.05, pairCv: 0.05 }), FAST);
      if (c.metrics[0].verdict === 'regression') found++;
      if (isPositive(c.metrics[1].verdict)) memoryAlarms++;
    }
    console.info(`A/B +20% CPU, 5 pairs: found ${pct(found, 400)}; memory false alarms ${pct(memoryAlarms, 400)}`);
    expect(found / 400).toBeGreaterThanOrEqual(0.9);
    expect(memoryAlarms / 400).toBeLessThanOrEqual(0.05);
  });
});

describe('Holm across a report with many metrics', () => {
  it('holds the chance of any false verdict in a 20-comparison report near alpha, where raw p-values would not', () => {
    const sim = simulator(7);
    const reports = 150;
    let anyRaw = 0;
    let anyHolm = 0;
    for (let r = 0; r < reports; r++) {
      const inputs = Array.from({ length: 10 }, (_, b) => ({
        baseline: [],
        candidate: sim.ab(LEVEL, LEVEL, 6, { runCv: 0.04, pairCv: 0.05 }, `bench-${b}`),
      }));
      const metrics = compareResultSets(inputs, { ...FAST, ...NO_FLOORS }).flatMap((c) => c.metrics);
      expect(metrics).toHaveLength(20);
      if (metrics.some((m) => m.decidingTest!.pValue < 0.05)) anyRaw++;
      if (metrics.some((m) => isPositive(m.verdict))) anyHolm++;
    }
    console.info(
      `20-comparison reports with any false verdict: raw p ${pct(anyRaw, reports)}, Holm ${pct(anyHolm, reports)}`,
    );
    expect(anyRaw / reports).toBeGreaterThan(0.45);
    expect(anyHolm / reports).toBeLessThanOrEqual(0.08);
  });
});
