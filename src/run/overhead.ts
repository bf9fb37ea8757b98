/**
 * The agent's overhead (`--overhead`): measured runs interleaved with runs that have no collector at
 * all (singlePlan in plans.ts). The agent run of each pair records what it adds over its
 * neighbour: host CPU (which includes in-kernel probe time charged to the traced processes), each
 * workload's own CPU, its achieved rate and, for the processes workload, the exec latency the
 * generator measured.
 */
import type { Overhead } from '../contracts/agent-cost.js';
import type { Run, WorkloadReport } from '../contracts/result.js';
import type { Slot } from './plans.js';

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

/** A slot of a plan and the run it gave. */
export interface SlotRun {
  slot: Slot;
  run: Run;
}

/**
 * Sets `overhead` on the agent run of `slot`'s pair once both it and its no-agent neighbour (same
 * arm, same pair) have run; null when the neighbour is invalid (the figure would not be trusted).
 */
export function pairOverhead(done: readonly SlotRun[], slot: Slot): void {
  if (slot.pair === null || slot.kind === 'warm-up') return;
  const mine = done.filter((d) => d.slot.arm === slot.arm && d.slot.pair === slot.pair);
  const agent = mine.find((d) => d.slot.kind === 'measured');
  const alone = mine.find((d) => d.slot.kind === 'no-agent');
  if (agent && alone) agent.run.overhead = alone.run.valid ? overheadOf(agent.run, alone.run) : null;
}
