/**
 * Memory growth of one run: the least-squares slope of the working set over the steady state of the
 * load window, in MiB per minute with its 95% interval. A leak shows as a slope long before it moves
 * the median, so this is the number to compare for one.
 */
import type { MemoryGrowth } from '../contracts/agent-cost.js';
import type { Sample } from '../contracts/result.js';
import { leastSquaresSlope } from './slope.js';
import { steadyStateSamples } from './summary.js';
import { MiB } from '../units.js';

const MS_PER_MINUTE = 60_000;

/** `rampMs`: the start of the load window left out, as for the run's window mean (run.rampSeconds). */
export function memoryGrowth(
  samples: readonly Sample[],
  loadWindowDurationMs: number,
  rampMs?: number,
): MemoryGrowth | null {
  const steady = steadyStateSamples(samples, loadWindowDurationMs, rampMs);
  // Minutes on x and MiB on y: the slope comes out in the unit people read.
  const fit = leastSquaresSlope(
    steady.map((s) => s.t / MS_PER_MINUTE),
    steady.map((s) => s.memoryBytes / MiB),
  );
  if (!fit.value) return null;
  return {
    mibPerMinute: fit.value.slope,
    ci95: fit.value.interval,
    pValue: fit.value.pValue,
    n: fit.value.n,
    interceptBytes: fit.value.intercept * MiB,
  };
}
