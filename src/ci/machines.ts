/**
 * The machines the benchmark runs on, in ONE place: the repository variable BENCHMARK_MACHINES, a
 * JSON array of runner labels ("ubuntu-24.04") or label lists for a self-hosted pool
 * (["self-hosted", "rhel9", "kernel-5.14"]). The benchmark workflow builds its matrix from it, and
 * the report workflow stores results only of these machines: an artifact named after any other
 * machine came from a job the matrix never started.
 */
import { BenchError, InvalidInputError } from '../errors.js';
import type { MachineArtifacts } from './artifacts.js';

/** The default machines: GitHub-hosted runner labels. */
const DEFAULT_MACHINES = ['ubuntu-22.04', 'ubuntu-24.04'];

export interface MachineMatrix {
  include: Array<{ name: string; 'runs-on': string | string[] }>;
}

const LABEL = /^[A-Za-z0-9._-]{1,60}$/;

function refuse(text: string, why: string): BenchError {
  return new BenchError(
    'INVALID_INPUT',
    `BENCHMARK_MACHINES has value ${text}; allowed: a non-empty JSON array of runner labels or label lists (${why})`,
    { key: 'BENCHMARK_MACHINES', value: text },
  );
}

export function machineMatrix(text: string | undefined): MachineMatrix {
  let machines: unknown = DEFAULT_MACHINES;
  if (text !== undefined && text.trim() !== '') {
    try {
      machines = JSON.parse(text);
    } catch (e) {
      throw refuse(text, `not JSON: ${(e as Error).message}`);
    }
  }
  const ok = (l: unknown) => typeof l === 'string' && LABEL.test(l);
  if (
    !Array.isArray(machines) ||
    machines.length === 0 ||
    machines.length > 50 ||
    !machines.every((m) => ok(m) || (Array.isArray(m) && m.length > 0 && m.length <= 10 && m.every(ok)))
  ) {
    throw refuse(String(text), 'each label letters, digits, ".", "_", "-"; at most 50 machines');
  }
  const include = (machines as Array<string | string[]>).map((m) => ({
    name: Array.isArray(m) ? m.join('-') : m,
    'runs-on': m,
  }));
  if (new Set(include.map((i) => i.name)).size !== include.length) throw refuse(String(text), 'a machine named twice');
  return { include };
}

/** The artifacts of the plan's machines; an artifact named after any other machine refuses them all. */
export function checkPlannedMachines(
  machines: MachineArtifacts[],
  plan: { matrix: MachineMatrix },
): MachineArtifacts[] {
  const planned = plan.matrix.include.map((m) => m.name);
  for (const m of machines) {
    if (!planned.includes(m.machine)) {
      throw new InvalidInputError(
        m.dir,
        '(artifact name: the machine)',
        m.machine,
        `one of the plan's machines: ${planned.join(', ')}`,
      );
    }
  }
  return machines;
}
