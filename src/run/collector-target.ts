/**
 * How to start the collector under test: our reference collector (built locally, as an image or a
 * bundled local process) or any image/command the user names. Also decides the collection method.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../config/schema.js';
import { InvalidInputError } from '../errors.js';
import { hostBpftrace, REFERENCE_COLLECTOR_LABEL } from '../runtime/images.js';
import type { Runtime, StartSpec } from '../runtime/types.js';

const run = promisify(execFile);

export interface CollectorTarget {
  spec: StartSpec;
  method: string;
  methodReason: string;
  image: string | null;
  imageId: string | null;
  reference: boolean;
}

/**
 * A newcomer's first run on a machine without bpftrace reads "process loss 99.9%": say why, and
 * what gives the real benchmark, in the line that names the method.
 */
export const PROCFS_NOTICE =
  'procfs polls /proc and misses processes shorter than its 200 ms poll, so process loss reads near 100%; ' +
  '`npm run setup-host` (as root) installs bpftrace and Docker for the real, eBPF benchmark';

/** Does bpftrace attach to a tracepoint here? That decides core_bpf vs procfs for the reference collector. */
export async function probeBpftrace(): Promise<{ ok: boolean; reason: string }> {
  const bpftrace = hostBpftrace();
  if (!bpftrace) return { ok: false, reason: 'bpftrace is not installed' };
  try {
    await run(bpftrace, ['-e', 'tracepoint:sched:sched_process_exec { exit(); } interval:ms:200 { exit(); }'], {
      timeout: 20_000,
    });
    return { ok: true, reason: `bpftrace attaches to tracepoints (${bpftrace})` };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { ok: false, reason: `bpftrace cannot attach: ${(err.stderr || err.message).trim().split('\n').pop()}` };
  }
}

function portOf(url: string | null | undefined, fallback: number): number {
  if (!url) return fallback;
  const u = new URL(url);
  return u.port ? Number(u.port) : fallback;
}

/**
 * An image built from the reference collector's (its label inherited), e.g. with a knob in ENV:
 * it gets the reference collector's environment and method probe, but runs as the image given.
 */
async function isDerivedReference(config: Config, runtime: Runtime): Promise<boolean> {
  const { image } = config.collector;
  return (
    image !== null && runtime.runs === 'images' && (await runtime.imageLabels(image))[REFERENCE_COLLECTOR_LABEL] === '1'
  );
}

/**
 * Whether the arm runs the reference collector (or an image derived from it): the harness then sets
 * its ports and sensor address itself (REF_COLLECTOR_* and GRPC_SERVER, from the config's URLs).
 */
export async function isReferenceCollector(config: Config, runtime: Runtime): Promise<boolean> {
  const c = config.collector;
  return (c.image === null && c.command === null) || (await isDerivedReference(config, runtime));
}

export async function resolveCollectorTarget(
  config: Config,
  runtime: Runtime,
  log: (m: string) => void,
): Promise<CollectorTarget> {
  const c = config.collector;
  const derived = await isDerivedReference(config, runtime);
  const reference = (c.image === null && c.command === null) || derived;
  let method = c.collectionMethod;
  let methodReason = 'set in the config';
  if (reference && method === 'auto') {
    const probe = await probeBpftrace();
    method = probe.ok ? 'core_bpf' : 'procfs';
    methodReason = probe.ok ? probe.reason : `${probe.reason}; ${PROCFS_NOTICE}`;
  } else if (method === 'auto') {
    method = c.env.COLLECTION_METHOD ?? 'unknown';
    methodReason = c.env.COLLECTION_METHOD
      ? 'COLLECTION_METHOD in collector.env'
      : 'not known for a custom collector (set collector.collectionMethod)';
  }

  const env: Record<string, string> = { ...c.env };
  if (reference) {
    env.COLLECTION_METHOD = method;
    env.REF_COLLECTOR_READY_PORT ??= String(portOf(c.readiness.http?.url, 8080));
    env.REF_COLLECTOR_METRICS_PORT ??= String(portOf(c.metricsUrl, 9090));
    env.GRPC_SERVER ??= config.sensor.enabled ? config.sensor.grpcAddress : '';
    env.REF_COLLECTOR_SENSOR_HTTP ??= config.sensor.httpAddress;
  }
  const base = {
    name: 'collector',
    role: 'collector' as const,
    env,
    privileged: c.privileged,
    capabilities: c.capabilities,
    // A profile names files beside it (e.g. a rules file) relative to where the benchmark runs.
    mounts: c.mounts.map((m) => ({ ...m, source: resolve(m.source) })),
    hostPid: c.hostPid,
    network: c.network,
    tty: c.tty,
    ...(config.run.pin?.agent ? { cpus: config.run.pin.agent } : {}),
  };

  if (reference && !derived) {
    const program = await runtime.referenceCollector(log);
    for (const [k, v] of Object.entries(program.env)) env[k] ??= v;
    return {
      spec: { ...base, ...program.launch([]) },
      method,
      methodReason,
      image: program.image,
      imageId: program.imageId,
      reference,
    };
  }
  if (runtime.runs === 'images') {
    if (!c.image)
      throw new InvalidInputError(
        'config',
        'collector.command',
        c.command,
        `null with the ${runtime.kind} runtime (set collector.image), or use --runtime process`,
      );
    const imageId = (await runtime.agentImage(c.image, log)) ?? (await runtime.imageId(c.image));
    // Fail before any run starts: collector-bench never pulls (no registry is assumed reachable).
    if (!imageId)
      throw new InvalidInputError(
        'config',
        'collector.image',
        c.image,
        `an image present in the local ${runtime.kind} engine (${runtime.kind} images; build it or ${runtime.kind} load it first)`,
      );
    return {
      spec: { ...base, image: c.image, ...(c.args.length ? { args: c.args } : {}) },
      method,
      methodReason,
      image: c.image,
      imageId,
      reference,
    };
  }
  if (!c.command)
    throw new InvalidInputError(
      'config',
      'collector.image',
      c.image,
      `null with the ${runtime.kind} runtime (set collector.command to the argv that starts the collector), or use --runtime docker`,
    );
  return {
    spec: { ...base, argv: [...c.command.map((a, i) => (i === 0 && a.startsWith('.') ? resolve(a) : a)), ...c.args] },
    method,
    methodReason,
    image: null,
    imageId: null,
    reference,
  };
}
