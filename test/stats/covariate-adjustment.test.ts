/**
 * The pair log-ratios of a budgeted interleaved run adjusted for the workloads' own CPU
 * (src/stats/covariate-adjustment.ts), through the real sequential rule (designSequential +
 * replaySequential, the code `run --budget` and `compare` use): the default design's looks after
 * 4, 6, 8 and 9 pairs, alpha 0.025 (the deciding share of 0.05), the floor 5%.
 *
 * The simulated pairs follow what the recorded A/A comparisons showed (docs/measurements.md,
 * `python3 scripts/analysis/pair-covariates.py`): the collector's pair log-ratio y = delta + beta x + e
 * with the workloads' own log-ratio x (SD 5%), beta 0.6 and a residual SD of 2.8%, so y's own SD is
 * 4.1% (4.2% measured) and its correlation with x 0.73 (0.74 measured). With the premise (the
 * candidate does not move the workloads' own CPU) the adjusted rule must keep both error rates at
 * most alpha, normal and heavy-tailed, and decide A/A more often than the raw rule. Where a
 * candidate does move the workloads, the adjustment is biased by beta times that move; the table
 * printed by the last case says how far, and the README repeats it.
 *
 * Figures: `npx vitest run test/stats/covariate-adjustment.test.ts` prints the table.
 */
import { describe, expect, it } from 'vitest';
import { abPairs } from '../../src/contracts/ab.js';
import { ResultFileSchema, type ResultFile } from '../../src/contracts/result.js';
import type { SequentialRecord } from '../../src/contracts/sequential.js';
import { comparePaired } from '../../src/stats/compare.js';
import { METRICS } from '../../src/stats/metrics.js';
import { pairValues } from '../../src/stats/sequential-decide.js';
import { MiB } from '../../src/units.js';
import { abResultFile, type RunSpec } from '../support/result-files.js';
import { adjustedEstimate, MIN_ADJUSTED_PAIRS } from '../../src/stats/covariate-adjustment.js';
import { mulberry32, normalDraw } from '../../src/stats/prng.js';
import { designSequential, replaySequential, stepSequential, type PairValue } from '../../src/stats/sequential-ab.js';
import { leastSquaresSlope } from '../../src/stats/slope.js';

const FAMILY_ALPHA = 0.05;
const ALPHA = FAMILY_ALPHA / 2;
const FLOOR = Math.log(1.05);
const TRIALS = 10_000;
const MARGIN = 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / TRIALS);
const X_SD = 0.05;
const BETA = 0.6;
const RESIDUAL_SD = 0.028;
const PER_EVENT = METRICS.find((m) => m.metric === 'cpuMsPer1000Events')!;

function record(covariate: 'workloadOwnCpu' | null): SequentialRecord {
  return designSequential({
    metric: 'cpuMsPer1000Events',
    budgetMinutes: 10,
    familyAlpha: FAMILY_ALPHA,
    power: 0.8,
    spending: 'obrien-fleming',
    floor: { absolute: 0, relative: 0.05 },
    elapsedSeconds: 60,
    pairSeconds: 60,
    estimatedFrom: 'the simulation',
    covariate,
  }).value!;
}

interface Scenario {
  /** The collector's true change: the mean of its pair log-ratio y. */
  change: number;
  /** How much the candidate moves the workloads' own CPU (the mean of x); 0 is the premise. */
  workloadMove?: number;
  tails?: 'normal' | 't3';
}

type Rates = Record<'regression' | 'improvement' | 'unchanged' | 'inconclusive', number>;

/** Both designs on the same simulated comparisons. */
function simulate(s: Scenario, seed: number): { raw: Rates; adjusted: Rates } {
  const random = mulberry32(seed);
  const noise =
    s.tails === 't3'
      ? () => {
          const chi2 = normalDraw(random) ** 2 + normalDraw(random) ** 2 + normalDraw(random) ** 2;
          return normalDraw(random) / Math.sqrt(chi2 / 3) / Math.sqrt(3);
        }
      : () => normalDraw(random);
  const designs = { raw: record(null), adjusted: record('workloadOwnCpu') };
  const zero = (): Rates => ({ regression: 0, improvement: 0, unchanged: 0, inconclusive: 0 });
  const counts = { raw: zero(), adjusted: zero() };
  const move = s.workloadMove ?? 0;
  for (let t = 0; t < TRIALS; t++) {
    const pairs: PairValue[] = Array.from({ length: designs.raw.maxPairs }, () => {
      const x = move + X_SD * noise();
      // The collector's mean log-ratio is `change` whatever the workloads did: y - beta (x - move).
      const y = s.change + BETA * (x - move) + RESIDUAL_SD * noise();
      return { baseline: 1, candidate: Math.exp(y), covariate: { baseline: 1, candidate: Math.exp(x) } };
    });
    for (const kind of ['raw', 'adjusted'] as const) counts[kind][replaySequential(designs[kind], pairs).verdict]++;
  }
  const rates = (c: Rates): Rates =>
    Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v / TRIALS])) as unknown as Rates;
  return { raw: rates(counts.raw), adjusted: rates(counts.adjusted) };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

describe('the adjusted estimate of one look', () => {
  it('is the least-squares intercept: the collector’s log-ratio where the workloads’ own CPU was equal in both runs', () => {
    const x = [0.05, -0.03, 0.01, -0.04, 0.02, 0.0];
    const y = x.map((v, i) => 0.01 + 0.7 * v + [0.002, -0.001, 0.0, 0.001, -0.002, 0.0][i]);
    const { estimate, adjustment } = adjustedEstimate(x.map((v, i) => ({ x: v, y: y[i] })));
    const fit = leastSquaresSlope(x, y).value!;
    expect(adjustment).toMatchObject({ applied: true, why: null });
    expect(adjustment.slope).toBeCloseTo(fit.slope, 12);
    expect(estimate).toEqual({ meanDifference: fit.intercept, standardError: fit.interceptStandardError, df: 4 });
  });

  it(`needs ${MIN_ADJUSTED_PAIRS} pairs, each with the covariate; otherwise it is the plain mean of the log-ratios`, () => {
    const three = [0.01, 0.02, 0.03].map((y, i) => ({ y, x: i / 100 }));
    expect(adjustedEstimate(three).adjustment).toMatchObject({ applied: false, why: 'fewer than 4 pairs' });
    const lacking = [0.01, 0.02, 0.03, 0.04].map((y, i) => ({ y, x: i === 2 ? null : i / 100 }));
    const got = adjustedEstimate(lacking);
    expect(got.adjustment.why).toMatch(/not known for every pair/);
    expect(got.estimate.meanDifference).toBeCloseTo(0.025, 12);
    expect(got.estimate.df).toBe(3);
  });

  it('cannot decide, and says so, when the workloads’ own CPU changed between arms (the premise broke)', () => {
    const x = [0.05, 0.06, 0.04, 0.055, 0.045, 0.05];
    const got = adjustedEstimate(x.map((v, i) => ({ x: v, y: 0.02 + i / 1000 })));
    expect(got.adjustment).toMatchObject({ applied: true, blocks: true });
    expect(got.adjustment.why).toMatch(
      /changed between arms \(5\.1%, its 95% interval excludes 0\): this look cannot decide/,
    );
  });
});

describe('the adjusted sequential rule on simulated comparisons (looks at 4, 6, 8, 9 pairs, alpha 0.025)', () => {
  const table: string[] = [];
  const row = (name: string, r: { raw: Rates; adjusted: Rates }) =>
    table.push(
      `${name.padEnd(44)} raw: reg ${pct(r.raw.regression)} imp ${pct(r.raw.improvement)} unch ${pct(r.raw.unchanged)} | ` +
        `adjusted: reg ${pct(r.adjusted.regression)} imp ${pct(r.adjusted.improvement)} unch ${pct(r.adjusted.unchanged)}`,
    );

  it('keeps false verdicts under A/A at most alpha, and reads unchanged far more often than the raw rule', () => {
    const r = simulate({ change: 0 }, 1);
    row('A/A', r);
    expect(r.adjusted.regression + r.adjusted.improvement).toBeLessThanOrEqual(ALPHA + MARGIN);
    expect(r.adjusted.unchanged).toBeGreaterThan(r.raw.unchanged + 0.2);
  });

  it('keeps false verdicts under A/A at most alpha with heavy-tailed (t, 3 df) noise', () => {
    const r = simulate({ change: 0, tails: 't3' }, 2);
    row('A/A, t3 noise', r);
    expect(r.adjusted.regression + r.adjusted.improvement).toBeLessThanOrEqual(ALPHA + MARGIN);
  });

  for (const [name, change, seed] of [
    ['a true change of +5% (the floor)', FLOOR, 3],
    ['a true change of -5% (the floor)', -FLOOR, 4],
  ] as const) {
    it(`says unchanged at most alpha of the time for ${name}`, () => {
      const r = simulate({ change }, seed);
      row(name, r);
      expect(r.adjusted.unchanged).toBeLessThanOrEqual(ALPHA + MARGIN);
    });
  }

  it('calls +10% in at least 95% of comparisons (the goal: 80%)', () => {
    const r = simulate({ change: Math.log(1.1) }, 5);
    row('+10%', r);
    expect(r.adjusted.regression).toBeGreaterThanOrEqual(0.95);
    expect(r.adjusted.improvement).toBeLessThanOrEqual(ALPHA + MARGIN);
  });

  it('states how far a candidate that moves the workloads’ own CPU biases it (the premise broken)', () => {
    const unchanged = [0.01, 0.02, 0.04].map((move) => {
      const r = simulate({ change: FLOOR, workloadMove: move }, 6);
      row(`+5% with the workloads moved +${100 * move}%`, r);
      return r.adjusted.unchanged;
    });
    console.log(`covariate-adjusted rule, ${TRIALS} comparisons per row:\n${table.join('\n')}`);
    // The bias is slope x move: the more the workloads moved, the more often +5% passes as unchanged.
    expect(unchanged[0]).toBeGreaterThan(ALPHA + MARGIN);
    expect(unchanged[1]).toBeGreaterThan(unchanged[0]);
    expect(unchanged[2]).toBeGreaterThan(unchanged[1]);
  });
});

describe('compare on a budgeted file whose design adjusts for the workloads', () => {
  /**
   * Pairs of a per-event A/A run on a machine whose speed wanders: each run's speed factor scales
   * the collector's CPU per event and the workloads' own CPU alike (the BPF programs' share stays
   * put); the run adds pairs until the rule stops, as `run --budget` does.
   */
  function adjustedFile(opts: { workloadCpu: boolean }) {
    const design = designSequential({
      metric: 'cpuMsPer1000Events',
      budgetMinutes: 10,
      familyAlpha: FAMILY_ALPHA,
      power: 0.8,
      spending: 'obrien-fleming',
      floor: { absolute: 1, relative: 0.05 },
      elapsedSeconds: 60,
      pairSeconds: 60,
      estimatedFrom: 'the 2 warm-up run(s)',
      covariate: 'workloadOwnCpu',
    });
    let record: SequentialRecord = design.value!;
    const random = mulberry32(11);
    const pairs: Array<{ baseline: RunSpec; candidate: RunSpec }> = [];
    const run = (): RunSpec => {
      const speed = Math.exp(X_SD * normalDraw(random));
      return {
        cpu: 20,
        mem: 60 * MiB,
        cpuMsPer1000Events: 450 * speed ** BETA * Math.exp(0.005 * normalDraw(random)),
        ...(opts.workloadCpu ? { workloadCpuPercent: 30 * speed + 1.2, bpfCpuPercent: 1.2 } : {}),
      };
    };
    let file: ResultFile | null = null;
    for (let k = 1; k <= record.maxPairs; k++) {
      pairs.push({ baseline: run(), candidate: run() });
      file = abResultFile({ pairs, samplesPerRun: 5 });
      const step = stepSequential(record, pairValues(PER_EVENT, abPairs(file, 'f')), 60 + 60 * k);
      record = step.record;
      if (!step.more) break;
    }
    return ResultFileSchema.parse({ ...file!, sequential: record });
  }
  const perEventRow = (file: ResultFile) =>
    comparePaired(file, { bootstrapResamples: 0, createdAt: '2026-12-07T00:00:00Z' }).metrics.find(
      (m) => m.metric === 'cpuMsPer1000Events',
    )!;

  it('decides on the adjusted figure and says so, with the slope and how far the workloads moved', () => {
    const file = adjustedFile({ workloadCpu: true });
    expect(file.sequential!.covariate).toBe('workloadOwnCpu');
    expect(file.sequential!.looks.at(-1)!.adjustment).toMatchObject({ applied: true, blocks: false });
    const row = perEventRow(file);
    expect(row.verdict).toBe('unchanged');
    expect(row.reason).toMatch(
      /adjusted for the workloads' own CPU \(slope 0\.\d\d; it moved [+-]\d+\.\d% between arms\)/,
    );
  });

  it('looks at the raw log-ratios, and says why, when the runs do not carry the workloads’ CPU', () => {
    const file = adjustedFile({ workloadCpu: false });
    expect(file.sequential!.looks[0].adjustment).toMatchObject({ applied: false, blocks: false });
    expect(perEventRow(file).reason).toContain("not adjusted: the workloads' own CPU is not known for every pair");
  });
});
