/**
 * berserker-compatible workload configuration: the TOML file, environment overrides
 * (`BERSERKER__WORKLOAD__ARRIVAL_RATE=...`), and the zod schemas that validate both.
 *
 * Key names and defaults follow stackrox/berserker's `WorkloadConfig`. Differences, on purpose:
 * - unknown keys are rejected (berserker ignores them) so that a typo such as `arival_rate` is
 *   reported instead of silently running with a default;
 * - `network.server` may be omitted, meaning "server and clients in this one process" (berserker
 *   requires it and runs either side alone), and `network.address` must be a loopback address
 *   (this project never sends traffic off the machine);
 * - `syscalls.syscall_nr` also accepts a syscall name (see `syscall-table.ts` for what is supported).
 */
import { readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { findSyscall, supportedSyscalls } from './syscall-table.js';

const positiveRate = z.number().positive().finite();

export const processesSchema = z
  .object({
    type: z.literal('processes'),
    /** Mean arrivals per second per worker (Poisson process). */
    arrival_rate: positiveRate,
    /** Each process lives Exp(departure_rate) seconds (only used when random_process = false). */
    departure_rate: positiveRate,
    /** true: exec a tiny stub with a random 7-character argument; false: a child held for its lifetime. */
    random_process: z.boolean(),
  })
  .strict();

const zipfSchema = z
  .object({
    type: z.literal('endpoints'),
    distribution: z.literal('zipf'),
    /** Largest range size; sizes are drawn from Zipf(n_ports, exponent) over 1..n_ports. */
    n_ports: z.number().int().min(1).max(64511),
    exponent: z.number().positive().finite(),
  })
  .strict();

const uniformSchema = z
  .object({
    type: z.literal('endpoints'),
    distribution: z.literal('uniform'),
    /** Sizes are drawn uniformly from lower..upper-1 (berserker's half-open Uniform::new). */
    lower: z.number().int().min(1).max(64511),
    upper: z.number().int().min(2).max(64512),
  })
  .strict()
  .refine((w) => w.upper > w.lower, { message: 'upper must be greater than lower', path: ['upper'] });

export const endpointsSchema = z.union([zipfSchema, uniformSchema]);

export const syscallsSchema = z
  .object({
    type: z.literal('syscalls'),
    /** Calls per second per worker (Poisson); ignored when tight_loop = true. */
    arrival_rate: z.number().nonnegative().finite().default(0),
    tight_loop: z.boolean().default(false),
    /** x86_64 syscall number (berserker) or name; default getpid. */
    syscall_nr: z.union([z.number().int().nonnegative(), z.string().min(1)]).default(39),
    /** "arg1=value1,arg2=value2" as in berserker; parsed and validated, kept for the report. */
    syscall_args: z.string().default(''),
  })
  .strict()
  .refine((w) => w.tight_loop || w.arrival_rate > 0, {
    message: 'arrival_rate must be > 0 unless tight_loop = true',
    path: ['arrival_rate'],
  })
  .refine((w) => findSyscall(w.syscall_nr) !== undefined, {
    message: `a supported syscall number or name: ${supportedSyscalls()}`,
    path: ['syscall_nr'],
  })
  .refine((w) => w.syscall_args.split(',').every((a) => a === '' || a.includes('=')), {
    message: 'syscall_args must look like "arg1=value1,arg2=value2"',
    path: ['syscall_args'],
  });

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

export const networkSchema = z
  .object({
    type: z.literal('network'),
    /** true: server only; false: clients only; omitted: both in this process. */
    server: z.boolean().optional(),
    address: z.string().regex(LOOPBACK, 'a loopback address (127.0.0.0/8, ::1 or localhost)'),
    target_port: z.number().int().min(1).max(65535),
    /** New dynamic connections per second per worker. */
    arrival_rate: positiveRate,
    /** Each dynamic connection lives Exp(departure_rate) seconds. */
    departure_rate: positiveRate,
    connections_static: z.number().int().nonnegative(),
    connections_dyn_max: z.number().int().nonnegative(),
    conns_per_addr: z.number().int().min(1).max(65535).default(100),
    /** Milliseconds between two sends; one connection (round robin) sends each time, as in berserker. */
    send_interval: z.number().int().min(1).default(100),
    /** At connections_dyn_max: true closes a random dynamic connection for the new one; false skips it. */
    preempt: z.boolean().default(false),
  })
  .strict();

const WORKLOAD_TYPES = ['processes', 'endpoints', 'syscalls', 'network'] as const;

const workloadSchema = z.union([processesSchema, endpointsSchema, syscallsSchema, networkSchema]);

export const workloadConfigSchema = z
  .object({
    /** Seconds a payload runs before it restarts (endpoints: how long each port range is held). */
    restart_interval: z.number().int().positive(),
    /** true: `workers` per CPU core; false: `workers` in total. */
    per_core: z.boolean().default(true),
    workers: z.number().int().min(1).default(1),
    /** Seconds; 0 = until stopped. */
    duration: z.number().nonnegative().finite().default(0),
    workload: workloadSchema,
  })
  .strict();

export type WorkloadConfig = z.infer<typeof workloadConfigSchema>;
export type ProcessesWorkload = z.infer<typeof processesSchema>;
export type EndpointsWorkload = z.infer<typeof endpointsSchema>;
export type SyscallsWorkload = z.infer<typeof syscallsSchema>;
export type NetworkWorkload = z.infer<typeof networkSchema>;
export type WorkloadType = (typeof WORKLOAD_TYPES)[number];

const ENV_PREFIX = 'BERSERKER__';

/** berserker's config crate with try_parsing(true): numbers and booleans become typed, the rest stays a string. */
export function parseEnvValue(raw: string): number | boolean | string {
  const t = raw.trim();
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  return raw;
}

/**
 * Applies `BERSERKER__A__B=value` overrides onto a parsed config object (mutates and returns it).
 * Returns the dotted keys that came from the environment, mapped to the variable's name.
 */
export function applyEnvOverrides(
  doc: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  file: string,
): Map<string, string> {
  const fromEnv = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const path = name.slice(ENV_PREFIX.length).toLowerCase().split('__');
    if (path.some((p) => p === '')) {
      throw new InvalidInputError(`env ${name}`, name, raw, 'BERSERKER__<KEY>[__<SUBKEY>]=<value>', `from ${file}`);
    }
    let node: Record<string, unknown> = doc;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i];
      const next = node[seg];
      if (next === undefined) node[seg] = {};
      else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        throw new InvalidInputError(
          `env ${name}`,
          path.slice(0, i + 1).join('.'),
          next,
          'a table to hold the nested key',
          `overriding ${file}`,
        );
      }
      node = node[seg] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = parseEnvValue(raw);
    // Tables on the way are attributed too, so an error about them still names the variable.
    for (let i = path.length; i >= 1; i--) {
      const key = path.slice(0, i).join('.');
      if (i === path.length || !fromEnv.has(key)) fromEnv.set(key, name);
    }
  }
  return fromEnv;
}

function valueAt(doc: unknown, path: (string | number)[]): unknown {
  let v: unknown = doc;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** Picks the most telling issue: for a union, the branch matching the given `type`/`distribution`. */
function pickIssue(issues: z.ZodIssue[], doc: unknown): z.ZodIssue {
  // A misspelt key shows up twice: as unknown and as its correct name missing. The unknown one,
  // with the list of allowed keys, is the message that helps.
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (issue.code !== 'invalid_union') return issue;
  const branches = issue.unionErrors.map((e) => e.issues);
  // A branch whose only complaint is not the discriminator is the one the user meant.
  const discriminators = new Set(['type', 'distribution']);
  const meant = branches.filter(
    (b) => !b.some((i) => i.code === 'invalid_literal' && discriminators.has(String(i.path[i.path.length - 1]))),
  );
  if (meant.length > 0) return pickIssue(meant[0], doc);
  const tail = issue.path.concat([]);
  const typeValue = valueAt(doc, [...tail, 'type']);
  if (!WORKLOAD_TYPES.includes(typeValue as WorkloadType)) {
    return {
      code: 'custom',
      path: [...tail, 'type'],
      message: `one of ${WORKLOAD_TYPES.map((t) => `"${t}"`).join(', ')}`,
    };
  }
  if (typeValue === 'endpoints') {
    return {
      code: 'custom',
      path: [...tail, 'distribution'],
      message: '"zipf" (with n_ports, exponent) or "uniform" (with lower, upper)',
    };
  }
  return pickIssue(branches[0], doc);
}

function describeAllowed(issue: z.ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `a ${issue.expected}`;
    case 'invalid_literal':
      return JSON.stringify(issue.expected);
    case 'invalid_enum_value':
      return issue.options.map((o) => JSON.stringify(o)).join(', ');
    case 'too_small':
      return `${issue.type === 'string' ? 'length ' : ''}${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      return `${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    case 'unrecognized_keys':
      return 'only known keys';
    default:
      return issue.message;
  }
}

function allowedKeysAt(path: (string | number)[], doc: unknown): string {
  const type = valueAt(doc, ['workload', 'type']);
  const keysOf = (s: z.AnyZodObject) => Object.keys(s.shape).join(', ');
  if (path.length === 0) return keysOf(workloadConfigSchema);
  if (type === 'processes') return keysOf(processesSchema);
  if (type === 'syscalls') return keysOf(syscallsSchema.innerType().innerType().innerType());
  if (type === 'network') return keysOf(networkSchema);
  const dist = valueAt(doc, ['workload', 'distribution']);
  return dist === 'uniform' ? keysOf(uniformSchema.innerType()) : keysOf(zipfSchema);
}

/** Validates an already-parsed document; errors name the file (or env variable), dotted key, value and what is allowed. */
export function validateWorkloadConfig(
  doc: unknown,
  file: string,
  fromEnv: Map<string, string> = new Map(),
): WorkloadConfig {
  const parsed = workloadConfigSchema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const issue = pickIssue(parsed.error.issues, doc);
  if (issue.code === 'unrecognized_keys') {
    const key = [...issue.path, issue.keys[0]].join('.');
    const source = fromEnv.has(key) ? `${file} (overridden by env ${fromEnv.get(key)})` : file;
    throw new InvalidInputError(
      source,
      key,
      valueAt(doc, [...issue.path, issue.keys[0]]),
      `one of the keys ${allowedKeysAt(issue.path, doc)}`,
      'unknown key',
    );
  }
  const key = issue.path.join('.');
  const source = fromEnv.has(key) ? `${file} (overridden by env ${fromEnv.get(key)})` : file;
  const value = valueAt(doc, issue.path);
  const allowed = describeAllowed(issue);
  throw new InvalidInputError(
    source,
    key || '(root)',
    value,
    allowed,
    issue.code === 'custom' || allowed === issue.message ? undefined : issue.message,
  );
}

/** Parses TOML text, applies env overrides, validates. `file` is used in messages only. */
export function parseWorkloadConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): WorkloadConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split('\n')[0];
      throw new InvalidInputError(
        `${file}:${e.line}:${e.column}`,
        '(syntax)',
        text.split('\n')[e.line - 1] ?? '',
        'valid TOML',
        first,
      );
    }
    throw e;
  }
  const fromEnv = applyEnvOverrides(doc, env, file);
  return validateWorkloadConfig(doc, file, fromEnv);
}

/** Reads a berserker TOML file, applies `BERSERKER__*` overrides from `env`, validates. */
export function loadWorkloadConfig(file: string, env: NodeJS.ProcessEnv = process.env): WorkloadConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidInputError(file, '(file)', file, 'a readable TOML file', (e as Error).message);
  }
  return parseWorkloadConfig(text, file, env);
}
