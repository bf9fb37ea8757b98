/** When the processes generator counts as having kept up with its target (ramp steps). */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/stats/prng.js';
import { judgeReach, judgeRunReach, RUN_REACH_RATIO } from '../../src/workloads/reach.js';

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

describe('judgeRunReach: did a measured run get the load it asked for', () => {
  const processes = (achieved: Record<string, unknown> | null) => ({ name: 'processes', achieved });

  it('flags the issue’s run: 235/s of a 400/s target, arrivals skipped because the generator fell behind', () => {
    const short = judgeRunReach([
      processes({
        type: 'processes',
        durationS: 20,
        targetRate: 400,
        rate: 235,
        spawned: 4700,
        failed: 0,
        dropped: 3300,
      }),
    ]);
    expect(short).toEqual({
      ratio: 4700 / 8000,
      reason: 'processes spawned 4700 of the 8000 arrivals it drew (235/s of 400/s)',
    });
  });

  it('passes a generator that ran every arrival it drew, however Poisson drew them, and one at the threshold', () => {
    expect(
      judgeRunReach([processes({ durationS: 20, targetRate: 400, rate: 380, spawned: 7600, failed: 0, dropped: 0 })]),
    ).toBeNull();
    // 95% of the drawn arrivals spawned: RUN_REACH_RATIO itself is not short.
    expect(RUN_REACH_RATIO).toBe(0.95);
    expect(
      judgeRunReach([processes({ durationS: 20, targetRate: 400, rate: 380, spawned: 7600, failed: 0, dropped: 400 })]),
    ).toBeNull();
    expect(
      judgeRunReach([processes({ durationS: 20, targetRate: 400, rate: 378, spawned: 7599, failed: 0, dropped: 401 })]),
    ).not.toBeNull();
  });

  it('judges rate-only workloads with the Poisson allowance, and skips workloads without a target or a report', () => {
    const network = { name: 'network', achieved: { type: 'network', durationS: 20, targetRate: 50, rate: 30 } };
    const endpoints = { name: 'endpoints', achieved: { type: 'endpoints', durationS: 20, rate: 3 } };
    const tight = { name: 'syscalls', achieved: { type: 'syscalls', durationS: 20, targetRate: null, rate: 1e5 } };
    expect(judgeRunReach([endpoints, tight, processes(null)])).toBeNull();
    // 48/s of 50/s over 20 s: 960 of 1000 expected, z = -1.3, a kept-up generator's draw.
    expect(judgeRunReach([{ ...network, achieved: { ...network.achieved, rate: 48 } }])).toBeNull();
    const short = judgeRunReach([network, endpoints]);
    expect(short).toEqual({ ratio: 0.6, reason: 'network 30/s of 50/s' });
  });

  it('names every short workload and keeps the lowest reach', () => {
    const short = judgeRunReach([
      processes({ durationS: 20, targetRate: 400, rate: 300, spawned: 6000, failed: 0, dropped: 2000 }),
      { name: 'network', achieved: { durationS: 20, targetRate: 50, rate: 30 } },
    ]);
    expect(short!.ratio).toBe(0.6);
    expect(short!.reason).toBe(
      'processes spawned 6000 of the 8000 arrivals it drew (300/s of 400/s); network 30/s of 50/s',
    );
  });
});
