/**
 * The noisy neighbour `validate pr` starts itself: CPU hogs at a set duty cycle, so "a busy machine"
 * is a condition anyone can reproduce rather than whatever else happened to run. `--neighbour 50`
 * is one process busy 50 ms of every 100 ms period; `--neighbour 50x2` two such processes (one per
 * core on this 2-core machine when the scheduler spreads them).
 *
 * Each hog is a local `node` process in its own process group (and, where the host lets us, a
 * cpuacct cgroup of its own), stopped by its id. What it actually used is measured from procfs,
 * never assumed: on a loaded machine a hog gets less than its duty, and the record says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError, RuntimeError } from '../errors.js';
import { onCleanup } from '../runtime/cleanup.js';
import { procTreeReader } from '../sampling/proc-tree.js';

/** What `--neighbour` asks for: duty cycle in percent of one core per process, and how many processes. */
export interface NeighbourSpec {
  dutyPercent: number;
  processes: number;
}

/** The hogs' period: short enough that every sampler window sees many of them. */
export const PERIOD_MS = 100;
const MAX_PROCESSES = 64;

/**
 * `50` or `50x2` (duty percent 1-100, processes 1-64); `none` or `0` means no neighbour (null).
 * `flag` names the option in the error.
 */
export function parseNeighbour(raw: string, flag = 'neighbour'): NeighbourSpec | null {
  const text = raw.trim();
  if (text === 'none' || text === '0') return null;
  const m = /^(\d+)(?:x(\d+))?$/.exec(text);
  const duty = m ? Number(m[1]) : NaN;
  const processes = m?.[2] === undefined ? 1 : Number(m[2]);
  if (!m || duty < 1 || duty > 100 || processes < 1 || processes > MAX_PROCESSES)
    throw new InvalidInputError(
      `flag --${flag}`,
      flag,
      raw,
      `none, or DUTY[xN]: DUTY a whole percent 1-100 of one core, N processes 1-${MAX_PROCESSES} (e.g. 50, 50x2)`,
    );
  return { dutyPercent: duty, processes };
}

/** The spec as the record and the table name it: `none`, `50%`, `50%x2`. */
export function neighbourLabel(spec: NeighbourSpec | null): string {
  if (spec === null) return 'none';
  return `${spec.dutyPercent}%${spec.processes > 1 ? `x${spec.processes}` : ''}`;
}

/**
 * The hog: busy for `busy` ms of every period, asleep for the rest (Atomics.wait: a real sleep, no
 * timer drift from the event loop). It leaves on its own once its parent is gone, so even a
 * harness killed with SIGKILL leaves no hog spinning.
 */
const HOG_SCRIPT = `
const [busy, period, parent] = process.argv.slice(1).map(Number);
const cell = new Int32Array(new SharedArrayBuffer(4));
process.title = 'collector-bench-neighbour';
for (let start = performance.now(); process.ppid === parent; start += period) {
  while (performance.now() < start + busy) {}
  const left = start + period - performance.now();
  if (left > 0) Atomics.wait(cell, 0, 0, left);
  else start = performance.now() - period;
}
`;

/** The hogs' cumulative CPU (summed over all of them) and when it was read; two readings give cores used. */
export interface NeighbourReading {
  cpuNs: number;
  wallMs: number;
}

export interface Neighbour {
  spec: NeighbourSpec;
  pids: number[];
  /** The cgroup directory the hogs run in, null where none could be made (not root, no cpuacct). */
  cgroup: string | null;
  /** Cumulative CPU of all hogs now. */
  read(): NeighbourReading;
  /** Kills every hog's process group, waits until each is gone, removes the cgroup. */
  stop(): Promise<void>;
}

/** Cores the hogs used between two readings (0.5 = half of one core). */
export function coresBetween(from: NeighbourReading, to: NeighbourReading): number | null {
  const wallNs = (to.wallMs - from.wallMs) * 1e6;
  return wallNs > 0 ? (to.cpuNs - from.cpuNs) / wallNs : null;
}

const CGROUP_PREFIX = 'collector-bench-neighbour-';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The empty cgroups of harnesses that died before removing theirs (named after their pid). */
function sweepCgroups(root: string): void {
  for (const name of readdirSync(root)) {
    const owner = Number(name.startsWith(CGROUP_PREFIX) ? name.slice(CGROUP_PREFIX.length).split('-')[0] : NaN);
    if (!Number.isInteger(owner) || pidAlive(owner)) continue;
    try {
      rmdirSync(join(root, name)); // refused while a process is still inside: then it is not a leftover
    } catch {
      // keep it
    }
  }
}

/** A cpuacct cgroup for the hogs (v1 here; v2 hosts get one under the unified root), or null. */
function makeCgroup(): string | null {
  for (const root of ['/sys/fs/cgroup/cpuacct', '/sys/fs/cgroup']) {
    if (!existsSync(join(root, 'cgroup.procs'))) continue;
    const dir = join(root, `${CGROUP_PREFIX}${process.pid}-${Date.now()}`);
    try {
      sweepCgroups(root);
      mkdirSync(dir);
      return dir;
    } catch {
      return null; // not root, or a read-only cgroupfs: the process group is enough to stop them
    }
  }
  return null;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts the hogs; a Ctrl-C before `stop()` removes them too (runtime/cleanup.ts). */
export function startNeighbour(spec: NeighbourSpec): Neighbour {
  const busyMs = (PERIOD_MS * spec.dutyPercent) / 100;
  const cgroup = makeCgroup();
  const children = Array.from({ length: spec.processes }, () =>
    spawn(process.execPath, ['-e', HOG_SCRIPT, String(busyMs), String(PERIOD_MS), String(process.pid)], {
      detached: true, // its own process group: stopped by its id, whatever it started
      stdio: 'ignore',
    }),
  );
  const pids = children.map((c) => {
    if (c.pid === undefined) throw new RuntimeError('the noisy neighbour could not be started', { spec });
    return c.pid;
  });
  if (cgroup)
    for (const pid of pids)
      try {
        writeFileSync(join(cgroup, 'cgroup.procs'), String(pid));
      } catch {
        // it stays in ours; measured from procfs either way
      }
  const readers = pids.map((pid) => procTreeReader(pid));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const pid of pids)
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    await Promise.all(children.map(exited));
    if (cgroup)
      try {
        rmdirSync(cgroup);
      } catch {
        // the kernel frees an emptied cgroup a moment later at most; a leftover empty folder is harmless
      }
    unregister();
  };
  const unregister = onCleanup(stop);
  return {
    spec,
    pids,
    cgroup,
    read: () => {
      try {
        return { cpuNs: readers.reduce((sum, r) => sum + r.read().cpuNs, 0), wallMs: performance.now() };
      } catch (e) {
        // A hog that died took the condition with it: the comparisons would no longer be "noisy".
        throw new RuntimeError(`the noisy neighbour ${neighbourLabel(spec)} (pids ${pids.join(', ')}) exited early`, {
          spec,
          pids,
          cause: String(e),
        });
      }
    },
    stop,
  };
}
