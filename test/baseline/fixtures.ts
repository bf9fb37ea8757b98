/** Valid results files for the baseline store tests. */
import { RESULT_SCHEMA, type Environment, type ResultFile } from '../../src/contracts/result.js';

export const ENV: Environment = {
  kernel: '6.18.0-1-cloud-amd64',
  os: 'Debian GNU/Linux 13',
  cpuModel: 'Test CPU',
  cpus: 2,
  memoryBytes: 8 * 1024 ** 3,
  arch: 'x86_64',
  runtime: { kind: 'docker', version: '26.1.5' },
  collectionMethod: 'core_bpf',
  collectorImage: 'collector:test',
  collectorImageId: 'sha256:abc',
  cgroupVersion: 'v1',
};

export const ENV_KEY = 'linux-6.18_core_bpf_2cpu_x86_64';

/** A result whose CPU value is `cpu`, so tests can tell results apart after reading them back. */
export function makeResult(opts: {
  createdAt: string;
  sha?: string | null;
  cpu?: number;
  benchmark?: string;
  pr?: number | null;
  ref?: string | null;
  env?: Partial<Environment>;
}): ResultFile {
  const cpu = opts.cpu ?? 10;
  const m = (v: number) => ({ windowMean: v, mean: v, median: v, p95: v, max: v, n: 3 });
  return {
    schema: RESULT_SCHEMA,
    benchmark: opts.benchmark ?? 'default',
    createdAt: opts.createdAt,
    git: {
      sha: opts.sha === undefined ? '0123456789abcdef0123' : opts.sha,
      ref: opts.ref ?? 'refs/heads/main',
      pr: opts.pr ?? null,
    },
    environment: { ...ENV, ...opts.env },
    config: { runs: 1 },
    runs: [
      {
        index: 0,
        warmupRun: false,
        startedAt: opts.createdAt,
        timeToReadyMs: 1000,
        loadWindow: { startMs: 0, endMs: 3000 },
        samples: [{ t: 0, cpuPercent: cpu, memoryBytes: 1e6 }],
        summary: {
          window: { fromMs: 0, toMs: 2000, rampMs: 0 },
          cpuPercent: m(cpu),
          memoryBytes: { ...m(1e6), end: 1e6 },
        },
        workloads: [],
        collectorMetrics: {},
        context: {},
        valid: true,
        invalidReason: null,
        collectorExitCode: null,
      },
    ],
    complete: true,
    mode: 'single',
  };
}

/** `2026-01-01T00:00:<i>Z`-style timestamps, one minute apart, increasing with i. */
export function at(i: number): string {
  return new Date(Date.UTC(2026, 0, 1, 0, i, 0)).toISOString();
}

export function cpuOf(r: ResultFile): number {
  return r.runs[0].summary!.cpuPercent.windowMean;
}
