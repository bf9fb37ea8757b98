/**
 * A tiny builder of synthetic `ResultFile`s with per-second samples, for the report tests only
 * (the stats suites have their own). Deterministic: the same options give the same file.
 */
import { RESULT_SCHEMA, ResultFileSchema, type ResultFile, type Run } from '../../src/contracts/result.js';
import { mulberry32 } from '../../src/stats/prng.js';
import { summarizeRun } from '../../src/stats/summary.js';

const MIB = 1024 * 1024;

export interface BuildOptions {
  benchmark?: string;
  sha?: string;
  createdAt?: string;
  runs?: number;
  /** Seconds of load window per run. */
  seconds?: number;
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
  /**
   * Give each run a canary latency and process signal loss (newer result files have them). Fixed
   * values, not drawn from the seeded generator, so the other figures stay as they were. An invalid
   * run has no canary latency (its canary was not seen).
   */
  canary?: boolean;
  /** Leave the collector's `drops` counter out (a run whose metrics were not scraped). */
  noDrops?: boolean;
}

const rng = mulberry32;

export function buildResult(opts: BuildOptions = {}): ResultFile {
  const rand = rng(opts.seed ?? 1);
  const seconds = opts.seconds ?? 60;
  const createdAt = opts.createdAt ?? '2026-11-22T20:40:00.000Z';
  const t0 = Date.parse(createdAt);
  const runs: Run[] = [];
  for (let i = 0; i < (opts.runs ?? 5); i++) {
    const warmup = (opts.warmup ?? false) && i === 0;
    const level = (opts.cpu ?? 3) * (0.92 + 0.16 * rand());
    const mem = (opts.memMiB ?? 50) * (0.95 + 0.1 * rand());
    const samples = [];
    for (let s = -5; s <= seconds; s++) {
      // A start-up bump before the load window, then noise around the level and a slow memory climb.
      const cpu =
        s < 0 ? level * 3 : Math.max(0, level + (rand() - 0.5) * level * 0.4 + (s % 10 === 0 ? level * 0.5 : 0));
      const memory = (mem * (s < 0 ? 0.6 : 1 + (0.04 * s) / seconds) + (rand() - 0.5)) * MIB;
      samples.push({ t: s * 1000, cpuPercent: cpu, memoryBytes: memory });
    }
    const startMs = t0 + i * (seconds + 20) * 1000;
    const isInvalid = opts.invalid?.includes(i) ?? false;
    runs.push({
      index: i,
      warmupRun: warmup,
      startedAt: new Date(startMs - 8000).toISOString(),
      timeToReadyMs: 2400 + Math.round(rand() * 800),
      loadWindow: { startMs, endMs: startMs + seconds * 1000 },
      samples,
      summary: summarizeRun(samples, seconds * 1000),
      workloads: [
        {
          name: 'processes',
          type: 'processes',
          achieved: { spawned: 200 * seconds, arrival_rate: 190 + rand() * 8 },
          exitCode: 0,
        },
        { name: 'endpoints', type: 'endpoints', achieved: { ports: 812, rate: 80 + rand() * 5 }, exitCode: 0 },
      ],
      collectorMetrics: ((): Record<string, number> => {
        const events = 12000 + Math.round(rand() * 500);
        return opts.noDrops ? { events } : { events, drops: i === 2 ? 17 : 0 };
      })(),
      ...(opts.canary
        ? {
            canaryLatencyMs: isInvalid ? null : 9 + ((i * 7) % 6),
            processLoss: {
              spawned: 1965 + i,
              received: 1965 + i - (i === 2 ? 20 : 0),
              lossRatio: i === 2 ? 20 / (1965 + i) : 0,
            },
          }
        : {}),
      context: {},
      valid: !isInvalid,
      invalidReason: isInvalid ? (opts.invalidReason ?? 'canary event not seen within 30 s') : null,
      collectorExitCode: null,
    });
  }
  return ResultFileSchema.parse({
    schema: RESULT_SCHEMA,
    benchmark: opts.benchmark ?? 'processes-endpoints',
    createdAt,
    git: { sha: opts.sha ?? '9f3c2a1b7d4e5f60718293a4b5c6d7e8f9012345', ref: 'refs/pull/42/merge', pr: 42 },
    environment: {
      kernel: opts.kernel ?? '5.15.0-1071-gcp',
      os: 'Ubuntu 22.04.5 LTS',
      cpuModel: 'AMD EPYC 7B12',
      cpus: 2,
      memoryBytes: 8 * 1024 * MIB,
      arch: 'x86_64',
      runtime: { kind: 'docker', version: '26.1.5' },
      collectionMethod: 'core_bpf',
      collectorImage: 'quay.io/stackrox-io/collector:3.21.0',
      collectorImageId: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      cgroupVersion: 'v1',
    },
    config: { runs: opts.runs ?? 5 },
    runs,
  });
}

/** Three baseline files and one candidate with higher CPU, as a comparison of them would see them. */
export function buildScenario(): { baseline: ResultFile[]; candidate: ResultFile } {
  // The oldest baseline file predates the drops scrape, the newer ones predate the canary figures.
  const baseline = ['a1b2c3d', 'b2c3d4e', 'c3d4e5f'].map((sha, i) =>
    buildResult({
      sha: sha + '0'.repeat(33),
      createdAt: `2026-11-${10 + i}T08:00:00.000Z`,
      cpu: 3.2,
      memMiB: 53,
      seed: 10 + i,
      noDrops: i === 0,
    }),
  );
  const candidate = buildResult({ cpu: 4.7, memMiB: 42, seed: 99, invalid: [3], warmup: true, runs: 6, canary: true });
  return { baseline, candidate };
}
