/**
 * The run-level CPU value is the steady window's mean: the CPU time the cumulative counter
 * accumulated between the window's first and last sample, over the wall time between them. These
 * tests sample a real process burning a known duty cycle through procfs, whose counter moves in
 * 10 ms ticks, and check that the mean over the samples equals the counter totals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burnerScript } from '../../src/sampling/validate.js';
import { startSampler } from '../../src/sampling/sampler.js';
import { summarizeRun, windowMeans } from '../../src/stats/summary.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('window mean of a real procfs-sampled process', () => {
  let burner: ChildProcess;

  beforeAll(async () => {
    burner = spawn(process.execPath, ['-e', burnerScript(30, 100)], { stdio: 'ignore' });
    await sleep(500); // past node's startup burst
  });

  afterAll(() => {
    burner.kill('SIGKILL');
  });

  it('equals the cumulative CPU counter difference over the window divided by its wall time', async () => {
    const t0 = Date.now();
    const sampler = startSampler({ source: { kind: 'proc', pid: burner.pid! }, intervalMs: 200, t0 });
    await sleep(3200);
    const samples = await sampler.stop();
    expect(samples.length).toBeGreaterThanOrEqual(10);
    expect(samples.every((s) => s.cpuNs !== undefined)).toBe(true);

    const means = windowMeans(samples)!;
    const first = samples[0];
    const last = samples[samples.length - 1];
    const fromCounters = ((last.cpuNs! - first.cpuNs!) / ((last.t - first.t) * 1e6)) * 100;
    // Equal up to the rounding of epoch-ms sample times (about 1e-4 ms each).
    expect(Math.abs(means.cpuPercent / fromCounters - 1)).toBeLessThan(1e-6);
    expect(means.cpuPercent).toBeGreaterThan(5); // it really burned

    // The run summary over a window with ramp and last second left out is the counter total of
    // exactly the samples it spans.
    const summary = summarizeRun(samples, 3200, 600)!;
    const inWindow = samples.filter((s) => s.t >= 600 && s.t < 2200);
    const a = inWindow[0];
    const b = inWindow[inWindow.length - 1];
    expect(summary.window).toEqual({ fromMs: a.t, toMs: b.t, rampMs: 600 });
    const counted = ((b.cpuNs! - a.cpuNs!) / ((b.t - a.t) * 1e6)) * 100;
    expect(Math.abs(summary.cpuPercent.windowMean / counted - 1)).toBeLessThan(1e-6);
  });
});
