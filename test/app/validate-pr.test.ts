/** What `validate pr` runs and in which order: the designs, the conditions, their knobs, the rotation. */
import { describe, expect, it } from 'vitest';
import type { BenchmarkRequest } from '../../src/app/benchmark.js';
import { DESIGNS } from '../../src/app/validate-designs.js';
import { repetitionOrder, validatePr, validatePrRequest } from '../../src/app/validate-pr.js';
import { loadConfig } from '../../src/config/load.js';
import { InvalidInputError } from '../../src/errors.js';

const { config } = loadConfig({}, undefined, {}, '/nonexistent');

describe('validate pr', () => {
  it('runs every design x condition by default, the PR run as configured, with the gate’s knobs', () => {
    const req = validatePrRequest({}, config, null);
    expect(req.designs).toEqual([
      'interleaved',
      'duet',
      'budget',
      'duet-budget',
      'budget-per-event',
      'budget-per-event-adjusted',
      'budget-per-event-adjusted-overall',
      'duet-budget-per-event',
    ]);
    expect(req.conditions).toEqual(['aa', 'cpu5', 'cpu10', 'cpu25']);
    expect(req.workFactors).toEqual({ base: 100, aa: 100, cpu5: 109, cpu10: 118, cpu25: 145 });
    expect(req).toMatchObject({ repetitions: 1, neighbours: [null], record: 'validate-record.jsonl' });
    expect(req.config.run.runs).toBe(config.run.runs);
  });

  it('takes neighbours (each once), a subset of conditions and knobs, and refuses a knob at or below the base', () => {
    const req = validatePrRequest(
      { neighbour: 'none,50x2,none', conditions: 'cpu10,aa', baseWorkFactor: '40', cpu10WorkFactor: '50' },
      config,
      null,
    );
    expect(req.neighbours).toEqual([null, { dutyPercent: 50, processes: 2 }]);
    expect(req.conditions).toEqual(['cpu10', 'aa']);
    expect(req.workFactors).toMatchObject({ base: 40, aa: 40, cpu10: 50 });
    expect(() => validatePrRequest({ cpu5WorkFactor: '100' }, config, null)).toThrow(InvalidInputError);
    expect(() => validatePrRequest({ cpu5WorkFactor: '100' }, config, null)).toThrow(
      /cpu5-work-factor.*above the base/,
    );
  });

  /** A PR run whose config sets `compare` keys the designs must override. */
  const requestWith = (compare: Partial<typeof config.compare>): BenchmarkRequest => ({
    config: { ...config, compare: { ...config.compare, ...compare } },
    configFile: null,
    ab: { candidateEnv: ['REF_COLLECTOR_WORK_FACTOR=100'] },
    compare: true,
    updateBaseline: false,
  });

  it('every budgeted design sets whether its looks are adjusted, so a recorded name keeps its meaning when the default moves', () => {
    const request = (covariate: 'workloads' | 'none') => requestWith({ covariate });
    for (const [name, design] of Object.entries(DESIGNS).filter(([, d]) => d.budgeted)) {
      const [a, b] = [design.apply(request('workloads')), design.apply(request('none'))];
      if (a.ab.duet) continue; // duet pairs share one window: never adjusted
      expect({ name, covariate: a.config.compare.covariate }).toEqual({ name, covariate: b.config.compare.covariate });
    }
    expect(DESIGNS['budget-per-event-adjusted'].apply(request('none')).config.compare.covariate).toBe('workloads');
    expect(DESIGNS['budget-per-event'].apply(request('workloads')).config.compare.covariate).toBe('none');
  });

  it('every budgeted design sets when its run stops (compare.stopWhen), whatever the default', () => {
    const request = (stopWhen: 'deciding' | 'overall') => requestWith({ stopWhen });
    for (const [name, design] of Object.entries(DESIGNS).filter(([, d]) => d.budgeted)) {
      const [a, b] = [design.apply(request('deciding')), design.apply(request('overall'))];
      expect({ name, stopWhen: a.config.compare.stopWhen }).toEqual({ name, stopWhen: b.config.compare.stopWhen });
    }
    const overall = DESIGNS['budget-per-event-adjusted-overall'].apply(request('deciding')).config.compare;
    const adjusted = DESIGNS['budget-per-event-adjusted'].apply(request('overall')).config.compare;
    expect(overall).toMatchObject({ stopWhen: 'overall', covariate: 'workloads', deciding: 'cpuMsPer1000Events' });
    expect(adjusted).toMatchObject({ stopWhen: 'deciding', covariate: 'workloads', deciding: 'cpuMsPer1000Events' });
  });

  it('refuses --runs with a budgeted design, which picks its own pairs, naming the designs it would not reach', () => {
    expect(() =>
      validatePrRequest({ runsGiven: true, designs: 'interleaved,budget-per-event-adjusted' }, config, null),
    ).toThrow(
      /flags --runs and --designs: key "designs" has value "budget-per-event-adjusted"; allowed: designs with a fixed number of pairs \(interleaved, duet\) with --runs/,
    );
    expect(validatePrRequest({ runsGiven: true, designs: 'interleaved,duet' }, config, null).designs).toEqual([
      'interleaved',
      'duet',
    ]);
  });

  it('refuses the reference collector’s knobs on anything but the reference collector', async () => {
    const other = { ...config, collector: { ...config.collector, image: 'someone/agent:1' } };
    const quiet = { info: () => {}, warn: () => {}, color: false };
    const progress = { update: () => {}, line: () => {}, done: () => {} };
    await expect(validatePr(validatePrRequest({}, other, null), quiet, progress)).rejects.toThrow(/collector.image/);
  });

  it('rotates the order by one place every repetition, so each cell takes each position in turn', () => {
    const cells = (rep: number) =>
      repetitionOrder(['interleaved', 'duet'], ['aa', 'cpu10'], [null], rep).map((c) => `${c.design}/${c.condition}`);
    expect(cells(1)).toEqual(['interleaved/aa', 'duet/aa', 'interleaved/cpu10', 'duet/cpu10']);
    expect(cells(2)).toEqual(['duet/aa', 'interleaved/cpu10', 'duet/cpu10', 'interleaved/aa']);
    expect(cells(5)).toEqual(cells(1));
    const firsts = [1, 2, 3, 4].map((rep) => cells(rep)[0]);
    expect(new Set(firsts).size).toBe(4);
  });

  it('interleaves neighbours as one more condition: each started for its own comparisons', () => {
    const cells = repetitionOrder(['interleaved'], ['aa', 'cpu10'], [null, { dutyPercent: 50, processes: 2 }], 1);
    expect(cells.map((c) => `${c.condition}/${c.neighbour?.dutyPercent ?? 'none'}`)).toEqual([
      'aa/none',
      'cpu10/none',
      'aa/50',
      'cpu10/50',
    ]);
  });
});
