/**
 * The one builder of schema-valid result files for tests (stats, reports, stores, CLI). Each run
 * gets per-second samples as the sampler writes them: two warm-up samples (negative t), a steady
 * state whose mean AND median are exactly the run's value (noise comes in +d/-d pairs around it), and
 * one sample in the final second of the load window (excluded from the summary, as the sampler's
 * last one is). Summaries come from the real summarizeRun, whose window mean is then the run's value
 * (to rounding). Deterministic: the same spec and seed give the same file.
 */
import {
  ResultFileSchema,
  RESULT_SCHEMA,
  type ArmInfo,
  type Environment,
  type ResultFile,
  type Run,
  type Sample,
} from '../../src/contracts/result.js';
import type { Arm } from '../../src/contracts/ab.js';
import { mulberry32, type Random } from '../../src/stats/prng.js';
import { MiB } from '../../src/units.js';
import { summarizeRun } from '../../src/stats/summary.js';

export interface RunSpec {
  cpu: number; // the run's window-mean CPU, percent of one core
  mem: number; // the run's window-mean working set, bytes
  rss?: number;
  valid?: boolean; // default true
  invalidReason?: string;
  warmupRun?: boolean; // default false
  arm?: Arm;
  pair?: number | null;
  timeToReadyMs?: number;
  canaryLatencyMs?: number | null;
  processLoss?: { spawned: number; received: number; lossRatio: number | null };
  /** CPU ms per 1,000 delivered events, load start to drained (Run.eventCost); default none. */
  cpuMsPer1000Events?: number;
  /** The collector's counter deltas; default { events: 12000, drops: 0 }. */
  collectorMetrics?: Record<string, number>;
  workloads?: Run['workloads'];
  /** The workloads' reach (src/workloads/reach.ts); absent as in older files. */
  shortfall?: Run['shortfall'];
  /** The harness's own CPU over the load window, percent of one core; default null. */
  harnessCpuPercent?: number;
  /** The workloads' CPU over the load window (Run.context), percent of one core; default null. */
  workloadCpuPercent?: number;
  /** The BPF programs' run time over the load window, percent of one core (Run.bpf); default no record. */
  bpfCpuPercent?: number;
}

export interface ResultSpec {
  benchmark?: string; // default "default"
  sha?: string | null; // default a fixed fake sha
  ref?: string | null;
  pr?: number | null;
  createdAt?: string; // default 2026-01-01T00:00:00.000Z
  runs: RunSpec[];
  env?: Partial<Omit<Environment, 'runtime'>> & { runtime?: Partial<Environment['runtime']> };
  seed?: number; // default 1
  /** Steady-state samples per run (odd, so the median is one sample); default 21. */
  samplesPerRun?: number;
  /** Relative spread of the per-second samples around the run's value; default 0.1. */
  sampleSpread?: number;
  mode?: 'single' | 'ab';
  arms?: { baseline: ArmInfo; candidate: ArmInfo };
  config?: Record<string, unknown>;
  complete?: boolean;
}

export const ENVIRONMENT: Environment = {
  kernel: '6.1.0-18-amd64',
  os: 'Debian GNU/Linux 12 (bookworm)',
  cpuModel: 'Synthetic CPU @ 2.20GHz',
  cpus: 2,
  memoryBytes: 24 * 1024 ** 3,
  arch: 'x86_64',
  runtime: { kind: 'docker', version: '20.10.24' },
  collectionMethod: 'core_bpf',
  collectorImage: 'collector-bench/reference-collector:test',
  collectorImageId: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
  cgroupVersion: 'v1',
};

/** Samples around exact values: pairs of value*(1 +- d) keep both the mean and the middle sample at the value. */
function steadySamples(run: RunSpec, count: number, spread: number, random: Random): Sample[] {
  const cpu: number[] = [run.cpu];
  const mem: number[] = [run.mem];
  const rss: number[] = run.rss === undefined ? [] : [run.rss];
  for (let i = 0; i < (count - 1) / 2; i++) {
    const d = spread * (0.05 + random()); // strictly positive: the median stays exact
    cpu.push(run.cpu * (1 + d), run.cpu * (1 - d));
    const dm = spread * 0.2 * (0.05 + random());
    mem.push(run.mem * (1 + dm), run.mem * (1 - dm));
    if (run.rss !== undefined) rss.push(run.rss * (1 + dm), run.rss * (1 - dm));
  }
  // Shuffle the order in time (Fisher-Yates), keeping the three series aligned.
  const order = cpu.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.map((k, i) => ({
    t: i * 1000,
    cpuPercent: cpu[k],
    memoryBytes: mem[k],
    ...(run.rss === undefined ? {} : { rssBytes: rss[k] }),
  }));
}

/** A run's CPU per 1,000 delivered events, the rest of the record as a drained, sensor-counted run gives it. */
export function eventCostRecord(cpuMsPer1000Events: number): NonNullable<Run['eventCost']> {
  return {
    cpuMsPer1000Events,
    basis: 'sensor process signals',
    reason: null,
    cpuMs: cpuMsPer1000Events * 10,
    spanMs: 21_000,
    window: { fromMs: 0, toMs: 21_000 },
    events: 10_000,
    drainMs: 1500,
    drained: true,
  };
}

/** A BPF cost record of programs that ran `cpuPercent` of a core over a window of `windowMs`. */
function bpfRecord(cpuPercent: number, windowMs: number): NonNullable<Run['bpf']> {
  const runTimeNs = (cpuPercent / 100) * windowMs * 1e6;
  return {
    available: true,
    reason: null,
    programs: [],
    runCount: 10_000,
    runTimeNs,
    cpuPercent,
    nsPerEvent: null,
    nsPerEventBasis: null,
  };
}

export function resultFile(spec: ResultSpec): ResultFile {
  const random = mulberry32(spec.seed ?? 1);
  const count = spec.samplesPerRun ?? 21;
  if (count < 1 || count % 2 === 0) throw new RangeError(`samplesPerRun must be odd and >= 1, got ${count}`);
  const spread = spec.sampleSpread ?? 0.1;
  // Load window: 3 s ramp (excluded), one anchor sample that opens the steady window, `count` steady
  // samples, then the excluded last second.
  const rampMs = 3000;
  const durationMs = rampMs + (count + 2) * 1000;
  const createdAt = spec.createdAt ?? '2026-01-01T00:00:00.000Z';
  const epoch = Number.isFinite(Date.parse(createdAt)) ? Date.parse(createdAt) : 0; // a bad date is for the store to refuse

  const runs: Run[] = spec.runs.map((run, index) => {
    const startMs = epoch + index * (durationMs + 10_000);
    const at = (v: Sample, t: number): Sample => ({ ...v, t });
    const level: Sample = {
      t: 0,
      cpuPercent: run.cpu,
      memoryBytes: run.mem,
      ...(run.rss === undefined ? {} : { rssBytes: run.rss }),
    };
    const samples: Sample[] = [
      // Warm-up: the collector is still settling, well above its steady state.
      { t: -2000, cpuPercent: run.cpu * 3, memoryBytes: run.mem * 1.5 },
      { t: -1000, cpuPercent: run.cpu * 2, memoryBytes: run.mem * 1.2 },
      // The load's ramp-up: the workloads start and the collector peaks (left out of the window).
      ...[0, 1000, 2000].map((t) => ({ t, cpuPercent: run.cpu * 1.8, memoryBytes: run.mem })),
      at(level, rampMs),
      ...steadySamples(run, count, spread, random).map((x, i) => at(x, rampMs + (i + 1) * 1000)),
      // In the final second of the load window: excluded from the steady state.
      { t: durationMs - 500, cpuPercent: run.cpu * 0.2, memoryBytes: run.mem },
    ];
    const summary = summarizeRun(samples, durationMs);
    const valid = run.valid ?? true;
    return {
      index,
      ...(run.arm === undefined ? {} : { arm: run.arm }),
      ...(run.pair === undefined ? {} : { pair: run.pair }),
      warmupRun: run.warmupRun ?? false,
      startedAt: new Date(startMs - 5000).toISOString(),
      timeToReadyMs: run.timeToReadyMs ?? 1200,
      loadWindow: { startMs, endMs: startMs + durationMs },
      samples,
      summary,
      workloads: run.workloads ?? [{ name: 'processes', type: 'processes', achieved: { rate: 200 }, exitCode: 0 }],
      collectorMetrics: run.collectorMetrics ?? { events: 12_000, drops: 0 },
      context: {
        hostCpuPercent: null,
        workloadCpuPercent: run.workloadCpuPercent ?? null,
        ...(run.harnessCpuPercent === undefined ? {} : { harnessCpuPercent: run.harnessCpuPercent }),
      },
      ...(run.shortfall === undefined ? {} : { shortfall: run.shortfall }),
      ...(run.bpfCpuPercent === undefined ? {} : { bpf: bpfRecord(run.bpfCpuPercent, durationMs) }),
      ...(run.canaryLatencyMs === undefined ? {} : { canaryLatencyMs: run.canaryLatencyMs }),
      ...(run.processLoss === undefined ? {} : { processLoss: run.processLoss }),
      ...(run.cpuMsPer1000Events === undefined ? {} : { eventCost: eventCostRecord(run.cpuMsPer1000Events) }),
      valid,
      invalidReason: valid ? null : (run.invalidReason ?? 'synthetic: marked invalid'),
      collectorExitCode: null,
    };
  });

  const { runtime, ...envRest } = spec.env ?? {};
  return ResultFileSchema.parse({
    schema: RESULT_SCHEMA,
    ...(spec.mode === undefined ? {} : { mode: spec.mode }),
    ...(spec.arms === undefined ? {} : { arms: spec.arms }),
    benchmark: spec.benchmark ?? 'default',
    createdAt,
    git: {
      sha: spec.sha === undefined ? '0123456789abcdef0123456789abcdef01234567' : spec.sha,
      ref: spec.ref ?? null,
      pr: spec.pr ?? null,
    },
    environment: { ...ENVIRONMENT, ...envRest, runtime: { ...ENVIRONMENT.runtime, ...runtime } },
    config: spec.config ?? { synthetic: true },
    runs,
    complete: spec.complete ?? true,
  });
}

export const ARMS_INFO = {
  baseline: { label: 'baseline', image: 'collector:base', imageId: 'sha256:b0', command: null, env: {} },
  candidate: { label: 'candidate', image: 'collector:cand', imageId: 'sha256:c0', command: null, env: {} },
} as const satisfies { baseline: ArmInfo; candidate: ArmInfo };

/** The arm of each slot, as the A/B runner interleaves them: A B, B A, A B, ... (pair k = slots 2k-1, 2k). */
function slotArms(pair: number): [Arm, Arm] {
  return pair % 2 === 1 ? ['baseline', 'candidate'] : ['candidate', 'baseline'];
}

/** An A/B file: one pair per entry, runs in slot order, each tagged with its arm and pair. */
export function abResultFile(
  spec: Omit<ResultSpec, 'runs' | 'mode' | 'arms'> & { pairs: Array<{ baseline: RunSpec; candidate: RunSpec }> },
): ResultFile {
  const { pairs, ...rest } = spec;
  const runs = pairs.flatMap((p, i) => slotArms(i + 1).map((arm) => ({ ...p[arm], arm, pair: i + 1 })));
  return resultFile({ ...rest, runs, mode: 'ab', arms: ARMS_INFO });
}

/**
 * Ten pairs of an agent that got more CPU in its candidate arm (+20% of a core's share) while each
 * event cost the same: what a busier neighbour in the baseline's slots looks like. Memory steady.
 */
export function moreCpuSameCostPerEvent(perEvent = true): ResultFile {
  const wobble = (i: number, k: number) => Math.sin(i * 1.7 + k) * 0.5;
  return abResultFile({
    pairs: Array.from({ length: 10 }, (_, i) => ({
      baseline: {
        cpu: 20 + wobble(i, 0),
        mem: 50 * MiB * (1 + 0.001 * wobble(i, 1)),
        ...(perEvent ? { cpuMsPer1000Events: 500 + 5 * wobble(i, 2) } : {}),
      },
      candidate: {
        cpu: 24 + wobble(i, 0) + 0.2 * wobble(i, 3),
        mem: 50 * MiB * (1 + 0.001 * wobble(i, 1) + 0.0005 * wobble(i, 4)),
        ...(perEvent ? { cpuMsPer1000Events: 500 + 5 * wobble(i, 2) + 2 * wobble(i, 5) } : {}),
      },
    })),
  });
}

// Presets of the store tests: one run each, told apart by their CPU value.

export const STORE_ENV: Environment = {
  ...ENVIRONMENT,
  kernel: '6.18.0-1-cloud-amd64',
  os: 'Debian GNU/Linux 13',
  memoryBytes: 8 * 1024 ** 3,
  runtime: { kind: 'docker', version: '26.1.5' },
  collectorImage: 'collector:test',
  collectorImageId: 'sha256:abc',
};

export const STORE_ENV_KEY = 'linux-6.18_core_bpf_2cpu_x86_64';

export function storedResult(opts: {
  createdAt: string;
  sha?: string | null;
  cpu?: number;
  benchmark?: string;
  pr?: number | null;
  ref?: string | null;
  env?: Partial<Environment>;
}): ResultFile {
  return resultFile({
    benchmark: opts.benchmark,
    createdAt: opts.createdAt,
    sha: opts.sha === undefined ? '0123456789abcdef0123' : opts.sha,
    ref: opts.ref ?? 'refs/heads/main',
    pr: opts.pr ?? null,
    env: { ...STORE_ENV, ...opts.env },
    runs: [{ cpu: opts.cpu ?? 10, mem: 1e6 }],
    samplesPerRun: 3,
  });
}

/** `2026-01-01T00:<i>:00Z` timestamps, one minute apart, increasing with i. */
export function at(i: number): string {
  return new Date(Date.UTC(2026, 0, 1, 0, i, 0)).toISOString();
}

export function cpuOf(r: ResultFile): number {
  return r.runs[0].summary!.cpuPercent.windowMean;
}

// Presets of the report tests: result files of a PR check, with workload rates, canary figures and drops.

export interface ReportResultOptions {
  benchmark?: string;
  sha?: string;
  createdAt?: string;
  runs?: number;
  /** Steady CPU level in % of one core, and memory level in MiB. */
  cpu?: number;
  memMiB?: number;
  /** Run indexes (0-based) marked invalid, with this reason. */
  invalid?: number[];
  invalidReason?: string;
  /** The first run is a warm-up run. */
  warmup?: boolean;
  seed?: number;
  kernel?: string;
  /** Give each run a canary latency and process signal loss (an invalid run has no canary latency). */
  canary?: boolean;
  /** Leave the collector's `drops` counter out (a run whose metrics were not scraped). */
  noDrops?: boolean;
  samplesPerRun?: number;
}

export function reportResult(opts: ReportResultOptions = {}): ResultFile {
  const rand = mulberry32(opts.seed ?? 1);
  const runs: RunSpec[] = Array.from({ length: opts.runs ?? 5 }, (_, i) => {
    const invalid = opts.invalid?.includes(i) ?? false;
    const events = 12000 + Math.round(rand() * 500);
    return {
      cpu: (opts.cpu ?? 3) * (0.92 + 0.16 * rand()),
      mem: (opts.memMiB ?? 50) * (0.95 + 0.1 * rand()) * MiB,
      warmupRun: (opts.warmup ?? false) && i === 0,
      valid: !invalid,
      invalidReason: invalid ? (opts.invalidReason ?? 'canary event not seen within 30 s') : undefined,
      timeToReadyMs: 2400 + Math.round(rand() * 800),
      workloads: [
        {
          name: 'processes',
          type: 'processes',
          achieved: { spawned: 12000, arrival_rate: 190 + rand() * 8 },
          exitCode: 0,
        },
        { name: 'endpoints', type: 'endpoints', achieved: { ports: 812, rate: 80 + rand() * 5 }, exitCode: 0 },
      ],
      collectorMetrics: opts.noDrops ? { events } : ({ events, drops: i === 2 ? 17 : 0 } as Record<string, number>),
      ...(opts.canary
        ? {
            canaryLatencyMs: invalid ? null : 9 + ((i * 7) % 6),
            processLoss: {
              spawned: 1965 + i,
              received: 1965 + i - (i === 2 ? 20 : 0),
              lossRatio: i === 2 ? 20 / (1965 + i) : 0,
            },
          }
        : {}),
    };
  });
  return resultFile({
    benchmark: opts.benchmark ?? 'processes-endpoints',
    createdAt: opts.createdAt ?? '2026-11-22T20:40:00.000Z',
    sha: opts.sha ?? '9f3c2a1b7d4e5f60718293a4b5c6d7e8f9012345',
    ref: 'refs/pull/42/merge',
    pr: 42,
    seed: opts.seed,
    samplesPerRun: opts.samplesPerRun ?? 55, // with the anchor sample: 56 steady samples, as a 60 s load window gives
    env: {
      kernel: opts.kernel ?? '5.15.0-1071-gcp',
      os: 'Ubuntu 22.04.5 LTS',
      cpuModel: 'AMD EPYC 7B12',
      memoryBytes: 8 * 1024 * MiB,
      runtime: { kind: 'docker', version: '26.1.5' },
      collectorImage: 'quay.io/stackrox-io/collector:3.21.0',
      collectorImageId: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    },
    config: { runs: opts.runs ?? 5 },
    runs,
  });
}

/** Three baseline files and one candidate with higher CPU and lower memory, as a comparison of them would see them. */
export function reportScenario(): { baseline: ResultFile[]; candidate: ResultFile } {
  // The oldest baseline file predates the drops scrape, the newer ones predate the canary figures.
  const baseline = ['a1b2c3d', 'b2c3d4e', 'c3d4e5f'].map((sha, i) =>
    reportResult({
      sha: sha + '0'.repeat(33),
      createdAt: `2026-11-${10 + i}T08:00:00.000Z`,
      cpu: 3.2,
      memMiB: 53,
      seed: 10 + i,
      noDrops: i === 0,
    }),
  );
  const candidate = reportResult({ cpu: 4.7, memMiB: 42, seed: 99, invalid: [3], warmup: true, runs: 6, canary: true });
  return { baseline, candidate };
}
