/**
 * The benchmark configuration: one YAML file (default `bench.config.yaml`), then COLLECTOR_BENCH_*
 * environment variables, then flags. Every key is documented in the README's config reference.
 */
import { z } from 'zod';
import { MiB } from '../units.js';

const MountSchema = z
  .object({
    source: z.string().min(1),
    target: z.string().startsWith('/'),
    readOnly: z.boolean().default(false),
  })
  .strict();

const ReadinessSchema = z
  .object({
    /** Poll this URL until it answers `status` (and, when given, a JSON body containing `json`). */
    http: z
      .object({
        url: z.string().url(),
        status: z.number().int().min(100).max(599).default(200),
        json: z.record(z.string(), z.unknown()).nullable().default(null),
      })
      .strict()
      .nullable()
      .default({ url: 'http://127.0.0.1:8080/ready', status: 200, json: { status: 'ok' } }),
    /** Or wait for a log line matching this regular expression. */
    logRegex: z.string().nullable().default(null),
    timeoutSeconds: z.number().positive().max(3600).default(60),
  })
  .strict();

export const CollectorSchema = z
  .object({
    /** Image to benchmark; null means our reference collector, built locally. */
    image: z.string().min(1).nullable().default(null),
    /** Process runtime: the argv that starts the collector; null means the reference collector. */
    command: z.array(z.string()).min(1).nullable().default(null),
    env: z.record(z.string(), z.string()).default({}),
    /** Full privileges; where the host cannot grant them, falls back to all caps but SYS_RESOURCE. */
    privileged: z.boolean().default(false),
    capabilities: z.array(z.string().regex(/^[A-Z_]+$/, 'capability names like SYS_ADMIN')).default([]),
    mounts: z.array(MountSchema).default([]),
    /** See every process of the host, as a node agent does. */
    hostPid: z.boolean().default(true),
    network: z.enum(['host', 'none']).default('host'),
    readiness: ReadinessSchema.default({}),
    metricsUrl: z.string().url().nullable().default('http://127.0.0.1:9090/metrics'),
    /** core_bpf | procfs | auto (reference collector: core_bpf where bpftrace works here, else procfs). */
    collectionMethod: z.string().min(1).default('auto'),
  })
  .strict();

export const RunConfigSchema = z
  .object({
    runs: z.number().int().min(1).max(1000).default(5),
    /** Extra runs at the start whose results are kept but not compared (cold page cache, JIT). */
    warmupRuns: z.number().int().min(0).max(10).default(1),
    warmupSeconds: z.number().min(0).max(3600).default(5),
    loadSeconds: z.number().min(2).max(86_400).default(20),
    sampleIntervalMs: z.number().int().min(100).max(60_000).default(1000),
    workloads: z.array(z.string().min(1)).min(1).default(['workloads/processes.toml', 'workloads/endpoints.toml']),
    /** Interleave runs with no collector at all, so each measured run has a no-agent neighbour (the agent's overhead). */
    overhead: z.boolean().default(false),
    /** Leak hunting: one run with one load window this long (minutes), reported as a memory slope and chart. */
    soakMinutes: z.number().positive().max(1440).nullable().default(null),
    /** Switch kernel.bpf_stats_enabled on during load windows to price the collector's BPF programs. */
    bpfStats: z.boolean().default(true),
  })
  .strict();

export const SensorConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    grpcAddress: z
      .string()
      .regex(/^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/, 'a loopback host:port')
      .default('127.0.0.1:9999'),
    httpAddress: z
      .string()
      .regex(/^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/, 'a loopback host:port')
      .default('127.0.0.1:9998'),
  })
  .strict();

export const CompareConfigSchema = z
  .object({
    /** A folder or gs://bucket/prefix. */
    baseline: z.string().min(1).default('baselines'),
    alpha: z.number().gt(0).lt(1).default(0.05),
    minRuns: z.number().int().min(2).default(3),
    cpuFloorPercentPoints: z.number().min(0).default(1),
    cpuFloorRelative: z.number().min(0).default(0.05),
    memoryFloorBytes: z
      .number()
      .min(0)
      .default(10 * MiB),
    memoryFloorRelative: z.number().min(0).default(0.05),
    /** A working-set slope must grow by this much (MiB per minute) to be a regression. */
    memoryGrowthFloorMiBPerMinute: z.number().min(0).default(1),
  })
  .strict();

export const ConfigSchema = z
  .object({
    benchmark: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"')
      .default('default'),
    runtime: z.enum(['auto', 'docker', 'process']).default('auto'),
    collector: CollectorSchema.default({}),
    run: RunConfigSchema.default({}),
    sensor: SensorConfigSchema.default({}),
    compare: CompareConfigSchema.default({}),
    /** Where results go; null means results/<benchmark>-<timestamp>.json. */
    out: z.string().nullable().default(null),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
