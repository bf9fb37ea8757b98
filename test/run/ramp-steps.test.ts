/** The ramp's rules: how a step is judged and which rate comes next. */
import { describe, expect, it } from 'vitest';
import type { RampResult } from '../../src/contracts/ramp.js';
import type { Run } from '../../src/contracts/result.js';
import { compareRamps, renderRampHtml, renderRampTable } from '../../src/report/ramp.js';
import { judgeStep, nextRate, type RampSettings } from '../../src/run/ramp.js';

const SETTINGS: RampSettings = {
  startRate: 100,
  maxRate: 1600,
  threshold: 0.01,
  reachRatio: 0.95,
  resolution: 0.1,
  stepSeconds: 10,
};

function stepRun(
  achieved: number,
  opts: { loss?: number; events?: number; drops?: number; valid?: boolean } = {},
): Run {
  return {
    index: 0,
    warmupRun: false,
    startedAt: '2026-01-01T00:00:00Z',
    timeToReadyMs: 1000,
    loadWindow: { startMs: 0, endMs: 10_000 },
    samples: [],
    summary: {
      window: { fromMs: 3000, toMs: 9000, rampMs: 3000 },
      cpuPercent: { windowMean: 20, mean: 20, median: 20, p95: 25, max: 30, n: 9 },
      memoryBytes: { windowMean: 5e7, mean: 5e7, median: 5e7, p95: 5e7, max: 5e7, end: 5e7, n: 9 },
    },
    workloads: [{ name: 'processes', type: 'processes', achieved: { rate: achieved }, exitCode: 0 }],
    collectorMetrics: { events: opts.events ?? achieved * 10, drops: opts.drops ?? 0 },
    context: {},
    canaryLatencyMs: 12,
    processLoss: {
      spawned: achieved * 10,
      received: achieved * 10 * (1 - (opts.loss ?? 0)),
      lossRatio: opts.loss ?? 0,
    },
    valid: opts.valid ?? true,
    invalidReason: opts.valid === false ? 'collector exited during the run with code 137' : null,
    collectorExitCode: null,
  };
}

describe('judgeStep', () => {
  it('sustained: target reached, no loss; CPU per 1,000 events from the events counter', () => {
    const s = judgeStep(stepRun(200), 200, SETTINGS);
    expect(s.status).toBe('sustained');
    expect(s.cpuMsPer1000Events).toBeCloseTo(1000, 9); // 20% of a core = 200 ms/s over 200 events/s
  });
  it("loss or drops above the threshold are the collector's limit, even when the target was reached", () => {
    expect(judgeStep(stepRun(400, { loss: 0.05 }), 400, SETTINGS).status).toBe('collector-limit');
    expect(judgeStep(stepRun(400, { events: 3900, drops: 100 }), 400, SETTINGS)).toMatchObject({
      status: 'collector-limit',
      dropRatio: 0.025,
    });
    expect(judgeStep(stepRun(400, { valid: false }), 400, SETTINGS).reason).toMatch(/invalid: collector exited/);
  });
  it("a generator short of its target is the machine's limit, not the agent's", () => {
    const s = judgeStep(stepRun(430), 800, SETTINGS);
    expect(s.status).toBe('machine-limit');
    expect(s.reason).toMatch(/430\/s of 800\/s/);
  });
});

describe('nextRate', () => {
  it('doubles until the first failure, up to the ceiling', () => {
    expect(nextRate(100, null, 100, SETTINGS)).toEqual({ rate: 200, phase: 'double' });
    expect(nextRate(1600, null, 1600, SETTINGS)).toBeNull();
  });
  it('then bisects between the last good and the first bad rate down to the resolution', () => {
    expect(nextRate(400, 800, 800, SETTINGS)).toEqual({ rate: 600, phase: 'bisect' });
    expect(nextRate(450, 475, 475, SETTINGS)).toBeNull(); // 25 <= 10% of 450
    expect(nextRate(null, 100, 100, SETTINGS)).toBeNull(); // not even the start rate held
  });
});

function ramp(highest: number | null, kind: RampResult['limit']['kind'], image: string): RampResult {
  const steps = [100, 200, 400].map((t, i) => ({
    index: i,
    phase: 'double' as const,
    targetRate: t,
    achievedRate: t,
    collectorCpuPercent: t / 10,
    cpuMsPer1000Events: 500,
    lossRatio: 0,
    drops: 0,
    dropRatio: 0,
    canaryLatencyMs: 10,
    status: (highest !== null && t <= highest
      ? 'sustained'
      : 'collector-limit') as RampResult['steps'][number]['status'],
    reason: 'x',
    resultFile: `/tmp/step-${i + 1}.json`,
  }));
  return {
    schema: 'collector-bench/ramp@1',
    createdAt: '2026-01-01T00:00:00Z',
    git: { sha: null, ref: null, pr: null },
    environment: null,
    collectorImage: image,
    settings: SETTINGS,
    steps,
    highestSustainedRate: highest,
    limit: { kind, atRate: 400, reason: 'process loss 5.00% > 1.00%' },
    complete: true,
  };
}

describe('ramp reports', () => {
  it('print every step and the highest sustained rate', () => {
    const text = renderRampTable(ramp(200, 'collector', 'a:1'));
    expect(text.split('\n').filter((l) => /^\s+\d+\s+double/.test(l))).toHaveLength(3);
    expect(text).toMatch(/highest sustained rate 200\/s; stopped by the collector's limit at 400\/s/);
  });
  it('say which of two ramps sustains more, and when they tie within the resolution', () => {
    expect(compareRamps(ramp(200, 'collector', 'a'), ramp(400, 'collector', 'b'), ['a', 'b'])).toBe(
      'b sustains more: 400/s vs 200/s for a',
    );
    expect(compareRamps(ramp(400, 'machine', 'a'), ramp(400, 'machine', 'b'), ['a', 'b'])).toMatch(
      /same rate within the ramp's resolution.*both stopped at this machine's limit/,
    );
  });
  it('draw the ramp in one self-contained HTML page', () => {
    const html = renderRampHtml([{ label: 'a', ramp: ramp(200, 'collector', 'a') }]);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Achieved vs target exec rate');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
