/** How to start one workload file: in the workload image (file mounted read-only) or as a local process. */
import { basename, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { InvalidInputError } from '../errors.js';
import type { Runtime, StartSpec } from '../runtime/types.js';
import { loadWorkloadConfig } from '../workloads/config.js';

export interface WorkloadTarget {
  name: string;
  type: string;
  file: string;
  spec: StartSpec;
}

export interface WorkloadLauncher {
  targets: WorkloadTarget[];
  imageId: string | null;
}

/** Validates every workload file up front, so a typo fails before any container starts. */
export async function prepareWorkloads(
  files: string[],
  runtime: Runtime,
  durationS: number,
  log: (m: string) => void,
  /** The workloads' CPUs (run.pin.workloads); unset: any. */
  cpus?: string,
): Promise<WorkloadLauncher> {
  const checked = files.map((f) => {
    const file = resolve(f);
    if (!existsSync(file))
      throw new InvalidInputError(
        'config',
        'run.workloads',
        f,
        'paths of existing berserker TOML files (see workloads/)',
      );
    const cfg = loadWorkloadConfig(file, {});
    return { file, name: basename(file).replace(/\.toml$/, ''), type: cfg.workload.type };
  });
  const env = { BERSERKER__DURATION: String(durationS) };
  const generator = await runtime.workloadGenerator(log);
  return {
    imageId: generator.imageId,
    targets: checked.map((w) => ({
      ...w,
      spec: {
        name: `workload-${w.name}`,
        role: 'workload',
        ...generator.launch([w.file], [w.file]),
        env,
        network: 'host', // endpoints and network workloads bind loopback ports the collector must see
        ...(cpus ? { cpus } : {}),
      },
    })),
  };
}

/**
 * The same workload start with a fixed PRNG seed: the run's seed from its plan's seed schedule
 * (run/plans.ts), offset per workload so two workloads never share a stream. Runs given the same
 * seed draw the same arrivals, names and port counts: common random numbers, so the two runs of an
 * A/B pair (or run k of two sessions) differ by the collector, not by the draw (the endpoints
 * workload's Zipf draw alone moves a run's CPU by several points).
 */
function seededSpec(spec: StartSpec, seed: number, index: number): StartSpec {
  const flag = ['--seed', String(seed + index * 7_919)];
  if (spec.argv) return { ...spec, argv: [...spec.argv, ...flag] };
  return { ...spec, args: [...(spec.args ?? []), ...flag] };
}

/** What one run starts for workload `index`: its spec, seeded when the run has a seed, then the run's own adjustment. */
export function workloadRunSpec(
  w: WorkloadTarget,
  index: number,
  seed: number | undefined,
  adjust?: (spec: StartSpec, w: WorkloadTarget) => StartSpec,
): StartSpec {
  const spec = seed === undefined ? w.spec : seededSpec(w.spec, seed, index);
  return adjust?.(spec, w) ?? spec;
}

/** The generator's closing line: the last line of its output that parses as a JSON object. */
export function achievedFromLogs(logs: string): Record<string, unknown> | null {
  const lines = logs.trim().split('\n').reverse();
  for (const line of lines) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const v = JSON.parse(t) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* not the summary */
    }
  }
  return null;
}
