/**
 * A per-benchmark exec stub for the `processes` workload, at a path no other program on the host
 * uses. The agent sees every exec on the host (other benchmarks may run the same workload at the
 * same time), so counting "events that look like the stub" over-counts; the unique path makes the
 * workload's events countable exactly, whichever delivery check counts them.
 */
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostBusybox } from '../../runtime/images.js';
import type { StartSpec } from '../../runtime/types.js';
import { buildStub } from '../../workloads/stub.js';

export interface WorkloadStub {
  dir: string;
  path: string;
  kind: 'stub' | 'busybox';
}

/**
 * First choice: the no-libc C stub (src/workloads/stub/stub.c) compiled here, like berserker's
 * own stub and half the exec cost of busybox; without gcc, a copy of busybox (a copy, not a
 * symlink: procfs reports the resolved binary and would lose a symlink's path). Null when the
 * host has neither; the workload then looks for busybox itself and says what to install.
 */
export async function prepareWorkloadStub(busybox: string | null = hostBusybox()): Promise<WorkloadStub | null> {
  const dir = mkdtempSync(join(tmpdir(), 'collector-bench-stub-'));
  chmodSync(dir, 0o755);
  try {
    return { dir, path: await buildStub(join(dir, 'collector-bench-stub')), kind: 'stub' };
  } catch {
    // no compiler (or another architecture): fall back to busybox
  }
  if (!busybox) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  // Named busybox: busybox picks the applet from argv[1] only when argv[0]'s basename is "busybox".
  const path = join(dir, 'busybox');
  copyFileSync(busybox, path);
  chmodSync(path, 0o755);
  return { dir, path, kind: 'busybox' };
}

/** The workload's spec with the stub: its env names it, and it is mounted at the same path (a local process sees it there already). */
export function withWorkloadStub(spec: StartSpec, stub: WorkloadStub): StartSpec {
  const variable = stub.kind === 'stub' ? 'BERSERKER_STUB' : 'BERSERKER_BUSYBOX';
  return {
    ...spec,
    env: { ...(spec.env ?? {}), [variable]: stub.path },
    mounts: [...(spec.mounts ?? []), { source: stub.dir, target: stub.dir, readOnly: true }],
  };
}

/** The hook every counting check uses: the stub for `processes` workloads, other workloads unchanged. */
export function stubWorkloadSpec(stub: WorkloadStub | null) {
  return (spec: StartSpec, workload: { type: string }): StartSpec =>
    stub && workload.type === 'processes' ? withWorkloadStub(spec, stub) : spec;
}
