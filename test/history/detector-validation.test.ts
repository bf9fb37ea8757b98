/**
 * The generated series and the detector's measurement on them (`validate history`): the generator
 * puts the change where it says, the measurement counts what it says, and both are reproducible.
 */
import { describe, expect, it } from 'vitest';
import { DETECTOR_CONDITIONS, validateDetector } from '../../src/history/detector-validation.js';
import { generateSeries } from '../../src/history/generate-series.js';
import { mean, standardDeviation } from '../../src/stats/descriptive.js';
import { runCli } from '../support/cli.js';

const settings = { before: 20, after: 20, noise: 0.07, level: 20 };

describe('generateSeries', () => {
  it('is the same series for the same seed, another for another seed', () => {
    const shape = { kind: 'step', size: 0.1 } as const;
    expect(generateSeries(shape, settings, 5)).toEqual(generateSeries(shape, settings, 5));
    expect(generateSeries(shape, settings, 6).values).not.toEqual(generateSeries(shape, settings, 5).values);
  });

  it('steps by the size at the truth, with the asked noise around each level', () => {
    const g = generateSeries({ kind: 'step', size: 0.1 }, { ...settings, before: 2000, after: 2000 }, 1);
    expect(g.truth).toEqual({ start: 2000, end: 2000 });
    const before = g.values.slice(0, 2000);
    const after = g.values.slice(2000);
    expect(mean(before)).toBeCloseTo(20, 0);
    expect(mean(after) / mean(before) - 1).toBeCloseTo(0.1, 1);
    expect(standardDeviation(before) / 20).toBeCloseTo(0.07, 2);
  });

  it('creeps one step per session: ten 1% steps make +10% over ten sessions', () => {
    const g = generateSeries({ kind: 'creep', size: 0.01, steps: 10 }, { ...settings, noise: 0 }, 1);
    expect(g.truth).toEqual({ start: 20, end: 29 });
    expect(g.values).toHaveLength(49);
    expect(g.values[19]).toBe(20);
    expect(g.values[20]).toBeCloseTo(20.2, 12);
    expect(g.values[29]).toBeCloseTo(22, 12);
    expect(g.values[48]).toBeCloseTo(22, 12);
  });

  it('has no truth for A/A', () => {
    expect(generateSeries({ kind: 'none' }, settings, 1).truth).toBeNull();
  });
});

describe('validateDetector', () => {
  it('at almost no noise: every +10% step found, exactly, minSegment sessions after it; no false alarms', () => {
    const v = validateDetector({ repetitions: 10, noise: 0.005 }, [DETECTOR_CONDITIONS[0], DETECTOR_CONDITIONS[3]]);
    const [aa, step] = v.rows;
    expect(aa).toMatchObject({
      condition: 'A/A',
      reported: 0,
      falseChangePoints: 0,
      seriesWithFalse: 0,
      recall: null,
      precision: null,
    });
    expect(step).toMatchObject({ condition: 'step +10%', detected: 10, recall: 1, precision: 1, falseChangePoints: 0 });
    expect(step.medianDelay).toBe(3);
    expect(step.p90Delay).toBe(3);
  });

  it('never finds a step below the minimum magnitude', () => {
    const v = validateDetector({ repetitions: 10, noise: 0.005 }, [DETECTOR_CONDITIONS[1]]);
    expect(v.rows[0]).toMatchObject({ condition: 'step +2%', detected: 0, recall: 0 });
  });

  it('finds more of a step with less noise, and reproduces its figures from the seed', () => {
    const quiet = validateDetector({ repetitions: 30, noise: 0.03 }, [DETECTOR_CONDITIONS[2]]).rows[0];
    const loud = validateDetector({ repetitions: 30, noise: 0.1 }, [DETECTOR_CONDITIONS[2]]).rows[0];
    expect(quiet.recall!).toBeGreaterThan(loud.recall!);
    expect(validateDetector({ repetitions: 30, noise: 0.1 }, [DETECTOR_CONDITIONS[2]]).rows[0]).toEqual(loud);
  });
});

describe('collector-bench validate history (the CLI)', () => {
  it('prints the table with the noise it was given; exit 0', async () => {
    const r = await runCli(['validate', 'history', '--repetitions', '5', '--noise', '0.03']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('session noise SD 3.0% of the level');
    for (const c of DETECTOR_CONDITIONS) expect(r.stdout).toContain(`| ${c.name} | 5 x `);
  });

  it('refuses a negative noise with exit 2', async () => {
    const r = await runCli(['validate', 'history', '--noise', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--noise');
  });
});
