/** What the `processes` workloads of a run spawned, from their closing reports. */
import type { Run, WorkloadReport } from '../../contracts/result.js';

/** Processes spawned by the run's `processes` workloads; null when none ran. */
export function processesSpawned(achieved: WorkloadReport[]): number | null {
  const procs = achieved
    .map((w) => w.achieved)
    .filter((a): a is Record<string, unknown> => !!a && a.type === 'processes');
  if (procs.length === 0) return null;
  return procs.reduce((n, a) => n + (typeof a.spawned === 'number' ? a.spawned : 0), 0);
}

/** lossRatio = 1 - received/spawned, not clamped: a negative value means more was counted than the workload spawned. */
export function lossFrom(spawned: number, received: number): NonNullable<Run['processLoss']> {
  return { spawned, received, lossRatio: spawned > 0 ? 1 - received / spawned : null };
}
