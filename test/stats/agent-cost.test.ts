/**
 * The agent-cost metrics across runs: pairing of agent runs with their no-agent neighbours, the
 * per-result summary, and baseline vs candidate through the one comparison path (the mode's
 * deciding test, the report's one Holm family, `unchanged` only on equivalence within the floor).
 */
import { describe, expect, it } from 'vitest';
import type { ResultFile } from '../../src/contracts/result.js';
import { summarizeAgentCost } from '../../src/stats/agent-cost.js';
import { comparePaired, compareResults } from '../../src/stats/compare.js';
import { holmAdjust } from '../../src/stats/holm.js';
import { mulberry32 } from '../../src/stats/prng.js';
import { MiB } from '../../src/units.js';
import { abResultFile, eventCostRecord, resultFile } from '../support/result-files.js';
import { agrees, scipy } from './fixtures.js';

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

/** Gives every counted run of `r` the agent-cost figures drawn by `draw` (run, i). */
function withFigures(
  r: ResultFile,
  draw: (i: number) => { bpf: number; growth: number; overhead: number; nsPerEvent?: number },
): ResultFile {
  r.runs.forEach((run, i) => {
    const f = draw(i);
    run.memoryGrowth = {
      mibPerMinute: f.growth,
      ci95: [f.growth - 0.2, f.growth + 0.2],
      pValue: 0.01,
      n: 19,
      interceptBytes: 5e7,
    };
    run.bpf = {
      available: true,
      reason: null,
      programs: [],
      runCount: 1000,
      runTimeNs: f.bpf * 2e7,
      cpuPercent: f.bpf,
      nsPerEvent: f.nsPerEvent ?? 20000,
      nsPerEventBasis: 'collector events',
    };
    run.overhead = {
      neighbourIndex: 100 + i,
      hostCpuPercent: { with: 50 + f.overhead, without: 50, delta: f.overhead },
      workloads: [],
    };
  });
  return r;
}

/**
 * An A/A file: both arms run the same agent, so every figure of a run is its arm-free level plus
 * noise of the given spread (seeded). `pairs` pairs; collector CPU and memory steady.
 */
function aaFile(pairs: number, spread: number, seed: number): ResultFile {
  const random = mulberry32(seed);
  const noise = () => spread * (random() + random() + random() - 1.5) * 2; // sd = spread
  const file = abResultFile({
    pairs: Array.from({ length: pairs }, (_, i) => ({
      baseline: { cpu: 10 + 0.01 * i, mem: 50 * MiB },
      candidate: { cpu: 10 + 0.01 * i, mem: 50 * MiB },
    })),
  });
  // BPF time per event: 20,000 ns, its noise 1,000 times the spread (its floor is 5% = 1,000 ns).
  return withFigures(file, () => ({
    bpf: 2 + noise(),
    growth: 0.2 + noise(),
    overhead: 5 + noise(),
    nsPerEvent: 20_000 + 1000 * noise(),
  }));
}

const AGENT_COST = ['bpfCpuPercent', 'bpfNsPerEvent', 'memoryGrowthMiBPerMinute', 'hostCpuOverheadPercent'] as const;
const QUICK = { bootstrapResamples: 0 };

describe('agent-cost metrics in a comparison: the one verdict rule', () => {
  it('reads an A/A file whose agent-cost intervals or MDEs reach past the floors inconclusive, never unchanged', () => {
    // Spread 1.5 (pp, MiB/min) over 5 pairs: the MDE is several times the floors (1 pp, 1 MiB/min).
    // Welch p >= alpha on the same files is what used to read "unchanged" (green by default).
    for (let seed = 1; seed <= 20; seed++) {
      const c = comparePaired(aaFile(5, 1.5, seed), QUICK);
      expect(c.agentCost.map((m) => m.metric)).toEqual([...AGENT_COST]);
      for (const m of c.agentCost) {
        const reach = Math.max(Math.abs(m.interval!.low), Math.abs(m.interval!.high), m.mdeAbsolute!);
        expect(reach).toBeGreaterThan(m.effectiveFloor!);
        expect(m.verdict, `seed ${seed} ${m.metric}: ${m.reason}`).not.toBe('unchanged');
        // Only a significant difference (an A/A false alarm, at most alpha of reports) reads otherwise.
        if (m.adjustedPValue! >= 0.05) expect(m.verdict).toBe('inconclusive');
        if (m.verdict === 'inconclusive') expect(m.reason).toMatch(/could not rule out a change of/);
      }
    }
  });

  it('reads an A/A file whose agent-cost intervals and MDEs lie inside the floors unchanged', () => {
    const c = comparePaired(aaFile(10, 0.05, 7), QUICK);
    for (const m of c.agentCost) {
      expect(m.interval!.low).toBeGreaterThanOrEqual(-m.effectiveFloor!);
      expect(m.interval!.high).toBeLessThanOrEqual(m.effectiveFloor!);
      expect(m.mdeAbsolute!).toBeLessThanOrEqual(m.effectiveFloor!);
      expect(m.verdict, `${m.metric}: ${m.reason}`).toBe('unchanged');
      expect(m.decidingTest?.test).toBe('paired-t');
    }
    expect(c.agentCost.find((m) => m.metric === 'memoryGrowthMiBPerMinute')!.reason).toMatch(
      /inside the floor ±1\.00 MiB\/min/,
    );
  });

  it('decides A/B files by the paired t-test on the complete pairs, as for CPU', () => {
    const file = aaFile(6, 0.05, 3);
    // The candidate arm's working set now grows by 5 MiB/min more.
    for (const run of file.runs) if (run.arm === 'candidate') run.memoryGrowth!.mibPerMinute += 5;
    const growth = comparePaired(file, QUICK).agentCost.find((m) => m.metric === 'memoryGrowthMiBPerMinute')!;
    expect(growth.verdict).toBe('regression');
    expect(growth.decidingTest?.test).toBe('paired-t');
    expect(growth.change.absolute).toBeCloseTo(5, 1);
    expect(growth.floors).toEqual({ absolute: 1, relative: 0 });
  });

  it('calls a significant slope change inside the floor unchanged only when the interval and MDE are inside it too', () => {
    const file = aaFile(10, 0.05, 5);
    for (const run of file.runs) if (run.arm === 'candidate') run.memoryGrowth!.mibPerMinute += 0.5;
    const growth = comparePaired(file, QUICK).agentCost.find((m) => m.metric === 'memoryGrowthMiBPerMinute')!;
    expect(growth.adjustedPValue!).toBeLessThan(0.05);
    expect(growth.verdict).toBe('unchanged');
  });

  it('decides history comparisons by the prediction test over sessions, as for CPU', () => {
    const session = (growth: number, sha: string, seed: number) =>
      withFigures(resultFile({ sha, seed, runs: [1, 2, 3].map(() => ({ cpu: 10, mem: 50 * MiB })) }), (i) => ({
        bpf: 2,
        growth: growth + 0.01 * i,
        overhead: 5,
      }));
    const base = [session(0.1, 'a'.repeat(40), 1), session(0.15, 'c'.repeat(40), 2), session(0.05, 'd'.repeat(40), 3)];
    const c = compareResults(base, session(6, 'b'.repeat(40), 4), QUICK);
    const growth = c.agentCost.find((m) => m.metric === 'memoryGrowthMiBPerMinute')!;
    expect(growth.decidingTest?.test).toBe('prediction-t');
    expect(growth.verdict).toBe('regression');
    expect(c.overall).toBe('regression');
    // One baseline session cannot show how sessions vary: inconclusive, never green.
    const one = compareResults([base[0]], session(0.1, 'b'.repeat(40), 5), QUICK);
    expect(one.agentCost.every((m) => m.verdict === 'inconclusive')).toBe(true);
  });

  it.each(scipy.abAgentCost.map((c) => [c.name, c] as const))(
    'matches scipy ttest_rel and its 90%% interval through the comparison: %s',
    (_n, c) => {
      const file = aaFile(c.baseline.length, 0, 1);
      for (const run of file.runs) {
        const v = (run.arm === 'baseline' ? c.baseline : c.candidate)[run.pair! - 1];
        if (c.metric === 'memoryGrowthMiBPerMinute') run.memoryGrowth!.mibPerMinute = v;
        else if (c.metric === 'bpfNsPerEvent') run.bpf!.nsPerEvent = v;
        else if (c.metric === 'cpuMsPer1000Events') run.eventCost = eventCostRecord(v);
        else run.bpf!.cpuPercent = v;
      }
      const compared = comparePaired(file, QUICK);
      const m = [...compared.metrics, ...compared.agentCost].find((x) => x.metric === c.metric)!;
      expect(m.decidingTest).toMatchObject({ test: 'paired-t', df: c.df });
      expect(agrees(m.decidingTest!.t, c.t)).toBe(true);
      expect(agrees(m.decidingTest!.pValue, c.pValue)).toBe(true);
      expect(agrees(m.change.absolute!, c.change)).toBe(true);
      expect(agrees(m.interval!.low, c.interval90[0])).toBe(true);
      expect(agrees(m.interval!.high, c.interval90[1])).toBe(true);
    },
  );

  it('puts the metrics that decide in one Holm family, and those only shown in another', () => {
    const c = comparePaired(aaFile(8, 0.3, 11), QUICK);
    const all = [...c.metrics, ...c.agentCost];
    expect(all).toHaveLength(6);
    for (const decides of [true, false]) {
      const members = all.filter((m) => m.decides === decides);
      const raw = members.map((m) => m.decidingTest?.pValue ?? null);
      expect(members.map((m) => m.adjustedPValue)).toEqual(holmAdjust(raw));
    }
    // Showing a figure beside the deciding ones never costs them alpha.
    // Memory growth is watched: tested with the deciding ones, as its regression still turns the verdict.
    expect(all.filter((m) => m.decides).map((m) => m.metric)).toEqual(
      all.map((m) => m.metric).filter((m) => [...c.deciding!.decidedBy, ...c.deciding!.watched].includes(m)),
    );
  });

  it('compares a metric only when both sides carry it; results without them compare as before', () => {
    const plain = compareResults(
      [resultFile({ runs: [{ cpu: 10, mem: 5e7 }] })],
      resultFile({ runs: [{ cpu: 10, mem: 5e7 }] }),
    );
    expect(plain.agentCost).toEqual([]);
  });
});
