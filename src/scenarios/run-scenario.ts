/**
 * Runs one scenario for real: a fresh mock sensor on free loopback ports behaving as the file says,
 * the collector started through the Runtime with its env pointed at that sensor, then either
 *  - startup: wait for it to exit or become ready (and exec a canary when asked), or
 *  - benchmark: one run of the real benchmark (runBenchmark) with the sensor's hooks, optionally
 *    killing the collector part-way through the load window.
 * Then the observation is checked, and a diagnostic bundle is written when the scenario failed.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigSchema, type Config } from '../config/schema.js';
import { writeDiagnosticBundle } from '../diagnostics/bundle.js';
import { parseStartupLog } from '../diagnostics/parse-startup.js';
import { runBenchmark } from '../run/benchmark.js';
import { resolveCollectorTarget, type CollectorTarget } from '../run/collector-target.js';
import type { Progress } from '../run/progress.js';
import { waitForReady } from '../run/readiness.js';
import type { RunHooks } from '../run/run-once.js';
import { prepareKernelObjects } from '../run/delivery/bench-sensor.js';
import { sensorCanary } from '../run/delivery/sensor-delivery.js';
import { onCleanup } from '../runtime/cleanup.js';
import { freePort, LOOPBACK } from '../runtime/free-port.js';
import type { ExitInfo, Runtime, Started, StartSpec, StateInfo } from '../runtime/types.js';
import { MockSensor } from '../sensor/mock-sensor.js';
import { checkExpectations, describeExpected } from './expectations.js';
import type { Observed, ScenarioResult } from './result.js';
import { expandEnv, type Scenario } from './schema.js';

export interface ScenarioEnv {
  runtime: Runtime;
  /** A local image to test instead of the reference collector (docker runtime). */
  collectorImage?: string;
  /** Extra labels on every container started (tests add collector-bench.test=1). */
  labels?: Record<string, string>;
  /** results/ by default: logs, bundles and benchmark run files go under it. */
  outDir: string;
  /**
   * A profile's collector settings (collectors/<agent>.yaml): the agent is started with its env,
   * privileges, mounts and readiness instead of the reference collector's.
   */
  profile?: Config['collector'];
  log: (msg: string) => void;
}

const TRACEFS_MOUNTS = [
  { source: '/sys/kernel/tracing', target: '/sys/kernel/tracing', readOnly: false },
  { source: '/sys/kernel/debug', target: '/sys/kernel/debug', readOnly: false },
];

interface Ports {
  ready: number;
  metrics: number;
  grpc: string;
  http: string;
}

/** The harness config a scenario's collector is started with (also what the bundle records). */
export function scenarioConfig(
  s: Scenario,
  runtime: Runtime,
  ports: Ports,
  collectorImage?: string,
  profile?: Config['collector'],
): Config {
  const env = {
    // A profile's GRPC_SERVER names the benchmark's sensor; the scenario's own sensor wins.
    ...(profile?.env ?? {}),
    REF_COLLECTOR_SENSOR_HTTP: ports.http,
    GRPC_SERVER: ports.grpc,
    ...expandEnv(s.collector.env, s),
    ...expandEnv(s.collector[runtime.kind].env, s),
  };
  const collector = profile
    ? {
        ...profile,
        image: collectorImage ?? profile.image,
        env,
        readiness: { ...profile.readiness, timeoutSeconds: s.expect.maxSeconds + 10 },
        // Its own delivery check is the benchmark's business; a scenario watches the start.
        delivery: null,
      }
    : null;
  return ConfigSchema.parse({
    benchmark: `scenario-${s.name}`,
    runtime: runtime.kind,
    collector: collector ?? {
      image: collectorImage ?? null,
      env,
      capabilities: s.collector.docker.capabilities,
      mounts: s.collector.docker.tracefs ? TRACEFS_MOUNTS : [],
      hostPid: true,
      network: 'host',
      readiness: {
        http: { url: `http://${LOOPBACK}:${ports.ready}/ready`, status: 200, json: { status: 'ok' } },
        timeoutSeconds: s.expect.maxSeconds + 10,
      },
      metricsUrl: `http://${LOOPBACK}:${ports.metrics}/metrics`,
      collectionMethod: s.collector.collectionMethod,
    },
    run: s.benchmark
      ? {
          runs: 1,
          warmupRuns: 0,
          warmupSeconds: s.benchmark.warmupSeconds,
          loadSeconds: s.benchmark.loadSeconds,
          // Scenario windows are a few seconds: a 1 s ramp leaves a steady window to summarise.
          rampSeconds: 1,
          workloads: s.benchmark.workloads,
        }
      : { runs: 1, warmupRuns: 0 },
    sensor: { enabled: true, grpcAddress: ports.grpc, httpAddress: ports.http },
  });
}

/** Waits for the collector to exit or be ready (the config's readiness, whose timeout is the scenario's limit). */
async function watchStartup(
  c: Started,
  readiness: Config['collector']['readiness'],
  t0: number,
): Promise<{ outcome: 'exit' | 'ready' | 'timeout'; exit: ExitInfo | null; seconds: number | null }> {
  const r = await waitForReady(c, readiness, t0);
  if (r.ready) return { outcome: 'ready', exit: null, seconds: r.ms / 1000 };
  if (r.reason === 'exited') return { outcome: 'exit', exit: r.exit, seconds: r.ms / 1000 };
  return { outcome: 'timeout', exit: null, seconds: null };
}

function sumRequests(counts: Record<string, { total: number }>): number {
  return Object.values(counts).reduce((n, c) => n + c.total, 0);
}

function logPaths(env: ScenarioEnv, s: Scenario): { dir: string; file: string } {
  const dir = resolve(env.outDir, 'scenario-logs', env.runtime.kind);
  return { dir, file: join(dir, `${s.name}.collector.log`) };
}

/** Keeps this start's log and returns the previous invocation's (the "previous start"). */
function rotateLog(env: ScenarioEnv, s: Scenario, log: string): { previous: string | null; file: string } {
  const { dir, file } = logPaths(env, s);
  mkdirSync(dir, { recursive: true });
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : null;
  writeFileSync(file, log);
  return { previous, file };
}

function baseObserved(): Observed {
  return {
    outcome: 'error',
    exitCode: null,
    signal: null,
    seconds: null,
    diagnostics: null,
    sensorRequests: null,
    canaryLatencyMs: null,
    run: null,
  };
}

const quietProgress: Progress = { update: () => undefined, line: () => undefined, done: () => undefined };

/** Labels every container of a scenario carries, so a test or a person can tell whose it is. */
function labelled(spec: StartSpec, s: Scenario, env: ScenarioEnv, name = spec.name): StartSpec {
  return {
    ...spec,
    name,
    labels: { ...(spec.labels ?? {}), 'collector-bench.scenario': s.name, ...(env.labels ?? {}) },
  };
}

async function startupScenario(s: Scenario, env: ScenarioEnv, ports: Ports, config: Config, sensor: MockSensor) {
  const target = await resolveCollectorTarget(config, env.runtime, env.log);
  target.spec = labelled(target.spec, s, env, `scenario-${s.name}`);
  const observed = baseObserved();
  const t0 = Date.now();
  const collector = await env.runtime.start(target.spec, env.log);
  let state: StateInfo | ExitInfo | null = null;
  try {
    const w = await watchStartup(collector, config.collector.readiness, t0);
    observed.outcome = w.outcome;
    observed.seconds = w.seconds;
    if (w.outcome === 'ready' && s.expect.canary) observed.canaryLatencyMs = (await sensorCanary(sensor)).latencyMs;
    state = await collector.state().catch(() => w.exit);
    const exit = w.exit ?? (await collector.stop(5)).exit;
    if (w.outcome === 'exit') {
      observed.exitCode = exit.exitCode ?? null;
      observed.signal = exit.signal ?? null;
    }
  } finally {
    await collector.stop(5).catch(() => undefined);
  }
  const log = collector.logs();
  await collector.remove();
  observed.diagnostics = parseStartupLog(log);
  observed.sensorRequests = sumRequests(sensor.counts().kernelObjectRequests);
  return { observed, log, state, target };
}

/**
 * The delivery check's hooks plus the scenario's own: the containers labelled, and the collector killed
 * (SIGKILL) `killAfterLoadSeconds` into the load window when the file asks for it.
 */
function scenarioHooks(s: Scenario, env: ScenarioEnv, deliveryHooks: RunHooks) {
  const b = s.benchmark!;
  let collector: Started | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  let killed: Promise<void> = Promise.resolve();
  const hooks: RunHooks = {
    ...deliveryHooks,
    collectorSpec: (spec) => labelled(spec, s, env, `scenario-${s.name}`),
    afterReady: async (c) => {
      collector = c;
      return deliveryHooks.afterReady?.(c);
    },
    beforeLoad: () => {
      deliveryHooks.beforeLoad?.();
      if (b.killAfterLoadSeconds === null || !collector) return;
      const c = collector;
      killTimer = setTimeout(() => {
        env.log(`scenario ${s.name}: killing the collector (SIGKILL) ${b.killAfterLoadSeconds} s into the load window`);
        killed = c.kill('SIGKILL').catch((e: Error) => env.log(`could not kill the collector: ${e.message}`));
      }, b.killAfterLoadSeconds * 1000);
    },
    workloadSpec: (spec, w) => labelled(deliveryHooks.workloadSpec?.(spec, w) ?? spec, s, env),
  };
  return { hooks, settled: () => (clearTimeout(killTimer), killed) };
}

async function benchmarkScenario(s: Scenario, env: ScenarioEnv, config: Config) {
  const observed = baseObserved();
  const seen: { target: CollectorTarget | null } = { target: null };
  let t0 = Date.now();
  let settled: () => Promise<void> = async () => undefined;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const { result } = await runBenchmark(
    { ...config, out: resolve(env.outDir, 'scenario-runs', `${s.name}-${stamp}.json`) },
    {
      runtime: env.runtime,
      log: env.log,
      progress: quietProgress,
      extend: async ({ collector, delivery }) => {
        seen.target = collector;
        if (!delivery.sensor) throw new Error('the sensor is disabled in the scenario config');
        await delivery.sensor.setDriverBehaviour(s.sensor.driver);
        const scenario = scenarioHooks(s, env, delivery.hooks ?? {});
        settled = scenario.settled;
        t0 = Date.now(); // the images are built: time the run, as the expectation means
        return { hooks: scenario.hooks };
      },
    },
  ).finally(() => settled());
  const run = result.runs[0];
  observed.outcome = run.valid ? 'valid-run' : 'invalid-run';
  observed.seconds = (Date.now() - t0) / 1000;
  observed.exitCode = run.collectorExitCode;
  observed.canaryLatencyMs = run.canaryLatencyMs ?? null;
  observed.run = {
    valid: run.valid,
    invalidReason: run.invalidReason,
    timeToReadyMs: run.timeToReadyMs,
    canaryLatencyMs: run.canaryLatencyMs ?? null,
    processLoss: run.processLoss ?? null,
    collectorExitCode: run.collectorExitCode,
    diagnosticBundle: run.diagnosticBundle ?? null,
    logsFile: run.logsFile ?? null,
  };
  observed.sensorRequests = null; // counts are reset per run by the sensor hooks
  const log = run.logsFile && existsSync(run.logsFile) ? readFileSync(run.logsFile, 'utf8') : '';
  observed.diagnostics = parseStartupLog(log);
  return { observed, log, state: null, target: seen.target, bundle: run.diagnosticBundle ?? null };
}

/** A scenario the profile declares not applicable: reported with the reason, never as passed. */
export function skippedScenario(s: Scenario, env: Pick<ScenarioEnv, 'runtime'>, reason: string): ScenarioResult {
  return {
    name: s.name,
    file: s.file,
    kind: s.kind,
    runtime: env.runtime.kind,
    passed: false,
    skipped: reason,
    expected: describeExpected(s),
    observed: { ...baseObserved(), outcome: 'skipped' },
    checks: [],
    bundle: null,
    logFile: null,
    error: null,
    durationMs: 0,
  };
}

export async function runScenario(s: Scenario, env: ScenarioEnv): Promise<ScenarioResult> {
  const started = Date.now();
  const ports: Ports = {
    ready: await freePort(),
    metrics: await freePort(),
    grpc: '',
    http: '',
  };
  let sensor: MockSensor | null = null;
  let objectsDir: string | null = null;
  let observed = baseObserved();
  let log = '';
  let state: StateInfo | ExitInfo | null = null;
  let config: Config | null = null;
  let bundle: string | null = null;
  let error: string | null = null;
  let target: CollectorTarget | null = null;
  const cleanup = async () => {
    await sensor?.stop().catch(() => undefined);
    if (objectsDir) rmSync(objectsDir, { recursive: true, force: true });
  };
  const unregister = onCleanup(cleanup); // Ctrl-C: no temp folder left behind
  try {
    if (s.kind === 'benchmark') {
      ports.grpc = `${LOOPBACK}:${await freePort()}`;
      ports.http = `${LOOPBACK}:${await freePort()}`;
      config = scenarioConfig(s, env.runtime, ports, env.collectorImage, env.profile);
      const r = await benchmarkScenario(s, env, config);
      ({ observed, log, state, target } = r);
      bundle = r.bundle;
    } else {
      objectsDir = prepareKernelObjects();
      sensor = new MockSensor({ grpcPort: 0, httpPort: 0, objectsDir, driverBehaviour: s.sensor.driver });
      const addr = await sensor.start();
      // Unreachable: a port that was free a moment ago and that nobody listens on.
      ports.grpc = s.sensor.grpc ? addr.grpc : `${LOOPBACK}:${await freePort()}`;
      ports.http = addr.http!;
      config = scenarioConfig(s, env.runtime, ports, env.collectorImage, env.profile);
      ({ observed, log, state, target } = await startupScenario(s, env, ports, config, sensor));
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    observed.outcome = 'error';
  } finally {
    unregister();
    await cleanup();
  }

  const checks = checkExpectations(s, observed, { bundleWritten: bundle !== null && existsSync(bundle), log });
  const passed = error === null && checks.every((c) => c.ok);
  const rotated = rotateLog(env, s, log);
  if (!passed) {
    const failed = checks.filter((c) => !c.ok).map((c) => `${c.name}: expected ${c.expected}, observed ${c.observed}`);
    const reason = error ? `harness error: ${error}` : failed.join('; ');
    try {
      bundle = await writeDiagnosticBundle({
        dir: resolve(env.outDir, 'bundles'),
        name: `scenario-${s.name}-${env.runtime.kind}`,
        reason: `scenario ${s.name} failed: ${reason}`,
        currentLog: log,
        previousLog: rotated.previous,
        state,
        diagnostics: observed.diagnostics ?? undefined,
        config: {
          scenario: s,
          harness: config,
          collector: target
            ? {
                image: target.image,
                argv: target.spec.argv ?? null,
                env: target.spec.env,
                capabilities: target.spec.capabilities,
                mounts: target.spec.mounts,
              }
            : null,
        },
        context: { observed, checks, error },
      });
    } catch (e) {
      env.log(`could not write the diagnostic bundle for ${s.name}: ${(e as Error).message}`);
    }
  }
  return {
    name: s.name,
    file: s.file,
    kind: s.kind,
    runtime: env.runtime.kind,
    passed,
    skipped: null,
    expected: describeExpected(s),
    observed,
    checks,
    bundle,
    logFile: rotated.file,
    error,
    durationMs: Date.now() - started,
  };
}
