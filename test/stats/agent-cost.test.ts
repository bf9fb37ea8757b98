/**
 * The agent-cost metrics across runs: the per-result summary, and baseline vs candidate with Welch, Holm within the family and floors.
 */
import { describe, expect, it } from 'vitest';
import { compareAgentCost, summarizeAgentCost } from '../../src/stats/agent-cost.js';
import { compareResults } from '../../src/stats/compare.js';
import { resultFile } from '../support/result-files.js';

const FLOORS = { cpu: { absolute: 1, relative: 0.05 }, memoryGrowthMiBPerMinute: 1 };
const OPTS = { alpha: 0.05, minRuns: 3, floors: FLOORS };

/** A result whose counted runs carry the given memory slopes and BPF CPU. */
function withCost(slopes: number[], bpfCpu: number[], sha = 'a'.repeat(40)) {
  const r = resultFile({ sha, runs: slopes.map(() => ({ cpu: 10, mem: 50 * 2 ** 20 })) });
  r.runs.forEach((run, i) => {
    run.memoryGrowth = {
      mibPerMinute: slopes[i],
      ci95: [slopes[i] - 0.2, slopes[i] + 0.2],
      pValue: 0.01,
      n: 19,
      interceptBytes: 5e7,
    };
    run.bpf = {
      available: true,
      reason: null,
      programs: [],
      runCount: 1000,
      runTimeNs: bpfCpu[i] * 2e7,
      cpuPercent: bpfCpu[i],
      nsPerEvent: 20000,
      nsPerEventBasis: 'collector events',
    };
  });
  return r;
}

describe('summarizeAgentCost', () => {
  it('gives the mean host-CPU overhead with a t interval over the pairs', () => {
    const r = resultFile({ runs: [1, 2, 3].map(() => ({ cpu: 10, mem: 5e7 })) });
    [4, 6, 8].forEach((d, i) => {
      r.runs[i].overhead = {
        neighbourIndex: 10 + i,
        hostCpuPercent: { with: 50 + d, without: 50, delta: d },
        workloads: [
          {
            name: 'processes',
            cpuPercent: { with: 20 + d / 2, without: 20, delta: d / 2 },
            rate: { with: 199, without: 200, delta: -1 },
          },
        ],
      };
    });
    const s = summarizeAgentCost(r).overhead!;
    expect(s.pairs).toBe(3);
    expect(s.hostCpuPercent!.mean).toBeCloseTo(6, 12);
    // scipy.stats.t.ppf(0.975, 2) * 2 / sqrt(3) = 4.968275...
    expect(s.hostCpuPercent!.ci95![0]).toBeCloseTo(6 - 4.968275, 5);
    expect(s.workloads[0].cpuPercent!.mean).toBeCloseTo(3, 12);
  });
});

describe('compareAgentCost', () => {
  it('flags a memory slope that grew significantly and above the 1 MiB/min floor as a regression', () => {
    const base = withCost([0.1, -0.1, 0.05, 0.0, 0.12], [2.0, 2.1, 1.9, 2.0, 2.05]);
    const cand = withCost([6.1, 5.8, 6.3, 5.9, 6.0], [2.02, 1.98, 2.1, 1.95, 2.0], 'b'.repeat(40));
    const rows = compareAgentCost([base], cand, OPTS);
    const growth = rows.find((r) => r.metric === 'memoryGrowthMiBPerMinute')!;
    expect(growth.verdict).toBe('regression');
    expect(growth.floors).toEqual({ absolute: 1, relative: 0 });
    expect(rows.find((r) => r.metric === 'bpfCpuPercent')!.verdict).toBe('unchanged');
    expect(rows.some((r) => r.metric === 'hostCpuOverheadPercent')).toBe(false); // neither side has overhead runs
  });

  it('calls a significant slope change below the floor unchanged', () => {
    const base = withCost([0.1, 0.12, 0.09, 0.11, 0.1], [2, 2, 2, 2, 2.01]);
    const cand = withCost([0.6, 0.62, 0.59, 0.61, 0.6], [2, 2, 2, 2, 2.01]);
    const growth = compareAgentCost([base], cand, OPTS).find((r) => r.metric === 'memoryGrowthMiBPerMinute')!;
    expect(growth.verdict).toBe('unchanged');
    expect(growth.reason).toMatch(/below the floor/);
  });

  it('is part of the comparison and of its overall verdict; results without the metrics compare as before', () => {
    const base = withCost([0.1, -0.1, 0.05, 0.0, 0.12], [2, 2, 2, 2, 2]);
    const cand = withCost([6.1, 5.8, 6.3, 5.9, 6.0], [2, 2, 2, 2, 2]);
    const c = compareResults([base], cand);
    expect(c.agentCost.map((m) => m.metric)).toContain('memoryGrowthMiBPerMinute');
    expect(c.overall).toBe('regression');
    const plain = compareResults(
      [resultFile({ runs: [{ cpu: 10, mem: 5e7 }] })],
      resultFile({ runs: [{ cpu: 10, mem: 5e7 }] }),
    );
    expect(plain.agentCost).toEqual([]);
  });
});
