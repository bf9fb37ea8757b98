/** Process loss: what the `processes` workloads of a run spawned against what the delivery check received. */
import type { Run, WorkloadReport } from '../../contracts/result.js';

/** Processes spawned by the run's `processes` workloads (from their closing reports); null when none ran. */
export function processesSpawned(achieved: WorkloadReport[]): number | null {
  const procs = processReports(achieved);
  if (procs.length === 0) return null;
  return procs.reduce((n, a) => n + (typeof a.spawned === 'number' ? a.spawned : 0), 0);
}

/** The stubs (`achieved.stub`, e.g. `/bin/busybox true`) the run's `processes` workloads exec'd. */
export function workloadStubs(achieved: WorkloadReport[]): string[] {
  return processReports(achieved)
    .map((a) => (typeof a.stub === 'string' ? a.stub : ''))
    .filter(Boolean);
}

function processReports(achieved: WorkloadReport[]): Record<string, unknown>[] {
  return achieved.map((w) => w.achieved).filter((a): a is Record<string, unknown> => !!a && a.type === 'processes');
}

/** lossRatio = 1 - received/spawned, not clamped: a negative value means more was counted than the workload spawned. */
export function lossFrom(spawned: number, received: number): NonNullable<Run['processLoss']> {
  return { spawned, received, lossRatio: spawned > 0 ? 1 - received / spawned : null };
}
