/**
 * New-process detection by polling a procfs root. Each poll lists the numeric entries (thread
 * group ids) and reports the ones not seen in the previous poll; only those are read, and only
 * their small files (comm, cmdline, the exe link), so the cost grows with the exec rate rather
 * than with the number of live processes.
 */
import fs from 'node:fs';
import type { ProcessEvent } from '../events.js';
import type { CollectorMetrics } from '../metrics.js';

export function listPids(procRoot: string): number[] {
  const names = fs.readdirSync(procRoot);
  const pids: number[] = [];
  for (const n of names) {
    const c = n.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(n));
  }
  return pids;
}

/**
 * A pid caught before its exec has finished, in one of two windows a poller can land in:
 *  - forked but not yet exec'd: it still runs its parent's binary under its parent's name;
 *  - in the middle of execve: comm and the exe link already name the new binary, but the argument
 *    area is not installed yet, so cmdline reads as zero bytes (a finished exec always has argv[0];
 *    kernel threads and zombies have no exe link).
 * Reading it again on a later poll gets what the exec produced. A process that really is a copy of
 * its parent (a fork that never execs, or a binary exec'ing itself) is reported after a few polls.
 */
export const EXEC_IN_PROGRESS = Symbol('exec in progress');

function parentOf(dir: string): number | null {
  try {
    const stat = fs.readFileSync(`${dir}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function sameImageAsParent(procRoot: string, dir: string, comm: string, exePath: string): boolean {
  const ppid = parentOf(dir);
  if (!ppid) return false;
  try {
    return (
      fs.readlinkSync(`${procRoot}/${ppid}/exe`) === exePath &&
      fs.readFileSync(`${procRoot}/${ppid}/comm`, 'utf8').replace(/\n$/, '') === comm
    );
  } catch {
    return false;
  }
}

/** Reads what is cheap to read about one pid; null when it exited before we looked. */
export function readProcessInfo(
  procRoot: string,
  pid: number,
  metrics: CollectorMetrics,
  now = Date.now(),
): ProcessEvent | null | typeof EXEC_IN_PROGRESS {
  const dir = `${procRoot}/${pid}`;
  let comm: string;
  try {
    comm = fs.readFileSync(`${dir}/comm`, 'utf8').replace(/\n$/, '');
  } catch {
    metrics.events.procfs_could_not_open_pid_dir += 1;
    return null;
  }
  let raw: string | null = null;
  try {
    raw = fs.readFileSync(`${dir}/cmdline`, 'utf8');
  } catch {
    metrics.events.procfs_could_not_read_cmdline += 1;
  }
  let exePath = '';
  try {
    exePath = fs.readlinkSync(`${dir}/exe`);
  } catch {
    // Kernel threads have no exe; processes of other users may refuse the link.
    metrics.events.procfs_could_not_read_exe += 1;
  }
  if (exePath !== '' && (raw === '' || sameImageAsParent(procRoot, dir, comm, exePath))) return EXEC_IN_PROGRESS;
  // Arguments after argv[0], space-separated, as in a StackRox ProcessSignal.
  const args = raw === null ? '' : raw.replace(/\0+$/, '').split('\0').slice(1).join(' ');
  return { kind: 'process', pid, comm, exePath, args, timeMs: now };
}

export class PidScanner {
  private known = new Set<number>();
  private primed = false;

  constructor(private readonly procRoot: string) {}

  /**
   * Pids that appeared since the previous call. The first call only records the processes that
   * already exist (they are not exec events we observed) and returns none.
   */
  scan(): number[] {
    const pids = listPids(this.procRoot);
    const current = new Set<number>(pids);
    const fresh: number[] = [];
    if (this.primed) {
      for (const p of pids) if (!this.known.has(p)) fresh.push(p);
    }
    this.known = current;
    this.primed = true;
    return fresh;
  }

  /** Reports `pid` as new again on the next scan (it was caught mid-exec). */
  forget(pid: number): void {
    this.known.delete(pid);
  }

  get size(): number {
    return this.known.size;
  }
}
