/**
 * One run of the protocol, in its phases:
 *   1. start the collector and await ready (time recorded);
 *   2. measure the load window: warm-up, then the workloads together, sampled throughout;
 *   3. collect the workloads' reports and the collector's counters;
 *   4. judge validity: any exit or restart of the collector makes the run invalid, with the reason
 *      and the exit code;
 *   5. tear down, keeping every log (and a diagnostic bundle when the run is invalid).
 * The run is returned whatever happened, so nothing measured is lost.
 *
 * A no-agent run (`--overhead`) is the same protocol with no collector: the same warm-up, load
 * window, samplers on the host and the workloads, reports and teardown, so the measured run beside
 * it has a neighbour that tells what the agent adds. The engine (engine.ts) is its only caller.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { Run, WorkloadReport } from '../contracts/result.js';
import { writeRunBundle } from '../diagnostics/run-bundle.js';
import { exitDetail } from '../contracts/exit.js';
import type { ExitInfo, Runtime, Started, StartSpec, StateInfo } from '../runtime/types.js';
import { counterDeltas, scrapePrometheus, type MetricSample } from '../sampling/prometheus.js';
import {
  cgroupPids,
  meanCpuPercent,
  pickSource,
  startCgroupGroupSampler,
  startHostSampler,
  startSampler,
  type ContextSampler,
  type Sampler,
} from '../sampling/sampler.js';
import { startHarnessCpu } from '../sampling/harness-cpu.js';
import { startBpfCost } from '../sampling/bpf-stats.js';
import { startWorkloadCpu } from '../sampling/workload-cpu.js';
import { memoryGrowth } from '../stats/memory-growth.js';
import { summarizeRun } from '../stats/summary.js';
import { judgeRunReach } from '../workloads/reach.js';
import type { CollectorTarget } from './collector-target.js';
import { DRAIN, measureDrain, type DeliveredCount } from './drain.js';
import type { SlotKind } from './plans.js';
import type { Progress } from './progress.js';
import { waitForReady } from './readiness.js';
import { achievedFromLogs, workloadRunSpec, type WorkloadLauncher } from './workload-target.js';

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
  /** Optional hooks (the mock sensor, scenarios): see RunHooks. */
  hooks?: RunHooks;
  /** Seed of the workloads' draws; runs meant to be compared pairwise share one (see workload-target.ts). */
  workloadSeed?: number;
}

/**
 * The seam through which features observe and steer a run without editing the protocol. Called in
 * this order, each at most once per run:
 * - `collectorSpec(spec)`: adjusts the collector's start spec (e.g. a scenario's name and labels).
 * - `afterReady(collector)`: the collector is ready; returns the canary latency and, to make the run
 *   invalid (e.g. the canary never reached the sensor), a reason. The run still goes to the end.
 * - `beforeLoad()`: right before the load window opens (after the warm-up).
 * - `workloadSpec(spec, workload)`: adjusts each workload's start spec (e.g. a per-benchmark exec
 *   stub whose signals can be told from other hosts' processes).
 * - `deliveredEvents()`: the window has closed and the collector drained (drain.ts); returns how many
 *   events the delivery check counted since `beforeLoad` (or why it counts none), for the CPU per event.
 * - `afterLoad(reports)`: the window has closed and the workloads reported; returns the process
 *   loss (spawned vs received by the delivery check; unset when absent), how the agent's output
 *   arrived (log delivery: block-buffered or not) and, to make the run invalid (e.g. the agent
 *   stopped delivering mid-run), a reason.
 */
export interface RunHooks {
  collectorSpec?(spec: StartSpec): StartSpec;
  afterReady?(collector: Started): Promise<{ canaryLatencyMs: number | null; invalidReason?: string } | void>;
  beforeLoad?(): void;
  workloadSpec?(spec: StartSpec, workload: { name: string; type: string }): StartSpec;
  deliveredEvents?(): Promise<DeliveredCount>;
  afterLoad?(
    achieved: WorkloadReport[],
  ): Promise<
    { processLoss?: Run['processLoss']; outputBuffering?: Run['outputBuffering']; invalidReason?: string } | undefined
  >;
}

type Phase = (phase: string, secondsLeft?: number, samples?: number) => void;

/** What a run started and must stop again, whatever phase it reached (no collector in a no-agent run). */
interface RunResources {
  collector: Started | null;
  workloads: Started[];
  samplers: { stop(): Promise<unknown> }[];
}

export async function runOnce(ctx: RunContext, index: number, kind: SlotKind): Promise<Run> {
  if (kind === 'no-agent') return runWithoutAgent(ctx, index);
  const warmupRun = kind === 'warm-up';
  const run = emptyRun(index, warmupRun);
  const phase = phaseReporter(ctx, index, warmupRun ? ' (warm-up run, not compared)' : '');
  phase('starting collector');
  const startedAtMs = Date.parse(run.startedAt);
  const spec = ctx.hooks?.collectorSpec?.(ctx.collector.spec) ?? ctx.collector.spec;
  const collector = await ctx.runtime.start(spec, ctx.log);
  const running: RunResources = { collector, workloads: [], samplers: [] };
  try {
    const ready = await awaitReady(ctx, collector, startedAtMs, run);
    if (!ready) return run;
    const hookInvalidReason = await afterReady(ctx, collector, run);
    const window = await measureLoadWindow(ctx, running, run, phase);
    phase('collecting workload reports');
    const afterLoadInvalidReason = await collectReports(ctx, running.workloads, window, run);
    judgeValidity(
      run,
      window.exit ?? null,
      await collector.state(),
      hookInvalidReason ?? afterLoadInvalidReason,
      ctx.config.run.rampSeconds,
    );
    return run;
  } finally {
    phase('stopping');
    await tearDown(ctx, running, run);
    ctx.progress.done();
  }
}

/** The protocol with no collector: valid when every workload reported. */
async function runWithoutAgent(ctx: RunContext, index: number): Promise<Run> {
  const run: Run = { ...emptyRun(index, false), noAgent: true };
  const phase = phaseReporter(ctx, index, ' (no agent)');
  const running: RunResources = { collector: null, workloads: [], samplers: [] };
  try {
    const window = await measureLoadWindow(ctx, running, run, phase);
    phase('collecting workload reports');
    await reportWorkloads(ctx, running.workloads, window.workloadCpu, run);
    const silent = run.workloads.filter((w) => w.achieved === null).map((w) => w.name);
    run.invalidReason = silent.length ? `workload(s) ${silent.join(', ')} printed no report` : null;
    run.valid = run.invalidReason === null;
    return run;
  } finally {
    phase('stopping');
    await tearDown(ctx, running, run);
    ctx.progress.done();
  }
}

/** A run with nothing measured yet: what is returned, invalid, when a phase cannot go on. */
function emptyRun(index: number, warmupRun: boolean): Run {
  return {
    index,
    warmupRun,
    startedAt: new Date().toISOString(),
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
}

function phaseReporter(ctx: RunContext, index: number, suffix: string): Phase {
  return (phase, secondsLeft, samples) =>
    ctx.progress.update({
      run: index + 1,
      runs: ctx.totalRuns,
      phase: `${phase}${suffix}`,
      secondsLeft,
      samples,
    });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Phase 1: ready, or the run is invalid with the reason (and the exit code when it exited). */
async function awaitReady(ctx: RunContext, collector: Started, startedAtMs: number, run: Run): Promise<boolean> {
  const ready = await waitForReady(collector, ctx.config.collector.readiness, startedAtMs);
  if (ready.ready) {
    run.timeToReadyMs = ready.ms;
    return true;
  }
  run.invalidReason = ready.message;
  run.collectorExitCode = ready.exit?.exitCode ?? null;
  return false;
}

/** The afterReady hook: the canary's latency, and the reason it makes the run invalid, if any. */
async function afterReady(ctx: RunContext, collector: Started, run: Run): Promise<string | null> {
  const hookResult = await ctx.hooks?.afterReady?.(collector);
  if (hookResult) run.canaryLatencyMs = hookResult.canaryLatencyMs;
  return hookResult?.invalidReason ?? null;
}

async function scrapeOrNull(url: string | null): Promise<MetricSample[] | null> {
  if (!url) return null;
  try {
    return await scrapePrometheus(url, 2000);
  } catch {
    return null;
  }
}

/** Waits `ms`, ticking progress, unless the collector (if any) exits first (returns its exit info then). */
async function watchFor(ms: number, collector: Started | null, tick: (left: number) => void): Promise<ExitInfo | null> {
  const end = Date.now() + ms;
  let exit: ExitInfo | null = null;
  void collector?.exited.then((e) => (exit = e));
  while (Date.now() < end) {
    if (exit) return exit;
    tick((end - Date.now()) / 1000);
    await sleep(Math.min(250, end - Date.now()));
  }
  return exit;
}

interface LoadWindow {
  /** The collector's exit during the warm-up or the window, if it exited. */
  exit: ExitInfo | null;
  metricsBefore: MetricSample[] | null;
  metricsAfter: MetricSample[] | null;
  /** Each workload's own cgroup CPU over the window (null where it has no cgroup of its own). */
  workloadCpu: Array<number | null>;
}

/** The collector's sampler, started before the warm-up (none in a no-agent run). */
async function startCollectorSampler(ctx: RunContext, collector: Started | null, run: Run, t0: number) {
  if (!collector) return null;
  const source = await pickSource(collector);
  if (run.index === 0)
    ctx.log(`sampling the collector from ${source.reason} every ${ctx.config.run.sampleIntervalMs} ms`);
  return startSampler({ source: source.source, intervalMs: ctx.config.run.sampleIntervalMs, t0 });
}

/**
 * Phase 2: samplers on the collector (and the host, and the workloads when they have cgroups of
 * their own), the warm-up, then the workloads together for the load window. Warm-up samples have
 * t < 0: t0 is the planned start of the window.
 */
async function measureLoadWindow(ctx: RunContext, running: RunResources, run: Run, phase: Phase): Promise<LoadWindow> {
  const { config, runtime, hooks } = ctx;
  const collector = running.collector;
  const warmupMs = config.run.warmupSeconds * 1000;
  const loadMs = config.run.loadSeconds * 1000;
  const contextIntervalMs = Math.max(config.run.sampleIntervalMs, 1000);
  const t0 = Date.now() + warmupMs;
  const sampler: Sampler | null = await startCollectorSampler(ctx, collector, run, t0);
  const hostSampler: ContextSampler = startHostSampler({ intervalMs: contextIntervalMs, t0 });
  if (sampler) running.samplers.push(sampler);
  running.samplers.push(hostSampler);
  const samples = () => sampler?.count();

  let exit = await watchFor(warmupMs, collector, (left) =>
    phase(collector ? 'warm-up' : 'quiet warm-up', left, samples()),
  );
  const metricsUrl = collector ? config.collector.metricsUrl : null;
  const metricsBefore = await scrapeOrNull(metricsUrl);
  // A no-agent run has no agent to observe: only the workloads' own adjustment (workloadSpec) applies.
  if (collector) hooks?.beforeLoad?.();
  run.loadWindow.startMs = Date.now();
  const harness = startHarnessCpu();
  // Kernel-side BPF time of the collector's programs, priced over the window (the sysctl is on only for it).
  const bpf =
    collector && config.run.bpfStats ? startBpfCost(await collector.measure.hostPid(), collector.measure.scope) : null;
  if (bpf) running.samplers.push({ stop: async () => bpf.cancel() });
  let workloadSampler: ContextSampler | null = null;
  let perWorkload: ReturnType<typeof startWorkloadCpu> | null = null;
  if (!exit) {
    for (const [i, w] of ctx.workloads.targets.entries())
      running.workloads.push(
        await runtime.start(workloadRunSpec(w, i, ctx.workloadSeed, hooks?.workloadSpec), ctx.log),
      );
    // Workloads in cgroups of their own (containers): their CPU is context for the collector's.
    const pids = cgroupPids(running.workloads);
    if (pids) {
      workloadSampler = startCgroupGroupSampler({ pids, intervalMs: contextIntervalMs, t0: run.loadWindow.startMs });
      running.samplers.push(workloadSampler);
      const own = running.workloads.map((w) => (w.measure.scope === 'cgroup' ? w.pid : null));
      const started = startWorkloadCpu(own, contextIntervalMs, run.loadWindow.startMs);
      perWorkload = started;
      running.samplers.push({ stop: () => started.stop(0, 0) });
    }
    exit = await watchFor(loadMs, collector, (left) => phase('load', left, samples()));
  }
  run.loadWindow.endMs = Date.now();
  run.context.harnessCpuPercent = harness.stop();
  const metricsAfter = await scrapeOrNull(metricsUrl);
  const events = metricsBefore && metricsAfter ? (counterDeltas(metricsBefore, metricsAfter).events ?? null) : null;
  if (collector)
    run.bpf = bpf?.stop({ windowMs: run.loadWindow.endMs - run.loadWindow.startMs, collectorEvents: events }) ?? null;
  if (sampler && !exit) await measureEventCost(ctx, sampler, run, t0, phase);
  run.samples = (await sampler?.stop()) ?? [];
  run.context.hostCpuPercent = meanCpuPercent(await hostSampler.stop(), 0, loadMs);
  if (workloadSampler) run.context.workloadCpuPercent = meanCpuPercent(await workloadSampler.stop(), 0, loadMs);
  const workloadCpu = (await perWorkload?.stop(0, loadMs)) ?? [];
  return { exit, metricsBefore, metricsAfter, workloadCpu };
}

/** After the window: the sampler runs on until the collector drained; its CPU per 1,000 delivered events. */
async function measureEventCost(ctx: RunContext, sampler: Sampler, run: Run, t0: number, phase: Phase) {
  run.eventCost = await measureDrain({
    samples: () => sampler.samples(),
    startT: run.loadWindow.startMs - t0,
    endT: run.loadWindow.endMs - t0,
    delivered: ctx.hooks?.deliveredEvents && (() => ctx.hooks!.deliveredEvents!()),
    tick: (left) => phase('draining', left, sampler.count()),
  });
  if (!run.eventCost.drained)
    ctx.log(
      `run ${run.index + 1}: the collector was still busy ${DRAIN.capSeconds} s after the load window; its CPU per event is counted to then`,
    );
}

/** The generators end themselves at the window's end (duration); each gets a moment to print its summary. */
async function reportWorkloads(
  ctx: RunContext,
  workloads: Started[],
  cpu: ReadonlyArray<number | null>,
  run: Run,
): Promise<void> {
  for (const [i, w] of workloads.entries()) {
    const target = ctx.workloads.targets[i];
    const ended = await Promise.race([w.exited, sleep(5000).then(() => null)]);
    const info = ended ?? (await w.stop(3)).exit;
    run.workloads.push({
      name: target.name,
      type: target.type,
      achieved: achievedFromLogs(w.logs()),
      exitCode: info.exitCode,
      cpuPercent: cpu[i] ?? null,
    });
  }
  // A run whose load fell well short is flagged (its A/B pair is then dropped, contracts/ab.ts).
  run.shortfall = judgeRunReach(run.workloads);
}

/**
 * Phase 3: the workloads' reports, then the collector's counter deltas and the afterLoad hook's
 * process loss. Returns the hook's reason to make the run invalid (e.g. the agent stopped
 * delivering mid-run), if any.
 */
async function collectReports(
  ctx: RunContext,
  workloads: Started[],
  window: LoadWindow,
  run: Run,
): Promise<string | null> {
  await reportWorkloads(ctx, workloads, window.workloadCpu, run);
  if (window.metricsBefore && window.metricsAfter)
    run.collectorMetrics = counterDeltas(window.metricsBefore, window.metricsAfter);
  const after = await ctx.hooks?.afterLoad?.(run.workloads);
  if (after?.processLoss !== undefined) run.processLoss = after.processLoss;
  if (after?.outputBuffering !== undefined) run.outputBuffering = after.outputBuffering;
  return after?.invalidReason ?? null;
}

/** Phase 4: the first reason found makes the run invalid: exit, restart, the hooks' reason, no samples. */
function judgeValidity(
  run: Run,
  exit: ExitInfo | null,
  state: StateInfo,
  hookInvalidReason: string | null,
  rampSeconds: number,
) {
  const label = run.warmupRun ? 'warm-up run' : 'run';
  if (exit || !state.running) {
    const info = exit ?? state;
    run.collectorExitCode = info.exitCode ?? null;
    run.invalidReason = `collector exited during the ${label} ${exitDetail(info)}`;
  } else if (state.restartCount > 0) {
    run.invalidReason = `collector restarted ${state.restartCount} time(s) during the ${label}`;
  }
  if (!run.invalidReason && hookInvalidReason) run.invalidReason = hookInvalidReason;
  run.summary = summarizeRun(run.samples, run.loadWindow.endMs - run.loadWindow.startMs, rampSeconds * 1000);
  run.memoryGrowth = memoryGrowth(run.samples, run.loadWindow.endMs - run.loadWindow.startMs, rampSeconds * 1000);
  if (!run.invalidReason && !run.summary)
    run.invalidReason =
      'fewer than two samples in the steady window of the load (after the ramp, before the last second)';
  run.valid = run.invalidReason === null;
}

/** Phase 5: everything stopped and removed; the logs kept, and a diagnostic bundle for an invalid run. */
async function tearDown(ctx: RunContext, running: RunResources, run: Run): Promise<void> {
  const runNo = run.index + 1;
  for (const s of running.samplers) await s.stop().catch(() => undefined);
  for (const w of running.workloads) await w.remove();
  mkdirSync(ctx.logsDir, { recursive: true });
  const prefix = running.collector ? `run-${runNo}` : `run-${runNo}-no-agent`;
  for (const [i, w] of running.workloads.entries())
    writeFileSync(join(ctx.logsDir, `${prefix}-${ctx.workloads.targets[i].name}.log`), w.logs());
  if (running.collector) await tearDownCollector(ctx, running.collector, run);
}

async function tearDownCollector(ctx: RunContext, collector: Started, run: Run): Promise<void> {
  const runNo = run.index + 1;
  // The state before stop(): a crash's exit code and OOMKilled, not our SIGTERM's.
  const stateBeforeStop = await collector.state().catch(() => null);
  const stopped = await collector.stop(5);
  if (run.collectorExitCode === null && run.invalidReason) run.collectorExitCode = stopped.exit.exitCode;
  run.logsFile = join(ctx.logsDir, `run-${runNo}-collector.log`);
  writeFileSync(run.logsFile, stopped.logs());
  if (run.invalidReason)
    run.diagnosticBundle = await writeRunBundle(ctx, run, stopped.logs(), stateBeforeStop ?? stopped.exit).catch(
      (e: Error) => {
        ctx.log(`could not write the diagnostic bundle of run ${runNo}: ${e.message}`);
        return null;
      },
    );
  if (run.diagnosticBundle)
    ctx.log(`run ${runNo} is invalid (${run.invalidReason}); diagnostic bundle: ${run.diagnosticBundle}`);
  await stopped.remove();
}
