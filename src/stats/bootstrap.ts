/**
 * Percentile bootstrap interval of the median paired ratio candidate/baseline of an A/B file: the
 * pairs are resampled with replacement (a pair is the unit: its two runs shared the machine's
 * state), the median of the resampled ratios is recorded, and the interval is read off the sorted
 * medians at (1 - level)/2 and (1 + level)/2 with type-7 interpolation. Seeded, so the same inputs
 * and seed give the same interval everywhere. Shown beside the paired t-test, never deciding.
 */
import { median, quantileSorted } from './descriptive.js';
import { mulberry32 } from './prng.js';
import { ok, unavailable, type StatResult } from './stat-result.js';

export interface BootstrapOptions {
  resamples?: number; // default 10,000
  seed?: number; // default 1
  level?: number; // default 0.95
}

export const DEFAULT_BOOTSTRAP_RESAMPLES = 10_000;

export interface MedianRatio {
  estimate: number;
  ci95: [number, number] | null;
}

export function bootstrapMedianPairedRatio(
  baseline: readonly number[],
  candidate: readonly number[],
  options: BootstrapOptions = {},
): StatResult<MedianRatio> {
  const n = baseline.length;
  if (n === 0 || candidate.length !== n) {
    return unavailable(`the paired ratio needs pairs (have ${n} baseline and ${candidate.length} candidate runs)`);
  }
  if (baseline.some((b) => b === 0)) return unavailable('a paired ratio is undefined: a baseline run is 0');
  const ratios = candidate.map((c, i) => c / baseline[i]);
  if (!ratios.every(Number.isFinite)) return unavailable('a paired ratio is not finite');
  const estimate = median(ratios);
  const resamples = options.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 1) return ok({ estimate, ci95: null });
  const level = options.level ?? 0.95;
  const random = mulberry32(options.seed ?? 1);
  const scratch = new Float64Array(n);
  const medians = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) scratch[i] = ratios[Math.floor(random() * n)];
    scratch.sort();
    medians[b] = quantileSorted(scratch, 0.5);
  }
  medians.sort();
  return ok({ estimate, ci95: [quantileSorted(medians, (1 - level) / 2), quantileSorted(medians, (1 + level) / 2)] });
}
