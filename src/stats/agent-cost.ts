/**
 * The agent's whole cost across the runs of one result, and baseline vs candidate.
 *
 * Run-level values (the run stays the unit of replication): a counted run's BPF CPU % (kernel
 * time of its programs over the window), its working-set slope in MiB/min, and its host-CPU
 * overhead over its no-agent neighbour. A metric is compared only when both sides carry it (older
 * results have none of them). Welch's test decides, as for CPU and memory (see verdict.ts why);
 * Holm runs within this family, so adding these metrics does not thin the CPU and memory tests.
 * A change is a regression only when significant and above both floors: CPU-like floors for BPF
 * CPU and overhead, and the growth floor (default 1 MiB/min, no relative floor: a baseline slope
 * near zero makes any relative change huge) for memory growth.
 */
import type { AgentCostComparison, AgentCostMetric } from '../contracts/agent-cost.js';
import { countedRuns, type ResultFile, type Run } from '../contracts/result.js';
import { holmAdjust } from './holm.js';
import { meanWithInterval, type MeanInterval } from './mean-interval.js';
import { median } from './descriptive.js';
import { sideStats } from './compare.js';
import { welchTTest } from './welch.js';

export const AGENT_COST_METRICS: readonly { metric: AgentCostMetric; unit: AgentCostComparison['unit'] }[] = [
  { metric: 'bpfCpuPercent', unit: 'percent' },
  { metric: 'memoryGrowthMiBPerMinute', unit: 'MiB/min' },
  { metric: 'hostCpuOverheadPercent', unit: 'percent' },
];

export function agentCostValue(run: Run, metric: AgentCostMetric): number | null {
  switch (metric) {
    case 'bpfCpuPercent':
      return run.bpf?.available ? (run.bpf.cpuPercent ?? null) : null;
    case 'memoryGrowthMiBPerMinute':
      return run.memoryGrowth?.mibPerMinute ?? null;
    case 'hostCpuOverheadPercent':
      return run.overhead?.hostCpuPercent.delta ?? null;
  }
}

export function agentCostValues(results: readonly ResultFile[], metric: AgentCostMetric): number[] {
  return results.flatMap((r) =>
    countedRuns(r).flatMap((run) => {
      const v = agentCostValue(run, metric);
      return v === null ? [] : [v];
    }),
  );
}

export interface AgentCostFloors {
  cpu: { absolute: number; relative: number };
  memoryGrowthMiBPerMinute: number;
}

const fmt = (v: number, unit: AgentCostComparison['unit']) =>
  unit === 'percent' ? `${v >= 0 ? '+' : ''}${v.toFixed(2)} pp` : `${v >= 0 ? '+' : ''}${v.toFixed(2)} MiB/min`;

export function compareAgentCost(
  baseline: readonly ResultFile[],
  candidate: ResultFile,
  opts: { alpha: number; minRuns: number; floors: AgentCostFloors; environmentMismatch?: readonly string[] },
): AgentCostComparison[] {
  const rows = AGENT_COST_METRICS.map(({ metric, unit }) => {
    const base = agentCostValues(baseline, metric);
    const cand = agentCostValues([candidate], metric);
    return { metric, unit, base, cand };
  }).filter((r) => r.base.length > 0 && r.cand.length > 0);
  const welch = rows.map((r) => welchTTest(r.cand, r.base));
  const adjusted = holmAdjust(welch.map((w) => w.value?.pValue ?? null));
  return rows.map((r, i) => {
    const b = sideStats(r.base);
    const c = sideStats(r.cand);
    const absolute = c.median! - b.median!;
    const relative = b.median !== 0 ? absolute / Math.abs(b.median!) : null;
    const floors =
      r.unit === 'percent' ? opts.floors.cpu : { absolute: opts.floors.memoryGrowthMiBPerMinute, relative: 0 };
    const w = welch[i].value;
    const p = adjusted[i];
    const change = `${fmt(absolute, r.unit)} (medians ${b.median!.toFixed(2)} → ${c.median!.toFixed(2)})`;
    // Beyond the floor: the larger of its absolute part and its relative part of the baseline level.
    const above = Math.abs(absolute) > Math.max(floors.absolute, floors.relative * Math.abs(b.median!));
    let verdict: AgentCostComparison['verdict'];
    let reason: string;
    if (opts.environmentMismatch?.length) {
      verdict = 'inconclusive';
      reason = `environments differ (${opts.environmentMismatch.join('; ')})`;
    } else if (r.base.length < opts.minRuns || r.cand.length < opts.minRuns) {
      verdict = 'inconclusive';
      reason = `too few runs with this metric: baseline ${r.base.length}, candidate ${r.cand.length} (need ${opts.minRuns} a side)`;
    } else if (p === null) {
      verdict = above ? 'inconclusive' : 'unchanged';
      reason = `${change}; ${welch[i].reason}`;
    } else if (p >= opts.alpha) {
      verdict = 'unchanged';
      reason = `${change}, Welch p_adj=${p.toPrecision(2)} ≥ ${opts.alpha}`;
    } else if (!above) {
      verdict = 'unchanged';
      reason = `${change}, Welch p_adj=${p.toPrecision(2)} < ${opts.alpha} but below the floor ${fmt(floors.absolute, r.unit).slice(1)}`;
    } else {
      verdict = absolute > 0 ? 'regression' : 'improvement';
      reason = `${change}, Welch p_adj=${p.toPrecision(2)} < ${opts.alpha}, above the floor`;
    }
    return {
      metric: r.metric,
      unit: r.unit,
      baseline: b,
      candidate: c,
      change: { absolute, relative },
      welch: w ? { t: w.t, df: w.df, pValue: w.pValue } : null,
      adjustedPValue: p,
      floors,
      verdict,
      reason,
    };
  });
}

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
