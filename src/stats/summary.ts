/**
 * One run's steady state, summarised. The run is the unit of replication: these per-run numbers
 * (the median above all) are what the comparison tests, never the pooled per-second samples.
 */
import type { MetricSummary, RunSummary, Sample } from '../contracts/result.js';
import { mean, quantileSorted, sortedCopy } from './descriptive.js';

/**
 * The final second of the load window is left out, as the StackRox pipeline does: the workload is
 * winding down and the last sample's CPU delta straddles the end of the load.
 */
export const TRAILING_EXCLUSION_MS = 1000;

/**
 * Samples that belong to the steady state: at or after the start of the load window (t >= 0; warm-up
 * samples have negative t) and before the last second of it (t < duration - 1 s).
 */
export function steadyStateSamples(samples: readonly Sample[], loadWindowDurationMs: number): Sample[] {
  const end = loadWindowDurationMs - TRAILING_EXCLUSION_MS;
  return samples.filter((s) => s.t >= 0 && s.t < end);
}

/** Mean, median, p95 and max of the finite values; null when there are none. */
export function summarizeValues(values: readonly number[]): MetricSummary | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const sorted = sortedCopy(finite);
  return {
    mean: mean(finite),
    median: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    max: sorted[sorted.length - 1],
    n: finite.length,
  };
}

/**
 * Summary of a run's steady state, or null when no sample falls inside it (the run then does not
 * count in comparisons). rssBytes is summarised over the samples that carry it and left out when
 * none does.
 */
export function summarizeRun(samples: readonly Sample[], loadWindowDurationMs: number): RunSummary | null {
  const steady = steadyStateSamples(samples, loadWindowDurationMs);
  const cpuPercent = summarizeValues(steady.map((s) => s.cpuPercent));
  const memoryBytes = summarizeValues(steady.map((s) => s.memoryBytes));
  if (cpuPercent === null || memoryBytes === null) return null;
  const rss = summarizeValues(steady.flatMap((s) => (s.rssBytes === undefined ? [] : [s.rssBytes])));
  return rss === null ? { cpuPercent, memoryBytes } : { cpuPercent, memoryBytes, rssBytes: rss };
}
