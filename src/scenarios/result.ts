/**
 * What one scenario observed and whether that matched its expectations; the JSON file
 * `results/scenarios-<time>.json` (schema `collector-bench/scenarios@1`) holds a list of these.
 */
import { z } from 'zod';

export const SCENARIOS_SCHEMA = 'collector-bench/scenarios@1' as const;

const StartupReportSchema = z.object({
  banner: z
    .object({ version: z.string().nullable(), os: z.string().nullable(), kernel: z.string().nullable() })
    .nullable(),
  sensorAddress: z.string().nullable(),
  connected: z.boolean().nullable(),
  driverAvailable: z.boolean().nullable(),
  candidates: z.array(z.object({ name: z.string(), available: z.boolean() })).nullable(),
  driverLoaded: z.union([z.boolean(), z.string()]).nullable(),
  format: z.enum(['old', 'new']).nullable(),
  fatal: z.string().nullable(),
  downloadAttempts: z.number().nullable(),
  http404Warnings: z.number(),
  httpFailureWarnings: z.number(),
  readyLine: z.boolean(),
});

export const CheckSchema = z.object({
  name: z.string(),
  expected: z.string(),
  observed: z.string(),
  ok: z.boolean(),
});
export type Check = z.infer<typeof CheckSchema>;

export const ObservedSchema = z.object({
  /** exit | ready | timeout (neither within the limit) | invalid-run | valid-run | error (the harness failed). */
  outcome: z.enum(['exit', 'ready', 'timeout', 'invalid-run', 'valid-run', 'error', 'skipped']),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable().optional(),
  /** From the start of the collector to ready or to its exit. */
  seconds: z.number().nullable(),
  diagnostics: StartupReportSchema.nullable(),
  /** Kernel-object requests the mock sensor answered. */
  sensorRequests: z.number().int().nullable(),
  canaryLatencyMs: z.number().nullable(),
  /** kind: benchmark only. */
  run: z
    .object({
      valid: z.boolean(),
      invalidReason: z.string().nullable(),
      timeToReadyMs: z.number().nullable(),
      canaryLatencyMs: z.number().nullable().optional(),
      processLoss: z
        .object({ spawned: z.number(), received: z.number(), lossRatio: z.number().nullable() })
        .nullable()
        .optional(),
      collectorExitCode: z.number().int().nullable(),
      diagnosticBundle: z.string().nullable().optional(),
      logsFile: z.string().nullable().optional(),
    })
    .nullable(),
});
export type Observed = z.infer<typeof ObservedSchema>;

export const ScenarioResultSchema = z.object({
  name: z.string(),
  file: z.string(),
  kind: z.enum(['startup', 'benchmark']),
  runtime: z.enum(['docker', 'process']),
  /** False for a skipped scenario: skipped is never passed. */
  passed: z.boolean(),
  /** Why the scenario was not run (the profile declares it not applicable); null when it ran. */
  skipped: z.string().nullable().default(null),
  /** One line: what was expected (outcome, exit code, FATAL text, limit). */
  expected: z.string(),
  observed: ObservedSchema,
  checks: z.array(CheckSchema),
  /** The diagnostic bundle (failed scenarios, invalid runs), or null. */
  bundle: z.string().nullable(),
  /** This start's collector log, kept for the next invocation's "previous start". */
  logFile: z.string().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});
export type ScenarioResult = z.infer<typeof ScenarioResultSchema>;

export const ScenariosFileSchema = z.object({
  schema: z.literal(SCENARIOS_SCHEMA),
  createdAt: z.string(),
  runtime: z.object({ kind: z.enum(['docker', 'process']), version: z.string() }),
  collectorImage: z.string().nullable(),
  passed: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int().default(0),
  /** The profile (config file) whose scenario plan was applied, if any. */
  profile: z.string().nullable().default(null),
  durationMs: z.number(),
  results: z.array(ScenarioResultSchema),
});
export type ScenariosFile = z.infer<typeof ScenariosFileSchema>;
