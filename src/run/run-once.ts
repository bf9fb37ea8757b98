/**
 * One run of the protocol: collector start -> ready (time recorded) -> warm-up -> workloads together
 * -> load window -> stop -> logs kept. Any exit or restart of the collector makes the run invalid,
 * with the reason and the exit code; the run is still returned so nothing measured is lost.
 */
import type Docker from 'dockerode';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { Run, WorkloadReport } from '../contracts/result.js';
import { DockerRuntime } from '../runtime/docker-runtime.js';
import type { ExitInfo, Runtime, Started, StartSpec } from '../runtime/types.js';
import { counterDeltas, scrapePrometheus, type MetricSample } from '../sampling/prometheus.js';
import {
  meanCpuPercent,
  pickSource,
  startCgroupGroupSampler,
  startHostSampler,
  startSampler,
  type CgroupGroupSampler,
} from '../sampling/sampler.js';
import { summarizeRun } from '../stats/summary.js';
import type { CollectorTarget } from './collector-target.js';
import type { Progress } from './progress.js';
import { NotReadyError, waitForReady } from './readiness.js';
import { achievedFromLogs, type WorkloadLauncher } from './workload-target.js';
import { writeRunBundle } from '../diagnostics/run-bundle.js';

export interface RunContext {
  config: Config;
  runtime: Runtime;
  collector: CollectorTarget;
  workloads: WorkloadLauncher;
  progress: Progress;
  log: (msg: string) => void;
  /** Folder for this benchmark's logs. */
  logsDir: string;
  totalRuns: number;
  /** Optional hooks (the mock sensor): after ready, and to count what arrived during the load window. */
  hooks?: RunHooks;
}

export interface RunHooks {
  /** `invalidReason`: the run is invalid for this reason (e.g. the canary never reached the sensor); it still runs to the end. */
  afterReady?(collector: Started): Promise<{ canaryLatencyMs: number | null; invalidReason?: string } | void>;
  beforeLoad?(): void;
  /** Adjusts a workload's start spec (e.g. a per-benchmark exec stub whose signals can be told from other hosts' processes). */
  workloadSpec?(spec: StartSpec, workload: { name: string; type: string }): StartSpec;
  /** The process loss (left unset when undefined), and a reason the run is invalid (e.g. the agent stopped delivering mid-run). */
  afterLoad?(
    achieved: WorkloadReport[],
  ): Promise<{ processLoss?: Run['processLoss']; invalidReason?: string } | undefined>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function scrapeOrNull(url: string | null): Promise<MetricSample[] | null> {
  if (!url) return null;
  try {
    return await scrapePrometheus(url, 2000);
  } catch {
    return null;
  }
}

/** Waits `ms`, ticking progress, unless the collector exits first (returns its exit info then). */
async function watchFor(ms: number, collector: Started, tick: (left: number) => void): Promise<ExitInfo | null> {
  const end = Date.now() + ms;
  let exit: ExitInfo | null = null;
  void collector.exited.then((e) => (exit = e));
  while (Date.now() < end) {
    if (exit) return exit;
    tick((end - Date.now()) / 1000);
    await sleep(Math.min(250, end - Date.now()));
  }
  return exit;
}

export async function runOnce(ctx: RunContext, index: number, warmupRun: boolean): Promise<Run> {
  const { config, runtime, progress } = ctx;
  const runNo = index + 1;
  const label = warmupRun ? 'warm-up run' : 'run';
  const startedAt = new Date();
  const update = (phase: string, secondsLeft?: number, samples?: number) =>
    progress.update({
      run: runNo,
      runs: ctx.totalRuns,
      phase: warmupRun ? `${phase} (warm-up run, not compared)` : phase,
      secondsLeft,
      samples,
    });

  const run: Run = {
    index,
    warmupRun,
    startedAt: startedAt.toISOString(),
    timeToReadyMs: null,
    loadWindow: { startMs: 0, endMs: 0 },
    samples: [],
    summary: null,
    workloads: [],
    collectorMetrics: {},
    context: {},
    canaryLatencyMs: null,
    processLoss: null,
    valid: false,
    invalidReason: null,
    collectorExitCode: null,
    logsFile: null,
  };

  update('starting collector');
  const collector = await runtime.start(ctx.collector.spec, ctx.log);
  const workloads: Started[] = [];
  let sampler: ReturnType<typeof startSampler> | null = null;
  let hostSampler: ReturnType<typeof startHostSampler> | null = null;
  // Held in an object: TypeScript does not see assignments made after awaits in nested blocks.
  const context: { workloads: CgroupGroupSampler | null } = { workloads: null };
  try {
    try {
      run.timeToReadyMs = await waitForReady(collector, config.collector.readiness, startedAt.getTime());
    } catch (e) {
      if (!(e instanceof NotReadyError)) throw e;
      run.invalidReason = e.message;
      run.collectorExitCode = e.collectorExitCode;
      return run;
    }
    const hookResult = await ctx.hooks?.afterReady?.(collector);
    if (hookResult) run.canaryLatencyMs = hookResult.canaryLatencyMs;
    const hookInvalidReason = hookResult?.invalidReason ?? null;

    const warmupMs = config.run.warmupSeconds * 1000;
    const loadMs = config.run.loadSeconds * 1000;
    const t0 = Date.now() + warmupMs; // planned start of the load window; warm-up samples have t < 0
    const source =
      runtime.kind === 'docker'
        ? await pickSource({
            runtime: 'docker',
            docker: (runtime as DockerRuntime).docker as Docker,
            containerId: collector.id,
          })
        : await pickSource({ runtime: 'process', pid: collector.pid! });
    if (index === 0) ctx.log(`sampling the collector from ${source.reason} every ${config.run.sampleIntervalMs} ms`);
    sampler = startSampler({ source: source.source, intervalMs: config.run.sampleIntervalMs, t0 });
    hostSampler = startHostSampler({ intervalMs: Math.max(config.run.sampleIntervalMs, 1000), t0 });

    let exit = await watchFor(warmupMs, collector, (left) => update('warm-up', left, sampler!.count()));
    const metricsBefore = await scrapeOrNull(config.collector.metricsUrl);
    ctx.hooks?.beforeLoad?.();
    run.loadWindow.startMs = Date.now();
    if (!exit) {
      for (const w of ctx.workloads.targets)
        workloads.push(await runtime.start(ctx.hooks?.workloadSpec?.(w.spec, w) ?? w.spec, ctx.log));
      // Workload containers have cgroups of their own: their CPU is context for the collector's.
      if (runtime.kind === 'docker') {
        const pids = workloads.map((w) => w.pid).filter((p): p is number => p !== null);
        context.workloads = startCgroupGroupSampler({
          pids,
          intervalMs: Math.max(config.run.sampleIntervalMs, 1000),
          t0: run.loadWindow.startMs,
        });
      }
      exit = await watchFor(loadMs, collector, (left) => update('load', left, sampler!.count()));
    }
    run.loadWindow.endMs = Date.now();
    const metricsAfter = await scrapeOrNull(config.collector.metricsUrl);
    run.samples = await sampler.stop();
    sampler = null;
    const hostSamples = await hostSampler.stop();
    hostSampler = null;
    run.context.hostCpuPercent = meanCpuPercent(hostSamples, 0, loadMs);
    if (context.workloads) {
      run.context.workloadCpuPercent = meanCpuPercent(await context.workloads.stop(), 0, loadMs);
      context.workloads = null;
    }

    // The generators end themselves at the window's end (duration); give them a moment to print their summary.
    update('collecting workload reports');
    for (const [i, w] of workloads.entries()) {
      const target = ctx.workloads.targets[i];
      const ended = await Promise.race([w.exited, sleep(5000).then(() => null)]);
      const info = ended ?? (await w.stop(3));
      run.workloads.push({
        name: target.name,
        type: target.type,
        achieved: achievedFromLogs(w.logs()),
        exitCode: info.exitCode,
      });
    }
    if (metricsBefore && metricsAfter) run.collectorMetrics = counterDeltas(metricsBefore, metricsAfter);
    const afterLoad = await ctx.hooks?.afterLoad?.(run.workloads);
    if (afterLoad?.processLoss !== undefined) run.processLoss = afterLoad.processLoss;

    const state = await collector.state();
    if (exit || !state.running) {
      const info = exit ?? state;
      run.collectorExitCode = info.exitCode ?? null;
      run.invalidReason = `collector exited during the ${label} with code ${info.exitCode}${info.oomKilled ? ' (OOM killed)' : ''}`;
    } else if (state.restartCount > 0) {
      run.invalidReason = `collector restarted ${state.restartCount} time(s) during the ${label}`;
    }
    if (!run.invalidReason) run.invalidReason = hookInvalidReason ?? afterLoad?.invalidReason ?? null;
    run.summary = summarizeRun(run.samples, run.loadWindow.endMs - run.loadWindow.startMs);
    if (!run.invalidReason && !run.summary) run.invalidReason = 'no samples in the steady state of the load window';
    run.valid = run.invalidReason === null;
    return run;
  } finally {
    await sampler?.stop().catch(() => undefined);
    await hostSampler?.stop().catch(() => undefined);
    await context.workloads?.stop().catch(() => undefined);
    update('stopping');
    for (const w of workloads) await w.remove();
    // The state before stop(): a crash's exit code and OOMKilled, not our SIGTERM's.
    const stateBeforeStop = await collector.state().catch(() => null);
    const exitInfo = await collector.stop(5);
    if (run.collectorExitCode === null && run.invalidReason) run.collectorExitCode = exitInfo.exitCode;
    mkdirSync(ctx.logsDir, { recursive: true });
    const logsFile = join(ctx.logsDir, `run-${runNo}-collector.log`);
    writeFileSync(logsFile, collector.logs());
    for (const [i, w] of workloads.entries())
      writeFileSync(join(ctx.logsDir, `run-${runNo}-${ctx.workloads.targets[i].name}.log`), w.logs());
    run.logsFile = logsFile;
    if (run.invalidReason)
      run.diagnosticBundle = await writeRunBundle(ctx, run, collector.logs(), stateBeforeStop ?? exitInfo).catch(
        (e: Error) => {
          ctx.log(`could not write the diagnostic bundle of run ${runNo}: ${e.message}`);
          return null;
        },
      );
    if (run.diagnosticBundle)
      ctx.log(`run ${runNo} is invalid (${run.invalidReason}); diagnostic bundle: ${run.diagnosticBundle}`);
    await collector.remove();
    progress.done();
  }
}
