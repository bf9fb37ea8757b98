/**
 * Timing helpers shared by the runners: an abortable sleep and a Poisson arrival loop.
 *
 * Node timers fire late (1 ms granularity, plus whatever the event loop is busy with), and a
 * 200/s process workload has a mean gap of 5 ms. Sleeping one drawn gap after each arrival (what
 * berserker's threads do) would lose the time spent spawning and undershoot the rate. So arrivals
 * are placed on a virtual clock (sum of Exp gaps from the start) and every wake-up fires all
 * arrivals that are due: the achieved count tracks the target even when single timers are late.
 */
import { performance } from 'node:perf_hooks';
import { sampleExponential, type Rng } from './distributions.js';

/** Resolves after `ms` or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface PoissonStats {
  /** Arrivals fired. */
  fired: number;
  /** Arrivals dropped because the loop fell more than `maxBacklogMs` behind. */
  dropped: number;
}

/**
 * Fires `onArrival` at the instants of a Poisson process of `ratePerS` until `signal` aborts.
 * When the loop falls more than `maxBacklogMs` behind (a stalled machine), the backlog is
 * dropped and counted instead of being fired in one burst.
 */
export async function runPoisson(
  ratePerS: number,
  rng: Rng,
  signal: AbortSignal,
  onArrival: () => void,
  maxBacklogMs = 1000,
): Promise<PoissonStats> {
  const stats: PoissonStats = { fired: 0, dropped: 0 };
  let next = performance.now() + sampleExponential(rng, ratePerS) * 1000;
  while (!signal.aborted) {
    const now = performance.now();
    if (now - next > maxBacklogMs) {
      while (next < now - maxBacklogMs) {
        next += sampleExponential(rng, ratePerS) * 1000;
        stats.dropped++;
      }
    }
    while (next <= now && !signal.aborted) {
      onArrival();
      stats.fired++;
      next += sampleExponential(rng, ratePerS) * 1000;
    }
    await sleep(next - performance.now(), signal);
  }
  return stats;
}
