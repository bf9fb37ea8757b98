/**
 * Latencies of one workload run, kept as a uniform reservoir so a soak of hours holds a bounded
 * array while its percentiles stay unbiased.
 */
import { quantileSorted, sortedCopy } from '../stats/descriptive.js';

export class LatencyReservoir {
  private readonly kept: number[] = [];
  private seen = 0;

  constructor(
    private readonly capacity = 50_000,
    private readonly random: () => number = Math.random,
  ) {}

  add(ms: number): void {
    this.seen++;
    if (this.kept.length < this.capacity) this.kept.push(ms);
    else {
      const j = Math.floor(this.random() * this.seen);
      if (j < this.capacity) this.kept[j] = ms;
    }
  }

  /** p50 and p99 in ms (3 decimals), null when nothing was recorded. */
  percentilesMs(): { execLatencyP50Ms: number | null; execLatencyP99Ms: number | null } {
    if (this.kept.length === 0) return { execLatencyP50Ms: null, execLatencyP99Ms: null };
    const r = (x: number) => Math.round(x * 1000) / 1000;
    const sorted = sortedCopy(this.kept);
    return { execLatencyP50Ms: r(quantileSorted(sorted, 0.5)), execLatencyP99Ms: r(quantileSorted(sorted, 0.99)) };
  }
}
