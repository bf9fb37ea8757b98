/**
 * The drained point and the CPU per delivered event (run/drain.ts), on samples as the sampler
 * writes them: each sample's CPU covers the interval since the reading before it, `t` in ms since
 * the sampler's t0.
 */
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/contracts/result.js';
import { DRAIN, cpuMsBetween, drainedAt, eventCostFrom, measureDrain } from '../../src/run/drain.js';

/** One sample a second from `fromT`, with the given CPU % each. */
function samples(fromT: number, cpu: number[]): Sample[] {
  return cpu.map((c, i) => ({ t: fromT + i * 1000, cpuPercent: c, memoryBytes: 1 }));
}

// Warm-up at 1% (t -3 s .. 0), a 10 s load at 20%, a queue draining at 15% for 2 s, then idle at 1.5%.
const RUN = samples(-3000, [1, 1, 1, 1, ...Array(10).fill(20), 15, 15, 1.5, 1.5, 1.5]);
const WINDOW = { startT: 0, endT: 10_000 };

describe('drainedAt', () => {
  it('is where the CPU falls back within 2 points of its level at rest and stays there 1.5 s', () => {
    // Samples at 13 s and 14 s are idle; their stretch begins with the reading at 12 s.
    expect(drainedAt({ samples: RUN, ...WINDOW })).toEqual({ t: 12_000, drained: true });
  });

  it('is not yet while the idle stretch is shorter than idleSeconds', () => {
    expect(drainedAt({ samples: RUN.slice(0, -2), ...WINDOW })).toBeNull();
  });

  it("measures idle against the agent's own level at rest: one that polls at 6% is idle at 7%", () => {
    const poller = samples(-3000, [6, 6, 6, 6, ...Array(10).fill(20), 7, 7, 7]);
    expect(drainedAt({ samples: poller, ...WINDOW })?.t).toBe(10_000);
    expect(drainedAt({ samples: poller, ...WINDOW }, { ...DRAIN, idleAbovePercent: 0.5 })).toBeNull();
  });

  it('takes the lowest level outside the load as rest: a warm-up still busy starting up does not make a loaded agent idle', () => {
    // Start-up work in a short warm-up (18%, 16%) above the load's own level (12%); at rest it is at 0.2%.
    const busyStart = samples(-2000, [15, 18, 16, ...Array(10).fill(12), 8.5, 3.5, 0.3, 0.2]);
    expect(drainedAt({ samples: busyStart, ...WINDOW })).toEqual({ t: 12_000, drained: true });
  });

  it('never takes an agent working its queue off at a steady rate for one at rest', () => {
    // A cheap agent (3% under load, 1% at rest) still at 2.5% after the window: more than halfway up.
    const queue = samples(-3000, [1, 1, 1, 1, ...Array(10).fill(3), 2.5, 2.5, 2.5, 1, 1]);
    expect(drainedAt({ samples: queue, ...WINDOW })).toEqual({ t: 13_000, drained: true });
    expect(drainedAt({ samples: queue.slice(0, -2), ...WINDOW })).toBeNull();
  });

  it('never ends before the load window does', () => {
    const early = samples(-3000, [1, 1, 1, 1, 20, 20, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(drainedAt({ samples: early, ...WINDOW })?.t).toBe(10_000);
  });
});

describe('cpuMsBetween', () => {
  it('integrates each interval, prorating the ones cut by either end', () => {
    // 10 s at 20% = 2,000 ms, then 2 s at 15% = 300 ms.
    expect(cpuMsBetween(RUN, 0, 12_000)).toBeCloseTo(2300, 9);
    // Half of the first load second, half of the first draining one.
    expect(cpuMsBetween(RUN, 500, 10_500)).toBeCloseTo(1900 + 75, 9);
  });
});

describe('eventCostFrom', () => {
  it('gives CPU ms per 1,000 delivered events from load start to drained', () => {
    const point = { t: 12_000, drained: true };
    const cost = eventCostFrom({ samples: RUN, ...WINDOW }, point, { events: 4600, basis: 'sensor process signals' });
    expect(cost).toEqual({
      cpuMsPer1000Events: 500,
      basis: 'sensor process signals',
      reason: null,
      cpuMs: 2300,
      spanMs: 12_000,
      window: { fromMs: 0, toMs: 12_000 },
      events: 4600,
      drainMs: 2000,
      drained: true,
    });
  });

  it('gives no per-event figure where nothing counted the events, saying why', () => {
    const cost = eventCostFrom(
      { samples: RUN, ...WINDOW },
      { t: 12_000, drained: true },
      { events: null, reason: 'delivery not checked' },
    );
    expect(cost.cpuMsPer1000Events).toBeNull();
    expect(cost.reason).toBe('delivery not checked');
    expect(cost.cpuMs).toBeCloseTo(2300, 9);
    const none = eventCostFrom(
      { samples: RUN, ...WINDOW },
      { t: 12_000, drained: true },
      { events: 0, basis: 'agent log lines' },
    );
    expect(none.cpuMsPer1000Events).toBeNull();
    expect(none.reason).toBe('the delivery check counted no events');
  });
});

describe('measureDrain', () => {
  it('keeps the run when counting the events fails, saying why it has no per-event figure', async () => {
    const cost = await measureDrain({
      samples: () => RUN,
      ...WINDOW,
      delivered: () => Promise.reject(new Error('scrape refused')),
    });
    expect(cost).toMatchObject({ drained: true, cpuMsPer1000Events: null });
    expect(cost.reason).toBe('counting the events failed: scrape refused');
  });

  it('counts to the cap, and says so, when the collector stays busy', async () => {
    const busy = samples(-3000, [1, 1, 1, 1, ...Array(14).fill(20)]);
    const cost = await measureDrain({
      samples: () => busy,
      ...WINDOW,
      delivered: async () => ({ events: 2800, basis: 'metrics counter' }),
      settings: { ...DRAIN, capSeconds: 0.3 },
    });
    expect(cost.drained).toBe(false);
    expect(cost.spanMs).toBe(14_000);
    expect(cost.cpuMsPer1000Events).toBeCloseTo(1000, 9);
  });
});
