/**
 * The benchmark configuration: one YAML file (default `bench.config.yaml`), then COLLECTOR_BENCH_*
 * environment variables, then flags. Every key is documented in the README's config reference.
 */
import { z } from 'zod';
import { FloorsSchema } from '../stats/floors.js';
import { DecidingMetricSchema } from '../contracts/deciding-metric.js';
import { AlphaSchema, MinRunsSchema } from '../stats/options.js';
import { deliveryRegexError, fillDeliveryRegex, regexError } from './delivery-regex.js';

/** A check that a regular expression compiles (with `error` its compile error, or null), naming the engine's complaint. */
const compiles =
  (error: (re: string) => string | null) =>
  (re: string, ctx: z.RefinementCtx): void => {
    const err = error(re);
    if (err)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `a JavaScript regular expression that compiles (${err})` });
  };

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
    logRegex: z.string().min(1).superRefine(compiles(regexError)).nullable().default(null),
    timeoutSeconds: z.number().positive().max(3600).default(60),
  })
  .strict();

/**
 * How the harness checks that the agent under test delivers the events it sees (the canary after
 * ready, and the workload's processes for loss). Null means `sensor` while `sensor.enabled`, else `none`.
 */
export const DeliverySchema = z.discriminatedUnion('via', [
  z.object({ via: z.literal('sensor') }).strict(),
  z
    .object({
      via: z.literal('log'),
      regex: z
        .string()
        .min(1)
        .superRefine((re, ctx) => {
          if (deliveryRegexError(re)) return compiles(deliveryRegexError)(re, ctx);
          if (!re.includes('{canary}'))
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              message:
                "a regular expression containing {canary} (the canary's name; {stub}, the workload stub's path, for loss)",
            });
          // With both placeholders matching nothing, a regex that still matches a line would take any line for the canary.
          else if (fillDeliveryRegex(re, { canary: null, stub: null }).test(''))
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              message:
                'a regular expression that needs {canary} (or {stub}) to match: this one matches an empty line without them, so any line would count as the canary',
            });
        }),
    })
    .strict(),
  z
    .object({
      via: z.literal('metrics'),
      counter: z
        .string()
        .regex(
          /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{\s*[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\s*\})?$/,
          'a Prometheus series: a counter name, optionally with labels, e.g. falcosecurity_falco_events_total or rox_collector_events{type="kernel"}',
        ),
    })
    .strict(),
  z.object({ via: z.literal('none') }).strict(),
]);
export type Delivery = z.infer<typeof DeliverySchema>;

export const CollectorSchema = z
  .object({
    /** Image to benchmark; null means our reference collector, built locally. */
    image: z.string().min(1).nullable().default(null),
    /** Process runtime: the argv that starts the collector; null means the reference collector. */
    command: z.array(z.string()).min(1).nullable().default(null),
    /** Arguments after the image's entrypoint (docker) or after collector.command (process), e.g. an agent's flags. */
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    /** Full privileges; where the host cannot grant them, falls back to all caps but SYS_RESOURCE. */
    privileged: z.boolean().default(false),
    capabilities: z.array(z.string().regex(/^[A-Z_]+$/, 'capability names like SYS_ADMIN')).default([]),
    mounts: z.array(MountSchema).default([]),
    /** See every process of the host, as a node agent does. */
    hostPid: z.boolean().default(true),
    /**
     * Run the agent with a terminal (Docker `Tty`, a pty for a local process) so that libc
     * line-buffers its stdout: a block-buffered agent's log delivery otherwise measures its buffer.
     */
    tty: z.boolean().default(false),
    network: z.enum(['host', 'none']).default('host'),
    readiness: ReadinessSchema.default({}),
    metricsUrl: z.string().url().nullable().default('http://127.0.0.1:9090/metrics'),
    /** core_bpf | procfs | auto (reference collector: core_bpf where bpftrace works here, else procfs). */
    collectionMethod: z.string().min(1).default('auto'),
    delivery: DeliverySchema.nullable().default(null),
  })
  .strict();

/** The seed schedule's base unless the config or `--seed` says otherwise (any fixed number does). */
export const DEFAULT_WORKLOAD_SEED = 20_261_207;

/** A Linux CPU list (`1`, `0-1`, `0,2-3`); the same rule as runtime/cpu-pinning.ts's CPU_LIST. */
const CpuListSchema = z.string().regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'a CPU list such as 1, 0-1 or 0,2-3');

/**
 * CPU pinning (cpusets) of the agent, the workloads and the harness (the mock sensor, samplers and
 * this process). Unset roles run anywhere; null (the default) pins nothing.
 */
export const PinSchema = z
  .object({ agent: CpuListSchema.optional(), workloads: CpuListSchema.optional(), harness: CpuListSchema.optional() })
  .strict();
export type Pin = z.infer<typeof PinSchema>;

export const RunConfigSchema = z
  .object({
    runs: z.number().int().min(1).max(1000).default(5),
    /** Extra runs at the start whose results are kept but not compared (cold page cache, JIT). */
    warmupRuns: z.number().int().min(0).max(10).default(1),
    warmupSeconds: z.number().min(0).max(3600).default(5),
    loadSeconds: z.number().min(2).max(86_400).default(20),
    /** Start of the load window left out of the run's value: the collector's CPU peaks while the workloads start. */
    rampSeconds: z.number().min(0).max(3600).default(3),
    sampleIntervalMs: z.number().int().min(100).max(60_000).default(1000),
    workloads: z.array(z.string().min(1)).min(1).default(['workloads/processes.toml', 'workloads/endpoints.toml']),
    /** Interleave runs with no collector at all, so each measured run has a no-agent neighbour (the agent's overhead). */
    overhead: z.boolean().default(false),
    /** Leak hunting: one run with one load window this long (minutes), reported as a memory slope and chart. */
    soakMinutes: z.number().positive().max(1440).nullable().default(null),
    /**
     * A/B only: minutes the session may take (`--budget`); pairs are added while the CPU verdict is
     * open and stop at the first look that decides (group-sequential, src/stats/sequential-ab.ts).
     */
    budgetMinutes: z.number().positive().max(1440).nullable().default(null),
    /** Switch kernel.bpf_stats_enabled on during load windows to price the collector's BPF programs. */
    bpfStats: z.boolean().default(true),
    /**
     * Base of the workload seed schedule (run/plans.ts, seedSchedule): run k of every session draws
     * seed k, so sessions compared with each other draw the same workloads. null: a new base per session.
     */
    seed: z.number().int().min(0).max(1_000_000_000).nullable().default(DEFAULT_WORKLOAD_SEED),
    pin: PinSchema.nullable().default(null),
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
    alpha: AlphaSchema,
    minRuns: MinRunsSchema,
    /** The floors of src/stats/floors.ts (their one definition), e.g. `floors: { cpu: { absolute: 1, relative: 0.05 } }`. */
    floors: FloorsSchema.default({}),
    /**
     * The CPU measure whose verdict enters the overall one (stats/deciding.ts): `cpuPercent` (CPU %
     * of a core over the load) or `cpuMsPer1000Events` (CPU per 1,000 delivered events, load start to
     * drained). The other is compared and shown. BPF CPU % decides whichever is chosen, BPF ns per
     * event is shown beside it (stats/deciding.ts says why). Unset: the mode's default, CPU per
     * 1,000 events for a budgeted A/B run where delivery counts events (app/budgeted-ab.ts
     * `budgetMetric`, recorded with its design), CPU % of a core otherwise (stats/deciding.ts).
     */
    deciding: DecidingMetricSchema.optional(),
    /**
     * What a budgeted interleaved A/B run's looks adjust the deciding metric's pair log-ratios for
     * (stats/covariate-adjustment.ts): `workloads`, the workloads' own CPU (their cgroups' CPU less
     * the BPF programs'), which the same seeded work spends in both runs of a pair, so its log-ratio
     * is how fast the machine was; `none` decides on the raw log-ratios. Duet pairs share one window
     * and are never adjusted.
     */
    covariate: z.enum(['workloads', 'none']).default('workloads'),
    /**
     * When a budgeted A/B run stops adding pairs: `deciding`, at the first look that decides the
     * deciding CPU measure (memory and the other metrics are then compared on the pairs run so far);
     * `overall`, when that look leaves the overall verdict open (memory inconclusive on 6 pairs, say)
     * the pairs go on, the CPU verdict held as decided, until the overall verdict is decided at a
     * later scheduled look or the budget's last pair (app/budgeted-ab.ts says why and what it costs).
     * Unset: `overall` for a budgeted run (the measured default design; app/budgeted-ab.ts
     * `stopRule`); a run of a fixed number of pairs has no early stop either way.
     */
    stopWhen: z.enum(['deciding', 'overall']).optional(),
  })
  .strict();

/** What a profile holds one scenario to instead of the scenario file's own expectations (written for the reference collector). */
const ScenarioExpectSchema = z
  .object({
    outcome: z.enum(['exit', 'ready', 'invalid-run', 'valid-run']).optional(),
    exitCode: z.number().int().nullable().optional(),
    /** Substring of the last FATAL line; null: no FATAL line at all. */
    fatal: z.string().nullable().optional(),
    /** A line of the agent's log must match this (multi-line mode: ^ and $ are line ends). */
    logRegex: z.string().min(1).superRefine(compiles(regexError)).optional(),
    /** After ready: the canary exec must reach the mock sensor (only agents that speak its protocol). */
    canary: z.boolean().optional(),
    maxSeconds: z.number().positive().max(600).optional(),
  })
  .strict();

/**
 * Which scenarios (scenarios/*.yaml) apply to the agent a profile describes, and what each expects.
 * Scenarios not applicable are reported as skipped with the reason, never as passed.
 */
export const ScenarioPlanSchema = z
  .object({
    /** Scenarios named neither in `expect` nor in `skip`: run with the file's expectations, or skip. */
    unlisted: z.enum(['run', 'skip']).default('run'),
    expect: z.record(z.string(), ScenarioExpectSchema).default({}),
    /** Scenario name -> why it does not apply to this agent. */
    skip: z.record(z.string(), z.string().min(1)).default({}),
  })
  .strict();
export type ScenarioPlan = z.infer<typeof ScenarioPlanSchema>;

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
    scenarios: ScenarioPlanSchema.default({}),
    /** Where results go; null means results/<benchmark>-<timestamp>.json. */
    out: z.string().nullable().default(null),
  })
  .strict()
  .superRefine((c, ctx) => {
    const via = c.collector.delivery?.via;
    if (via === 'sensor' && !c.sensor.enabled)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['collector', 'delivery', 'via'],
        message:
          '"log", "metrics" or "none" while sensor.enabled is false (delivery via the sensor needs the mock sensor)',
      });
    if (via === 'metrics' && c.collector.metricsUrl === null)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['collector', 'delivery', 'via'],
        message: '"sensor", "log" or "none" while collector.metricsUrl is null (delivery via metrics scrapes it)',
      });
  });

export type Config = z.infer<typeof ConfigSchema>;
