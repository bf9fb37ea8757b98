/**
 * `compare` on a budgeted A/B file: the CPU verdict is the one the run stopped with (the recorded
 * design replayed on the file's complete pairs, same boundaries), CPU leaves the Holm family and the
 * other metrics share what alpha it left, and every report says where the design stopped.
 */
import { describe, expect, it } from 'vitest';
import { abPairs } from '../../src/contracts/ab.js';
import { ResultFileSchema, type ResultFile } from '../../src/contracts/result.js';
import type { SequentialRecord } from '../../src/contracts/sequential.js';
import { renderReport } from '../../src/report/index.js';
import { comparePaired } from '../../src/stats/compare.js';
import { METRICS } from '../../src/stats/metrics.js';
import { mulberry32, normalDraw } from '../../src/stats/prng.js';
import { designSequential, stepSequential } from '../../src/stats/sequential-ab.js';
import { pairValues } from '../../src/stats/sequential-decide.js';
import { MiB } from '../../src/units.js';
import { abResultFile } from '../support/result-files.js';

const FLOORS = { absolute: 1, relative: 0.05 };
const CPU = METRICS.find((m) => m.metric === 'cpuPercent')!;
const PER_EVENT = METRICS.find((m) => m.metric === 'cpuMsPer1000Events')!;

/**
 * A budgeted file as the run writes it: pairs added one at a time (50 s each, the design fixed at
 * 100 s into a `budgetMinutes` budget), each step taken on the complete pairs so far, stopping when
 * the rule says so; the record the run kept goes into the file.
 */
function budgetedFile(opts: {
  cpuChange: number;
  sd: number;
  memChange: number;
  secondsPerPair?: number;
  seed: number;
  /** Looks on CPU per 1,000 events instead: the runs carry it (500 ms, 1% noise) changed by this log-ratio. */
  perEventChange?: number;
}) {
  const perEvent = opts.perEventChange !== undefined;
  const d = designSequential({
    metric: perEvent ? 'cpuMsPer1000Events' : 'cpuPercent',
    budgetMinutes: 10,
    familyAlpha: 0.05,
    power: 0.8,
    spending: 'obrien-fleming',
    floor: FLOORS,
    elapsedSeconds: 100,
    pairSeconds: 50,
    estimatedFrom: 'the 2 warm-up run(s)',
  });
  let record: SequentialRecord = d.value!;
  const random = mulberry32(opts.seed);
  type Side = { cpu: number; mem: number; cpuMsPer1000Events?: number };
  const specs: Array<{ baseline: Side; candidate: Side }> = [];
  let file: ResultFile | null = null;
  for (let k = 1; k <= 20; k++) {
    const cpu = 20 * (1 + 0.1 * normalDraw(random));
    const mem = 60 * MiB * (1 + 0.02 * normalDraw(random));
    const perEventBase = 500 * (1 + 0.01 * normalDraw(random));
    const events = (change: number) => (perEvent ? { cpuMsPer1000Events: perEventBase * Math.exp(change) } : {});
    specs.push({
      baseline: { cpu, mem, ...events(0) },
      candidate: {
        cpu: cpu * Math.exp(opts.cpuChange + opts.sd * normalDraw(random)),
        mem: mem * (1 + opts.memChange + 0.01 * normalDraw(random)),
        ...events((opts.perEventChange ?? 0) + 0.01 * normalDraw(random)),
      },
    });
    file = abResultFile({ pairs: specs, samplesPerRun: 5 });
    const elapsed = 100 + k * (opts.secondsPerPair ?? 50);
    const spec = perEvent ? PER_EVENT : CPU;
    const step = stepSequential(record, pairValues(spec, abPairs(file, 'f')), elapsed, opts.secondsPerPair);
    record = step.record;
    if (!step.more) break;
  }
  return ResultFileSchema.parse({ ...file!, sequential: record });
}

const compare = (file: ResultFile) => comparePaired(file, { bootstrapResamples: 0, createdAt: '2026-12-07T00:00:00Z' });

describe('compare on a budgeted A/B file', () => {
  it('gives CPU the verdict the run stopped with, and says where: decided at look 1 of 4 after 4 pairs', () => {
    const file = budgetedFile({ cpuChange: Math.log(1.4), sd: 0.02, memChange: 0.3, seed: 1 });
    expect(file.sequential!.stop).toMatchObject({ reason: 'decided', look: 1, pairs: 4 });
    const c = compare(file);
    const cpu = c.metrics.find((m) => m.metric === 'cpuPercent')!;
    expect(cpu.verdict).toBe(file.sequential!.looks.at(-1)!.verdict);
    expect(cpu.verdict).toBe('regression');
    expect(cpu.adjustedPValue).toBeNull(); // not in the Holm family
    expect(cpu.change.relative).toBeCloseTo(file.sequential!.looks[0].change!, 12);
    expect(cpu.interval!.level).toBeCloseTo(0.95, 12); // 1 - 2 x 0.025
    expect(c.sequential).toMatchObject({
      look: 1,
      plannedLooks: 4,
      pairs: 4,
      maxPairs: 10,
      stop: 'decided',
      alpha: 0.025,
      budgetMinutes: 10,
    });
    expect(c.sequential!.minutes).toBeCloseTo(300 / 60, 12);
    // Memory is compared by the fixed design on the same pairs, Holm at the alpha CPU left.
    const mem = c.metrics.find((m) => m.metric === 'memoryBytes')!;
    expect(mem.verdict).toBe('regression');
    expect(mem.reason).toMatch(/< 0\.025/);
    for (const format of ['text', 'markdown'] as const) {
      const text = renderReport(format, c);
      expect(text).toContain('decided at look 1 of 4 after 4 pairs (5.0 min of the 10 min budget)');
      expect(text).toMatch(/the other metrics by the paired t-test on 4 pairs at the end \(alpha 0\.025, Holm\)/);
    }
  });

  it('a budget spent undecided: inconclusive, and the report gives the MDE it reached', () => {
    const file = budgetedFile({ cpuChange: 0, sd: 0.3, memChange: 0, secondsPerPair: 80, seed: 3 });
    expect(file.sequential!.stop).toMatchObject({ reason: 'budget spent', pairs: 6 });
    const c = compare(file);
    expect(c.metrics[0]).toMatchObject({ metric: 'cpuPercent', verdict: 'inconclusive' });
    expect(c.metrics[0].reason).toMatch(/budget spent at look 2 of 4 \(6 pairs\)/);
    expect(c.sequential).toMatchObject({ stop: 'budget spent', look: 2, pairs: 6 });
    expect(renderReport('text', c)).toMatch(/budget spent, inconclusive; MDE reached ±\d+%/);
  });

  it('recomputing gives the same answer: the JSON of two compares of one file differ in nothing', () => {
    const file = budgetedFile({ cpuChange: 0, sd: 0.01, memChange: 0, seed: 2 });
    expect(compare(file)).toEqual(compare(ResultFileSchema.parse(JSON.parse(JSON.stringify(file)))));
    expect(compare(file).metrics[0].verdict).toBe('unchanged');
    // The floor is the one recorded with the design, whatever the config says now.
    const wider = comparePaired(file, { bootstrapResamples: 0, floors: { cpu: { absolute: 0, relative: 0.001 } } });
    expect(wider.metrics[0].verdict).toBe('unchanged');
  });

  it('looks on CPU per 1,000 events when the run did: that metric decides, CPU % is shown beside it, whatever the config says now', () => {
    // CPU % of a core swings by 30% a pair (a busy machine), the cost per event is steady and 40% higher.
    const file = budgetedFile({ cpuChange: 0, sd: 0.3, memChange: 0, seed: 4, perEventChange: Math.log(1.4) });
    expect(file.sequential).toMatchObject({ metric: 'cpuMsPer1000Events', stop: { reason: 'decided', pairs: 4 } });
    for (const deciding of ['cpuPercent', 'cpuMsPer1000Events'] as const) {
      const c = comparePaired(file, { bootstrapResamples: 0, deciding });
      const perEvent = c.metrics.find((m) => m.metric === 'cpuMsPer1000Events')!;
      expect(perEvent).toMatchObject({ verdict: 'regression', adjustedPValue: null, decides: true });
      expect(c.metrics.find((m) => m.metric === 'cpuPercent')).toMatchObject({ decides: false });
      expect(c.deciding).toMatchObject({
        metric: 'cpuMsPer1000Events',
        decidedBy: ['cpuMsPer1000Events', 'memoryBytes'],
      });
      expect(c.overall).toBe('regression');
      expect(c.sequential).toMatchObject({ metric: 'cpuMsPer1000Events', look: 1, stop: 'decided' });
      expect(renderReport('text', c)).toContain('CPU per 1,000 events by the group-sequential rule');
    }
  });

  it('the same file without its design is compared by the fixed design, CPU in the Holm family', () => {
    const { sequential: _, ...fixed } = budgetedFile({ cpuChange: Math.log(1.4), sd: 0.02, memChange: 0.3, seed: 1 });
    const c = compare(fixed);
    expect(c.sequential).toBeUndefined();
    expect(c.metrics[0].adjustedPValue).not.toBeNull();
  });
});
