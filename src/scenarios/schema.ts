/**
 * A scenario file (`scenarios/*.yaml`): how the mock sensor behaves, how the collector is started
 * (env overrides, capabilities), and what must be observed. Teams add their own scenarios by
 * dropping a file in the folder; the format is documented in scenarios/README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { zodToInputError } from '../config/zod-errors.js';
import { DriverBehaviourSchema } from '../sensor/kernel-object-server.js';

const EnvSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string());

const DiagnosticsExpectSchema = z
  .object({
    connected: z.boolean().nullable().optional(),
    driverAvailable: z.boolean().nullable().optional(),
    /** true/false (old format), a driver name (new format), or null (no block). */
    driverLoaded: z.union([z.boolean(), z.string()]).nullable().optional(),
    format: z.enum(['old', 'new']).nullable().optional(),
    candidates: z
      .array(z.object({ name: z.string(), available: z.boolean() }).strict())
      .nullable()
      .optional(),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    /** Must equal the file name without `.yaml`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-"'),
    description: z.string().min(1),
    /** startup: start the collector once and watch it start or fail. benchmark: a real benchmark run (runBenchmark). */
    kind: z.enum(['startup', 'benchmark']).default('startup'),
    sensor: z
      .object({
        /** false: the collector's GRPC_SERVER points at a loopback port where nothing listens. */
        grpc: z.boolean().default(true),
        /** How the kernel-object endpoint answers (see src/sensor/kernel-object-server.ts). */
        driver: DriverBehaviourSchema.default({ mode: 'serve' }),
      })
      .strict()
      .default({}),
    collector: z
      .object({
        collectionMethod: z.enum(['core_bpf', 'procfs']).default('core_bpf'),
        /** Env for both runtimes. Values may use {scenarioDir} (this file's folder). */
        env: EnvSchema.default({}),
        docker: z
          .object({
            capabilities: z
              .array(z.string().regex(/^[A-Z_]+$/, 'capability names like SYS_ADMIN'))
              .default(['SYS_ADMIN']),
            /** Bind-mount /sys/kernel/tracing and /sys/kernel/debug (bpftrace needs them). */
            tracefs: z.boolean().default(true),
            env: EnvSchema.default({}),
          })
          .strict()
          .default({}),
        process: z
          .object({ env: EnvSchema.default({}) })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    /** kind: benchmark only. */
    benchmark: z
      .object({
        workloads: z.array(z.string().min(1)).min(1).default(['workloads/processes.toml']),
        warmupSeconds: z.number().min(0).max(60).default(0),
        loadSeconds: z.number().min(2).max(120).default(4),
        /** Kill the collector (SIGKILL, like an OOM kill or a node-agent crash) this long into the load window; null: never. */
        killAfterLoadSeconds: z.number().min(0).nullable().default(null),
      })
      .strict()
      .optional(),
    expect: z
      .object({
        /** exit: the collector exits by itself; ready: it answers /ready; invalid-run / valid-run: the benchmark run's verdict. */
        outcome: z.enum(['exit', 'ready', 'invalid-run', 'valid-run']),
        exitCode: z.number().int().nullable().optional(),
        /** Substring of the last FATAL line; null: no FATAL line at all. */
        fatal: z.string().nullable().optional(),
        diagnostics: DiagnosticsExpectSchema.optional(),
        downloadAttempts: z.number().int().min(0).optional(),
        minHttp404Warnings: z.number().int().min(0).optional(),
        minHttpFailureWarnings: z.number().int().min(0).optional(),
        /** Kernel-object requests the mock sensor answered (all paths together). */
        sensorRequests: z.number().int().min(0).optional(),
        /** After ready (or in the benchmark run): a canary exec must reach the sensor within 30 s. */
        canary: z.boolean().default(false),
        /** Regular expression the invalid run's reason must match. */
        invalidReason: z.string().optional(),
        /** A diagnostic bundle must have been written for the run. */
        bundle: z.boolean().optional(),
        /** Longest acceptable time from start to ready / exit (generous: the machine is shared). */
        maxSeconds: z.number().positive().max(600),
      })
      .strict(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.kind === 'benchmark' && !s.sensor.grpc)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['sensor', 'grpc'],
        message: 'true: a benchmark scenario needs a reachable sensor',
      });
    if (s.kind === 'benchmark' && !s.benchmark)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['benchmark'],
        message: 'kind: benchmark needs a benchmark section',
      });
    const forBench = s.expect.outcome === 'invalid-run' || s.expect.outcome === 'valid-run';
    if (forBench !== (s.kind === 'benchmark')) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['expect', 'outcome'],
        message: `kind ${s.kind} expects ${s.kind === 'benchmark' ? 'invalid-run or valid-run' : 'exit or ready'}`,
      });
    }
  });

export type Scenario = z.infer<typeof ScenarioSchema> & { file: string };

export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

function customIssueError(file: string, error: z.ZodError, data: unknown): InvalidInputError {
  const issue = error.issues[0];
  if (issue?.code === z.ZodIssueCode.custom) {
    let cur: unknown = data;
    for (const k of issue.path)
      cur = cur && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined;
    return new InvalidInputError(file, issue.path.join('.') || '(top level)', cur, issue.message);
  }
  return zodToInputError(file, error, data);
}

export function parseScenario(text: string, file: string): Scenario {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new InvalidInputError(file, '(file)', text.slice(0, 40), 'valid YAML', (e as Error).message);
  }
  const r = ScenarioSchema.safeParse(data);
  if (!r.success) throw customIssueError(file, r.error, data);
  const stem = basename(file).replace(/\.ya?ml$/, '');
  if (r.data.name !== stem)
    throw new InvalidInputError(file, 'name', r.data.name, `the file name without .yaml ("${stem}")`);
  return { ...r.data, file };
}

export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidInputError(file, '(file)', file, 'a readable scenario YAML file', (e as Error).message);
  }
  return parseScenario(text, file);
}

/** Every `*.yaml` in `dir`, sorted by name; `only` picks some by name (unknown names are an error). */
export function loadScenarios(dir = SCENARIOS_DIR, only?: string[]): Scenario[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const all = files.map((f) => loadScenarioFile(join(dir, f)));
  if (!only?.length) return all;
  const names = all.map((s) => s.name);
  for (const n of only) if (!names.includes(n)) throw new InvalidInputError('--only', 'scenario', n, names.join(', '));
  return only.map((n) => all.find((s) => s.name === n)!);
}

/** Replaces {scenarioDir} in env values. */
export function expandEnv(env: Record<string, string>, scenario: Pick<Scenario, 'file'>): Record<string, string> {
  const dir = dirname(resolve(scenario.file));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replaceAll('{scenarioDir}', dir)]));
}
