/**
 * CPU of each workload container on its own, over the load window. An eBPF agent's probes run in
 * the context of the traced processes, so what the agent costs a workload shows in that workload's
 * cgroup, not in the agent's.
 */
import { meanCpuPercent, startCgroupGroupSampler, type CgroupGroupSampler } from './sampler.js';

export interface WorkloadCpu {
  /** Mean CPU % (one core = 100) of each workload over [fromMs, toMs) of the window; null where unknown. */
  stop(fromMs: number, toMs: number): Promise<Array<number | null>>;
}

export function startWorkloadCpu(pids: ReadonlyArray<number | null>, intervalMs: number, t0: number): WorkloadCpu {
  const samplers: Array<CgroupGroupSampler | null> = pids.map((pid) => {
    if (pid === null) return null;
    try {
      return startCgroupGroupSampler({ pids: [pid], intervalMs, t0 });
    } catch {
      return null; // exited before its cgroup could be found
    }
  });
  return {
    stop: async (fromMs, toMs) =>
      Promise.all(samplers.map(async (s) => (s ? meanCpuPercent(await s.stop(), fromMs, toMs) : null))),
  };
}
