/**
 * CPU and memory of a process and all its descendants, from procfs, for the `process` runtime
 * (a collector started as a local process rather than in a container).
 *
 * CPU: utime + stime of every live member, plus cutime + cstime (the time of children they have
 * already reaped, which are no longer in the tree). Descendants re-parented outside the tree
 * (to init or a subreaper) before they exit are lost; a cgroup is exact, this is the best
 * procfs offers.
 *
 * Memory: the sum of resident pages (statm field 2) times the page size. There is no page-cache
 * split per process, so the working set is reported as this RSS; shared pages (libraries, shared
 * memory) are counted once per process that maps them, which overstates a multi-process tree.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { ticksToNs } from './cpu.js';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
}

/**
 * Parses /proc/<pid>/stat. comm is in parentheses and may itself contain spaces and ')', so the
 * fields after it are located from the LAST ')'.
 */
export function parseProcPidStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(text.slice(0, 60))}`);
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state); field n is rest[n - 3].
  const f = (n: number) => Number(rest[n - 3]);
  return { pid, comm, state: rest[0], ppid: f(4), utime: f(14), stime: f(15), cutime: f(16), cstime: f(17) };
}

/** `root` and every pid whose ancestry (through `parentOf`) reaches it. */
export function descendantsOf(root: number, parentOf: Map<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out: number[] = [];
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    out.push(pid);
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return out;
}

/** Resident pages from /proc/<pid>/statm (second field). */
export function parseStatmResidentPages(text: string): number {
  return Number(text.trim().split(/\s+/)[1]);
}

let cachedSysconf: { clkTck: number; pageSize: number } | undefined;

/** USER_HZ and the page size, asked once from getconf (outside any sampling loop); 100 and 4096 if getconf is absent. */
export function procSysconf(): { clkTck: number; pageSize: number } {
  if (cachedSysconf) return cachedSysconf;
  const ask = (name: string, fallback: number) => {
    try {
      const v = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 5000 }).trim());
      return Number.isFinite(v) && v > 0 ? v : fallback;
    } catch {
      return fallback;
    }
  };
  cachedSysconf = { clkTck: ask('CLK_TCK', 100), pageSize: ask('PAGESIZE', 4096) };
  return cachedSysconf;
}

export interface ProcTreeReading {
  cpuNs: number;
  rssBytes: number;
  /** Same as rssBytes: procfs has no per-process page-cache split (see the module comment). */
  workingSet: number;
  pids: number[];
}

export interface ProcTreeOptions {
  procRoot?: string;
  clkTck?: number;
  pageSize?: number;
  /** How to find descendants: per-thread children files or a scan of all of /proc (default: children when available). */
  walk?: 'children' | 'scan';
}

export interface ProcTreeReader {
  read(): ProcTreeReading;
}

/** Children of one process: the union of /proc/<pid>/task/<tid>/children over its threads (children are recorded per forking thread). */
function childrenFromTaskFiles(procRoot: string, pid: number): number[] {
  const out: number[] = [];
  for (const tid of readdirSync(join(procRoot, String(pid), 'task'))) {
    let text: string;
    try {
      text = readFileSync(join(procRoot, String(pid), 'task', tid, 'children'), 'utf8');
    } catch {
      continue; // the thread exited
    }
    for (const t of text.split(' ')) if (t.trim()) out.push(Number(t));
  }
  return out;
}

function readStat(procRoot: string, pid: number): ProcStat | null {
  try {
    return parseProcPidStat(readFileSync(join(procRoot, String(pid), 'stat'), 'utf8'));
  } catch {
    return null; // exited
  }
}

/**
 * Reads the tree rooted at `pid` on every call; throws RuntimeError once the root itself is gone.
 *
 * Where the kernel offers /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN, present here) only
 * the tree is visited, which keeps a tick cheap on hosts with many processes; otherwise every
 * /proc/<n>/stat is read to rebuild the parent links. The children files are documented as
 * possibly missing a child that is being forked at that moment: it is counted from the next tick.
 */
export function procTreeReader(pid: number, opts: ProcTreeOptions = {}): ProcTreeReader {
  const procRoot = opts.procRoot ?? '/proc';
  const sys = opts.clkTck && opts.pageSize ? null : procSysconf();
  const clkTck = opts.clkTck ?? sys!.clkTck;
  const pageSize = opts.pageSize ?? sys!.pageSize;
  const useChildren =
    opts.walk === 'children' ||
    (opts.walk !== 'scan' && existsSync(join(procRoot, String(pid), 'task', String(pid), 'children')));

  const treeByScan = (): Map<number, ProcStat> => {
    const stats = new Map<number, ProcStat>();
    const parentOf = new Map<number, number>();
    for (const name of readdirSync(procRoot)) {
      const c = name.charCodeAt(0);
      if (c < 48 || c > 57) continue; // only numeric entries are processes
      const st = readStat(procRoot, Number(name));
      if (!st) continue;
      stats.set(st.pid, st);
      parentOf.set(st.pid, st.ppid);
    }
    const tree = new Map<number, ProcStat>();
    if (!stats.has(pid)) return tree;
    for (const p of descendantsOf(pid, parentOf)) tree.set(p, stats.get(p)!);
    return tree;
  };

  const treeByChildren = (): Map<number, ProcStat> => {
    const tree = new Map<number, ProcStat>();
    const stack = [pid];
    while (stack.length) {
      const p = stack.pop()!;
      if (tree.has(p)) continue;
      const st = readStat(procRoot, p);
      if (!st) continue;
      tree.set(p, st);
      try {
        stack.push(...childrenFromTaskFiles(procRoot, p));
      } catch {
        // exited between the two reads
      }
    }
    return tree;
  };

  const read = (): ProcTreeReading => {
    const tree = useChildren ? treeByChildren() : treeByScan();
    if (!tree.has(pid)) throw new RuntimeError(`${join(procRoot, String(pid))}: process ${pid} is gone`, { pid });
    let ticks = 0;
    let pages = 0;
    for (const st of tree.values()) {
      ticks += st.utime + st.stime + st.cutime + st.cstime;
      try {
        pages += parseStatmResidentPages(readFileSync(join(procRoot, String(st.pid), 'statm'), 'utf8'));
      } catch {
        // exited since the stat read: its memory is gone too
      }
    }
    const rssBytes = pages * pageSize;
    return { cpuNs: ticksToNs(ticks, clkTck), rssBytes, workingSet: rssBytes, pids: [...tree.keys()] };
  };
  return { read };
}
