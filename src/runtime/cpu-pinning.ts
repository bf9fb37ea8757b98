/**
 * CPU pinning (cpusets): which CPUs the agent, the workloads and the harness may run on. On a small
 * machine the agent, the workloads that feed it and the harness that samples and receives its
 * events all compete for the same cores; pinning them apart takes the scheduler's placement out of
 * the run-to-run noise (issue 18, part 3). Containers get Docker's `CpusetCpus`; a local process is
 * started through `taskset -c`, which sets its affinity and execs it (same pid, children inherit);
 * the harness pins its own threads with `taskset -a -p` and restores them afterwards.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { RuntimeError } from '../errors.js';

const run = promisify(execFile);

/** A Linux CPU list as cpusets write it: `1`, `0-1`, `0,2-3`. */
export const CPU_LIST = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

/** The CPUs a list names, in order, without repeats; null when the text is not a CPU list (or a range runs backwards). */
export function parseCpuList(text: string): number[] | null {
  if (!CPU_LIST.test(text)) return null;
  const cpus = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to] = part.split('-').map(Number);
    const end = to ?? from;
    if (end < from) return null;
    for (let c = from; c <= end; c++) cpus.add(c);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** The CPUs a process may run on now (its `Cpus_allowed_list`); null when the process is gone. */
export function affinityOf(pid: number): string | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** The argv of a local process started on `cpus` (taskset execs the command: the pid is the command's). */
export function pinnedArgv(argv: readonly string[], cpus: string | undefined): string[] {
  return cpus ? ['taskset', '-c', cpus, ...argv] : [...argv];
}

/**
 * Pins every thread of a running process (the harness itself) to `cpus`; returns a function that
 * gives it back the affinity it had.
 */
export async function pinRunningProcess(pid: number, cpus: string): Promise<() => Promise<void>> {
  const before = affinityOf(pid);
  if (before === null) throw new RuntimeError(`cannot pin pid ${pid}: no such process`, { pid });
  try {
    await run('taskset', ['-a', '-c', '-p', cpus, String(pid)]);
  } catch (e) {
    throw new RuntimeError(`taskset could not pin pid ${pid} to CPUs ${cpus}: ${(e as Error).message}`, { pid, cpus });
  }
  return async () => {
    await run('taskset', ['-a', '-c', '-p', before, String(pid)]).catch(() => undefined);
  };
}
