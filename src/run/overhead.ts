/**
 * The agent's overhead (`--overhead`): measured runs interleaved with runs that have no collector at
 * all, in the A/B mode's A B B A order (A = no agent), so drift over the session falls on both
 * alike. Pair k is the k-th two consecutive counted slots; the agent run of each pair records what
 * it adds over its neighbour: host CPU (which includes in-kernel probe time charged to the traced
 * processes), each workload's own CPU, its achieved rate and, for the processes workload, the exec
 * latency the generator measured.
 */
import type { Overhead } from '../contracts/agent-cost.js';
import type { Run, WorkloadReport } from '../contracts/result.js';
import { abbaOrder } from './ab-benchmark.js';

export interface Slot {
  warmupRun: boolean;
  noAgent: boolean;
  /** The overhead pair (1-based) the slot belongs to; null for warm-ups and without `overhead`. */
  pair: number | null;
}

/** Warm-up runs (with the agent) first, then the counted slots: ABBA with A = no agent when `overhead`. */
export function runSlots(runs: number, warmupRuns: number, overhead: boolean): Slot[] {
  const warm = Array.from({ length: warmupRuns }, () => ({ warmupRun: true, noAgent: false, pair: null }));
  if (!overhead)
    return [...warm, ...Array.from({ length: runs }, () => ({ warmupRun: false, noAgent: false, pair: null }))];
  return [
    ...warm,
    ...abbaOrder(runs).map((arm, i) => ({ warmupRun: false, noAgent: arm === 'A', pair: Math.floor(i / 2) + 1 })),
  ];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function withWithout(a: number | null | undefined, b: number | null | undefined) {
  const w = a ?? null;
  const wo = b ?? null;
  return { with: w, without: wo, delta: w !== null && wo !== null ? w - wo : null };
}

function workloadOverhead(agent: WorkloadReport, alone: WorkloadReport | undefined): Overhead['workloads'][number] {
  const o: Overhead['workloads'][number] = {
    name: agent.name,
    cpuPercent: withWithout(agent.cpuPercent, alone?.cpuPercent),
    rate: withWithout(num(agent.achieved?.rate), num(alone?.achieved?.rate)),
  };
  if (agent.type === 'processes') {
    o.execLatencyP50Ms = withWithout(num(agent.achieved?.execLatencyP50Ms), num(alone?.achieved?.execLatencyP50Ms));
    o.execLatencyP99Ms = withWithout(num(agent.achieved?.execLatencyP99Ms), num(alone?.achieved?.execLatencyP99Ms));
  }
  return o;
}

/** ms of CPU per 1,000 execs from the cgroups' CPU % (one core = 100 = 1,000 ms per second). */
function cpuMsPer1000Execs(run: Run, collectorCpu: number): number | null {
  const execs = run.workloads.find((w) => w.type === 'processes');
  const rate = num(execs?.achieved?.rate);
  const cpus = run.workloads.map((w) => w.cpuPercent);
  if (!rate || cpus.some((c) => typeof c !== 'number')) return null;
  const total = collectorCpu + cpus.reduce<number>((a, c) => a + (c as number), 0);
  return ((total * 10) / rate) * 1000;
}

export function overheadOf(agent: Run, alone: Run): Overhead {
  const collectorCpu = agent.summary?.cpuPercent.mean;
  return {
    neighbourIndex: alone.index,
    hostCpuPercent: withWithout(agent.context.hostCpuPercent, alone.context.hostCpuPercent),
    harnessCpuPercent: withWithout(agent.context.harnessCpuPercent, alone.context.harnessCpuPercent),
    cpuMsPer1000Execs: withWithout(
      collectorCpu === undefined ? null : cpuMsPer1000Execs(agent, collectorCpu),
      cpuMsPer1000Execs(alone, 0),
    ),
    workloads: agent.workloads.map((w) =>
      workloadOverhead(
        w,
        alone.workloads.find((x) => x.name === w.name),
      ),
    ),
  };
}

/** Sets `overhead` on the agent run of every complete pair (idempotent: call after each run). */
export function pairOverhead(runs: Run[]): void {
  const slots = runs.filter((r) => !r.warmupRun);
  for (let k = 0; k + 1 < slots.length; k += 2) {
    const [a, b] = [slots[k], slots[k + 1]];
    const agent = a.noAgent ? b : a;
    const alone = a.noAgent ? a : b;
    if (agent.noAgent || !alone.noAgent) continue; // not a pair of one of each (a hand-edited file)
    agent.overhead = alone.valid ? overheadOf(agent, alone) : null;
  }
}
