/**
 * The clock and log of a budgeted run (`budgetGrowth`), driven pair by pair with an injected clock:
 * its looks read the deciding metric of the pairs so far, `compare.deciding` chooses which, and the
 * design it fixes records that metric and its floor. (A real budgeted run: budgeted-ab.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { budgetGrowth } from '../../src/app/budgeted-ab.js';
import { compareAbResult } from '../../src/app/compare.js';
import { modeDescription } from '../../src/report/model.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { DecidingMetric } from '../../src/contracts/comparison.js';
import type { PlanProgress } from '../../src/run/plans.js';
import { mulberry32, normalDraw } from '../../src/stats/prng.js';
import { MiB } from '../../src/units.js';
import { abResultFile, type RunSpec } from '../support/result-files.js';

const T0 = Date.parse('2026-12-07T12:00:00Z');
const SLOT_MS = 30_000;

/**
 * Pairs whose CPU % of a core swings by 30% from pair to pair (a machine whose free CPU comes and
 * goes) while the CPU each event costs is steady and `factor` (40%) higher in the candidate; each
 * run's memory varies by `memorySd` (log scale) around 60 MiB.
 */
function pairs(
  count: number,
  factor = 1.4,
  memorySd = 0,
  seed = 7,
  memoryFactor = 1,
): Array<{ baseline: RunSpec; candidate: RunSpec }> {
  const random = mulberry32(seed);
  const mem = (f = 1) => 60 * MiB * f * Math.exp(memorySd * normalDraw(random));
  return Array.from({ length: count }, () => {
    const cpu = 20 * Math.exp(0.3 * normalDraw(random));
    const perEvent = 500 * (1 + 0.01 * normalDraw(random));
    return {
      baseline: { cpu, mem: mem(), cpuMsPer1000Events: perEvent },
      candidate: {
        cpu: cpu * Math.exp(0.3 * normalDraw(random)),
        mem: mem(memoryFactor),
        cpuMsPer1000Events: perEvent * factor * (1 + 0.01 * normalDraw(random)),
      },
    };
  });
}

/** Drives the growth as the engine would: asked after every complete pair, each slot 30 s. */
function drive(
  deciding: DecidingMetric | undefined,
  maxPairs = 12,
  lacking: number[] = [],
  covariate: Config['compare']['covariate'] = 'workloads',
  how: {
    stopWhen?: Config['compare']['stopWhen'];
    factor?: number;
    memorySd?: number;
    seed?: number;
    memoryFactor?: number;
  } = {},
) {
  const { config } = loadConfig({}, undefined, {}, '/nonexistent');
  const compare = { ...config.compare, deciding, covariate, stopWhen: how.stopWhen ?? config.compare.stopWhen };
  const withDeciding: Config = { ...config, compare };
  const all = pairs(maxPairs, how.factor, how.memorySd, how.seed, how.memoryFactor);
  // Pairs whose candidate run counted no events (1-based).
  for (const k of lacking) all[k - 1].candidate = { cpu: all[k - 1].candidate.cpu, mem: 60 * MiB };
  let now = T0;
  const lines: string[] = [];
  const growth = budgetGrowth(
    withDeciding,
    { minutes: 10, firstLook: 4, lookEvery: 2 },
    (l) => lines.push(l),
    () => now,
  );
  let asked = 0;
  let last = abResultFile({ pairs: all.slice(0, 1) });
  for (let k = 1; k <= maxPairs; k++) {
    const result = abResultFile({ pairs: all.slice(0, k) });
    last = result;
    result.runs.forEach((run, i) => (run.startedAt = new Date(T0 + i * SLOT_MS).toISOString()));
    now = T0 + 2 * k * SLOT_MS;
    const progress: PlanProgress = {
      done: result.runs.map((run) => ({
        slot: { kind: 'measured' as const, arm: run.arm === 'baseline' ? 0 : 1, pair: run.pair ?? null, seed: 1 },
        run,
      })),
      files: [{ file: 'ab.json', result }],
    };
    asked = k;
    if (!growth.keepGoing(progress)) break;
  }
  const file = growth.annotate(last);
  return { record: file.sequential!, lines, asked, file, config: withDeciding };
}

describe('the budget clock looks at the deciding metric', () => {
  it('compare.deciding: cpuMsPer1000Events: the looks read CPU per 1,000 events, its floor, and stop at the first look', () => {
    const { record, lines, asked } = drive('cpuMsPer1000Events');
    expect(record).toMatchObject({ metric: 'cpuMsPer1000Events', floor: { absolute: 1, relative: 0.05 } });
    expect(record.stop).toMatchObject({ reason: 'decided', look: 1, pairs: 4 });
    expect(record.looks[0].verdict).toBe('regression');
    expect(record.looks[0].change).toBeCloseTo(0.4, 1);
    expect(asked).toBe(4);
    expect(lines.join('\n')).toMatch(/CPU per 1,000 events \(compare\.deciding\) decides at alpha 0\.025 of 0\.05/);
    expect(lines.join('\n')).toMatch(/^look 1 of \d+ \(4 pairs\): CPU per 1,000 events \+[34]\d(\.\d)?%/m);
  });

  it('compare.deciding unset (the default A/B run): the looks read CPU per 1,000 events, and the design line says why', () => {
    const { record, lines } = drive(undefined);
    expect(record.metric).toBe('cpuMsPer1000Events');
    expect(record.stop).toMatchObject({ reason: 'decided', look: 1, pairs: 4 });
    expect(lines.join('\n')).toMatch(
      /CPU per 1,000 events \(the default where delivery counts events\) decides at alpha 0\.025 of 0\.05/,
    );
  });

  it('compare.covariate: workloads (the default): the design records the covariate and says so; a look without the figure says it was not adjusted', () => {
    const { record, lines } = drive(undefined);
    expect(record.covariate).toBe('workloadOwnCpu');
    expect(record.looks[0].adjustment).toMatchObject({
      applied: false,
      why: "the workloads' own CPU is not known for every pair",
    });
    const log = lines.join('\n');
    expect(log).toContain("its pair log-ratios are adjusted for the workloads' own CPU");
    expect(log).toMatch(
      /^look 1 of \d+ \(4 pairs\): .* \(unadjusted: the workloads' own CPU is not known for every pair\), regression, stopping$/m,
    );
  });

  it('compare.covariate: none: the design has no covariate and its looks are the raw log-ratios, as before', () => {
    const { record, lines } = drive(undefined, 12, [], 'none');
    expect(record.covariate).toBeNull();
    expect(record.looks[0].adjustment).toBeUndefined();
    expect(lines.join('\n')).not.toContain('adjusted');
  });

  it('a pair whose run counted no events is left out of the per-event looks, and the log says so', () => {
    const { record, lines, asked } = drive('cpuMsPer1000Events', 12, [2]);
    expect(asked).toBe(5); // the first look waits for a fourth pair with the figure
    expect(record.stop).toMatchObject({ reason: 'decided', pairs: 4 });
    expect(lines.join('\n')).toContain(
      '› 1 of 2 complete pairs lack CPU per 1,000 events in a run (the delivery check counted no events): left out of the looks',
    );
  });

  it('compare.deciding: cpuPercent on the same pairs: the looks read CPU % of a core, whose swings keep them open', () => {
    const { record, lines } = drive('cpuPercent');
    expect(record).toMatchObject({ metric: 'cpuPercent', floor: { absolute: 1, relative: 0.05 } });
    expect(record.looks[0].verdict).toBe('continue');
    expect(record.looks[0].pairs).toBe(4);
    expect(lines.join('\n')).toMatch(/^look 1 of \d+ \(4 pairs\): CPU [+-]\d/m);
    expect(lines.join('\n')).not.toMatch(/CPU per 1,000 events/);
  });
});

describe('compare.stopWhen: when an early deciding look ends the run', () => {
  // An A/A per-event cost (1% noise) decides `unchanged` early; memory varying 25% from run to run
  // cannot be called on a handful of pairs against its 10 MiB floor (17% of 60 MiB).
  const aa = { factor: 1, memorySd: 0.25 };

  it('deciding (the default): the run stops at the look that decides, memory open or not', () => {
    const { record, asked, file, config } = drive(undefined, 12, [], 'workloads', { ...aa, stopWhen: 'deciding' });
    expect(record.stop).toMatchObject({ reason: 'decided' });
    expect(record.looks.at(-1)!.verdict).toBe('unchanged');
    expect(asked).toBe(record.stop!.pairs);
    expect(record.ranOn).toBeUndefined();
    const comparison = compareAbResult(file, 'ab.json', config);
    expect(comparison.metrics.find((m) => m.metric === 'memoryBytes')!.verdict).toBe('inconclusive');
    expect(comparison.overall).toBe('inconclusive');
  });

  it('overall: the per-event verdict is held, and pairs go on to later scheduled looks while memory is open', () => {
    const { record, asked, lines, file, config } = drive(undefined, 12, [], 'workloads', {
      ...aa,
      stopWhen: 'overall',
    });
    const decidedAt = record.stop!.pairs;
    expect(record.stop).toMatchObject({ reason: 'decided' });
    expect(record.looks.at(-1)!.verdict).toBe('unchanged');
    expect(record.ranOn).toMatchObject({ open: ['memoryBytes'] });
    expect(asked).toBeGreaterThan(decidedAt);
    // It ended at a scheduled look or the design's last pair, never between.
    expect(record.ranOn!.pairs).toBe(asked);
    expect([...record.scheduledLooks, record.maxPairs]).toContain(asked);
    const log = lines.join('\n');
    expect(log).toMatch(
      /CPU per 1,000 events is decided \(unchanged, held from now on\), but the overall verdict is open: Memory inconclusive on \d+ pairs/,
    );
    // The finished file: the per-event verdict is the one its look decided, memory has every pair.
    const comparison = compareAbResult(file, 'ab.json', config);
    const perEvent = comparison.metrics.find((m) => m.metric === 'cpuMsPer1000Events')!;
    expect(perEvent.verdict).toBe('unchanged');
    expect(comparison.sequential).toMatchObject({ pairs: decidedAt, ranOnTo: asked });
    expect(comparison.metrics.find((m) => m.metric === 'memoryBytes')!.paired!.pairs).toBe(asked);
    expect(modeDescription(comparison)).toContain(`pairs went on to ${asked} after the deciding look`);
    if (record.ranOn!.ended === 'overall decided') expect(comparison.overall).not.toBe('inconclusive');
    else expect(record.ranOn!.ended).toMatch(/last look|budget spent/);
  });

  it('overall: with memory steady the run stops at the deciding look, as with deciding', () => {
    // 0.5% from run to run (identical values would leave the paired test without a variance).
    const { record, asked } = drive(undefined, 12, [], 'workloads', {
      factor: 1,
      memorySd: 0.005,
      stopWhen: 'overall',
    });
    expect(record.stop).toMatchObject({ reason: 'decided' });
    expect(asked).toBe(record.stop!.pairs);
    expect(record.ranOn).toBeNull();
  });

  it('overall: a regression of the deciding metric stops at once (the overall verdict is regression whatever memory says)', () => {
    const { record, asked } = drive(undefined, 12, [], 'workloads', {
      factor: 1.4,
      memorySd: 0.25,
      stopWhen: 'overall',
    });
    expect(record.stop).toMatchObject({ reason: 'decided', pairs: 4 });
    expect(record.looks[0].verdict).toBe('regression');
    expect(asked).toBe(4);
    expect(record.ranOn).toBeNull();
  });
});

describe('compare.stopWhen: what running on costs and buys for memory (simulation)', () => {
  // STOP_WHEN_REPS=2000 for the README's figures (about 3 minutes); the suite's 150 take about 15 s.
  const reps = Number(process.env.STOP_WHEN_REPS ?? 150);
  // Memory varying 12% from run to run: against its floor (10 MiB of 60, 17%) about 6 pairs cannot
  // call it and 10 often can, as on the real runs (README, `compare.stopWhen`).
  function memoryVerdicts(stopWhen: 'deciding' | 'overall', memoryFactor: number) {
    const counts = { unchanged: 0, regression: 0, improvement: 0, inconclusive: 0, pairs: 0 };
    for (let r = 0; r < reps; r++) {
      const { file, config, asked } = drive(undefined, 12, [], 'workloads', {
        factor: 1,
        memorySd: 0.12,
        seed: 1000 + r,
        memoryFactor,
        stopWhen,
      });
      const memory = compareAbResult(file, 'ab.json', config).metrics.find((m) => m.metric === 'memoryBytes')!;
      counts[memory.verdict]++;
      counts.pairs += asked;
    }
    const rate = (k: number) => k / reps;
    return {
      unchanged: rate(counts.unchanged),
      falseCall: rate(counts.regression + counts.improvement),
      regression: rate(counts.regression),
      meanPairs: counts.pairs / reps,
    };
  }

  it('A/A: memory reads unchanged far more often, with no more false verdicts; a change at its floor still rarely passes as unchanged', () => {
    const aaDeciding = memoryVerdicts('deciding', 1);
    const aaOverall = memoryVerdicts('overall', 1);
    const floorDeciding = memoryVerdicts('deciding', 70 / 60);
    const floorOverall = memoryVerdicts('overall', 70 / 60);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.log(
      `${reps} comparisons a row (per-event A/A, memory SD 12% a run)\n` +
        `stopWhen  | A/A unchanged | A/A false verdict | mean pairs | +10 MiB (the floor): unchanged, regression\n` +
        `deciding  | ${pct(aaDeciding.unchanged)} | ${pct(aaDeciding.falseCall)} | ${aaDeciding.meanPairs.toFixed(1)} | ${pct(floorDeciding.unchanged)}, ${pct(floorDeciding.regression)}\n` +
        `overall   | ${pct(aaOverall.unchanged)} | ${pct(aaOverall.falseCall)} | ${aaOverall.meanPairs.toFixed(1)} | ${pct(floorOverall.unchanged)}, ${pct(floorOverall.regression)}`,
    );
    expect(aaOverall.unchanged).toBeGreaterThan(aaDeciding.unchanged + 0.15);
    expect(aaOverall.meanPairs).toBeGreaterThan(aaDeciding.meanPairs);
    // Memory's share of alpha is at most 0.025; its fixed test may now end the run at up to three
    // looks. Three Monte Carlo SEs above that share, so the bound holds at the suite's 150 runs.
    const margin = (p: number) => 3 * Math.sqrt((p * (1 - p)) / reps);
    expect(aaOverall.falseCall).toBeLessThanOrEqual(0.025 + margin(0.025));
    expect(floorOverall.unchanged).toBeLessThanOrEqual(0.025 + margin(0.025));
  });
});
