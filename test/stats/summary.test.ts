import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/contracts/result.js';
import { steadyStateSamples, summarizeRun, summarizeValues, windowMeans } from '../../src/stats/summary.js';

const s = (t: number, cpuPercent: number, memoryBytes: number, rssBytes?: number): Sample =>
  rssBytes === undefined ? { t, cpuPercent, memoryBytes } : { t, cpuPercent, memoryBytes, rssBytes };

describe('steadyStateSamples', () => {
  it('keeps samples from the end of the ramp up to, not into, the load window’s last second', () => {
    const samples = [s(-1000, 1, 1), s(0, 2, 2), s(2999, 2, 2), s(3000, 3, 3), s(3999, 3, 3), s(4000, 4, 4)];
    expect(steadyStateSamples(samples, 5000).map((x) => x.t)).toEqual([3000, 3999]);
    expect(steadyStateSamples(samples, 5000, 0).map((x) => x.t)).toEqual([0, 2999, 3000, 3999]);
  });
});

describe('windowMeans', () => {
  it('weights each sample by the interval it closes; the first sample only anchors the start', () => {
    // 1 s at 10%, then 3 s at 50%: 1.6 s of CPU over 4 s = 40%, not the 30% a plain mean of 10 and 50 gives.
    const means = windowMeans([s(0, 999, 0), s(1000, 10, 100), s(4000, 50, 300)])!;
    expect(means.cpuPercent).toBeCloseTo(40, 12);
    expect(means.memoryBytes).toBeCloseTo((100 * 1 + 300 * 3) / 4, 9);
    expect([means.fromMs, means.toMs]).toEqual([0, 4000]);
  });

  it('is null with fewer than two samples (no interval)', () => {
    expect(windowMeans([])).toBeNull();
    expect(windowMeans([s(0, 1, 1)])).toBeNull();
  });

  it('equals the cumulative counter difference over the window, however coarse the counter (procfs ticks)', () => {
    // A procfs-like counter: 10 ms ticks, read every 1 s while the process uses 18.35% steadily plus
    // a burst of 150 ms every 5 s (21.35% in all): each sample sees a whole number of ticks.
    const ticksNs = 10e6;
    let trueNs = 0;
    const samples: Sample[] = [];
    let prevCounter = 0;
    for (let i = 0; i <= 20; i++) {
      const t = i * 1000;
      if (i > 0) trueNs += 183.5e6 + (i % 5 === 0 ? 150e6 : 0);
      const counter = Math.floor(trueNs / ticksNs) * ticksNs;
      const cpuPercent = i === 0 ? 0 : ((counter - prevCounter) / 1e9) * 100;
      samples.push({ t, cpuPercent, memoryBytes: 1, cpuNs: counter });
      prevCounter = counter;
    }
    const means = windowMeans(samples)!;
    const first = samples[0];
    const last = samples[samples.length - 1];
    const fromCounter = ((last.cpuNs! - first.cpuNs!) / ((last.t - first.t) * 1e6)) * 100;
    expect(means.cpuPercent).toBeCloseTo(fromCounter, 10);
    expect(means.cpuPercent).toBeCloseTo(21.35, 10);
    // The median of the same samples sits on a 1-point step and never sees the bursts.
    expect([18, 19]).toContain(summarizeValues(samples.slice(1).map((x) => x.cpuPercent))!.median);
  });
});

describe('summarizeRun', () => {
  it('gives the window mean as the value, with sample median, p95 and max as diagnostics', () => {
    const samples = [
      s(-2000, 500, 900), // warm-up: ignored
      s(1000, 400, 800), // ramp: ignored
      ...[10, 20, 30, 40, 50].map((cpu, i) => s(3000 + i * 1000, cpu, cpu * 1000)),
      s(8500, 999, 999_000), // last second of a 9 s window: ignored
    ];
    const summary = summarizeRun(samples, 9000)!;
    expect(summary.window).toEqual({ fromMs: 3000, toMs: 7000, rampMs: 3000 });
    expect(summary.cpuPercent).toEqual({ windowMean: 35, mean: 30, median: 30, p95: 48, max: 50, n: 5 });
    expect(summary.memoryBytes).toEqual({
      windowMean: 35_000,
      mean: 30_000,
      median: 30_000,
      p95: 48_000,
      max: 50_000,
      end: 50_000,
      n: 5,
    });
    expect(summary.rssBytes).toBeUndefined();
  });

  it('uses the configured ramp', () => {
    const samples = [0, 1000, 2000, 3000].map((t) => s(t, t === 0 ? 90 : 10, 1));
    expect(summarizeRun(samples, 5000, 0)!.cpuPercent.windowMean).toBe(10);
    expect(summarizeRun(samples, 5000, 0)!.window.rampMs).toBe(0);
    expect(summarizeRun(samples, 5000, 2000)!.window).toEqual({ fromMs: 2000, toMs: 3000, rampMs: 2000 });
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    const summary = summarizeRun([s(0, 1, 10), s(1000, 2, 20), s(2000, 4, 40), s(3000, 9, 90)], 10_000, 0)!;
    expect(summary.cpuPercent.median).toBe(3);
  });

  it('summarises rssBytes only when every steady sample carries it', () => {
    const all = summarizeRun([s(0, 1, 10, 100), s(1000, 2, 20, 200), s(2000, 3, 30, 300)], 10_000, 0)!;
    expect(all.rssBytes).toEqual({ windowMean: 250, mean: 200, median: 200, p95: 290, max: 300, end: 300, n: 3 });
    const some = summarizeRun([s(0, 1, 10, 100), s(1000, 2, 20), s(2000, 3, 30, 300)], 10_000, 0)!;
    expect(some.rssBytes).toBeUndefined();
  });

  it('returns null when the steady window holds fewer than two samples', () => {
    expect(summarizeRun([], 60_000)).toBeNull();
    expect(summarizeRun([s(-500, 1, 1), s(59_500, 1, 1)], 60_000)).toBeNull();
    expect(summarizeRun([s(3000, 1, 1)], 60_000)).toBeNull(); // one sample: no interval
    expect(summarizeRun([s(0, 1, 1), s(500, 1, 1)], 1000, 0)).toBeNull(); // a 1 s window is all "last second"
  });
});

describe('summarizeValues', () => {
  it('ignores non-finite values and returns null when none is left', () => {
    expect(summarizeValues([1, Number.POSITIVE_INFINITY, 3])!.n).toBe(2);
    expect(summarizeValues([Number.NaN])).toBeNull();
  });
});
