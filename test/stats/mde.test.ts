/**
 * The MDE is the deciding test's: same standard error, same df, Holm's first-step level alpha/m.
 * Checked against scipy's t quantiles and, by simulation, to mean what it says: a true change equal
 * to the MDE is flagged with 80% power (± 5 points), in both modes.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import { comparePaired, compareResults } from '../../src/stats/compare.js';
import { minimumDetectableEffect, unitsNeeded } from '../../src/stats/mde.js';
import { mulberry32, normalDraw } from '../../src/stats/prng.js';
import { MiB } from '../../src/units.js';
import { abResultFile, resultFile } from '../support/result-files.js';
import { agrees, scipy } from './fixtures.js';

const NO_FLOORS = { floors: { cpu: { absolute: 0, relative: 0 }, memory: { absoluteBytes: 0, relative: 0 } } };
const OPTIONS = { ...NO_FLOORS, bootstrapResamples: 0, createdAt: '2026-01-01T00:00:00.000Z' };

describe('minimumDetectableEffect', () => {
  it('uses t quantiles that agree with scipy.stats.t.ppf', () => {
    for (const { p, df, q } of scipy.tQuantile) expect(agrees(tQuantile(p, df), q), `t.ppf(${p}, ${df})`).toBe(true);
  });

  it.each(scipy.mde.map((c) => [`se ${c.standardError}, df ${c.df}, m ${c.comparisons}`, c] as const))(
    'is (t(1 - alpha/2m, df) + t(power, df)) * se as scipy computes it: %s',
    (_n, c) => {
      const r = minimumDetectableEffect({ ...c }).value!;
      expect(agrees(r, c.absolute)).toBe(true);
    },
  );

  it('is unavailable, never zero, without spread', () => {
    expect(
      minimumDetectableEffect({ standardError: 0, df: 4, alpha: 0.05, comparisons: 2, power: 0.8 }).reason,
    ).toMatch(/no spread/);
  });

  it('plans the smallest number of units whose MDE reaches the floor, or null when none would', () => {
    const mde = { alpha: 0.05, comparisons: 2, power: 0.8 };
    const n = unitsNeeded(
      1,
      (k) => 2 / Math.sqrt(k),
      (k) => k - 1,
      mde,
    )!;
    const at = (k: number) => minimumDetectableEffect({ ...mde, standardError: 2 / Math.sqrt(k), df: k - 1 }).value!;
    expect(at(n)).toBeLessThanOrEqual(1);
    expect(at(n - 1)).toBeGreaterThan(1);
    // History mode: sd * sqrt(1 + 1/k) never falls below sd, so a spread of 1 cannot reach a floor of 2.
    expect(
      unitsNeeded(
        2,
        (k) => Math.sqrt(1 + 1 / k),
        (k) => k - 1,
        mde,
      ),
    ).toBeNull();
  });
});

describe('power at a true change equal to the MDE (simulation)', () => {
  const TRIALS = 2000;

  it('A/B mode, 10 pairs, 4% run noise, 2 metrics under Holm: flags the MDE-sized CPU change 80% ± 5% of the time', () => {
    const random = mulberry32(11);
    const pairs = 10;
    const sd = 0.4; // CPU percentage points around 10%
    // The MDE from the true SD of a pair difference (sqrt(2) sd), at alpha/2 (two metrics).
    const mde = minimumDetectableEffect({
      standardError: (Math.SQRT2 * sd) / Math.sqrt(pairs),
      df: pairs - 1,
      alpha: 0.05,
      comparisons: 2,
      power: 0.8,
    }).value!;
    let found = 0;
    for (let t = 0; t < TRIALS; t++) {
      const file = abResultFile({
        samplesPerRun: 1,
        pairs: Array.from({ length: pairs }, () => {
          const level = 10 * (1 + 0.05 * normalDraw(random)); // shared by both runs of a pair
          return {
            baseline: { cpu: level + sd * normalDraw(random), mem: 100 * MiB * (1 + 0.01 * normalDraw(random)) },
            candidate: { cpu: level + mde + sd * normalDraw(random), mem: 100 * MiB * (1 + 0.01 * normalDraw(random)) },
          };
        }),
      });
      if (comparePaired(file, OPTIONS).metrics[0].verdict === 'regression') found++;
    }
    console.info(`A/B power at the MDE (${mde.toFixed(3)} pp): ${((100 * found) / TRIALS).toFixed(1)}% of ${TRIALS}`);
    expect(found / TRIALS).toBeGreaterThanOrEqual(0.75);
    expect(found / TRIALS).toBeLessThanOrEqual(0.85);
  });

  it('history mode, 10 baseline sessions with a 3% spread: flags the MDE-sized change 80% ± 5% of the time', () => {
    const random = mulberry32(12);
    const k = 10;
    const sessionSd = 0.3;
    const mde = minimumDetectableEffect({
      standardError: sessionSd * Math.sqrt(1 + 1 / k),
      df: k - 1,
      alpha: 0.05,
      comparisons: 2,
      power: 0.8,
    }).value!;
    // Memory varies too, so both metrics are in the Holm family (m = 2, as the MDE assumed).
    const session = (shift: number) =>
      resultFile({
        samplesPerRun: 1,
        runs: Array.from({ length: 3 }, () => ({ cpu: 10 + shift, mem: 100 * MiB * (1 + 0.01 * normalDraw(random)) })),
      });
    let found = 0;
    for (let t = 0; t < TRIALS; t++) {
      const base = Array.from({ length: k }, () => session(sessionSd * normalDraw(random)));
      const cand = session(mde + sessionSd * normalDraw(random));
      if (compareResults(base, cand, OPTIONS).metrics[0].verdict === 'regression') found++;
    }
    console.info(
      `history power at the MDE (${mde.toFixed(3)} pp): ${((100 * found) / TRIALS).toFixed(1)}% of ${TRIALS}`,
    );
    expect(found / TRIALS).toBeGreaterThanOrEqual(0.75);
    expect(found / TRIALS).toBeLessThanOrEqual(0.85);
  });
});
