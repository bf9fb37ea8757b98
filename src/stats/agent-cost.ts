/**
 * The agent's whole cost across the runs of one result, for the reports: the host-CPU overhead
 * over the no-agent neighbours with its interval, the BPF programs' kernel CPU, the working-set
 * growth. Comparing baseline and candidate on these metrics is compare.ts's job, as for any metric.
 */
import { countedRuns, type ResultFile } from '../contracts/result.js';
import { meanWithInterval, type MeanInterval } from './mean-interval.js';
import { median } from './descriptive.js';

/** The agent-cost picture of one result, for the reports. */
export interface AgentCostSummary {
  overhead: {
    pairs: number;
    /** Pairs in which the host was busy (≥ 95% of every core) without the agent: host CPU cannot rise there. */
    saturatedPairs: number;
    hostCpuPercent: MeanInterval | null;
    /** The part of the host delta that was the harness itself (the mock sensor taking the agent's events). */
    harnessCpuPercent: MeanInterval | null;
    cpuMsPer1000Execs: MeanInterval | null;
    workloads: Array<{
      name: string;
      cpuPercent: MeanInterval | null;
      rate: { with: number | null; without: number | null };
      execLatencyP50Ms: { with: number | null; without: number | null } | null;
      execLatencyP99Ms: { with: number | null; without: number | null } | null;
    }>;
  } | null;
  bpf: {
    runs: number;
    cpuPercentMedian: number | null;
    nsPerEventMedian: number | null;
    basis: string | null;
    /** Why no run could price its BPF programs, when none could. */
    unavailable: string | null;
  } | null;
  memoryGrowth: { runs: number; mibPerMinuteMedian: number; significantRuns: number } | null;
}

const medianOrNull = (xs: number[]) => (xs.length ? median(xs) : null);
const meanOf = (xs: Array<number | null | undefined>) => {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

export function summarizeAgentCost(result: ResultFile): AgentCostSummary {
  const runs = countedRuns(result);
  const paired = runs.filter((r) => r.overhead);
  let overhead: AgentCostSummary['overhead'] = null;
  if (paired.length > 0) {
    const names = paired[0].overhead!.workloads.map((w) => w.name);
    const busy = 0.95 * 100 * result.environment.cpus;
    overhead = {
      pairs: paired.length,
      saturatedPairs: paired.filter((r) => (r.overhead!.hostCpuPercent.without ?? 0) >= busy).length,
      hostCpuPercent: meanWithInterval(paired.flatMap((r) => r.overhead!.hostCpuPercent.delta ?? [])),
      harnessCpuPercent: meanWithInterval(paired.flatMap((r) => r.overhead!.harnessCpuPercent?.delta ?? [])),
      cpuMsPer1000Execs: meanWithInterval(paired.flatMap((r) => r.overhead!.cpuMsPer1000Execs?.delta ?? [])),
      workloads: names.map((name) => {
        const ws = paired.flatMap((r) => r.overhead!.workloads.filter((w) => w.name === name));
        const pair = (pick: (w: (typeof ws)[number]) => { with: number | null; without: number | null } | undefined) =>
          ws.some((w) => pick(w))
            ? { with: meanOf(ws.map((w) => pick(w)?.with)), without: meanOf(ws.map((w) => pick(w)?.without)) }
            : null;
        return {
          name,
          cpuPercent: meanWithInterval(ws.flatMap((w) => w.cpuPercent.delta ?? [])),
          rate: pair((w) => w.rate)!,
          execLatencyP50Ms: pair((w) => w.execLatencyP50Ms),
          execLatencyP99Ms: pair((w) => w.execLatencyP99Ms),
        };
      }),
    };
  }
  const withBpf = runs.filter((r) => r.bpf);
  const priced = withBpf.filter((r) => r.bpf!.available);
  const bpf: AgentCostSummary['bpf'] =
    withBpf.length === 0
      ? null
      : {
          runs: priced.length,
          cpuPercentMedian: medianOrNull(priced.flatMap((r) => r.bpf!.cpuPercent ?? [])),
          nsPerEventMedian: medianOrNull(priced.flatMap((r) => r.bpf!.nsPerEvent ?? [])),
          basis: priced[0]?.bpf!.nsPerEventBasis ?? null,
          unavailable: priced.length === 0 ? withBpf[0].bpf!.reason : null,
        };
  const grown = runs.filter((r) => r.memoryGrowth);
  const memoryGrowth: AgentCostSummary['memoryGrowth'] =
    grown.length === 0
      ? null
      : {
          runs: grown.length,
          mibPerMinuteMedian: median(grown.map((r) => r.memoryGrowth!.mibPerMinute)),
          significantRuns: grown.filter((r) => r.memoryGrowth!.ci95[0] > 0).length,
        };
  return { overhead, bpf, memoryGrowth };
}
