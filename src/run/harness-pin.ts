/**
 * The session's CPU pinning (`run.pin`, checked against this harness's CPUs when the config loads):
 * the harness's own threads are pinned here, before the mock sensor starts (a child inherits its
 * parent's affinity); the agent and the workloads get theirs through their start specs
 * (collector-target.ts, workload-target.ts). Returns what restores the harness.
 */
import type { Pin } from '../config/schema.js';
import { affinityOf, pinRunningProcess } from '../runtime/cpu-pinning.js';

export async function applyPin(pin: Pin | null, log: (msg: string) => void): Promise<() => Promise<void>> {
  if (!pin || Object.values(pin).every((v) => v === undefined)) return async () => undefined;
  const roles = (['agent', 'workloads', 'harness'] as const).map((r) => `${r} ${pin[r] ?? 'any'}`);
  log(`CPU pinning: ${roles.join(', ')} (of CPUs ${affinityOf(process.pid) ?? '?'})`);
  return pin.harness ? pinRunningProcess(process.pid, pin.harness) : async () => undefined;
}
