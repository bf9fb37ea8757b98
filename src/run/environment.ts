/** What machine and software a result was measured on: the basis of baseline environment keys. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Environment } from '../contracts/result.js';
import type { Runtime } from '../runtime/types.js';

function osName(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return text.match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1] ?? os.type();
  } catch {
    return os.type();
  }
}

function cgroupVersion(): 'v1' | 'v2' | 'none' {
  try {
    const mounts = readFileSync('/proc/self/mounts', 'utf8');
    if (/ \/sys\/fs\/cgroup cgroup2 /.test(mounts)) return 'v2';
    if (/ cgroup /.test(mounts)) return 'v1';
  } catch {
    /* not Linux */
  }
  return 'none';
}

export async function gatherEnvironment(
  runtime: Runtime,
  collector: { method: string; image: string | null; imageId: string | null },
): Promise<Environment> {
  return {
    kernel: os.release(),
    os: osName(),
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    cpus: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    arch: os.arch(),
    runtime: { kind: runtime.kind, version: await runtime.version() },
    collectionMethod: collector.method,
    collectorImage: collector.image,
    collectorImageId: collector.imageId,
    cgroupVersion: cgroupVersion(),
  };
}
