/**
 * The clock and log of a budgeted run (`budgetGrowth`), driven pair by pair with an injected clock:
 * its looks read the deciding metric of the pairs so far, `compare.deciding` chooses which, and the
 * design it fixes records that metric and its floor. (A real budgeted run: budgeted-ab.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { budgetGrowth } from '../../src/app/budgeted-ab.js';
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
 * goes) while the CPU each event costs is steady and 40% higher in the candidate.
 */
function pairs(count: number): Array<{ baseline: RunSpec; candidate: RunSpec }> {
  const random = mulberry32(7);
  return Array.from({ length: count }, () => {
    const cpu = 20 * Math.exp(0.3 * normalDraw(random));
    const perEvent = 500 * (1 + 0.01 * normalDraw(random));
    return {
      baseline: { cpu, mem: 60 * MiB, cpuMsPer1000Events: perEvent },
      candidate: {
        cpu: cpu * Math.exp(0.3 * normalDraw(random)),
        mem: 60 * MiB,
        cpuMsPer1000Events: perEvent * 1.4 * (1 + 0.01 * normalDraw(random)),
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
) {
  const { config } = loadConfig({}, undefined, {}, '/nonexistent');
  const withDeciding: Config = { ...config, compare: { ...config.compare, deciding, covariate } };
  const all = pairs(maxPairs);
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
  for (let k = 1; k <= maxPairs; k++) {
    const result = abResultFile({ pairs: all.slice(0, k) });
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
  const record = growth.annotate(abResultFile({ pairs: all.slice(0, 1) })).sequential!;
  return { record, lines, asked };
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
