/**
 * Synthetic, schema-valid result files for tests of the comparison and the reports. Each run gets
 * plausible per-second samples: a few warm-up samples (negative t), the load's ramp-up (elevated,
 * excluded like the real one), a steady window whose MEDIAN and WINDOW MEAN are both exactly the
 * requested value (an anchor sample at the value, then noise in +d/-d pairs around it), and one
 * sample in the final second of the load window (excluded, as the sampler's last one is).
 * Summaries are computed with the real summarizeRun, so the file is what the harness would write.
 */
import {
  RESULT_SCHEMA,
  ResultFileSchema,
  type Environment,
  type ResultFile,
  type Run,
  type Sample,
} from '../../src/contracts/result.js';
import { mulberry32 } from '../../src/stats/prng.js';
import { DEFAULT_RAMP_MS, summarizeRun } from '../../src/stats/summary.js';

export interface SyntheticRun {
  cpuMedian: number; // percent of one core: the run's median and window mean alike
  memMedian: number; // bytes, likewise
  rssMedian?: number;
  valid?: boolean; // default true
  warmupRun?: boolean; // default false
}

export interface SyntheticResultOptions {
  benchmark?: string; // default "default"
  sha?: string | null; // default a fixed fake sha
  ref?: string | null;
  pr?: number | null;
  createdAt?: string; // default 2026-01-01T00:00:00.000Z
  runs: SyntheticRun[];
  env?: Partial<Omit<Environment, 'runtime'>> & { runtime?: Partial<Environment['runtime']> };
  seed?: number; // default 1: same options, same file
  /** Steady-state samples per run (odd, so the median is one sample); default 21. */
  samplesPerRun?: number;
  /** Relative spread of the per-second samples around the run's median; default 0.1. */
  sampleSpread?: number;
}

export const DEFAULT_ENVIRONMENT: Environment = {
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

/**
 * Samples around exact values: the first (which only anchors the window's start) sits at the value,
 * and pairs of value*(1 +- d) keep both the middle sample and the interval-weighted mean at it.
 */
function steadySamples(run: SyntheticRun, count: number, spread: number, random: () => number): Sample[] {
  const half = (count - 1) / 2;
  const cpu: number[] = [];
  const mem: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < half; i++) {
    const d = spread * (0.05 + random()); // strictly positive: the median stays exact
    cpu.push(run.cpuMedian * (1 + d), run.cpuMedian * (1 - d));
    const dm = spread * 0.2 * (0.05 + random());
    mem.push(run.memMedian * (1 + dm), run.memMedian * (1 - dm));
    if (run.rssMedian !== undefined) rss.push(run.rssMedian * (1 + dm), run.rssMedian * (1 - dm));
  }
  // Shuffle the order in time (Fisher-Yates), keeping the three series aligned.
  const order = cpu.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const anchor: Sample = {
    t: DEFAULT_RAMP_MS,
    cpuPercent: run.cpuMedian,
    memoryBytes: run.memMedian,
    ...(run.rssMedian === undefined ? {} : { rssBytes: run.rssMedian }),
  };
  return [
    anchor,
    ...order.map((k, i) => ({
      t: DEFAULT_RAMP_MS + (i + 1) * 1000,
      cpuPercent: cpu[k],
      memoryBytes: Math.round(mem[k]),
      ...(run.rssMedian === undefined ? {} : { rssBytes: Math.round(rss[k]) }),
    })),
  ];
}

/** The load's ramp-up: the collector busy with the workloads starting (left out of the value). */
function rampSamples(run: SyntheticRun): Sample[] {
  const out: Sample[] = [];
  for (let t = 0; t < DEFAULT_RAMP_MS; t += 1000)
    out.push({ t, cpuPercent: run.cpuMedian * 2.5, memoryBytes: Math.round(run.memMedian * 0.9) });
  return out;
}

export function syntheticResult(options: SyntheticResultOptions): ResultFile {
  const random = mulberry32(options.seed ?? 1);
  const count = options.samplesPerRun ?? 21;
  if (count < 1 || count % 2 === 0) throw new RangeError(`samplesPerRun must be odd and >= 1, got ${count}`);
  const spread = options.sampleSpread ?? 0.1;
  // Ramp, then steady samples at ramp..ramp+(count-1) s, then the excluded last second.
  const durationMs = DEFAULT_RAMP_MS + (count + 1) * 1000;
  const createdAt = options.createdAt ?? '2026-01-01T00:00:00.000Z';
  const epoch = Date.parse(createdAt);

  const runs: Run[] = options.runs.map((run, index) => {
    const startMs = epoch + index * (durationMs + 10_000);
    const samples: Sample[] = [
      // Warm-up: the collector is still settling, well above its steady state.
      { t: -2000, cpuPercent: run.cpuMedian * 3, memoryBytes: Math.round(run.memMedian * 1.5) },
      { t: -1000, cpuPercent: run.cpuMedian * 2, memoryBytes: Math.round(run.memMedian * 1.2) },
      ...rampSamples(run),
      ...steadySamples(run, count, spread, random),
      // In the final second of the load window: excluded from the steady state.
      { t: durationMs - 500, cpuPercent: run.cpuMedian * 0.2, memoryBytes: Math.round(run.memMedian) },
    ];
    return {
      index,
      warmupRun: run.warmupRun ?? false,
      startedAt: new Date(startMs - 5000).toISOString(),
      timeToReadyMs: 1200,
      loadWindow: { startMs, endMs: startMs + durationMs },
      samples,
      summary: summarizeRun(samples, durationMs),
      workloads: [{ name: 'processes', type: 'processes', achieved: { rate: 200 }, exitCode: 0 }],
      collectorMetrics: { events: 12_000, drops: 0 },
      context: { hostCpuPercent: null, workloadCpuPercent: null },
      valid: run.valid ?? true,
      invalidReason: run.valid === false ? 'synthetic: marked invalid' : null,
      collectorExitCode: null,
    };
  });

  const { runtime, ...envRest } = options.env ?? {};
  const environment: Environment = {
    ...DEFAULT_ENVIRONMENT,
    ...envRest,
    runtime: { ...DEFAULT_ENVIRONMENT.runtime, ...runtime },
  };

  return ResultFileSchema.parse({
    schema: RESULT_SCHEMA,
    benchmark: options.benchmark ?? 'default',
    createdAt,
    git: {
      sha: options.sha === undefined ? '0123456789abcdef0123456789abcdef01234567' : options.sha,
      ref: options.ref ?? null,
      pr: options.pr ?? null,
    },
    environment,
    config: { synthetic: true },
    runs,
    complete: true,
  });
}
