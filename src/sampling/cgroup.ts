/**
 * Finds the cgroup a process runs in and reads its cumulative CPU time and memory figures.
 *
 * - cgroup v1 (this machine, Docker's cgroupfs driver): the `cpuacct` and `memory` controller
 *   hierarchies, `/sys/fs/cgroup/{cpuacct,memory}/docker/<id>/`.
 * - cgroup v2 (unified): one directory with `cpu.stat` and `memory.current`.
 *
 * On a hybrid host (v1 controllers plus a cgroup2 mount at `<root>/unified` that has no memory
 * controller) the v1 controllers are the ones that account memory, so v1 wins whenever the
 * process has both `cpuacct` and `memory` v1 entries.
 *
 * Paths in `/proc/<pid>/cgroup` are relative to the cgroup namespace of the reader; the sampler
 * runs in the host's (or the same) namespace as the engine, which is the case for collector-bench.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { SmallFile, parseKeyValueLines } from './small-file.js';

export type CgroupVersion = 'v1' | 'v2';

export interface CgroupReading {
  /** Cumulative CPU time of the cgroup, nanoseconds. */
  cpuNs: number;
  /** Raw usage: v1 memory.usage_in_bytes, v2 memory.current (includes page cache). */
  memoryUsage: number;
  /** usage minus inactive file cache, never below 0 (what `docker stats` and kubelet report). */
  workingSet: number;
  /** Anonymous memory: v1 total_rss, v2 anon. */
  rss: number;
}

export interface CgroupReader {
  version: CgroupVersion;
  /** Directories read: the CPU one and the memory one (the same directory on v2). */
  cpuDir: string;
  memoryDir: string;
  read(): CgroupReading;
  close(): void;
}

export interface CgroupOptions {
  /** Where cgroup hierarchies are mounted; tests point this at fixture folders. */
  root?: string;
  /** Where procfs is mounted; tests point this at fixture folders. */
  procRoot?: string;
}

export interface ProcCgroup {
  /** v1 controller name -> path, e.g. cpuacct -> /docker/<id> (a line "2:cpu,cpuacct:/x" yields both). */
  v1: Map<string, string>;
  /** The v2 path from the "0::/path" line, or null. */
  unified: string | null;
}

/** Parses the text of /proc/<pid>/cgroup ("hierarchy-id:controllers:path" lines). */
export function parseProcCgroup(text: string): ProcCgroup {
  const v1 = new Map<string, string>();
  let unified: string | null = null;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const id = line.slice(0, first);
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1); // a path may itself contain ':'
    if (id === '0' && controllers === '') {
      unified = path;
      continue;
    }
    for (const c of controllers.split(',')) if (c) v1.set(c, path);
  }
  return { v1, unified };
}

function firstExisting(candidates: string[], file: string): string | null {
  for (const dir of candidates) if (existsSync(join(dir, file))) return dir;
  return null;
}

export interface CgroupLocation {
  version: CgroupVersion;
  cpuDir: string;
  memoryDir: string;
}

/** Resolves the directories to read for `pid`; throws RuntimeError naming what was looked for when none fits. */
export function locateCgroup(pid: number, opts: CgroupOptions = {}): CgroupLocation {
  const root = opts.root ?? '/sys/fs/cgroup';
  const procFile = join(opts.procRoot ?? '/proc', String(pid), 'cgroup');
  let text: string;
  try {
    text = readFileSync(procFile, 'utf8');
  } catch (e) {
    throw new RuntimeError(
      `${procFile}: cannot read the cgroup of pid ${pid} (${(e as Error).message})`,
      { pid, file: procFile },
      { cause: e },
    );
  }
  const parsed = parseProcCgroup(text);
  const cpuPath = parsed.v1.get('cpuacct');
  const memPath = parsed.v1.get('memory');
  if (cpuPath !== undefined && memPath !== undefined) {
    // cpuacct is mounted alone here, but co-mounted as "cpu,cpuacct" on most systemd hosts.
    const cpuDir = firstExisting(
      ['cpuacct', 'cpu,cpuacct', 'cpuacct,cpu'].map((m) => join(root, m, cpuPath)),
      'cpuacct.usage',
    );
    const memoryDir = firstExisting([join(root, 'memory', memPath)], 'memory.usage_in_bytes');
    if (cpuDir && memoryDir) return { version: 'v1', cpuDir, memoryDir };
    throw new RuntimeError(
      `${procFile}: pid ${pid} is in v1 cgroups cpuacct:${cpuPath} memory:${memPath}, but ${root}/{cpuacct,cpu\\,cpuacct}${cpuPath}/cpuacct.usage or ${root}/memory${memPath}/memory.usage_in_bytes is missing`,
      { pid, root, cpuPath, memPath },
    );
  }
  if (parsed.unified !== null) {
    // Pure v2 mounts at the root; a hybrid host mounts cgroup2 at <root>/unified (usually without memory).
    const dir = firstExisting([join(root, parsed.unified), join(root, 'unified', parsed.unified)], 'memory.current');
    if (dir && existsSync(join(dir, 'cpu.stat'))) return { version: 'v2', cpuDir: dir, memoryDir: dir };
    throw new RuntimeError(
      `${procFile}: pid ${pid} is in cgroup2 path ${parsed.unified}, but no ${root}${parsed.unified}/memory.current (or under ${root}/unified) with cpu.stat exists; allowed: a v1 cpuacct+memory pair or a v2 directory with the memory controller`,
      { pid, root, unified: parsed.unified },
    );
  }
  throw new RuntimeError(`${procFile}: no cpuacct/memory (v1) or 0:: (v2) entry for pid ${pid}`, {
    pid,
    file: procFile,
  });
}

/** Fields of memory.stat that the working set needs, per version. */
const STAT_KEYS = {
  v1: { inactiveFile: 'total_inactive_file', rss: 'total_rss' },
  v2: { inactiveFile: 'inactive_file', rss: 'anon' },
} as const;

function need(map: Map<string, number>, key: string, file: string): number {
  const v = map.get(key);
  if (v === undefined) throw new RuntimeError(`${file}: key "${key}" is missing`, { file, key });
  return v;
}

/** Turns the three files' contents into a reading; pure so fixtures can test it. */
export function cgroupReadingFromText(
  version: CgroupVersion,
  cpuText: string,
  memoryUsageText: string,
  memoryStatText: string,
  files: { cpu: string; usage: string; stat: string } = { cpu: 'cpu', usage: 'usage', stat: 'memory.stat' },
): CgroupReading {
  let cpuNs: number;
  if (version === 'v1') {
    cpuNs = Number(cpuText.trim());
  } else {
    cpuNs = need(parseKeyValueLines(cpuText), 'usage_usec', files.cpu) * 1000;
  }
  if (!Number.isFinite(cpuNs))
    throw new RuntimeError(`${files.cpu}: not a number: ${JSON.stringify(cpuText.slice(0, 40))}`, { file: files.cpu });
  const memoryUsage = Number(memoryUsageText.trim());
  if (!Number.isFinite(memoryUsage))
    throw new RuntimeError(`${files.usage}: not a number: ${JSON.stringify(memoryUsageText.slice(0, 40))}`, {
      file: files.usage,
    });
  const stat = parseKeyValueLines(memoryStatText);
  const keys = STAT_KEYS[version];
  const inactiveFile = need(stat, keys.inactiveFile, files.stat);
  const rss = need(stat, keys.rss, files.stat);
  return { cpuNs, memoryUsage, workingSet: Math.max(0, memoryUsage - inactiveFile), rss };
}

/** A reader over known directories, keeping the three files open between reads. */
export function cgroupReaderForDirs(loc: CgroupLocation): CgroupReader {
  const cpuPath = join(loc.cpuDir, loc.version === 'v1' ? 'cpuacct.usage' : 'cpu.stat');
  const usagePath = join(loc.memoryDir, loc.version === 'v1' ? 'memory.usage_in_bytes' : 'memory.current');
  const statPath = join(loc.memoryDir, 'memory.stat');
  const files = [new SmallFile(cpuPath, 256), new SmallFile(usagePath, 64), new SmallFile(statPath, 8192)];
  const [cpu, usage, stat] = files;
  return {
    version: loc.version,
    cpuDir: loc.cpuDir,
    memoryDir: loc.memoryDir,
    read: () =>
      cgroupReadingFromText(loc.version, cpu.read(), usage.read(), stat.read(), {
        cpu: cpuPath,
        usage: usagePath,
        stat: statPath,
      }),
    close: () => files.forEach((f) => f.close()),
  };
}

/** Locates the cgroup of `pid` and returns a reader for it. */
export function cgroupReaderForPid(pid: number, opts: CgroupOptions = {}): CgroupReader {
  return cgroupReaderForDirs(locateCgroup(pid, opts));
}
