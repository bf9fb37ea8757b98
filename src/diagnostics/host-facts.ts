/**
 * Facts about this machine, owned here: the environment of a result (run/environment.ts, the basis
 * of baseline keys) reads its OS name and cgroup version from this module, and a diagnostic bundle
 * gets all of them: the things a person asks first when an agent crash-loops (which kernel, which
 * cgroup version, is bpftrace there, which container engine). Every probe is bounded and optional:
 * a missing tool is a null, never an error.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface HostFacts {
  collectedAt: string;
  hostname: string;
  kernel: string;
  os: string;
  arch: string;
  cpus: number;
  cpuModel: string | null;
  memoryBytes: number;
  cgroupVersion: 'v1' | 'v2' | 'none';
  tracefsMounted: boolean;
  bpftraceVersion: string | null;
  dockerVersion: string | null;
  nodeVersion: string;
  uid: number | null;
}

/** PRETTY_NAME of /etc/os-release, else the kernel's name (`Linux`). */
export function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}

/** v2 when /sys/fs/cgroup is a cgroup2 mount (unified), v1 when any v1 hierarchy is mounted (hybrid hosts too). */
export function cgroupVersion(mountsText?: string): 'v1' | 'v2' | 'none' {
  try {
    const mounts = mountsText ?? readFileSync('/proc/self/mounts', 'utf8');
    if (/ \/sys\/fs\/cgroup cgroup2 /.test(mounts)) return 'v2';
    if (/ cgroup /.test(mounts)) return 'v1';
  } catch {
    // not Linux
  }
  return 'none';
}

async function firstLine(cmd: string, args: string[]): Promise<string | null> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: 5000 });
    const text = (stdout || stderr).trim().split('\n')[0]?.trim();
    return text || null;
  } catch {
    return null;
  }
}

export async function gatherHostFacts(): Promise<HostFacts> {
  const [bpftraceVersion, dockerVersion] = await Promise.all([
    firstLine('bpftrace', ['--version']),
    firstLine('docker', ['version', '--format', 'server {{.Server.Version}}, client {{.Client.Version}}']),
  ]);
  return {
    collectedAt: new Date().toISOString(),
    hostname: os.hostname(),
    kernel: os.release(),
    os: osName(),
    arch: os.arch(),
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model?.trim() ?? null,
    memoryBytes: os.totalmem(),
    cgroupVersion: cgroupVersion(),
    tracefsMounted: existsSync('/sys/kernel/tracing/events') || existsSync('/sys/kernel/debug/tracing/events'),
    bpftraceVersion,
    dockerVersion,
    nodeVersion: process.version,
    uid: process.getuid?.() ?? null,
  };
}
