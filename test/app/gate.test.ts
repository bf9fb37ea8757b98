/** The gate's conditions: what each injects, on which base load, and the tolerance its rate is held to. */
import { describe, expect, it } from 'vitest';
import { gateConditions, gateModes, regressionCondition } from '../../src/app/gate.js';
import { InvalidInputError } from '../../src/errors.js';

const conditions = gateConditions({});

describe('the gate validation conditions', () => {
  it('injects nothing in A/A and the three sizes through the reference collector’s knobs', () => {
    expect(conditions.map((c) => [c.name, c.target])).toEqual([
      ['A/A', null],
      ['cpu+10%', 'cpuPercent'],
      ['cpu+25%', 'cpuPercent'],
      ['mem+20MiB', 'memoryBytes'],
    ]);
    expect(conditions[3].env.REF_COLLECTOR_RETAIN_MAX_BYTES).toBe(String(20 * 2 ** 20));
  });

  it('injects CPU on top of the base load every arm carries, and refuses a candidate at or below it', () => {
    const c = gateConditions({ baseWorkFactor: '50', cpu10WorkFactor: '60', cpu25WorkFactor: '75' });
    expect(c[1]).toMatchObject({
      env: { REF_COLLECTOR_WORK_FACTOR: '60' },
      injected: '+10% CPU (work factor 50 -> 60)',
    });
    expect(c[2].env.REF_COLLECTOR_WORK_FACTOR).toBe('75');
    expect(() => gateConditions({ baseWorkFactor: '100', cpu10WorkFactor: '90' })).toThrow(InvalidInputError);
    expect(() => gateConditions({ baseWorkFactor: '100', cpu10WorkFactor: '90' })).toThrow(
      /cpu10-work-factor.*above the base/,
    );
  });

  it('states a tolerance per condition: A/A false positives at most 5%, detections at least 80% or 95%', () => {
    expect(conditions.map((c) => [c.name, c.tolerance])).toEqual([
      ['A/A', 0.05],
      ['cpu+10%', 0.8],
      ['cpu+25%', 0.95],
      ['mem+20MiB', 0.95],
    ]);
  });
});

describe('choosing what the gate measures', () => {
  it('measures a subset of the conditions when asked by key, in their order, and refuses an unknown key', () => {
    expect(gateConditions({ only: 'cpu25,aa' }).map((c) => c.name)).toEqual(['A/A', 'cpu+25%']);
    expect(() => gateConditions({ only: 'aa,cpu50' })).toThrow(/aa, cpu10, cpu25, mem20/);
  });
  it('measures both modes by default, A/B only with --quick, and either one when named', () => {
    expect(gateModes({})).toEqual({ ab: true, history: true });
    expect(gateModes({ quick: true })).toEqual({ ab: true, history: false });
    expect(gateModes({ modes: 'history' })).toEqual({ ab: false, history: true });
    expect(() => gateModes({ modes: 'ab,duet' })).toThrow(/ab, history/);
  });
});

describe('validate regression, one condition of the gate', () => {
  it('puts the CPU knob on top of the base load (twice the base by default), and must detect it every time', () => {
    expect(regressionCondition({ baseWorkFactor: 100 })).toMatchObject({
      target: 'cpuPercent',
      env: { REF_COLLECTOR_WORK_FACTOR: '200' },
      tolerance: 1,
    });
    expect(regressionCondition({ baseWorkFactor: 0, workFactor: '200' }).injected).toBe('work factor 0 -> 200');
  });

  it('turns the memory knob instead when asked, and A/A allows no regression or improvement at all', () => {
    expect(regressionCondition({ baseWorkFactor: 100, retainBytesPerEvent: '64' })).toMatchObject({
      target: 'memoryBytes',
      env: { REF_COLLECTOR_RETAIN_BYTES_PER_EVENT: '64' },
    });
    expect(regressionCondition({ baseWorkFactor: 100, aa: true })).toMatchObject({ target: null, tolerance: 0 });
  });

  it('refuses a knob at or below the base, naming the flag', () => {
    expect(() => regressionCondition({ baseWorkFactor: 100, workFactor: '100' })).toThrow(InvalidInputError);
    expect(() => regressionCondition({ baseWorkFactor: 100, workFactor: '100' })).toThrow(/--work-factor/);
  });
});
