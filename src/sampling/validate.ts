/**
 * The sampler-accuracy benchmark (`npm run bench:sampler`, `collector-bench validate sampler`,
 * cli/commands/validate-sampler.ts).
 *
 * Starts two containers with known behaviour, a CPU burner with a fixed duty cycle and a memory
 * holder that fills a buffer, samples them at each interval, and compares:
 * - the mean of the sampled CPU % with the cgroup's own total over exactly the same window
 *   (delta cpuacct.usage / delta wall, read at the sampler's first and last reads);
 * - the mean sampled memory with the working set computed from memory.stat at the end;
 * - the sampler's own CPU cost: this process's CPU time while sampling minus its idle rate.
 * A row for the docker stats fallback (1 s frames) is added when asked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';
import type { DockerRuntime } from '../runtime/docker-runtime.js';
import { connectDocker } from '../runtime/select-runtime.js';
import type { Started } from '../runtime/types.js';
import type { Sample } from '../contracts/result.js';
import { cgroupReaderForPid, cgroupReadingFromText, locateCgroup, type CgroupLocation } from './cgroup.js';
import { cpuPercentBetween, type CumulativeCpu } from './cpu.js';
import { pickSource, startSampler } from './sampler.js';
import { monotonicMs } from './ticker.js';
import { MiB } from '../units.js';

export interface ValidateSamplerOptions {
  intervalsMs?: number[];
  /** Length of each measured window. */
  seconds?: number;
  /** Also measure the docker stats fallback over one window. */
  includeDockerStats?: boolean;
  /** The engine to run the containers in (default: the one DOCKER_HOST names). */
  runtime?: DockerRuntime;
  /** Image with node (defaults to the harness's node-base image). */
  image?: string;
  /** Burner duty cycle: busy then idle within each period, ms. */
  busyMs?: number;
  periodMs?: number;
  holdMiB?: number;
  /** Extra labels on the containers (tests add collector-bench.test=1). */
  labels?: Record<string, string>;
  cgroupRoot?: string;
  log?: (line: string) => void;
}

export interface ValidationRow {
  source: 'cgroup' | 'docker';
  intervalMs: number;
  samples: number;
  windowMs: number;
  /** Mean of the burner's sampled CPU %, and the cgroup's own figure over the same window. */
  sampledCpuPercent: number;
  referenceCpuPercent: number;
  cpuRelativeError: number;
  /** Mean of the holder's sampled working set, and memory.stat's at the end of the window. */
  sampledMemoryBytes: number;
  referenceMemoryBytes: number;
  memoryRelativeError: number;
  /** This process's extra CPU per sampled container, percent of one core; null for docker (the cost is in the engine). */
  samplerCpuPercent: number | null;
  samplerCpuUsPerSample: number | null;
  /** This process's CPU rate with nothing sampled, measured just before the window and subtracted. */
  idleCpuPercent: number | null;
  meanLateMs: number;
  maxLateMs: number;
  skippedTicks: number;
}

export interface SamplerValidation {
  burnerTargetPercent: number;
  holdBytes: number;
  idleCpuPercent: number;
  /** CPU time of one cgroup read (three files through open descriptors), averaged over 2000 reads, microseconds. */
  readCostUs: number;
  rows: ValidationRow[];
}

const relErr = (measured: number, reference: number) =>
  reference === 0 ? (measured === 0 ? 0 : Infinity) : (measured - reference) / reference;

export function burnerScript(busyMs: number, periodMs: number): string {
  // Busy for the first busyMs of every period on an absolute schedule, so the duty cycle does not drift with timer lateness.
  return `const s=Date.now();function f(){const p=Math.floor((Date.now()-s)/${periodMs});const e=s+p*${periodMs}+${busyMs};while(Date.now()<e){}setTimeout(f,Math.max(0,s+(p+1)*${periodMs}-Date.now()))}f()`;
}

export function holderScript(mib: number): string {
  // Filling touches every page, so all of it is resident and anonymous (counted in the working set).
  return `const b=Buffer.alloc(${mib}*${MiB});b.fill(7);console.log('held');setInterval(()=>b[0]++,1000)`;
}

export interface TestContainer {
  handle: Started;
  pid: number;
  location: CgroupLocation;
}

/** Starts `node -e script` with no network and the harness labels; removes it again if it does not come up. */
export async function startNodeContainer(
  runtime: DockerRuntime,
  image: string,
  script: string,
  labels: Record<string, string> = {},
  cgroupRoot?: string,
): Promise<TestContainer> {
  const handle = await runtime.start({
    name: 'validate',
    role: 'test',
    image,
    args: ['node', '-e', script],
    labels: { 'collector-bench.validate': '1', ...labels },
    network: 'none',
  });
  try {
    if (!handle.pid) throw new RuntimeError(`container ${handle.id} started without a host pid`, { id: handle.id });
    return { handle, pid: handle.pid, location: locateCgroup(handle.pid, { root: cgroupRoot }) };
  } catch (e) {
    await handle.remove();
    throw e;
  }
}

/** A fresh read of the cgroup (new file handles), independent of the sampler's open descriptors. */
export function referenceRead(loc: CgroupLocation): { cpu: CumulativeCpu; workingSet: number } {
  const v1 = loc.version === 'v1';
  const cpuText = readFileSync(join(loc.cpuDir, v1 ? 'cpuacct.usage' : 'cpu.stat'), 'utf8');
  const usageText = readFileSync(join(loc.memoryDir, v1 ? 'memory.usage_in_bytes' : 'memory.current'), 'utf8');
  const statText = readFileSync(join(loc.memoryDir, 'memory.stat'), 'utf8');
  const wallMs = monotonicMs();
  const r = cgroupReadingFromText(loc.version, cpuText, usageText, statText);
  return { cpu: { cpuNs: r.cpuNs, wallMs }, workingSet: r.workingSet };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for `p` or `ms`, whichever comes first, without leaving a timer that keeps the process alive. */
async function within(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
const cpuTimeMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function waitForHeldMemory(loc: CgroupLocation, bytes: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (referenceRead(loc).workingSet >= bytes) return;
    await sleep(100);
  }
  throw new RuntimeError(`memory holder did not reach ${bytes} bytes of working set within ${timeoutMs} ms`, { bytes });
}

export interface CgroupWindow extends Omit<
  ValidationRow,
  'samplerCpuPercent' | 'samplerCpuUsPerSample' | 'idleCpuPercent'
> {
  burnerSamples: Sample[];
  holderSamples: Sample[];
}

async function measureIdleCpuPercent(ms: number): Promise<number> {
  const cpu0 = cpuTimeMs();
  const wall0 = monotonicMs();
  await sleep(ms);
  return ((cpuTimeMs() - cpu0) / (monotonicMs() - wall0)) * 100;
}

/** The pure cost of reading a cgroup, free of timer and event-loop noise. */
function measureReadCostUs(pid: number, cgroupRoot?: string): number {
  const reader = cgroupReaderForPid(pid, { root: cgroupRoot });
  try {
    const n = 2000;
    const cpu0 = cpuTimeMs();
    for (let i = 0; i < n; i++) reader.read();
    return ((cpuTimeMs() - cpu0) * 1000) / n;
  } finally {
    reader.close();
  }
}

/** Sampled vs reference over one window: the part both sources (cgroup files, docker stats) share. */
function windowRow(w: {
  source: CgroupWindow['source'];
  intervalMs: number;
  burnerSamples: Sample[];
  holderSamples: Sample[];
  start: ReturnType<typeof referenceRead>;
  end: ReturnType<typeof referenceRead>;
  holderEnd: ReturnType<typeof referenceRead>;
  lateness: { meanLateMs: number; maxLateMs: number; skipped: number };
}): CgroupWindow {
  const sampledCpu = w.burnerSamples.reduce((a, s) => a + s.cpuPercent, 0) / w.burnerSamples.length;
  const referenceCpu = cpuPercentBetween(w.start.cpu, w.end.cpu) ?? NaN;
  const sampledMem = w.holderSamples.reduce((a, s) => a + s.memoryBytes, 0) / Math.max(1, w.holderSamples.length);
  return {
    source: w.source,
    intervalMs: w.intervalMs,
    samples: w.burnerSamples.length,
    windowMs: w.end.cpu.wallMs - w.start.cpu.wallMs,
    sampledCpuPercent: sampledCpu,
    referenceCpuPercent: referenceCpu,
    cpuRelativeError: relErr(sampledCpu, referenceCpu),
    sampledMemoryBytes: sampledMem,
    referenceMemoryBytes: w.holderEnd.workingSet,
    memoryRelativeError: relErr(sampledMem, w.holderEnd.workingSet),
    meanLateMs: w.lateness.meanLateMs,
    maxLateMs: w.lateness.maxLateMs,
    skippedTicks: w.lateness.skipped,
    burnerSamples: w.burnerSamples,
    holderSamples: w.holderSamples,
  };
}

/**
 * One measured window: cgroup samplers on the burner and the holder at `intervalMs`; the window
 * ends with the burner's N-th sample (N = seconds / interval), and the reference is read right
 * before the sampler's first read and right after its N-th, so both cover the same time.
 */
export async function measureCgroupWindow(o: {
  burner: TestContainer;
  holder: TestContainer;
  intervalMs: number;
  seconds: number;
  cgroupRoot?: string;
}): Promise<CgroupWindow> {
  const n = Math.max(2, Math.round((o.seconds * 1000) / o.intervalMs));
  let burnerEnd: ReturnType<typeof referenceRead> | null = null;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const t0 = Date.now();
  let count = 0;
  const burnerStart = referenceRead(o.burner.location);
  const burnerSampler = startSampler({
    source: { kind: 'cgroup', pid: o.burner.pid, cgroupRoot: o.cgroupRoot },
    intervalMs: o.intervalMs,
    t0,
    onSample: () => {
      if (++count === n) {
        burnerEnd = referenceRead(o.burner.location);
        done();
      }
    },
  });
  const holderSampler = startSampler({
    source: { kind: 'cgroup', pid: o.holder.pid, cgroupRoot: o.cgroupRoot },
    intervalMs: o.intervalMs,
    t0,
  });
  await within(finished, o.seconds * 3000 + 5000);
  const burnerSamples = (await burnerSampler.stop()).slice(0, n);
  const holderSamples = await holderSampler.stop();
  const holderEnd = referenceRead(o.holder.location);
  if (!burnerEnd) {
    throw new RuntimeError(
      `sampler at ${o.intervalMs} ms produced ${burnerSamples.length} of ${n} samples: ${burnerSampler.errors().join('; ') || 'too slow'}`,
      { intervalMs: o.intervalMs },
    );
  }
  const end = burnerEnd as ReturnType<typeof referenceRead>;
  return windowRow({
    source: 'cgroup',
    intervalMs: o.intervalMs,
    burnerSamples,
    holderSamples,
    start: burnerStart,
    end,
    holderEnd,
    lateness: burnerSampler.stats(),
  });
}

/**
 * The same comparison through the docker stats fallback: frame 1 opens the reference window,
 * frames 2..N+1 (N = seconds) are compared with the cgroup's total up to frame N+1's arrival.
 */
export async function measureDockerStatsWindow(o: {
  burner: TestContainer;
  holder: TestContainer;
  seconds: number;
}): Promise<CgroupWindow> {
  const n = Math.max(2, Math.round(o.seconds));
  let start: ReturnType<typeof referenceRead> | null = null;
  let end: ReturnType<typeof referenceRead> | null = null;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  let count = 0;
  const t0 = Date.now();
  const s = startSampler({
    source: (await pickSource(o.burner.handle, { prefer: 'docker' })).source,
    intervalMs: 1000,
    t0,
    onSample: () => {
      count++;
      if (count === 1) start = referenceRead(o.burner.location);
      if (count === n + 1) {
        end = referenceRead(o.burner.location);
        done();
      }
    },
  });
  const holderSampler = startSampler({
    source: (await pickSource(o.holder.handle, { prefer: 'docker' })).source,
    intervalMs: 1000,
    t0,
  });
  await within(finished, o.seconds * 3000 + 10_000);
  const burnerSamples = (await s.stop()).slice(1, n + 1);
  const holderSamples = await holderSampler.stop();
  const holderEnd = referenceRead(o.holder.location);
  if (!start || !end)
    throw new RuntimeError(
      `docker stats produced ${count} of ${n + 1} frames: ${s.errors().join('; ') || 'too slow'}`,
      {},
    );
  const zero = { meanLateMs: 0, maxLateMs: 0, skipped: 0 }; // the engine paces docker stats, not our ticker
  return windowRow({
    source: 'docker',
    intervalMs: 1000,
    burnerSamples,
    holderSamples,
    start: start as ReturnType<typeof referenceRead>,
    end: end as ReturnType<typeof referenceRead>,
    holderEnd,
    lateness: zero,
  });
}

/** Runs the accuracy benchmark; see the module comment. Containers are removed before it returns. */
export async function validateSampler(opts: ValidateSamplerOptions = {}): Promise<SamplerValidation> {
  const intervals = opts.intervalsMs ?? [1000, 100];
  const seconds = opts.seconds ?? 10;
  const busyMs = opts.busyMs ?? 50;
  const periodMs = opts.periodMs ?? 100;
  const holdMiB = opts.holdMiB ?? 200;
  const log = opts.log ?? (() => undefined);
  const runtime = opts.runtime ?? (await connectDocker('the sampler benchmark needs Docker'));
  const image = opts.image ?? (await runtime.nodeBaseImage());
  const labels = opts.labels ?? {};
  const started: Started[] = [];
  try {
    // Idle rate of this process first, while nothing is sampled, to subtract from the sampling windows.
    const idleMs = Math.min(seconds, 5) * 1000;
    const idleCpuPercent = await measureIdleCpuPercent(idleMs);

    const burner = await startNodeContainer(runtime, image, burnerScript(busyMs, periodMs), labels, opts.cgroupRoot);
    started.push(burner.handle);
    const holder = await startNodeContainer(runtime, image, holderScript(holdMiB), labels, opts.cgroupRoot);
    started.push(holder.handle);
    await waitForHeldMemory(holder.location, holdMiB * MiB, 30_000);
    // Let node's startup CPU fade out of the burner, and run the sampling code once untimed so
    // that compiling it (JIT) is not charged to the first measured interval as sampler cost.
    const warm = [burner.pid, holder.pid].map((pid) =>
      startSampler({ source: { kind: 'cgroup', pid, cgroupRoot: opts.cgroupRoot }, intervalMs: 100, t0: Date.now() }),
    );
    await sleep(1000);
    for (const w of warm) await w.stop();
    const readCostUs = measureReadCostUs(burner.pid, opts.cgroupRoot);

    const rows: (ValidationRow & Partial<Pick<CgroupWindow, 'burnerSamples' | 'holderSamples'>>)[] = [];
    for (const intervalMs of intervals) {
      // This process's background rate (GC, timers of the engine client) right before the window,
      // so that what remains is the samplers' own cost.
      const rowIdlePercent = await measureIdleCpuPercent(idleMs);
      log(`sampling at ${intervalMs} ms for ${seconds} s`);
      const cpu0 = cpuTimeMs();
      const wall0 = monotonicMs();
      const m = await measureCgroupWindow({ burner, holder, intervalMs, seconds, cgroupRoot: opts.cgroupRoot });
      const wallMs = monotonicMs() - wall0;
      // Not clamped: a value at or below 0 says the cost is below this process's idle noise.
      const extraMs = cpuTimeMs() - cpu0 - (rowIdlePercent / 100) * wallMs;
      rows.push({
        ...m,
        idleCpuPercent: rowIdlePercent,
        samplerCpuPercent: ((extraMs / wallMs) * 100) / 2, // two samplers ran
        samplerCpuUsPerSample: (extraMs * 1000) / Math.max(1, m.burnerSamples.length + m.holderSamples.length),
      });
    }

    if (opts.includeDockerStats) {
      log(`sampling through docker stats for ${seconds} s`);
      rows.push({
        ...(await measureDockerStatsWindow({ burner, holder, seconds })),
        idleCpuPercent: null,
        samplerCpuPercent: null,
        samplerCpuUsPerSample: null,
      });
    }
    return {
      burnerTargetPercent: (busyMs / periodMs) * 100,
      holdBytes: holdMiB * MiB,
      idleCpuPercent,
      readCostUs,
      rows: rows.map(({ burnerSamples: _b, holderSamples: _h, ...row }) => row),
    };
  } finally {
    for (const c of started) await c.remove();
  }
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;

/** A plain-text table of the figures, one row per source and interval. */
export function formatValidationTable(v: SamplerValidation): string {
  const head = [
    'source',
    'interval',
    'n',
    'cpu sampled',
    'cpu cgroup',
    'cpu err',
    'mem sampled',
    'mem stat',
    'mem err',
    'own cpu',
    'us/sample',
    'late mean/max ms',
  ];
  const rows = v.rows.map((r) => [
    r.source,
    `${r.intervalMs} ms`,
    String(r.samples),
    `${r.sampledCpuPercent.toFixed(2)}%`,
    `${r.referenceCpuPercent.toFixed(2)}%`,
    pct(r.cpuRelativeError),
    `${(r.sampledMemoryBytes / MiB).toFixed(1)} MiB`,
    `${(r.referenceMemoryBytes / MiB).toFixed(1)} MiB`,
    pct(r.memoryRelativeError),
    r.samplerCpuPercent === null ? 'n/a' : `${r.samplerCpuPercent.toFixed(3)}%`,
    r.samplerCpuUsPerSample === null ? 'n/a' : r.samplerCpuUsPerSample.toFixed(0),
    `${r.meanLateMs.toFixed(2)}/${r.maxLateMs.toFixed(1)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [
    `burner target ${v.burnerTargetPercent.toFixed(0)}% of one core; holder ${(v.holdBytes / MiB).toFixed(0)} MiB; this process idle: ${v.idleCpuPercent.toFixed(3)}% of one core; one cgroup read: ${v.readCostUs.toFixed(1)} us of CPU`,
    'own cpu = extra CPU of this process per sampled container (percent of one core) after subtracting its idle rate measured just before; values near or below 0 are within that noise',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

/** Tolerances the benchmark is judged by: CPU within 10% of the cgroup's total, memory within 5%. */
export const SAMPLER_TOLERANCE = { cpuRelative: 0.1, memoryRelative: 0.05 };
