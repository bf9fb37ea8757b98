/**
 * The mock sensor in a benchmark: started before the collector so the collector can connect,
 * download its driver (the reference collector's bpftrace program, served like a kernel object)
 * and stream its signals, as it would with a real Sensor. Per run it also
 *  - execs a canary after ready and times how long its process signal takes to reach the sensor
 *    (the run is invalid when it never arrives within 30 s: the collector is not collecting), and
 *  - compares the processes the workloads spawned with the signals the sensor received for them.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, release } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Config } from '../config/schema.js';
import { BenchError, RuntimeError } from '../errors.js';
import type { Run, WorkloadReport } from '../contracts/result.js';
import type { Runtime, StartSpec } from '../runtime/types.js';
import { onCleanup } from '../runtime/cleanup.js';
import { hostBusybox } from '../runtime/images.js';
import { writeDriverForSensor } from '../collector/driver-files.js';
import { buildStub } from '../workloads/stub.js';
import { MockSensor, signalMentions } from '../sensor/mock-sensor.js';
import type { ReceivedProcessSignal } from '../sensor/messages.js';
import type { SignalPredicate } from '../sensor/signal-recorder.js';
import type { RunHooks } from './run-once.js';

export const DEFAULT_MODULE_VERSION = '1.0.0';
export const CANARY_PREFIX = 'collector-bench-canary-';
export const CANARY_TIMEOUT_MS = 30_000;

function hostPort(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  return { host: text.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(text.slice(i + 1)) };
}

/**
 * A kernel-objects folder as a Sensor would serve it: `<module version>/collector-<kernel>.bt`,
 * made from the reference collector's driver programs for this host's kernel.
 */
export function prepareKernelObjects(moduleVersion = DEFAULT_MODULE_VERSION, kernel = release()): string {
  const dir = mkdtempSync(join(tmpdir(), 'collector-bench-kernel-objects-'));
  writeDriverForSensor(dir, moduleVersion, kernel);
  return dir;
}

/**
 * The canary's command line. It must be visible to both collection methods of the reference
 * collector, which see different things:
 *  - procfs reads /proc/<pid>/{comm,cmdline,exe} of pids it finds on a 200 ms poll: comm is cut to
 *    15 characters ("collector-bench" would lose the nonce), exe is the resolved binary (a symlink's
 *    name is lost), so the nonce must be in the arguments and the process must live long enough
 *    to be polled;
 *  - core_bpf reports the execve filename and only argv[1..3].
 * So: `busybox sh -c 'sleep 1; true # collector-bench-canary-<nonce>'`. The `; true` keeps the
 * shell alive for the second (a lone command would be exec'd in place, replacing the cmdline),
 * and the nonce sits in argv[3], which both methods report.
 */
export function canaryCommand(
  nonce: string,
  busybox: string | null = hostBusybox(),
): { file: string; args: string[]; marker: string } {
  const marker = `${CANARY_PREFIX}${nonce}`;
  const script = `sleep 1; true # ${marker}`;
  return busybox
    ? { file: busybox, args: ['sh', '-c', script], marker }
    : { file: '/bin/sh', args: ['-c', script], marker };
}

export interface CanaryResult {
  marker: string;
  /** From the exec to the sensor receiving its process signal; null when it never arrived. */
  latencyMs: number | null;
  error: string | null;
}

/** Execs one canary on this host and waits for its process signal at `sensor`. */
export async function runCanary(sensor: MockSensor, timeoutMs = CANARY_TIMEOUT_MS): Promise<CanaryResult> {
  const { file, args, marker } = canaryCommand(randomBytes(6).toString('hex'));
  const waiting = sensor.waitForSignal(signalMentions(marker), timeoutMs);
  const t0 = Date.now();
  const child = spawn(file, args, { stdio: 'ignore' });
  child.on('error', () => undefined); // reported through the missing signal
  try {
    const got = await waiting;
    return { marker, latencyMs: Math.max(0, got.receivedAtMs - t0), error: null };
  } catch (e) {
    return {
      marker,
      latencyMs: null,
      error: `canary process ${marker} did not reach the sensor within ${timeoutMs / 1000} s (${(e as Error).message})`,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

const ALNUM7 = '[A-Za-z0-9]{7}';
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Recognises the signals of a `processes` workload from its achieved report's `stub` (e.g.
 * `/bin/busybox true`): each exec carries the stub's fixed arguments and one random 7-character
 * argument. A stub without fixed arguments must also match by binary name, since one bare
 * 7-character argument is too common to count on its own.
 */
export function workloadSignalMatcher(stubs: string[]): SignalPredicate {
  const tests = stubs.map((stub) => {
    const [path, ...prefix] = stub.trim().split(/\s+/);
    // Our per-benchmark stub: its path alone identifies the workload's execs.
    if (path && basename(dirname(path)).startsWith('collector-bench-stub-'))
      return (s: ReceivedProcessSignal) => s.signal.execFilePath === path;
    const args = new RegExp(`^${prefix.length ? `${prefix.map(escapeRe).join(' ')} ` : ''}${ALNUM7}$`);
    const bin = basename(path ?? '');
    return (s: ReceivedProcessSignal) =>
      args.test(s.signal.args) &&
      (prefix.length > 0 ||
        basename(s.signal.execFilePath) === bin ||
        (bin.length > 0 && bin.startsWith(s.signal.name)));
  });
  return (s) => tests.some((t) => t(s));
}

/**
 * Spawned (from the workloads' achieved reports) vs received (signals of those processes at the
 * sensor since `sinceMs`). lossRatio = 1 - received/spawned, not clamped: a negative value means
 * the matcher counted signals that were not the workload's. Null when no processes workload ran.
 */
export function processLossFor(
  achieved: WorkloadReport[],
  signals: ReceivedProcessSignal[],
  sinceMs: number,
): NonNullable<Run['processLoss']> | null {
  const procs = achieved
    .map((w) => w.achieved)
    .filter((a): a is Record<string, unknown> => !!a && a.type === 'processes');
  if (procs.length === 0) return null;
  const spawned = procs.reduce((n, a) => n + (typeof a.spawned === 'number' ? a.spawned : 0), 0);
  const stubs = procs.map((a) => (typeof a.stub === 'string' ? a.stub : '')).filter(Boolean);
  const matches = workloadSignalMatcher(stubs);
  const received = signals.filter((s) => s.receivedAtMs >= sinceMs && matches(s)).length;
  return { spawned, received, lossRatio: spawned > 0 ? 1 - received / spawned : null };
}

/**
 * A per-benchmark exec stub for the `processes` workload, at a path no other program on the host
 * uses. The collector sees every exec on the host (other benchmarks may run the same workload at
 * the same time), so counting "signals that look like the stub" over-counts; the unique path
 * makes the workload's signals countable exactly.
 * First choice: the no-libc C stub (src/workloads/stub/stub.c) compiled here, like berserker's
 * own stub and half the exec cost of busybox; without gcc, a copy of busybox (a copy, not a
 * symlink: procfs reports the resolved binary and would lose a symlink's path). Null when the
 * host has neither; the workload then looks for busybox itself and says what to install.
 */
export interface WorkloadStub {
  dir: string;
  path: string;
  kind: 'stub' | 'busybox';
}

async function prepareWorkloadStub(busybox: string | null = hostBusybox()): Promise<WorkloadStub | null> {
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
function withWorkloadStub(spec: StartSpec, stub: WorkloadStub): StartSpec {
  const variable = stub.kind === 'stub' ? 'BERSERKER_STUB' : 'BERSERKER_BUSYBOX';
  return {
    ...spec,
    env: { ...(spec.env ?? {}), [variable]: stub.path },
    mounts: [...(spec.mounts ?? []), { source: stub.dir, target: stub.dir, readOnly: true }],
  };
}

export interface SensorSetup {
  sensor: MockSensor;
  hooks: RunHooks;
  stop(): Promise<void>;
}

export async function setupSensor(ctx: { runtime: Runtime; config: Config }): Promise<SensorSetup | undefined> {
  if (!ctx.config.sensor.enabled) return undefined;
  const grpc = hostPort(ctx.config.sensor.grpcAddress);
  const http = hostPort(ctx.config.sensor.httpAddress);
  const objectsDir = prepareKernelObjects();
  const sensor = new MockSensor({
    grpcHost: grpc.host,
    grpcPort: grpc.port,
    httpHost: http.host,
    httpPort: http.port,
    objectsDir,
  });
  try {
    await sensor.start();
  } catch (e) {
    rmSync(objectsDir, { recursive: true, force: true });
    if (e instanceof BenchError && /EADDRINUSE/.test(e.message)) {
      throw new RuntimeError(
        `${e.message}. Another process holds that port: stop it, or move the mock sensor with sensor.grpcAddress / sensor.httpAddress in the config (and the collector's GRPC_SERVER with it).`,
        e.context,
        { cause: e },
      );
    }
    throw e;
  }
  let loadStartMs = 0;
  const stub = await prepareWorkloadStub();
  const hooks: RunHooks = {
    workloadSpec: (spec, workload) => (stub && workload.type === 'processes' ? withWorkloadStub(spec, stub) : spec),
    afterReady: async () => {
      const canary = await runCanary(sensor);
      return { canaryLatencyMs: canary.latencyMs, invalidReason: canary.error ?? undefined };
    },
    beforeLoad: () => {
      loadStartMs = Date.now();
    },
    afterLoad: async (achieved) => {
      const loss = processLossFor(achieved, sensor.signals(), loadStartMs);
      // Keep memory flat over many runs: this run's signals are counted.
      sensor.reset();
      return loss;
    },
  };
  const stop = async () => {
    unregister();
    await sensor.stop();
    rmSync(objectsDir, { recursive: true, force: true });
    if (stub) rmSync(stub.dir, { recursive: true, force: true });
  };
  // Ctrl-C or a timeout's SIGTERM must not leave the temp folders (or the ports) behind.
  const unregister = onCleanup(stop);
  return { sensor, hooks, stop };
}
