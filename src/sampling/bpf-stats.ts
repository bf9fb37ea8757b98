/**
 * Kernel-side cost of an eBPF agent: its probe programs run in the context of the traced processes,
 * so their CPU is charged to the workload, never to the agent's cgroup. The kernel counts each
 * program's runs and run time while `kernel.bpf_stats_enabled` is 1; this module switches that on
 * for a load window (and always back), finds the programs the agent's processes hold through
 * their file descriptors (/proc/<pid>/fdinfo of an `anon_inode:bpf-prog` fd lists prog_id,
 * run_time_ns and run_cnt), and turns two snapshots into CPU % and ns per event.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BpfCost, BpfProgram } from '../contracts/agent-cost.js';
import { onCleanup } from '../runtime/cleanup.js';
import { cgroupReaderForPid } from './cgroup.js';
import { procTreeReader } from './proc-tree.js';

export const BPF_STATS_SYSCTL = '/proc/sys/kernel/bpf_stats_enabled';

/** The kernel's enum bpf_prog_type, for the types an event collector attaches. */
const PROG_TYPES: Record<number, string> = {
  1: 'socket_filter',
  2: 'kprobe',
  3: 'sched_cls',
  4: 'sched_act',
  5: 'tracepoint',
  6: 'xdp',
  7: 'perf_event',
  8: 'cgroup_skb',
  9: 'cgroup_sock',
  17: 'raw_tracepoint',
  18: 'cgroup_sock_addr',
  26: 'tracing',
  29: 'lsm',
};

export interface ProgCounters {
  id: number;
  type: string;
  tag: string | null;
  runTimeNs: number;
  runCount: number;
}

/** A bpf-prog fd's fdinfo; null when it is not one or the kernel does not report run time (before 5.1). */
export function parseBpfProgFdinfo(text: string): ProgCounters | null {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) fields.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  const id = fields.get('prog_id');
  const runTime = fields.get('run_time_ns');
  const runCount = fields.get('run_cnt');
  if (id === undefined || runTime === undefined || runCount === undefined) return null;
  const typeNo = Number(fields.get('prog_type'));
  return {
    id: Number(id),
    type: PROG_TYPES[typeNo] ?? `type ${typeNo}`,
    tag: fields.get('prog_tag') ?? null,
    runTimeNs: Number(runTime),
    runCount: Number(runCount),
  };
}

export interface ProgSnapshot {
  programs: Map<number, ProgCounters>;
  /** Why some process's fds could not be read (permissions, a process that exited). */
  problems: string[];
}

/** Every BPF program any of `pids` holds an fd of, once per program id. */
export function snapshotPrograms(pids: readonly number[], procRoot = '/proc'): ProgSnapshot {
  const programs = new Map<number, ProgCounters>();
  const problems: string[] = [];
  for (const pid of pids) {
    const fdDir = join(procRoot, String(pid), 'fd');
    let fds: string[];
    try {
      fds = readdirSync(fdDir);
    } catch (e) {
      problems.push(`${fdDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(join(fdDir, fd)) !== 'anon_inode:bpf-prog') continue;
        const prog = parseBpfProgFdinfo(readFileSync(join(procRoot, String(pid), 'fdinfo', fd), 'utf8'));
        if (prog) programs.set(prog.id, prog);
        else problems.push(`${join(procRoot, String(pid), 'fdinfo', fd)}: no run_time_ns (kernel older than 5.1?)`);
      } catch {
        // the fd was closed between the listing and the read
      }
    }
  }
  return { programs, problems };
}

/** The collector's processes: its container's cgroup, or its process tree (a local process). */
export function collectorPids(pid: number, scope: 'cgroup' | 'process-tree'): number[] {
  if (scope === 'process-tree') return procTreeReader(pid).read().pids;
  const reader = cgroupReaderForPid(pid);
  try {
    return readFileSync(join(reader.cpuDir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map(Number);
  } finally {
    reader.close();
  }
}

/** Program names from Debian's bpftool when it is installed (fdinfo has none); empty otherwise. */
export function programNames(ids: readonly number[]): Map<number, string> {
  const names = new Map<number, string>();
  if (ids.length === 0) return names;
  try {
    const out = execFileSync('bpftool', ['prog', 'show', '--json'], { encoding: 'utf8', timeout: 5000 });
    for (const p of JSON.parse(out) as Array<{ id: number; name?: string }>)
      if (ids.includes(p.id) && p.name) names.set(p.id, p.name);
  } catch {
    // no bpftool: programs are listed by id and type
  }
  return names;
}

export interface BpfStatsSwitch {
  /** True when the sysctl reads 1 now (switched on here, or already on). */
  enabled: boolean;
  /** Why it could not be switched on, when it could not. */
  reason: string | null;
  /** Puts the previous value back (idempotent). */
  restore(): void;
}

/**
 * Switches kernel.bpf_stats_enabled on and registers its restore for Ctrl-C, SIGTERM and process
 * exit, so an interrupted benchmark never leaves the kernel paying for the statistics.
 */
export function enableBpfStats(sysctlPath = BPF_STATS_SYSCTL): BpfStatsSwitch {
  let previous: string;
  try {
    previous = readFileSync(sysctlPath, 'utf8').trim();
  } catch (e) {
    return { enabled: false, reason: `${sysctlPath}: ${(e as Error).message}`, restore: () => undefined };
  }
  if (previous === '1') return { enabled: true, reason: null, restore: () => undefined };
  try {
    writeFileSync(sysctlPath, '1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return {
      enabled: false,
      reason: `cannot switch on kernel.bpf_stats_enabled (${sysctlPath}: ${code}); run as root on a kernel with BPF statistics`,
      restore: () => undefined,
    };
  }
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      writeFileSync(sysctlPath, previous);
    } finally {
      unregister();
      process.off('exit', restore);
    }
  };
  const unregister = onCleanup(async () => restore());
  process.on('exit', restore);
  return { enabled: true, reason: null, restore };
}

const unavailableCost = (reason: string): BpfCost => ({
  available: false,
  reason,
  programs: [],
  runCount: 0,
  runTimeNs: 0,
  cpuPercent: null,
  nsPerEvent: null,
  nsPerEventBasis: null,
});

/**
 * Per-program deltas between two snapshots. A program that appeared during the window counts from
 * zero; one that disappeared is left out (its last counters are gone with it).
 */
export function bpfCostBetween(
  before: ProgSnapshot,
  after: ProgSnapshot,
  windowMs: number,
  collectorEvents: number | null,
  names: Map<number, string> = new Map(),
): BpfCost {
  if (after.programs.size === 0) {
    const why = after.problems.length ? `; ${after.problems.slice(0, 3).join('; ')}` : '';
    return unavailableCost(`the collector's processes hold no BPF program fds${why}`);
  }
  const programs: BpfProgram[] = [];
  for (const [id, a] of after.programs) {
    const b = before.programs.get(id);
    const runCount = a.runCount - (b?.runCount ?? 0);
    const runTimeNs = a.runTimeNs - (b?.runTimeNs ?? 0);
    programs.push({
      id,
      type: a.type,
      name: names.get(id) ?? null,
      tag: a.tag,
      runCount,
      runTimeNs,
      nsPerRun: runCount > 0 ? runTimeNs / runCount : null,
    });
  }
  programs.sort((x, y) => y.runTimeNs - x.runTimeNs);
  const runCount = programs.reduce((s, p) => s + p.runCount, 0);
  const runTimeNs = programs.reduce((s, p) => s + p.runTimeNs, 0);
  const perEvent = collectorEvents !== null && collectorEvents > 0;
  return {
    available: true,
    reason: null,
    programs,
    runCount,
    runTimeNs,
    cpuPercent: windowMs > 0 ? (runTimeNs / (windowMs * 1e6)) * 100 : null,
    nsPerEvent: perEvent ? runTimeNs / collectorEvents : runCount > 0 ? runTimeNs / runCount : null,
    nsPerEventBasis: perEvent ? 'collector events' : runCount > 0 ? 'program runs' : null,
  };
}

export interface BpfCostProbe {
  /** Takes the second snapshot, restores the sysctl, and prices the window. */
  stop(opts: { windowMs: number; collectorEvents: number | null }): BpfCost;
  /** Restores the sysctl without pricing (the run failed on the way). Idempotent. */
  cancel(): void;
}

/**
 * Starts pricing a load window: switches the statistics on, then takes the first snapshot.
 * Never throws: where the kernel or permissions do not allow it, `stop` says so and the run goes on.
 */
export function startBpfCost(pid: number | null, scope: 'cgroup' | 'process-tree'): BpfCostProbe {
  const none = (reason: string): BpfCostProbe => ({ stop: () => unavailableCost(reason), cancel: () => undefined });
  if (pid === null) return none('the collector has no host pid to find its programs by');
  const sw = enableBpfStats();
  if (!sw.enabled) return none(sw.reason!);
  const snapshot = (): ProgSnapshot => {
    try {
      return snapshotPrograms(collectorPids(pid, scope));
    } catch (e) {
      return { programs: new Map(), problems: [(e as Error).message] };
    }
  };
  const before = snapshot();
  return {
    stop: ({ windowMs, collectorEvents }) => {
      try {
        const after = snapshot();
        return bpfCostBetween(before, after, windowMs, collectorEvents, programNames([...after.programs.keys()]));
      } finally {
        sw.restore();
      }
    },
    cancel: sw.restore,
  };
}
