/**
 * The session engine: runs any plan (plans.ts). It chooses the runtime, removes what an earlier,
 * interrupted session left behind, resolves one collector per arm, prepares the workloads, sets up
 * the delivery check the config asks for (setupDelivery), then runs the plan's slots one by one
 * through the run protocol (run-once.ts), writing the results atomically after every run, and
 * stops and removes everything it started on success, failure and Ctrl-C alike. It is the only
 * caller of `runOnce`.
 */
import { basename, dirname, join } from 'node:path';
import type { Config } from '../config/schema.js';
import { RESULT_SCHEMA, type ResultFile, type Run } from '../contracts/result.js';
import { onCleanup } from '../runtime/cleanup.js';
import { selectRuntime } from '../runtime/select-runtime.js';
import type { Runtime } from '../runtime/types.js';
import { armInfo, armLabel } from './arm-info.js';
import { resolveCollectorTarget, type CollectorTarget } from './collector-target.js';
import { setupDelivery, type DeliverySetup } from './delivery/setup-delivery.js';
import { gatherEnvironment } from './environment.js';
import { gitInfo } from './git-info.js';
import { applyPin } from './harness-pin.js';
import { describeDesign, sessionDesign, type SessionDesign } from './duet.js';
import { pairOverhead, type SlotRun } from './overhead.js';
import { runsOfSlot, type Plan, type SeedSchedule, type Slot } from './plans.js';
import type { Progress } from './progress.js';
import { defaultResultsPath, writeResultsAtomically } from './results-writer.js';
import { runOnce, type RunHooks } from './run-once.js';
import { prepareWorkloads } from './workload-target.js';

/** What a session adds on top of the delivery check: a ramp step's rate, a scenario's fault. */
export interface SessionExtension {
  hooks?: RunHooks;
  stop?(): Promise<void>;
}

export interface EngineOptions {
  log: (msg: string) => void;
  progress: Progress;
  /** A runtime to use instead of choosing one from the config (tests, scenarios). */
  runtime?: Runtime;
  /** How long the delivery check waits for its canary (log and metrics delivery). */
  canaryTimeoutMs?: number;
  /** Called once the runtime, the first arm's collector and the delivery check are known. */
  extend?: (ctx: {
    runtime: Runtime;
    config: Config;
    collector: CollectorTarget;
    delivery: DeliverySetup;
  }) => Promise<SessionExtension | undefined>;
  /** Called after every slot with its run and the files as written so far. */
  onRun?: (run: Run, slot: Slot, done: { done: number; total: number }, files: WrittenFile[]) => void;
}

export interface SessionSpec {
  /** One config per arm; the first arm's gives everything but the collector (workloads, timings, sensor, delivery). */
  arms: Config[];
  plan: Plan;
  seeds: SeedSchedule;
  /** A/B output: each arm's label (default: its image or command and the env that sets it apart). */
  labels?: string[];
  /** Where the files go: one per output file (single: one; ab: one per candidate arm). Default from the first arm's config. */
  files?: string[];
  /** Folder of the run logs (default beside the first file). */
  logsDir?: string;
  /** Adds to every written file what the session's caller records beside the runs (a budget's sequential design). */
  annotate?: (result: ResultFile) => ResultFile;
}

export interface WrittenFile {
  file: string;
  result: ResultFile;
}

function describeCollector(collector: CollectorTarget): string {
  return (
    `${collector.reference ? 'reference collector' : (collector.image ?? collector.spec.argv?.join(' '))}` +
    `${collector.image ? ` (${collector.image})` : ''}, collection method ${collector.method} (${collector.methodReason})`
  );
}

/** The results file and the folder of run logs beside it. */
function resultPaths(config: Config, createdAt: Date): { file: string; logsDir: string } {
  const file = config.out ?? defaultResultsPath(config.benchmark, createdAt);
  return { file, logsDir: join(dirname(file), `${basename(file, '.json')}.logs`) };
}

const ARM_NAMES = ['baseline', 'candidate'] as const;

/** The files a plan's runs are written to (plans.ts, PlanOutput); `spec.plan` is the plan as run. */
function outputFiles(
  spec: SessionSpec,
  design: SessionDesign,
  frame: ResultFile,
  collectors: CollectorTarget[],
  files: string[],
  slots: readonly Slot[],
  done: readonly SlotRun[],
  complete: boolean,
): WrittenFile[] {
  if (spec.plan.output === 'single')
    return [{ file: files[0], result: { ...frame, runs: done.map((d) => d.run), complete } }];
  const pairs = new Set(slots.flatMap((slot) => (slot.pair === null ? [] : [slot.pair]))).size;
  return files.map((file, i) => {
    const arm = i + 1;
    const label = (a: number, other: number) => spec.labels?.[a] ?? armLabel(spec.arms[a], spec.arms[other]);
    const runs = done
      .filter((d) => d.slot.arm === 0 || d.slot.arm === arm)
      .map((d) => ({ ...d.run, arm: ARM_NAMES[d.slot.arm === 0 ? 0 : 1], pair: d.slot.pair }));
    return {
      file,
      result: {
        ...frame,
        mode: 'ab',
        arms: {
          baseline: armInfo(spec.arms[0], collectors[0], label(0, arm)),
          candidate: armInfo(spec.arms[arm], collectors[arm], label(arm, 0)),
        },
        config: {
          ...frame.config,
          ab: { runsPerArm: pairs, order: spec.plan.order, design: design.design, designReason: design.reason },
          out: file,
        },
        runs,
        complete,
      },
    };
  });
}

export async function runSession(spec: SessionSpec, opts: EngineOptions): Promise<WrittenFile[]> {
  const { log } = opts;
  const config = spec.arms[0];
  const runtime = opts.runtime ?? (await selectRuntime(config.runtime, log));
  const swept = await runtime.sweep();
  if (swept) log(`removed ${swept} container(s)/process(es) left behind by an earlier, interrupted run`);
  const removeAll = async () => {
    for (const h of runtime.active()) await h.remove();
  };
  const unregister = onCleanup(removeAll);

  let delivery: DeliverySetup | undefined;
  // A duet's other arms: each its own mock sensor and delivery check (the first arm's is `delivery`).
  const alongside: DeliverySetup[] = [];
  let extension: SessionExtension | undefined;
  let unpin: (() => Promise<void>) | undefined;
  try {
    log(`runtime: ${await runtime.version()}`);
    // A duet plan runs interleaved where two instances cannot coexist; the arms as run may have ports of their own.
    const design = await sessionDesign(spec.arms, spec.plan, runtime);
    const designLine = describeDesign(design);
    if (designLine) log(designLine);
    const arms = design.arms;
    const plan = design.plan;
    const collectors: CollectorTarget[] = [];
    for (const [i, c] of arms.entries()) {
      const collector = await resolveCollectorTarget(c, runtime, log);
      log(`collector${spec.arms.length > 1 ? ` (arm ${i + 1})` : ''}: ${describeCollector(collector)}`);
      collectors.push(collector);
    }
    unpin = await applyPin(config.run.pin, log);
    const workloads = await prepareWorkloads(
      config.run.workloads,
      runtime,
      config.run.loadSeconds,
      log,
      config.run.pin?.workloads,
    );
    log(
      `workloads: ${workloads.targets.map((w) => `${w.name} (${w.type})`).join(', ')}; ${config.run.warmupSeconds} s warm-up, ${config.run.loadSeconds} s load; workload seeds from base ${spec.seeds.base}`,
    );
    delivery = await setupDelivery({ runtime, config }, { canaryTimeoutMs: opts.canaryTimeoutMs });
    if (design.design === 'duet')
      for (const c of arms.slice(1))
        alongside.push(
          await setupDelivery(
            { runtime, config: c },
            { canaryTimeoutMs: opts.canaryTimeoutMs, sharedStub: delivery.stub },
          ),
        );
    extension = await opts.extend?.({ runtime, config, collector: collectors[0], delivery });
    const firstHooks = extension?.hooks ?? delivery.hooks;
    const hooksOf = (arm: number) => (arm === 0 || alongside.length === 0 ? firstHooks : alongside[arm - 1].hooks);

    const createdAt = new Date();
    const paths = resultPaths(config, createdAt);
    const files = spec.files ?? [paths.file];
    const logsDir = spec.logsDir ?? (spec.files ? join(dirname(files[0]), 'logs') : paths.logsDir);
    const frame: ResultFile = {
      schema: RESULT_SCHEMA,
      benchmark: config.benchmark,
      createdAt: createdAt.toISOString(),
      git: gitInfo(),
      environment: await gatherEnvironment(runtime, {
        method: collectors[0].method,
        image: collectors[0].image,
        imageId: collectors[0].imageId,
      }),
      // The seed base actually used is recorded, also when it was drawn for this session.
      config: { ...config, run: { ...config.run, seed: spec.seeds.base } } as unknown as Record<string, unknown>,
      delivery: delivery.delivery,
      runs: [],
      complete: false,
      mode: 'single',
    };
    const write = (complete: boolean) => {
      const out = outputFiles({ ...spec, plan }, design, frame, collectors, files, slots, done, complete).map((f) => ({
        ...f,
        result: spec.annotate?.(f.result) ?? f.result,
      }));
      for (const f of out) writeResultsAtomically(f.file, f.result);
      return out;
    };

    const done: SlotRun[] = [];
    // A growing plan (plans.ts, `more`) adds slots whenever these are used up.
    const slots = [...plan.slots];
    let written: WrittenFile[] = [];
    for (let index = 0; ; index++) {
      if (index === slots.length) {
        const next = plan.more?.({ done, files: written });
        if (!next?.length) break;
        slots.push(...next);
      }
      const slot = slots[index];
      // Runs the plan makes (a duet slot makes one per arm), or at most makes when it grows.
      const totalRuns = plan.maxRuns?.() ?? slots.flatMap(runsOfSlot).length;
      // A duet slot runs its arms in one window: the first to start, and the others alongside it.
      const ofSlot = runsOfSlot(slot);
      const [first, ...rest] = ofSlot.map((s) => s.arm);
      const label = (arm: number) => `arm ${arm + 1}`;
      const runs = await runOnce(
        {
          config: arms[first],
          runtime,
          collector: collectors[first],
          workloads,
          hooks: hooksOf(first),
          progress: opts.progress,
          log,
          logsDir,
          totalRuns,
          workloadSeed: slot.seed,
          ...(rest.length
            ? {
                agentLabel: label(first),
                alongside: rest.map((a) => ({
                  config: arms[a],
                  collector: collectors[a],
                  hooks: hooksOf(a),
                  label: label(a),
                })),
              }
            : {}),
        },
        done.length,
        ofSlot[0].kind,
      );
      for (const [i, run] of runs.entries()) {
        done.push({ slot: ofSlot[i], run });
        pairOverhead(done, ofSlot[i]);
      }
      written = write(false);
      for (const [i, run] of runs.entries())
        opts.onRun?.(run, ofSlot[i], { done: done.length - runs.length + i + 1, total: totalRuns }, written);
    }
    return write(true);
  } finally {
    await extension?.stop?.().catch(() => undefined);
    for (const d of alongside) await d.stop().catch(() => undefined);
    await delivery?.stop().catch(() => undefined);
    await removeAll();
    await unpin?.();
    unregister();
  }
}
