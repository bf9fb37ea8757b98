/**
 * One run's steady window, summarised. The run is the unit of replication: its run-level value
 * (the window mean) is what the comparison tests, never the pooled per-second samples.
 *
 * Why the mean and not the median of the samples: each sample's CPU figure is the counter delta
 * over its interval, so the interval-weighted mean of the samples telescopes to the exact CPU time
 * consumed over the window divided by its wall time. The median throws that total away: with a
 * 10 ms procfs tick per 1 s sample it jumps between 1-point steps, and a regression that adds a
 * burst every few seconds never moves it.
 */
import type { MemorySummary, MetricSummary, RunSummary, Sample, SampleStats } from '../contracts/result.js';
import { mean, quantileSorted, sortedCopy } from './descriptive.js';

/**
 * The final second of the load window is left out, as the StackRox pipeline does: the workload is
 * winding down and the last sample's CPU delta straddles the end of the load.
 */
export const TRAILING_EXCLUSION_MS = 1000;

/**
 * The first seconds of the load window are left out too: while the workloads start, the collector's
 * CPU peaks (30-48% for 2-3 s here) far above its steady state. `run.rampSeconds` in the config.
 */
export const DEFAULT_RAMP_MS = 3000;

/**
 * Samples that belong to the steady window: at or after the ramp (t >= rampMs; warm-up samples
 * have negative t) and before the last second of the load window (t < duration - 1 s).
 */
export function steadyStateSamples(
  samples: readonly Sample[],
  loadWindowDurationMs: number,
  rampMs: number = DEFAULT_RAMP_MS,
): Sample[] {
  const end = loadWindowDurationMs - TRAILING_EXCLUSION_MS;
  return samples.filter((s) => s.t >= rampMs && s.t < end);
}

/** Mean, median, p95 and max of the finite values; null when there are none. */
export function summarizeValues(values: readonly number[]): SampleStats | null {
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

export interface WindowMeans {
  /** Sample times bounding the averaged intervals. */
  fromMs: number;
  toMs: number;
  /** CPU time over the window / its wall time, percent of one core. */
  cpuPercent: number;
  /** Time-weighted mean working set. */
  memoryBytes: number;
  /** Time-weighted mean RSS, when every averaged sample carries it. */
  rssBytes?: number;
}

/**
 * Means over the window spanned by the given samples (in time order). Each sample after the first
 * describes the interval since the reading before it (the sampler's CPU figure is the counter delta
 * over that interval), so the first sample only anchors the window's start. Memory, read at each
 * sample, is held over the interval that sample closes. Null with fewer than two samples or no
 * wall time between them.
 */
export function windowMeans(samples: readonly Sample[]): WindowMeans | null {
  if (samples.length < 2) return null;
  let wallMs = 0;
  let cpuMsPercent = 0;
  let memMs = 0;
  let rssMs = 0;
  let rssEverywhere = true;
  for (let i = 1; i < samples.length; i++) {
    const dt = samples[i].t - samples[i - 1].t;
    const s = samples[i];
    if (!(dt > 0) || !Number.isFinite(s.cpuPercent) || !Number.isFinite(s.memoryBytes)) continue;
    wallMs += dt;
    cpuMsPercent += s.cpuPercent * dt;
    memMs += s.memoryBytes * dt;
    if (s.rssBytes === undefined) rssEverywhere = false;
    else rssMs += s.rssBytes * dt;
  }
  if (!(wallMs > 0)) return null;
  const out: WindowMeans = {
    fromMs: samples[0].t,
    toMs: samples[samples.length - 1].t,
    cpuPercent: cpuMsPercent / wallMs,
    memoryBytes: memMs / wallMs,
  };
  if (rssEverywhere) out.rssBytes = rssMs / wallMs;
  return out;
}

function memorySummary(stats: SampleStats, windowMean: number, end: number): MemorySummary {
  return { windowMean, ...stats, end };
}

/**
 * Summary of a run's steady window, or null when it holds fewer than two samples (no interval to
 * average: the run then does not count in comparisons). rssBytes is summarised only when every
 * steady sample carries it.
 */
export function summarizeRun(
  samples: readonly Sample[],
  loadWindowDurationMs: number,
  rampMs: number = DEFAULT_RAMP_MS,
): RunSummary | null {
  const steady = steadyStateSamples(samples, loadWindowDurationMs, rampMs);
  const means = windowMeans(steady);
  const cpuStats = summarizeValues(steady.map((s) => s.cpuPercent));
  const memStats = summarizeValues(steady.map((s) => s.memoryBytes));
  if (means === null || cpuStats === null || memStats === null) return null;
  const last = steady[steady.length - 1];
  const cpuPercent: MetricSummary = { windowMean: means.cpuPercent, ...cpuStats };
  const summary: RunSummary = {
    window: { fromMs: means.fromMs, toMs: means.toMs, rampMs },
    cpuPercent,
    memoryBytes: memorySummary(memStats, means.memoryBytes, last.memoryBytes),
  };
  const rssStats = summarizeValues(steady.flatMap((s) => (s.rssBytes === undefined ? [] : [s.rssBytes])));
  if (means.rssBytes !== undefined && rssStats !== null && last.rssBytes !== undefined)
    summary.rssBytes = memorySummary(rssStats, means.rssBytes, last.rssBytes);
  return summary;
}

/** The run-level value of one metric: what comparisons test (null when the run has no summary). */
export function runValue(run: { summary: RunSummary | null }, metric: 'cpuPercent' | 'memoryBytes'): number | null {
  return run.summary ? run.summary[metric].windowMean : null;
}
