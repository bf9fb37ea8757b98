/**
 * Percentile bootstrap interval of the ratio of medians (candidate / baseline). Each side is
 * resampled with replacement on its own (the runs of the two sides are independent), the ratio of
 * the two resample medians is recorded, and the interval is read off the sorted ratios at
 * (1 - level)/2 and (1 + level)/2 with type-7 interpolation. Seeded, so the same inputs and seed
 * give the same interval everywhere.
 */
import { quantileSorted } from './descriptive.js';
import { mulberry32, type Random } from './prng.js';
import { ok, unavailable, type StatResult } from './stat-result.js';

export interface BootstrapOptions {
  resamples?: number; // default 10,000
  seed?: number; // default 1
  level?: number; // default 0.95
}

export const DEFAULT_BOOTSTRAP_RESAMPLES = 10_000;

/** Median of `n` draws with replacement from `source`, using `scratch` as working space. */
function resampleMedian(source: readonly number[], random: Random, scratch: Float64Array): number {
  const n = source.length;
  for (let i = 0; i < n; i++) scratch[i] = source[Math.floor(random() * n)];
  scratch.sort();
  const mid = n >> 1;
  return n % 2 === 1 ? scratch[mid] : (scratch[mid - 1] + scratch[mid]) / 2;
}

export function bootstrapRatioOfMedians(
  baseline: readonly number[],
  candidate: readonly number[],
  options: BootstrapOptions = {},
): StatResult<[number, number]> {
  const resamples = options.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const level = options.level ?? 0.95;
  if (baseline.length === 0 || candidate.length === 0) {
    return unavailable(`bootstrap needs values on both sides (have ${baseline.length} and ${candidate.length})`);
  }
  if (!Number.isInteger(resamples) || resamples < 1) {
    return unavailable('bootstrap disabled (0 resamples)');
  }
  const random = mulberry32(options.seed ?? 1);
  const baseScratch = new Float64Array(baseline.length);
  const candScratch = new Float64Array(candidate.length);
  const ratios = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    // Baseline first, then candidate: the order of draws is part of what the seed reproduces.
    const denominator = resampleMedian(baseline, random, baseScratch);
    const numerator = resampleMedian(candidate, random, candScratch);
    if (denominator === 0) {
      return unavailable('ratio of medians undefined: a resampled baseline median is 0');
    }
    ratios[b] = numerator / denominator;
  }
  ratios.sort();
  return ok([quantileSorted(ratios, (1 - level) / 2), quantileSorted(ratios, (1 + level) / 2)]);
}
