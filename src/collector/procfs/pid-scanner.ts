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

/** Reads what is cheap to read about one pid; null when it exited before we looked. */
export function readProcessInfo(procRoot: string, pid: number, metrics: CollectorMetrics, now = Date.now()): ProcessEvent | null {
  const dir = `${procRoot}/${pid}`;
  let comm: string;
  try {
    comm = fs.readFileSync(`${dir}/comm`, 'utf8').replace(/\n$/, '');
  } catch {
    metrics.events.procfs_could_not_open_pid_dir += 1;
    return null;
  }
  let args = '';
  try {
    // Arguments after argv[0], space-separated, as in a StackRox ProcessSignal.
    const argv = fs.readFileSync(`${dir}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0');
    args = argv.slice(1).join(' ');
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

  get size(): number {
    return this.known.size;
  }
}
