/**
 * The collector's resource sampler: every `intervalMs` it reads cumulative CPU time and current
 * memory of one source and turns consecutive readings into `Sample`s (results contract).
 *
 * Sources, best first (see pickSource):
 * - cgroup: the container's cgroup files, read in-process through open file descriptors
 *   (cheapest and exact: the kernel's own accounting);
 * - docker: the engine's stats stream (1 s frames whatever the interval; for engines whose
 *   cgroups this process cannot see);
 * - proc: a local process and its descendants from procfs (the `process` runtime).
 *
 * Each sample's CPU % covers the interval ending at its `t`; memory is read at `t`. The first
 * reading is only a baseline. When the source disappears (the container exited) sampling stops
 * and the reason is kept in `errors()`; samples taken until then are kept.
 */
import { performance } from 'node:perf_hooks';
import type { Sample } from '../contracts/result.js';
import { InvalidInputError, RuntimeError } from '../errors.js';
import type { Started } from '../runtime/types.js';
import { cgroupReaderForPid, type CgroupReader } from './cgroup.js';
import {
  cpuPercentBetween,
  hostCpuPercentBetween,
  parseProcStat,
  type CumulativeCpu,
  type HostCpuTimes,
} from './cpu.js';
import { openDockerStatsStream, type DockerStatsStream } from './docker-stats.js';
import { procTreeReader } from './proc-tree.js';
import { SmallFile } from './small-file.js';
import { monotonicMs, startTicker, type Ticker, type TickerStats } from './ticker.js';

export type SamplerSource =
  | { kind: 'cgroup'; pid: number; cgroupRoot?: string; procRoot?: string }
  | { kind: 'docker'; id: string; stats: () => Promise<NodeJS.ReadableStream> }
  | { kind: 'proc'; pid: number; procRoot?: string };

export interface SamplerOptions {
  source: SamplerSource;
  /** At least 100 ms. Ignored by the docker source, whose engine sends one frame per second. */
  intervalMs: number;
  /** Epoch ms of the load window's start; sample times are relative to it. */
  t0: number;
  onSample?: (s: Sample) => void;
}

export interface Sampler {
  readonly kind: SamplerSource['kind'];
  /** Stops sampling and returns every sample taken. */
  stop(): Promise<Sample[]>;
  /** Samples so far (a copy). */
  samples(): Sample[];
  /** How many samples so far, without copying them (progress lines ask often). */
  count(): number;
  /** Why sampling ended early, if it did (source gone, read errors). */
  errors(): string[];
  /** Timer figures (docker: ticks = frames used, no lateness). */
  stats(): TickerStats;
}

export const MIN_INTERVAL_MS = 100;

function checkInterval(intervalMs: number): void {
  if (!Number.isFinite(intervalMs) || intervalMs < MIN_INTERVAL_MS) {
    throw new InvalidInputError(
      'sampler options',
      'intervalMs',
      intervalMs,
      `a number of milliseconds >= ${MIN_INTERVAL_MS}`,
    );
  }
}

/** Maps the monotonic clock to epoch ms, anchored once so samples are spaced by hrtime, not by a wall clock that may step. */
export function epochClock(): (monoMs: number) => number {
  const anchorMono = monotonicMs();
  const anchorEpoch = performance.timeOrigin + performance.now();
  return (monoMs) => anchorEpoch + (monoMs - anchorMono);
}

interface Reading {
  cpuNs: number;
  workingSet: number;
  rss: number | undefined;
}

/** Samples a synchronous reader on a drift-free ticker. */
function startPolling(
  kind: SamplerSource['kind'],
  read: () => Reading,
  close: () => void,
  opts: SamplerOptions,
): Sampler {
  const toEpoch = epochClock();
  const out: Sample[] = [];
  const errs: string[] = [];
  let prev: CumulativeCpu | null = null;
  let ticker: Ticker | null = null;
  let closed = false;
  const finish = () => {
    ticker?.stop();
    if (!closed) {
      closed = true;
      close();
    }
  };
  ticker = startTicker(opts.intervalMs, () => {
    if (closed) return;
    let r: Reading;
    let wallMs: number;
    try {
      r = read();
      wallMs = monotonicMs(); // after the read: the reading describes this moment best
    } catch (e) {
      errs.push((e as Error).message);
      finish();
      return;
    }
    const cur = { cpuNs: r.cpuNs, wallMs };
    if (prev) {
      const cpu = cpuPercentBetween(prev, cur);
      if (cpu !== null) {
        const s: Sample = {
          t: toEpoch(wallMs) - opts.t0,
          cpuPercent: cpu,
          memoryBytes: r.workingSet,
          cpuNs: r.cpuNs,
        };
        if (r.rss !== undefined) s.rssBytes = r.rss;
        out.push(s);
        opts.onSample?.(s);
      }
    }
    prev = cur;
  });
  if (closed) ticker.stop(); // the very first (synchronous) tick already failed
  return {
    kind,
    stop: async () => {
      finish();
      return out.slice();
    },
    samples: () => out.slice(),
    count: () => out.length,
    errors: () => errs.slice(),
    stats: () => ticker!.stats(),
  };
}

function startDockerSampling(src: Extract<SamplerSource, { kind: 'docker' }>, opts: SamplerOptions): Sampler {
  const out: Sample[] = [];
  const errs: string[] = [];
  let stream: DockerStatsStream | null = null;
  let stopped = false;
  const opening = openDockerStatsStream(src.stats, (p) => {
    if (stopped) return;
    const s: Sample = { t: p.readMs - opts.t0, cpuPercent: p.cpuPercent, memoryBytes: p.workingSet, cpuNs: p.cpuNs };
    if (p.rss !== undefined) s.rssBytes = p.rss;
    out.push(s);
    opts.onSample?.(s);
  }).then(
    (s) => {
      stream = s;
      if (stopped) void s.stop();
    },
    (e: Error) => {
      errs.push(`docker stats of ${src.id}: ${e.message}`);
    },
  );
  return {
    kind: 'docker',
    stop: async () => {
      stopped = true;
      await opening;
      if (stream) await (stream as DockerStatsStream).stop();
      return out.slice();
    },
    samples: () => out.slice(),
    count: () => out.length,
    errors: () => errs.slice(),
    stats: () => ({ ticks: out.length, skipped: 0, meanLateMs: 0, maxLateMs: 0 }),
  };
}

/** Starts sampling `source`. Throws (RuntimeError) right away when a cgroup/proc source cannot be read at all. */
export function startSampler(opts: SamplerOptions): Sampler {
  const src = opts.source;
  if (src.kind === 'docker') return startDockerSampling(src, opts);
  checkInterval(opts.intervalMs);
  if (src.kind === 'cgroup') {
    const reader: CgroupReader = cgroupReaderForPid(src.pid, { root: src.cgroupRoot, procRoot: src.procRoot });
    return startPolling(
      'cgroup',
      () => {
        const r = reader.read();
        return { cpuNs: r.cpuNs, workingSet: r.workingSet, rss: r.rss };
      },
      () => reader.close(),
      opts,
    );
  }
  const reader = procTreeReader(src.pid, { procRoot: src.procRoot });
  reader.read(); // fail now, not on the first tick, when the pid does not exist
  return startPolling(
    'proc',
    () => {
      const r = reader.read();
      return { cpuNs: r.cpuNs, workingSet: r.workingSet, rss: r.rssBytes };
    },
    () => undefined,
    opts,
  );
}

export interface PickSourceOptions {
  /** Where cgroup hierarchies are mounted (tests point this elsewhere). */
  cgroupRoot?: string;
  /** `docker`: the engine's stats stream even when the cgroup is readable. */
  prefer?: 'cgroup' | 'docker';
}

/**
 * The best source for a started collector: its container's cgroup when this process can read it,
 * else the engine's stats stream; procfs for a local process tree. `reason` says why, for the run's log.
 */
export async function pickSource(
  handle: Pick<Started, 'id' | 'measure'>,
  opts: PickSourceOptions = {},
): Promise<{ source: SamplerSource; reason: string }> {
  const m = handle.measure;
  if (m.scope === 'process-tree') {
    const pid = await m.hostPid();
    if (pid === null) throw new RuntimeError(`${handle.id} is not running: nothing to sample`, { id: handle.id });
    return { source: { kind: 'proc', pid }, reason: `local process ${pid}: procfs tree` };
  }
  const stats = m.engineStats;
  const engine = (reason: string) => {
    if (!stats)
      throw new RuntimeError(`${handle.id}: ${reason}, and its runtime has no stats stream`, { id: handle.id });
    return { source: { kind: 'docker', id: handle.id, stats } as SamplerSource, reason: `${reason}; docker stats` };
  };
  if (opts.prefer === 'docker') return { ...engine('docker stats requested'), reason: 'docker stats requested' };
  const pid = await m.hostPid();
  if (pid === null) return engine(`container ${handle.id} has no host pid (not running)`);
  try {
    const reader = cgroupReaderForPid(pid, { root: opts.cgroupRoot });
    reader.read();
    reader.close();
    return {
      source: { kind: 'cgroup', pid, cgroupRoot: opts.cgroupRoot },
      reason: `cgroup ${reader.version} at ${reader.cpuDir}`,
    };
  } catch (e) {
    return engine(`cgroup unreadable (${(e as Error).message})`);
  }
}

/** Pids of the handles that run in cgroups of their own (containers); null when none does (local processes). */
export function cgroupPids(handles: Pick<Started, 'pid' | 'measure'>[]): number[] | null {
  const own = handles.filter((h) => h.measure.scope === 'cgroup');
  if (own.length === 0) return null;
  return own.map((h) => h.pid).filter((p): p is number => p !== null);
}

/** A CPU-only sample for context figures (host, workloads). */
export interface ContextSample {
  t: number;
  cpuPercent: number;
}

export interface ContextSampler {
  stop(): Promise<ContextSample[]>;
  samples(): ContextSample[];
}

/** Host CPU use from /proc/stat, as a percent of one core (up to 100 x cpus). */
export function startHostSampler(opts: { intervalMs: number; t0: number; procRoot?: string }): ContextSampler {
  checkInterval(opts.intervalMs);
  const toEpoch = epochClock();
  const file = new SmallFile(`${opts.procRoot ?? '/proc'}/stat`, 16384);
  const out: ContextSample[] = [];
  let prev: HostCpuTimes | null = null;
  const ticker = startTicker(opts.intervalMs, () => {
    const cur = parseProcStat(file.read());
    const wall = monotonicMs();
    if (prev) {
      const cpu = hostCpuPercentBetween(prev, cur);
      if (cpu !== null) out.push({ t: toEpoch(wall) - opts.t0, cpuPercent: cpu });
    }
    prev = cur;
  });
  let closed = false;
  return {
    stop: async () => {
      ticker.stop();
      if (!closed) file.close();
      closed = true;
      return out.slice();
    },
    samples: () => out.slice(),
  };
}

export interface CgroupGroupSampler extends ContextSampler {
  /** Adds the cgroup of another pid (e.g. a workload container started later); counted from now on. */
  add(pid: number): void;
}

/**
 * Summed CPU of several cgroups (the workload containers), for context beside the collector.
 * Each member contributes its own delta, so members may join late; a member whose cgroup
 * disappeared (container exited) stops contributing instead of turning the sum negative.
 */
export function startCgroupGroupSampler(opts: {
  pids: number[];
  intervalMs: number;
  t0: number;
  cgroupRoot?: string;
}): CgroupGroupSampler {
  checkInterval(opts.intervalMs);
  const toEpoch = epochClock();
  const members = new Map<string, { reader: CgroupReader; last: number | null }>();
  const add = (pid: number) => {
    const reader = cgroupReaderForPid(pid, { root: opts.cgroupRoot });
    if (members.has(reader.cpuDir)) return reader.close();
    let last: number | null = null;
    try {
      last = reader.read().cpuNs;
    } catch {
      // gone already: it will simply never contribute
    }
    members.set(reader.cpuDir, { reader, last });
  };
  for (const pid of opts.pids) add(pid);
  const out: ContextSample[] = [];
  let prevWall: number | null = null;
  const ticker = startTicker(opts.intervalMs, () => {
    let deltaNs = 0;
    for (const m of members.values()) {
      try {
        const cur = m.reader.read().cpuNs;
        if (m.last !== null && cur >= m.last) deltaNs += cur - m.last;
        m.last = cur;
      } catch {
        m.last = null;
      }
    }
    const wall = monotonicMs();
    if (prevWall !== null) {
      const cpu = cpuPercentBetween({ cpuNs: 0, wallMs: prevWall }, { cpuNs: deltaNs, wallMs: wall });
      if (cpu !== null) out.push({ t: toEpoch(wall) - opts.t0, cpuPercent: cpu });
    }
    prevWall = wall;
  });
  return {
    add,
    stop: async () => {
      ticker.stop();
      for (const m of members.values()) m.reader.close();
      members.clear();
      return out.slice();
    },
    samples: () => out.slice(),
  };
}

/** Mean CPU % of samples whose t lies in [fromMs, toMs) (all when omitted); null when none. */
export function meanCpuPercent(
  samples: { t: number; cpuPercent: number }[],
  fromMs = -Infinity,
  toMs = Infinity,
): number | null {
  const inside = samples.filter((s) => s.t >= fromMs && s.t < toMs);
  if (!inside.length) return null;
  return inside.reduce((a, s) => a + s.cpuPercent, 0) / inside.length;
}
