/** The agent's overhead: each agent run against the no-agent neighbour of its own pair. */
import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/contracts/result.js';
import { overheadOf, pairOverhead } from '../../src/run/overhead.js';
import { seedSchedule, singlePlan } from '../../src/run/plans.js';

describe('pairOverhead', () => {
  const run = (index: number, noAgent: boolean, host: number, cpu: number, rate: number): Run => ({
    index,
    warmupRun: false,
    noAgent,
    startedAt: '2026-01-01T00:00:00Z',
    timeToReadyMs: null,
    loadWindow: { startMs: 0, endMs: 20000 },
    samples: [],
    summary: null,
    workloads: [
      {
        name: 'processes',
        type: 'processes',
        achieved: { rate, execLatencyP50Ms: noAgent ? 1 : 1.5, execLatencyP99Ms: 4 },
        exitCode: 0,
        cpuPercent: cpu,
      },
    ],
    collectorMetrics: {},
    context: { hostCpuPercent: host },
    valid: true,
    invalidReason: null,
    collectorExitCode: null,
  });

  it('gives each agent run the difference to the no-agent run of its pair, in either order', () => {
    const runs = [
      run(0, true, 50, 20, 200),
      run(1, false, 58, 23, 198),
      run(2, false, 61, 24, 197),
      run(3, true, 52, 20, 200),
    ];
    const plan = singlePlan({ runs: 2, warmupRuns: 0, overhead: true, seeds: seedSchedule(1) });
    expect(plan.slots.map((s) => s.kind)).toEqual(['no-agent', 'measured', 'measured', 'no-agent']);
    const done = runs.map((r, i) => ({ slot: plan.slots[i], run: r }));
    for (const [i, d] of done.entries()) pairOverhead(done.slice(0, i + 1), d.slot);
    expect(runs[1].overhead!.neighbourIndex).toBe(0);
    expect(runs[2].overhead!.neighbourIndex).toBe(3);
    expect(runs[1].overhead!.hostCpuPercent.delta).toBe(8);
    expect(runs[2].overhead!.workloads[0].cpuPercent.delta).toBe(4);
    expect(runs[2].overhead!.workloads[0].execLatencyP50Ms).toEqual({ with: 1.5, without: 1, delta: 0.5 });
    expect(runs[0].overhead).toBeUndefined();
  });

  it('leaves the overhead empty when the neighbour is invalid', () => {
    const alone = { ...run(0, true, 50, 20, 200), valid: false };
    const runs = [alone, run(1, false, 58, 23, 198)];
    const slots = singlePlan({ runs: 1, warmupRuns: 0, overhead: true, seeds: seedSchedule(1) }).slots;
    const done = runs.map((r, i) => ({ slot: slots[i], run: r }));
    pairOverhead(done, slots[1]);
    expect(runs[1].overhead).toBeNull();
    expect(overheadOf(runs[1], alone).hostCpuPercent.delta).toBe(8); // the figure exists; it is not trusted
  });
});
