/** When the processes generator counts as having kept up with its target (ramp steps). */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/stats/prng.js';
import { judgeReach } from '../../src/workloads/reach.js';

/** A Poisson count by inversion: exact for the rates of a ramp step. */
function poisson(random: () => number, mean: number): number {
  // Sum of unit-rate exponential gaps until the window is full.
  let n = 0;
  let t = -Math.log(1 - random());
  while (t < mean) {
    n++;
    t += -Math.log(1 - random());
  }
  return n;
}

describe('judgeReach', () => {
  it('a generator that ran every arrival it drew kept up, even when Poisson drew 9% fewer than the target', () => {
    // The idle-machine ramp that stopped at its first step: 91/s of 100/s over a 10 s step.
    const r = judgeReach({ rate: 91, spawned: 910, failed: 0, dropped: 0 }, 100, 10, 0.95);
    expect(r).toMatchObject({ keptUp: true, ratio: 1 });
    expect(r.basis).toMatch(/spawned 910 of the 910 arrivals it drew \(91\/s of 100\/s\)/);
  });

  it('a generator that skipped arrivals because it fell behind did not keep up', () => {
    const r = judgeReach({ rate: 235, spawned: 4700, failed: 0, dropped: 3300 }, 400, 20, 0.95);
    expect(r.keptUp).toBe(false);
    expect(r.ratio).toBeCloseTo(4700 / 8000, 9);
  });

  it('failed spawns count against it as well', () => {
    expect(judgeReach({ rate: 80, spawned: 800, failed: 200, dropped: 0 }, 100, 10, 0.95).keptUp).toBe(false);
  });

  it('without the account it allows the Poisson shortfall of a kept-up generator, not more', () => {
    expect(judgeReach({ rate: 91 }, 100, 10, 0.95).keptUp).toBe(true); // 910 of 1000: z = -2.85
    expect(judgeReach({ rate: 88 }, 100, 10, 0.95).keptUp).toBe(false); // z = -3.79
    expect(judgeReach({ rate: 430 }, 800, 10, 0.95)).toMatchObject({ keptUp: false, basis: '430/s of 800/s' });
    expect(judgeReach(null, 100, 10, 0.95)).toMatchObject({ keptUp: false, ratio: null });
  });

  it('in simulation the rate-only fallback passes a kept-up generator >= 99.5% of the time and catches one at 80% (a 10 s step at 100/s resolves no finer)', () => {
    const random = mulberry32(17);
    const trials = 4000;
    let keptUpPassed = 0;
    let shortCaught = 0;
    for (let i = 0; i < trials; i++) {
      if (judgeReach({ rate: poisson(random, 1000) / 10 }, 100, 10, 0.95).keptUp) keptUpPassed++;
      if (!judgeReach({ rate: poisson(random, 800) / 10 }, 100, 10, 0.95).keptUp) shortCaught++;
    }
    expect(keptUpPassed / trials).toBeGreaterThanOrEqual(0.995);
    expect(shortCaught / trials).toBeGreaterThanOrEqual(0.99);
  });
});
