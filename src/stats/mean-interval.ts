/**
 * Mean of paired differences with its two-sided t interval (the one-sample t interval on the
 * differences): what "agent run minus its no-agent neighbour" needs, since the pairing removes the
 * drift both runs of a pair share.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, standardDeviation } from './descriptive.js';

export interface MeanInterval {
  mean: number;
  /** Null below two values: one pair has no spread to estimate. */
  ci95: [number, number] | null;
  n: number;
}

export function meanWithInterval(values: readonly number[], level = 0.95): MeanInterval | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const m = mean(finite);
  if (finite.length < 2) return { mean: m, ci95: null, n: 1 };
  const half =
    tQuantile(1 - (1 - level) / 2, finite.length - 1) * (standardDeviation(finite) / Math.sqrt(finite.length));
  return { mean: m, ci95: [m - half, m + half], n: finite.length };
}
