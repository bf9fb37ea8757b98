/**
 * The change-point detector against an independent numpy/scipy implementation
 * (scripts/fixtures/gen_change_point_fixtures.py), and the properties the history needs: one spike
 * is no change point, an environment change starts an epoch, the same series gives the same answer.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  detectChangePoints,
  eDivisiveScan,
  sessionsShort,
  type ChangePointOptions,
} from '../../src/stats/change-points.js';
import { agrees } from './fixtures.js';

interface Case {
  name: string;
  values: number[];
  epochs: number[];
  options: ChangePointOptions;
  scan: Array<{ tau: number; q: number }>;
  changePoints: Array<{
    index: number;
    epoch: number;
    from: number;
    to: number;
    q: number;
    pValue: number;
    meanBefore: number;
    meanAfter: number;
    low: number;
    high: number;
  }>;
}

const fixtures = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/stats/change-points.json', import.meta.url)), 'utf8'),
) as { cases: Case[] };
const byName = (name: string) => fixtures.cases.find((c) => c.name === name)!;

describe('E-divisive Q (checked against numpy)', () => {
  it.each(fixtures.cases.map((c) => [c.name, c] as const))('matches at every split: %s', (_n, c) => {
    const scan = eDivisiveScan(c.values, c.options.minSegment);
    expect(scan.map((s) => s.tau)).toEqual(c.scan.map((s) => s.tau));
    scan.forEach((s, i) =>
      expect(agrees(s.q, c.scan[i].q, 1e-9, 1e-9), `tau ${s.tau}: ${s.q} vs ${c.scan[i].q}`).toBe(true),
    );
  });
});

describe('detectChangePoints (checked against the numpy/scipy implementation)', () => {
  it('has reference cases with and without change points', () => {
    expect(fixtures.cases.filter((c) => c.changePoints.length > 0).length).toBeGreaterThanOrEqual(5);
    expect(fixtures.cases.filter((c) => c.changePoints.length === 0).length).toBeGreaterThanOrEqual(3);
  });

  it.each(fixtures.cases.map((c) => [c.name, c] as const))('finds the same change points: %s', (_n, c) => {
    const found = detectChangePoints(c.values, c.epochs, c.options).changePoints;
    expect(found.map((cp) => cp.index)).toEqual(c.changePoints.map((cp) => cp.index));
    found.forEach((cp, i) => {
      const ref = c.changePoints[i];
      expect(cp.epoch).toBe(ref.epoch);
      expect([cp.before.from, cp.after.to]).toEqual([ref.from, ref.to]);
      expect(agrees(cp.q, ref.q, 1e-9, 1e-9), `Q ${cp.q} vs ${ref.q}`).toBe(true);
      expect(agrees(cp.pValue, ref.pValue, 1e-6, 1e-12), `p ${cp.pValue} vs ${ref.pValue}`).toBe(true);
      expect(agrees(cp.before.mean, ref.meanBefore)).toBe(true);
      expect(agrees(cp.after.mean, ref.meanAfter)).toBe(true);
      expect(agrees(cp.absoluteInterval![0], ref.low), `low ${cp.absoluteInterval![0]} vs ${ref.low}`).toBe(true);
      expect(agrees(cp.absoluteInterval![1], ref.high), `high ${cp.absoluteInterval![1]} vs ${ref.high}`).toBe(true);
      expect(cp.relative).toBeCloseTo((ref.meanAfter - ref.meanBefore) / ref.meanBefore, 12);
    });
  });
});

describe('what a history needs of it', () => {
  it('finds a +20% step where it is, with an interval that holds the true change', () => {
    const [cp] = detectChangePoints(byName('one +20% step').values).changePoints;
    expect(cp.index).toBe(15);
    expect(cp.before).toMatchObject({ from: 0, to: 15, n: 15 });
    expect(cp.after).toMatchObject({ from: 15, to: 30, n: 15 });
    expect(cp.relativeInterval![0]).toBeLessThan(0.2);
    expect(cp.relativeInterval![1]).toBeGreaterThan(0.2);
  });

  it('does not make one spike a change point, nor a step below the minimum magnitude', () => {
    expect(detectChangePoints(byName('one spike').values).changePoints).toEqual([]);
    expect(detectChangePoints(byName('+3% step below the floor').values).changePoints).toEqual([]);
  });

  it('reports no change point at an environment change, and finds steps inside an epoch', () => {
    const c = byName('an environment change is an epoch, not a step');
    const analysis = detectChangePoints(c.values, c.epochs);
    expect(analysis.epochs).toEqual([
      { epoch: 0, from: 0, to: 10 },
      { epoch: 1, from: 10, to: 36 },
    ]);
    expect(analysis.changePoints.map((cp) => cp.index)).toEqual([28]);
    // The same values as one epoch: the +50% at the environment change is then the biggest step.
    expect(detectChangePoints(c.values).changePoints.map((cp) => cp.index)).toContain(10);
  });

  it('gives the same answer every time (no random permutations)', () => {
    const c = byName('two steps, up then back');
    expect(detectChangePoints(c.values)).toEqual(detectChangePoints(c.values));
  });

  it('needs minSegment sessions after a step before it can report it', () => {
    const late = byName('a step minSegment sessions before the end').values;
    expect(detectChangePoints(late.slice(0, 22)).changePoints).toEqual([]);
    expect(detectChangePoints(late).changePoints.map((cp) => cp.index)).toEqual([20]);
  });

  it('says how many more sessions an epoch needs', () => {
    expect(sessionsShort(2, 3)).toBe(4);
    expect(sessionsShort(6, 3)).toBe(0);
    expect(sessionsShort(40, 3)).toBe(0);
  });

  it('refuses a minimum segment below 2 (one value has no spread) and mislabelled epochs', () => {
    expect(() => detectChangePoints([1, 2, 3, 4], undefined, { minSegment: 1 })).toThrow(/minSegment/);
    expect(() => detectChangePoints([1, 2, 3], [0, 0])).toThrow(/epochs/);
  });
});
