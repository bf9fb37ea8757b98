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
 * it has a neighbour that tells what the agent adds. A duet (issue 18) is the same protocol with
 * several collectors in one load window: one workload set with one seed, and for each collector its
 * own config, readiness, sampler, BPF programs, delivery hooks and validity; it returns one run per
 * collector. The engine (engine.ts) is its only caller.
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
  /**
   * Collectors measured beside the first in the same load window (a duet), in start order, each with
   * its own config (ports, readiness, metrics URL) and hooks (its own mock sensor). The workloads'
   * spec is the first collector's hook alone: they are one workload set for all.
   */
  alongside?: RunAgent[];
  /** How the log names this context's collector among several (a duet's "arm 2"). */
  agentLabel?: string;
}

/** One collector of a run: its arm's config, how to start it, and its own delivery hooks. */
export interface RunAgent {
  config: Config;
  collector: CollectorTarget;
  hooks?: RunHooks;
  /** How the log names it (e.g. "arm 2"). */
  label: string;
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
  /** In start order, one per collector of the run (the i-th is `contexts[i]`'s). */
  collectors: Started[];
  workloads: Started[];
  samplers: { stop(): Promise<unknown> }[];
}

/** The run's context as each of its collectors sees it: the first is `ctx` itself. */
function agentContexts(ctx: RunContext): RunContext[] {
  const others = (ctx.alongside ?? []).map((a): RunContext => ({
    ...ctx,
    config: a.config,
    collector: a.collector,
    hooks: a.hooks,
    agentLabel: a.label,
  }));
  return [ctx, ...others];
}

/** Runs one slot: one run per collector (`ctx` and `ctx.alongside`), numbered from `index` on. */
export async function runOnce(ctx: RunContext, index: number, kind: SlotKind): Promise<Run[]> {
  if (kind === 'no-agent') return [await runWithoutAgent(ctx, index)];
  const warmupRun = kind === 'warm-up';
  const contexts = agentContexts(ctx);
  const runs = contexts.map((_, i) => emptyRun(index + i, warmupRun));
  const phase = phaseReporter(ctx, index, warmupRun ? ' (warm-up run, not compared)' : '');
  phase(contexts.length > 1 ? `starting ${contexts.length} collectors` : 'starting collector');
  const running: RunResources = { collectors: [], workloads: [], samplers: [] };
  try {
    // Every collector starts before any is awaited: in a duet neither waits out the other's start.
    for (const c of contexts)
      running.collectors.push(
        await ctx.runtime.start(c.hooks?.collectorSpec?.(c.collector.spec) ?? c.collector.spec, ctx.log),
      );
    const ready = await Promise.all(
      contexts.map((c, i) => awaitReady(c, running.collectors[i], Date.parse(runs[i].startedAt), runs[i])),
    );
    if (!ready.every(Boolean)) {
      // One load window for all or for none: a duet pair measured apart would not be a duet pair.
      const why = runs
        .flatMap((r, i) => (ready[i] ? [] : [`${contexts[i].agentLabel ?? 'collector'}: ${r.invalidReason}`]))
        .join('; ');
      for (const [i, r] of runs.entries()) if (ready[i]) r.invalidReason = `not measured: ${why}`;
      return runs;
    }
    const hookInvalidReasons: Array<string | null> = [];
    for (const [i, c] of contexts.entries())
      hookInvalidReasons.push(await afterReady(c, running.collectors[i], runs[i]));
    const window = await measureLoadWindow(ctx, contexts, running, runs, phase);
    phase('collecting workload reports');
    const afterLoadInvalidReasons = await collectReports(ctx, contexts, running.workloads, window, runs);
    for (const [i, r] of runs.entries())
      judgeValidity(
        r,
        window.exits[i] ?? null,
        await running.collectors[i].state(),
        hookInvalidReasons[i] ?? afterLoadInvalidReasons[i],
        ctx.config.run.rampSeconds,
      );
    // A collector that exited ended the window for all: that is why the others' runs are not measured.
    const exited = window.exits.findIndex(Boolean);
    if (runs.length > 1 && exited >= 0)
      for (const [i, r] of runs.entries())
        if (!window.exits[i])
          Object.assign(r, {
            valid: false,
            invalidReason: `the load window ended early: ${contexts[exited].agentLabel ?? 'collector'}: ${runs[exited].invalidReason}`,
          });
    return runs;
  } finally {
    phase('stopping');
    await tearDown(contexts, running, runs);
    ctx.progress.done();
  }
}

/** The protocol with no collector: valid when every workload reported. */
async function runWithoutAgent(ctx: RunContext, index: number): Promise<Run> {
  const run: Run = { ...emptyRun(index, false), noAgent: true };
  const phase = phaseReporter(ctx, index, ' (no agent)');
  const running: RunResources = { collectors: [], workloads: [], samplers: [] };
  try {
    const window = await measureLoadWindow(ctx, [], running, [run], phase);
    phase('collecting workload reports');
    await reportWorkloads(ctx, running.workloads, window.workloadCpu, [run]);
    const silent = run.workloads.filter((w) => w.achieved === null).map((w) => w.name);
    run.invalidReason = silent.length ? `workload(s) ${silent.join(', ')} printed no report` : null;
    run.valid = run.invalidReason === null;
    return run;
  } finally {
    phase('stopping');
    await tearDown([ctx], running, [run]);
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

/** Waits `ms`, ticking progress, unless a collector exits first; each collector's exit info (null: running). */
async function watchFor(
  ms: number,
  collectors: readonly Started[],
  tick: (left: number) => void,
): Promise<Array<ExitInfo | null>> {
  const end = Date.now() + ms;
  const exits: Array<ExitInfo | null> = collectors.map(() => null);
  collectors.forEach((c, i) => void c.exited.then((e) => (exits[i] = e)));
  while (Date.now() < end) {
    if (exits.some(Boolean)) return exits;
    tick((end - Date.now()) / 1000);
    await sleep(Math.min(250, end - Date.now()));
  }
  return exits;
}

interface LoadWindow {
  /** Each collector's exit during the warm-up or the window, if it exited. */
  exits: Array<ExitInfo | null>;
  metricsBefore: Array<MetricSample[] | null>;
  metricsAfter: Array<MetricSample[] | null>;
  /** Each workload's own cgroup CPU over the window (null where it has no cgroup of its own). */
  workloadCpu: Array<number | null>;
}

/** A collector's own sampler (its cgroup, or its process tree), started before the warm-up. */
async function startCollectorSampler(ctx: RunContext, collector: Started, run: Run, t0: number, who: string) {
  const source = await pickSource(collector);
  // Logged for the session's first slot: each collector of a duet names its own source.
  if (run.index === 0 || (who !== '' && run.index === 1))
    ctx.log(`sampling the collector${who} from ${source.reason} every ${ctx.config.run.sampleIntervalMs} ms`);
  return startSampler({ source: source.source, intervalMs: ctx.config.run.sampleIntervalMs, t0 });
}

/**
 * Phase 2: samplers on each collector (and the host, and the workloads when they have cgroups of
 * their own), the warm-up, then the workloads together for the load window. Warm-up samples have
 * t < 0: t0 is the planned start of the window. `contexts` are the run's collectors (none in a
 * no-agent run), `runs` one run per collector (the no-agent run alone otherwise); what the window
 * shares (its times, host, harness and workload CPU) is written to every run.
 */
async function measureLoadWindow(
  ctx: RunContext,
  contexts: readonly RunContext[],
  running: RunResources,
  runs: Run[],
  phase: Phase,
): Promise<LoadWindow> {
  const { config, runtime, hooks } = ctx;
  const collectors = running.collectors;
  const warmupMs = config.run.warmupSeconds * 1000;
  const loadMs = config.run.loadSeconds * 1000;
  const contextIntervalMs = Math.max(config.run.sampleIntervalMs, 1000);
  const t0 = Date.now() + warmupMs;
  const samplers: Sampler[] = [];
  for (const [i, c] of collectors.entries()) {
    const who = collectors.length > 1 ? ` (${contexts[i].agentLabel ?? `collector ${i + 1}`})` : '';
    samplers.push(await startCollectorSampler(contexts[i], c, runs[i], t0, who));
  }
  const hostSampler: ContextSampler = startHostSampler({ intervalMs: contextIntervalMs, t0 });
  running.samplers.push(...samplers, hostSampler);
  const samples = () => samplers[0]?.count();

  const warm = await watchFor(warmupMs, collectors, (left) =>
    phase(collectors.length ? 'warm-up' : 'quiet warm-up', left, samples()),
  );
  // A no-agent run has no agent to observe: only the workloads' own adjustment (workloadSpec) applies.
  const metricsUrls = contexts.map((c) => c.config.collector.metricsUrl);
  const metricsBefore = await Promise.all(metricsUrls.map(scrapeOrNull));
  for (const c of contexts) c.hooks?.beforeLoad?.();
  const startMs = Date.now();
  const harness = startHarnessCpu();
  // Kernel-side BPF time of each collector's programs (those its own processes hold), priced over the window.
  const bpf: Array<ReturnType<typeof startBpfCost> | null> = [];
  for (const c of collectors) {
    const probe = config.run.bpfStats ? startBpfCost(await c.measure.hostPid(), c.measure.scope) : null;
    if (probe) running.samplers.push({ stop: async () => probe.cancel() });
    bpf.push(probe);
  }
  let workloadSampler: ContextSampler | null = null;
  let perWorkload: ReturnType<typeof startWorkloadCpu> | null = null;
  let load: Array<ExitInfo | null> = collectors.map(() => null);
  if (!warm.some(Boolean)) {
    for (const [i, w] of ctx.workloads.targets.entries())
      running.workloads.push(
        await runtime.start(workloadRunSpec(w, i, ctx.workloadSeed, hooks?.workloadSpec), ctx.log),
      );
    // Workloads in cgroups of their own (containers): their CPU is context for the collector's.
    const pids = cgroupPids(running.workloads);
    if (pids) {
      workloadSampler = startCgroupGroupSampler({ pids, intervalMs: contextIntervalMs, t0: startMs });
      running.samplers.push(workloadSampler);
      const own = running.workloads.map((w) => (w.measure.scope === 'cgroup' ? w.pid : null));
      const started = startWorkloadCpu(own, contextIntervalMs, startMs);
      perWorkload = started;
      running.samplers.push({ stop: () => started.stop(0, 0) });
    }
    load = await watchFor(loadMs, collectors, (left) => phase('load', left, samples()));
  }
  const endMs = Date.now();
  const harnessCpuPercent = harness.stop();
  const metricsAfter = await Promise.all(metricsUrls.map(scrapeOrNull));
  // Last started first: the first probe to stop may switch the kernel's statistics off again.
  for (let i = collectors.length - 1; i >= 0; i--) {
    const [before, after] = [metricsBefore[i], metricsAfter[i]];
    const events = before && after ? (counterDeltas(before, after).events ?? null) : null;
    runs[i].bpf = bpf[i]?.stop({ windowMs: endMs - startMs, collectorEvents: events }) ?? null;
  }
  for (const run of runs) run.loadWindow = { startMs, endMs };
  // Each collector that did not exit drains on its own sampler (a duet's arms at the same time).
  await Promise.all(
    samplers.map((sampler, i) =>
      warm[i] || load[i] ? undefined : measureEventCost(contexts[i], sampler, runs[i], t0, phase),
    ),
  );
  for (const [i, sampler] of samplers.entries()) runs[i].samples = await sampler.stop();
  // The host is shared by every collector of the window: each run records it, none is charged with it.
  const hostCpuPercent = meanCpuPercent(await hostSampler.stop(), 0, loadMs);
  const workloadCpuPercent = workloadSampler ? meanCpuPercent(await workloadSampler.stop(), 0, loadMs) : undefined;
  for (const run of runs) {
    run.context.harnessCpuPercent = harnessCpuPercent;
    run.context.hostCpuPercent = hostCpuPercent;
    if (workloadCpuPercent !== undefined) run.context.workloadCpuPercent = workloadCpuPercent;
  }
  const workloadCpu = (await perWorkload?.stop(0, loadMs)) ?? [];
  return { exits: collectors.map((_, i) => warm[i] ?? load[i]), metricsBefore, metricsAfter, workloadCpu };
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
  runs: Run[],
): Promise<void> {
  for (const [i, w] of workloads.entries()) {
    const target = ctx.workloads.targets[i];
    const ended = await Promise.race([w.exited, sleep(5000).then(() => null)]);
    const info = ended ?? (await w.stop(3)).exit;
    const report = {
      name: target.name,
      type: target.type,
      achieved: achievedFromLogs(w.logs()),
      exitCode: info.exitCode,
      cpuPercent: cpu[i] ?? null,
    };
    // One workload set for every collector of the window: each run holds its own copy of the report.
    for (const run of runs) run.workloads.push(structuredClone(report));
  }
  // A run whose load fell well short is flagged (its A/B pair is then dropped, contracts/ab.ts).
  for (const run of runs) run.shortfall = judgeRunReach(run.workloads);
}

/**
 * Phase 3: the workloads' reports, then each collector's counter deltas and its afterLoad hook's
 * process loss (a duet's collectors each count at their own sensor). Returns each hook's reason to
 * make its run invalid (e.g. the agent stopped delivering mid-run), if any.
 */
async function collectReports(
  ctx: RunContext,
  contexts: readonly RunContext[],
  workloads: Started[],
  window: LoadWindow,
  runs: Run[],
): Promise<Array<string | null>> {
  await reportWorkloads(ctx, workloads, window.workloadCpu, runs);
  const reasons: Array<string | null> = [];
  for (const [i, c] of contexts.entries()) {
    const run = runs[i];
    const [before, after] = [window.metricsBefore[i], window.metricsAfter[i]];
    if (before && after) run.collectorMetrics = counterDeltas(before, after);
    const hook = await c.hooks?.afterLoad?.(run.workloads);
    if (hook?.processLoss !== undefined) run.processLoss = hook.processLoss;
    if (hook?.outputBuffering !== undefined) run.outputBuffering = hook.outputBuffering;
    reasons.push(hook?.invalidReason ?? null);
  }
  return reasons;
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

/**
 * Phase 5: everything stopped and removed; the logs kept (the workloads' under the first run's
 * number), and a diagnostic bundle for an invalid run. `contexts[i]` is the i-th collector's.
 */
async function tearDown(contexts: readonly RunContext[], running: RunResources, runs: Run[]): Promise<void> {
  const ctx = contexts[0];
  const runNo = runs[0].index + 1;
  for (const s of running.samplers) await s.stop().catch(() => undefined);
  for (const w of running.workloads) await w.remove();
  mkdirSync(ctx.logsDir, { recursive: true });
  const prefix = running.collectors.length ? `run-${runNo}` : `run-${runNo}-no-agent`;
  for (const [i, w] of running.workloads.entries())
    writeFileSync(join(ctx.logsDir, `${prefix}-${ctx.workloads.targets[i].name}.log`), w.logs());
  for (const [i, collector] of running.collectors.entries()) await tearDownCollector(contexts[i], collector, runs[i]);
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
