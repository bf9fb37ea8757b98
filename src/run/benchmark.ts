/**
 * A whole benchmark: choose the runtime, build what is needed, then N runs (plus warm-up runs),
 * writing the results file after every run.
 */
import { dirname, join, basename } from 'node:path';
import type { Config } from '../config/schema.js';
import { RESULT_SCHEMA, type ResultFile, type Run } from '../contracts/result.js';
import { onCleanup } from '../runtime/cleanup.js';
import { selectRuntime } from '../runtime/select-runtime.js';
import type { Runtime } from '../runtime/types.js';
import { resolveCollectorTarget, type CollectorTarget } from './collector-target.js';
import { gatherEnvironment } from './environment.js';
import { gitInfo } from './git-info.js';
import type { Progress } from './progress.js';
import { defaultResultsPath, writeResultsAtomically } from './results-writer.js';
import { runWithoutAgent } from './no-agent-run.js';
import { pairOverhead, runSlots } from './overhead.js';
import { runOnce, type RunContext, type RunHooks } from './run-once.js';
import { pairSeed, prepareWorkloads, sessionSeed, type WorkloadLauncher } from './workload-target.js';
import { deliveryRecord, type DeliveryRecord } from './delivery/resolve-delivery.js';
import { withSoak } from './soak.js';

export interface BenchmarkOptions {
  log: (msg: string) => void;
  progress: Progress;
  /** Called once the runtime and collector are known, e.g. to start the mock sensor; returns per-run hooks and a stop function. */
  setup?: (ctx: {
    runtime: Runtime;
    config: Config;
    collector: CollectorTarget;
  }) => Promise<BenchmarkSetup | undefined>;
  onRun?: (run: Run, result: ResultFile) => void;
  runtime?: Runtime;
}

export interface BenchmarkSetup {
  hooks?: RunHooks;
  /** How event delivery is checked; without it, it is not. */
  delivery?: DeliveryRecord;
  stop(): Promise<void>;
}

export interface BenchmarkOutcome {
  result: ResultFile;
  file: string;
}

/** What every run of one benchmark invocation shares: the runtime, the collectors (one per arm), the workloads, the hooks. */
export interface BenchmarkSession {
  runtime: Runtime;
  collectors: CollectorTarget[];
  workloads: WorkloadLauncher;
  hooks?: RunHooks;
  /** How this session checks event delivery (recorded in its results file). */
  delivery: DeliveryRecord;
}

function describeCollector(collector: CollectorTarget): string {
  return (
    `${collector.reference ? 'reference collector' : (collector.image ?? collector.spec.argv?.join(' '))}` +
    `${collector.image ? ` (${collector.image})` : ''}, collection method ${collector.method} (${collector.methodReason})`
  );
}

/**
 * Chooses the runtime, resolves one collector per config (the arms of an A/B benchmark share
 * everything else, from the first config: workloads, sensor, timings), runs `body`, then stops and
 * removes everything it started, on success, failure and Ctrl-C alike.
 */
export async function withBenchmarkSession<T>(
  configs: readonly Config[],
  opts: Omit<BenchmarkOptions, 'onRun'>,
  body: (session: BenchmarkSession) => Promise<T>,
): Promise<T> {
  const { log } = opts;
  const config = configs[0];
  const runtime = opts.runtime ?? (await selectRuntime(config.runtime, log));
  const swept = await runtime.sweep();
  if (swept) log(`removed ${swept} container(s)/process(es) left behind by an earlier, interrupted run`);
  const removeAll = async () => {
    for (const h of runtime.active()) await h.remove();
  };
  const unregister = onCleanup(removeAll);

  let extra: BenchmarkSetup | undefined;
  try {
    log(`runtime: ${await runtime.version()}`);
    const collectors: CollectorTarget[] = [];
    for (const [i, c] of configs.entries()) {
      const collector = await resolveCollectorTarget(c, runtime, log);
      log(`collector${configs.length > 1 ? ` (arm ${i + 1})` : ''}: ${describeCollector(collector)}`);
      collectors.push(collector);
    }
    const workloads = await prepareWorkloads(config.run.workloads, runtime, config.run.loadSeconds, log);
    log(
      `workloads: ${workloads.targets.map((w) => `${w.name} (${w.type})`).join(', ')}; ${config.run.warmupSeconds} s warm-up, ${config.run.loadSeconds} s load`,
    );
    extra = await opts.setup?.({ runtime, config, collector: collectors[0] });
    return await body({
      runtime,
      collectors,
      workloads,
      hooks: extra?.hooks,
      delivery: extra?.delivery ?? deliveryRecord({ via: 'none' }),
    });
  } finally {
    await extra?.stop().catch(() => undefined);
    await removeAll();
    unregister();
  }
}

/** One run's context in a session: the arm's config and collector, shared runtime, workloads and hooks. */
export function sessionRunContext(
  session: BenchmarkSession,
  opts: Pick<BenchmarkOptions, 'progress' | 'log'>,
  run: { config: Config; arm: number; logsDir: string; totalRuns: number; workloadSeed?: number },
): RunContext {
  const { arm, ...rest } = run;
  return {
    ...rest,
    runtime: session.runtime,
    collector: session.collectors[arm],
    workloads: session.workloads,
    hooks: session.hooks,
    progress: opts.progress,
    log: opts.log,
  };
}

/** The results file's frame, before any run: who, where, with what. */
export async function newResultFile(
  config: Config,
  runtime: Runtime,
  collector: CollectorTarget,
  createdAt: Date,
  delivery: DeliveryRecord,
): Promise<ResultFile> {
  return {
    schema: RESULT_SCHEMA,
    benchmark: config.benchmark,
    createdAt: createdAt.toISOString(),
    git: gitInfo(),
    environment: await gatherEnvironment(runtime, {
      method: collector.method,
      image: collector.image,
      imageId: collector.imageId,
    }),
    config: config as unknown as Record<string, unknown>,
    delivery,
    runs: [],
    complete: false,
    mode: 'single',
  };
}

/** The results file and the folder of run logs beside it. */
export function resultPaths(config: Config, createdAt: Date): { file: string; logsDir: string } {
  const file = config.out ?? defaultResultsPath(config.benchmark, createdAt);
  return { file, logsDir: join(dirname(file), `${basename(file, '.json')}.logs`) };
}

export async function runBenchmark(given: Config, opts: BenchmarkOptions): Promise<BenchmarkOutcome> {
  const { log } = opts;
  const config = withSoak(given, log);
  return withBenchmarkSession([config], opts, async (session) => {
    const { runtime, delivery } = session;
    const collector = session.collectors[0];
    const createdAt = new Date();
    const { file, logsDir } = resultPaths(config, createdAt);
    const result = await newResultFile(config, runtime, collector, createdAt, delivery);
    const slots = runSlots(config.run.runs, config.run.warmupRuns, config.run.overhead);
    if (config.run.overhead)
      log(`overhead: ${config.run.runs} run(s) each paired with a run of the same workloads and no collector at all`);
    // Overhead pairs draw the same workload in both runs (common random numbers, as A/B pairs do).
    const seed = sessionSeed();
    for (const [i, slot] of slots.entries()) {
      const ctx = sessionRunContext(session, opts, {
        config,
        arm: 0,
        logsDir,
        totalRuns: slots.length,
        workloadSeed: pairSeed(seed, slot.pair),
      });
      const run = slot.noAgent ? await runWithoutAgent(ctx, i) : await runOnce(ctx, i, slot.warmupRun);
      result.runs.push(run);
      if (config.run.overhead) pairOverhead(result.runs);
      writeResultsAtomically(file, result);
      opts.onRun?.(run, result);
    }
    result.complete = true;
    writeResultsAtomically(file, result);
    return { result, file };
  });
}
