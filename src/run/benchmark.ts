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
import { runOnce, type RunHooks } from './run-once.js';
import { withSoak } from './soak.js';
import { prepareWorkloads } from './workload-target.js';

export interface BenchmarkOptions {
  log: (msg: string) => void;
  progress: Progress;
  /** Called once the runtime and collector are known, e.g. to start the mock sensor; returns per-run hooks and a stop function. */
  setup?: (ctx: {
    runtime: Runtime;
    config: Config;
    collector: CollectorTarget;
  }) => Promise<{ hooks?: RunHooks; stop(): Promise<void> } | undefined>;
  onRun?: (run: Run, result: ResultFile) => void;
  runtime?: Runtime;
}

export interface BenchmarkOutcome {
  result: ResultFile;
  file: string;
}

export async function runBenchmark(given: Config, opts: BenchmarkOptions): Promise<BenchmarkOutcome> {
  const { log, progress } = opts;
  const config = withSoak(given, log);
  const runtime = opts.runtime ?? (await selectRuntime(config.runtime, log));
  const swept = await runtime.sweep();
  if (swept) log(`removed ${swept} container(s)/process(es) left behind by an earlier, interrupted run`);
  const removeAll = async () => {
    for (const h of runtime.active()) await h.remove();
  };
  const unregister = onCleanup(removeAll);

  let extra: { hooks?: RunHooks; stop(): Promise<void> } | undefined;
  try {
    log(`runtime: ${await runtime.version()}`);
    const collector = await resolveCollectorTarget(config, runtime, log);
    log(
      `collector: ${collector.reference ? 'reference collector' : (collector.image ?? collector.spec.argv?.join(' '))}` +
        `${collector.image ? ` (${collector.image})` : ''}, collection method ${collector.method} (${collector.methodReason})`,
    );
    const workloads = await prepareWorkloads(config.run.workloads, runtime, config.run.loadSeconds, log);
    log(
      `workloads: ${workloads.targets.map((w) => `${w.name} (${w.type})`).join(', ')}; ${config.run.warmupSeconds} s warm-up, ${config.run.loadSeconds} s load`,
    );
    extra = await opts.setup?.({ runtime, config, collector });

    const createdAt = new Date();
    const file = config.out ?? defaultResultsPath(config.benchmark, createdAt);
    const logsDir = join(dirname(file), `${basename(file, '.json')}.logs`);
    const result: ResultFile = {
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
      runs: [],
      complete: false,
    };
    const slots = runSlots(config.run.runs, config.run.warmupRuns, config.run.overhead);
    if (config.run.overhead)
      log(`overhead: ${config.run.runs} run(s) each paired with a run of the same workloads and no collector at all`);
    for (const [i, slot] of slots.entries()) {
      const ctx = {
        config,
        runtime,
        collector,
        workloads,
        progress,
        log,
        logsDir,
        totalRuns: slots.length,
        hooks: extra?.hooks,
      };
      const run = slot.noAgent ? await runWithoutAgent(ctx, i) : await runOnce(ctx, i, slot.warmupRun);
      result.runs.push(run);
      if (config.run.overhead) pairOverhead(result.runs);
      writeResultsAtomically(file, result);
      opts.onRun?.(run, result);
    }
    result.complete = true;
    writeResultsAtomically(file, result);
    return { result, file };
  } finally {
    await extra?.stop().catch(() => undefined);
    await removeAll();
    unregister();
  }
}
