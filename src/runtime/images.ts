/**
 * The three images the harness needs, all built locally (see rootfs-image.ts for why by import):
 * - node-base: the host's node and busybox (as /bin/sh and the tiny exec stub);
 * - workload: node-base plus the bundled berserker-compatible generator and the workloads/ files;
 * - reference-collector: node-base plus the bundled reference collector, its protos and, when the
 *   host has it, bpftrace with its libraries (for the core_bpf method).
 */
import type Docker from 'dockerode';
import { cpSync, existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntry } from './bundle.js';
import { buildRootfsImage, type BuiltImage, type RootfsSpec } from './rootfs-image.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE_DIR = join(REPO_ROOT, 'build', 'bundles');

const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];
const BUSYBOX_APPLETS = [
  'sh',
  'true',
  'false',
  'sleep',
  'echo',
  'cat',
  'ls',
  'ps',
  'kill',
  'env',
  'id',
  'mount',
  'grep',
  'head',
  'tail',
];
const BPFTRACE_CANDIDATES = ['/usr/bin/bpftrace', '/usr/sbin/bpftrace'];

export function hostBusybox(): string | null {
  return BUSYBOX_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export function hostBpftrace(): string | null {
  return BPFTRACE_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

function nodeBaseSpec(name: string): RootfsSpec {
  const busybox = hostBusybox();
  const hostBinaries = [process.execPath];
  const symlinks: RootfsSpec['symlinks'] = [];
  if (busybox) {
    hostBinaries.push(busybox);
    if (busybox !== '/bin/busybox') symlinks.push({ path: '/bin/busybox', target: busybox });
    for (const applet of BUSYBOX_APPLETS) symlinks.push({ path: `/bin/${applet}`, target: '/bin/busybox' });
  } else if (existsSync('/bin/sh')) {
    // bpftrace and scripts need a shell; the host's own (with its libraries) will do.
    hostBinaries.push(realpathSync('/bin/sh'));
    symlinks.push({ path: '/bin/sh', target: realpathSync('/bin/sh') });
  }
  if (process.execPath !== '/usr/local/bin/node')
    symlinks.push({ path: '/usr/local/bin/node', target: process.execPath });
  return {
    name,
    hostBinaries,
    symlinks,
    changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', 'WORKDIR /app'],
  };
}

/** The Node base image; every other image contains it. */
export async function ensureNodeBaseImage(docker: Docker, log?: (m: string) => void): Promise<string> {
  const image = await buildRootfsImage(docker, nodeBaseSpec('collector-bench/node-base'), log);
  return image.ref;
}

/** The workload generator as one file (the image's and the process runtime's entry). */
export async function prepareWorkloadBundle(): Promise<string> {
  const bundle = join(BUNDLE_DIR, 'workload', 'workload.mjs');
  await bundleEntry(join(REPO_ROOT, 'src/workloads/main.ts'), bundle);
  return bundle;
}

/** The reference collector as one file, with the sensor protos and driver programs beside it. */
export async function prepareCollectorBundle(): Promise<string> {
  const dir = join(BUNDLE_DIR, 'collector');
  await bundleEntry(join(REPO_ROOT, 'src/collector/main.ts'), join(dir, 'collector.mjs'));
  const protoDir = join(REPO_ROOT, 'src/sensor/proto');
  if (existsSync(protoDir)) cpSync(protoDir, join(dir, 'proto'), { recursive: true });
  const driverDir = join(REPO_ROOT, 'src/collector/driver');
  if (existsSync(driverDir)) cpSync(driverDir, join(dir, 'driver'), { recursive: true });
  return dir;
}

export async function ensureWorkloadImage(docker: Docker, log?: (m: string) => void): Promise<BuiltImage> {
  const bundle = await prepareWorkloadBundle();
  const spec = nodeBaseSpec('collector-bench/workload');
  spec.trees = [
    { from: dirname(bundle), to: '/app' },
    { from: join(REPO_ROOT, 'workloads'), to: '/workloads' },
  ];
  spec.changes!.push('ENTRYPOINT ["/usr/local/bin/node", "/app/workload.mjs"]');
  return buildRootfsImage(docker, spec, log);
}

/** Marks the reference collector's image and every image derived from it. */
export const REFERENCE_COLLECTOR_LABEL = 'collector-bench.reference-collector';

export async function ensureCollectorImage(docker: Docker, log?: (m: string) => void): Promise<BuiltImage> {
  const dir = await prepareCollectorBundle();
  const spec = nodeBaseSpec('collector-bench/reference-collector');
  spec.trees = [{ from: dir, to: '/app' }];
  const bpftrace = hostBpftrace();
  if (bpftrace) spec.hostBinaries.push(bpftrace);
  spec.changes!.push(
    `ENV REF_COLLECTOR_BPFTRACE=${bpftrace ?? ''}`,
    'ENV REF_COLLECTOR_PROTO_DIR=/app/proto',
    'ENV REF_COLLECTOR_DRIVER_DIR=/app/driver',
    'ENTRYPOINT ["/usr/local/bin/node", "/app/collector.mjs"]',
    // Images built FROM this one (e.g. with a knob in ENV) inherit the label and run as the reference collector.
    `LABEL ${REFERENCE_COLLECTOR_LABEL}=1`,
  );
  return buildRootfsImage(docker, spec, log);
}
