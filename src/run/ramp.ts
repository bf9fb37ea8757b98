/**
 * `collector-bench ramp`: the event rate at which the collector starts to lose events. The
 * processes workload runs alone at a target rate, one whole run of the protocol per step: doubling
 * from the start rate until a step fails, then bisecting between the last good and the first bad
 * rate down to the resolution. A step fails when the collector's loss or drops pass the threshold
 * (the collector's limit) or when the generator cannot reach its target here (the machine's limit:
 * a higher target says nothing about the agent).
 */
import type { Config } from '../config/schema.js';
import {
  RAMP_SCHEMA,
  RampResultSchema,
  type RampResult,
  type RampStep,
  type RampStepStatus,
} from '../contracts/ramp.js';
import type { Run } from '../contracts/result.js';
import { runBenchmark } from './benchmark.js';
import type { EngineOptions } from './engine.js';
import { gitInfo } from './git-info.js';
import { judgeReach } from '../workloads/reach.js';
import { writeJsonAtomically } from '../atomic-json.js';

export interface RampSettings {
  startRate: number;
  maxRate: number;
  /** Loss or drop ratio above which a step is the collector's limit (default 0.01). */
  threshold: number;
  /** Spawned / drawn arrivals below which a step is the machine's limit (default 0.95; workloads/reach.ts). */
  reachRatio: number;
  /** Bisect until the bad and good rates are within this fraction of the good one (default 0.1). */
  resolution: number;
  stepSeconds: number;
}

export interface RampOptions extends Omit<EngineOptions, 'onRun' | 'extend'> {
  config: Config;
  settings: RampSettings;
  /** The ramp@1 file; each step's result@1 file goes beside it. */
  file: string;
  onStep?: (step: RampStep, ramp: RampResult) => void;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One step's figures and status from its run. */
export function judgeStep(
  run: Run | undefined,
  targetRate: number,
  settings: RampSettings,
): Omit<RampStep, 'index' | 'phase' | 'resultFile'> {
  const processes = run?.workloads.find((w) => w.type === 'processes');
  const achievedRate = num(processes?.achieved?.rate);
  const cpu = run?.summary?.cpuPercent.median ?? null;
  const events = num(run?.collectorMetrics.events);
  const drops = num(run?.collectorMetrics.drops);
  const windowS = run ? (run.loadWindow.endMs - run.loadWindow.startMs) / 1000 : 0;
  const eventRate = events !== null && windowS > 0 ? events / windowS : achievedRate;
  const lossRatio = run?.processLoss?.lossRatio ?? null;
  const dropRatio = drops !== null && events !== null && events + drops > 0 ? drops / (events + drops) : null;
  const figures = {
    targetRate,
    achievedRate,
    collectorCpuPercent: cpu,
    // percent of a core = 10 ms of CPU per second; per event, times 1,000 events.
    cpuMsPer1000Events: cpu !== null && eventRate ? (cpu * 10 * 1000) / eventRate : null,
    lossRatio,
    drops,
    dropRatio,
    canaryLatencyMs: run?.canaryLatencyMs ?? null,
  };
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  let status: RampStepStatus = 'sustained';
  let reason = 'loss and drops within the threshold, target reached';
  if (!run || !run.valid) {
    status = 'collector-limit';
    reason = `the run is invalid: ${run?.invalidReason ?? 'no run'}`;
  } else if (lossRatio !== null && lossRatio > settings.threshold) {
    status = 'collector-limit';
    reason = `process loss ${pct(lossRatio)} > ${pct(settings.threshold)}`;
  } else if (dropRatio !== null && dropRatio > settings.threshold) {
    status = 'collector-limit';
    reason = `drops ${pct(dropRatio)} of events > ${pct(settings.threshold)}`;
  } else {
    const reach = judgeReach(processes?.achieved, targetRate, windowS, settings.reachRatio);
    if (!reach.keptUp) {
      status = 'machine-limit';
      reason = `the generator fell behind: ${reach.basis} (< ${pct(settings.reachRatio)})`;
    }
  }
  return { ...figures, status, reason };
}

function writeRamp(file: string, ramp: RampResult): void {
  writeJsonAtomically(file, RampResultSchema.parse(ramp));
}

/** The next target: double until the first failure, then the midpoint; null when the ramp is done. */
export function nextRate(
  good: number | null,
  bad: number | null,
  current: number,
  settings: RampSettings,
): { rate: number; phase: RampStep['phase'] } | null {
  if (bad === null) {
    const doubled = current * 2;
    return doubled <= settings.maxRate ? { rate: doubled, phase: 'double' } : null;
  }
  if (good === null) return null; // not even the start rate held
  if (bad - good <= Math.max(1, settings.resolution * good)) return null;
  return { rate: Math.round((good + bad) / 2), phase: 'bisect' };
}

export async function runRamp(opts: RampOptions): Promise<RampResult> {
  const { settings } = opts;
  const ramp: RampResult = {
    schema: RAMP_SCHEMA,
    createdAt: new Date().toISOString(),
    git: gitInfo(),
    environment: null,
    collectorImage: opts.config.collector.image,
    settings,
    steps: [],
    highestSustainedRate: null,
    limit: { kind: 'interrupted', atRate: null, reason: 'the ramp did not finish' },
    complete: false,
  };
  const stem = opts.file.replace(/\.json$/, '');
  let good: number | null = null;
  let bad: { rate: number; status: RampStepStatus; reason: string } | null = null;
  let next: { rate: number; phase: RampStep['phase'] } | null = { rate: settings.startRate, phase: 'double' };
  let step = 0;
  while (next) {
    const { rate, phase } = next;
    const out = `${stem}.step-${step + 1}-${rate}.json`;
    const config: Config = {
      ...opts.config,
      out,
      run: {
        ...opts.config.run,
        runs: 1,
        warmupRuns: 0,
        overhead: false,
        soakMinutes: null,
        loadSeconds: settings.stepSeconds,
      },
    };
    opts.log(`ramp step ${step + 1}: processes at ${rate}/s for ${settings.stepSeconds} s`);
    const { result } = await runBenchmark(config, {
      ...opts,
      extend: async ({ delivery }) => {
        const hooks = delivery.hooks ?? {};
        return {
          hooks: {
            ...hooks,
            // One generator loop at the target rate: berserker's per-core workers would split it.
            workloadSpec: (spec, w) => {
              const s = hooks.workloadSpec?.(spec, w) ?? spec;
              if (w.type !== 'processes') return s;
              return {
                ...s,
                env: {
                  ...(s.env ?? {}),
                  BERSERKER__PER_CORE: 'false',
                  BERSERKER__WORKERS: '1',
                  BERSERKER__WORKLOAD__ARRIVAL_RATE: String(rate),
                },
              };
            },
          },
        };
      },
    });
    ramp.environment ??= result.environment;
    const judged: RampStep = { index: step, phase, resultFile: out, ...judgeStep(result.runs[0], rate, settings) };
    ramp.steps.push(judged);
    if (judged.status === 'sustained') good = Math.max(good ?? 0, rate);
    else if (!bad || rate < bad.rate) bad = { rate, status: judged.status, reason: judged.reason };
    ramp.highestSustainedRate = good;
    writeRamp(opts.file, ramp);
    opts.onStep?.(judged, ramp);
    next = nextRate(good, bad?.rate ?? null, rate, settings);
    step++;
  }
  ramp.limit = bad
    ? {
        kind: bad.status === 'machine-limit' ? 'machine' : 'collector',
        atRate: bad.rate,
        reason: bad.reason,
      }
    : {
        kind: 'max-rate',
        atRate: settings.maxRate,
        reason: `every step up to the ceiling of ${settings.maxRate}/s was sustained`,
      };
  ramp.complete = true;
  writeRamp(opts.file, ramp);
  return ramp;
}
