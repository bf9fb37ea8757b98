/**
 * Resolves the configuration: file, then COLLECTOR_BENCH_* environment, then flags (flags win).
 * Every override names where it came from, so an error points at the flag or variable at fault.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { affinityOf, parseCpuList } from '../runtime/cpu-pinning.js';
import { InvalidInputError } from '../errors.js';
import { ConfigSchema, type Config } from './schema.js';
import { zodToInputError } from './zod-errors.js';

export const DEFAULT_CONFIG_FILE = 'bench.config.yaml';

/** One overridable setting: the flag (commander's camelCase name), its env variable and config path. */
interface Override {
  flag: string;
  env: string;
  path: string[];
  parse: (raw: string) => unknown;
}

const num = (raw: string) => (raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw);
const str = (raw: string) => raw;
const bool = (raw: string) =>
  /^(1|true|yes)$/i.test(raw.trim()) ? true : /^(0|false|no)$/i.test(raw.trim()) ? false : raw;
const list = (raw: string) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * `--delivery` / COLLECTOR_BENCH_DELIVERY: `sensor`, `none`, `log:<regex>`, `metrics:<series>`, or a
 * YAML flow mapping such as `{via: log, regex: "..."}`. Anything else reaches the schema as
 * `{via: <it>}`, whose error lists the allowed values.
 */
export function parseDeliveryOption(raw: string): unknown {
  const text = raw.trim();
  if (text.startsWith('{')) {
    try {
      return parseYaml(text) as unknown;
    } catch (e) {
      return { via: text, error: (e as Error).message };
    }
  }
  const colon = text.indexOf(':');
  const via = colon < 0 ? text : text.slice(0, colon);
  const arg = colon < 0 ? undefined : text.slice(colon + 1);
  if (via === 'log') return { via, regex: arg };
  if (via === 'metrics') return { via, counter: arg };
  return { via };
}

/** `--seed <n>` fixes the workload seed schedule's base; `--seed random` draws one per session. */
const seedOption = (raw: string) => (/^(random|null)$/i.test(raw.trim()) ? null : num(raw));

/**
 * `--pin agent=1,workloads=0,harness=0`: a role's CPU list may itself hold commas (`agent=0,2`),
 * so a comma starts a new role only where a role name follows. A part without `=` is kept as is,
 * for the schema to refuse naming the key.
 */
const pinOption = (raw: string) =>
  Object.fromEntries(
    raw
      .split(/,(?=\s*[a-z]+=)/)
      .filter((part) => part.trim() !== '')
      .map((part) => {
        const eq = part.indexOf('=');
        return eq < 0 ? [part.trim(), undefined] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
      }),
  );

export const OVERRIDES: Override[] = [
  { flag: 'benchmark', env: 'COLLECTOR_BENCH_BENCHMARK', path: ['benchmark'], parse: str },
  { flag: 'runtime', env: 'COLLECTOR_BENCH_RUNTIME', path: ['runtime'], parse: str },
  { flag: 'runs', env: 'COLLECTOR_BENCH_RUNS', path: ['run', 'runs'], parse: num },
  { flag: 'warmupRuns', env: 'COLLECTOR_BENCH_WARMUP_RUNS', path: ['run', 'warmupRuns'], parse: num },
  { flag: 'warmupSeconds', env: 'COLLECTOR_BENCH_WARMUP_SECONDS', path: ['run', 'warmupSeconds'], parse: num },
  { flag: 'loadSeconds', env: 'COLLECTOR_BENCH_LOAD_SECONDS', path: ['run', 'loadSeconds'], parse: num },
  { flag: 'rampSeconds', env: 'COLLECTOR_BENCH_RAMP_SECONDS', path: ['run', 'rampSeconds'], parse: num },
  {
    flag: 'sampleIntervalMs',
    env: 'COLLECTOR_BENCH_SAMPLE_INTERVAL_MS',
    path: ['run', 'sampleIntervalMs'],
    parse: num,
  },
  { flag: 'overhead', env: 'COLLECTOR_BENCH_OVERHEAD', path: ['run', 'overhead'], parse: bool },
  { flag: 'soak', env: 'COLLECTOR_BENCH_SOAK', path: ['run', 'soakMinutes'], parse: num },
  { flag: 'budget', env: 'COLLECTOR_BENCH_BUDGET', path: ['run', 'budgetMinutes'], parse: num },
  { flag: 'seed', env: 'COLLECTOR_BENCH_SEED', path: ['run', 'seed'], parse: seedOption },
  { flag: 'pin', env: 'COLLECTOR_BENCH_PIN', path: ['run', 'pin'], parse: pinOption },
  { flag: 'workloads', env: 'COLLECTOR_BENCH_WORKLOADS', path: ['run', 'workloads'], parse: list },
  { flag: 'collectorImage', env: 'COLLECTOR_BENCH_COLLECTOR_IMAGE', path: ['collector', 'image'], parse: str },
  {
    flag: 'collectionMethod',
    env: 'COLLECTOR_BENCH_COLLECTION_METHOD',
    path: ['collector', 'collectionMethod'],
    parse: str,
  },
  { flag: 'delivery', env: 'COLLECTOR_BENCH_DELIVERY', path: ['collector', 'delivery'], parse: parseDeliveryOption },
  { flag: 'baseline', env: 'COLLECTOR_BENCH_BASELINE', path: ['compare', 'baseline'], parse: str },
  { flag: 'alpha', env: 'COLLECTOR_BENCH_ALPHA', path: ['compare', 'alpha'], parse: num },
  { flag: 'out', env: 'COLLECTOR_BENCH_OUT', path: ['out'], parse: str },
];

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = target;
  for (const key of path.slice(0, -1)) {
    if (cur[key] === null || typeof cur[key] !== 'object' || Array.isArray(cur[key])) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = value;
}

export interface LoadedConfig {
  config: Config;
  file: string | null; // null when no file was found and the defaults were used
}

export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidInputError(file, '(file)', undefined, 'a readable YAML file', (e as Error).message);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    const where =
      e instanceof YAMLParseError && e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : undefined;
    throw new InvalidInputError(
      file,
      '(syntax)',
      undefined,
      'valid YAML',
      `${where ? `${where}: ` : ''}${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new InvalidInputError(
      file,
      '(top level)',
      data,
      'a mapping of keys (benchmark, runtime, collector, run, sensor, compare, scenarios, out)',
    );
  return data as Record<string, unknown>;
}

/**
 * The run's value averages the load window minus its ramp and its last second; that must leave at
 * least one sample interval, or every run would come out without a value.
 */
function checkSteadyWindow(config: Config, where: string): void {
  const { loadSeconds, rampSeconds, sampleIntervalMs } = config.run;
  const need = sampleIntervalMs / 1000;
  if (loadSeconds - rampSeconds - 1 < need)
    throw new InvalidInputError(
      where,
      'run.rampSeconds',
      rampSeconds,
      `at most ${Math.max(0, loadSeconds - 1 - need)} (loadSeconds ${loadSeconds} minus the excluded last second minus one sample interval of ${sampleIntervalMs} ms)`,
    );
}

/**
 * Every CPU that `run.pin` names must be one this harness may use (its own affinity: the machine's
 * CPUs, or fewer inside a cpuset): a missing one would fail deep inside Docker or taskset.
 */
function checkPin(config: Config, where: string): void {
  const pin = config.run.pin;
  if (!pin) return;
  const own = affinityOf(process.pid) ?? '';
  const allowed = new Set(parseCpuList(own) ?? []);
  for (const role of ['agent', 'workloads', 'harness'] as const) {
    const list = pin[role];
    const missing = list === undefined ? [] : (parseCpuList(list) ?? []).filter((c) => !allowed.has(c));
    if (missing.length)
      throw new InvalidInputError(
        where,
        `run.pin.${role}`,
        list,
        `CPUs this harness may use: ${own}`,
        `CPU ${missing.join(', ')} not among them`,
      );
  }
}

/**
 * @param flags values given on the command line, by commander's camelCase names (undefined = not given)
 * @param configFile an explicit --config; without it `bench.config.yaml` in cwd is used when present
 */
export function loadConfig(
  flags: Record<string, unknown> = {},
  configFile?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): LoadedConfig {
  const explicit = configFile ?? env.COLLECTOR_BENCH_CONFIG;
  const file = explicit
    ? resolve(cwd, explicit)
    : existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))
      ? resolve(cwd, DEFAULT_CONFIG_FILE)
      : null;
  if (explicit && !existsSync(file!))
    throw new InvalidInputError(explicit, '(file)', undefined, 'an existing YAML config file', 'file not found');
  const data: Record<string, unknown> = file ? readConfigFile(file) : {};

  // Validate the file alone first, so its errors name the file rather than a flag.
  const fromFile = ConfigSchema.safeParse(data);
  if (!fromFile.success) throw zodToInputError(file ?? '(defaults)', fromFile.error, data);

  const merged = structuredClone(data);
  const sources = new Map<string, string>();
  for (const o of OVERRIDES) {
    const raw = env[o.env];
    if (raw !== undefined && raw !== '') {
      setPath(merged, o.path, o.parse(raw));
      sources.set(o.path.join('.'), `environment variable ${o.env}`);
    }
  }
  for (const o of OVERRIDES) {
    const v = flags[o.flag];
    if (v !== undefined) {
      setPath(merged, o.path, typeof v === 'string' ? o.parse(v) : v);
      sources.set(o.path.join('.'), `flag --${o.flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
  }
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    // The longest overridden key that the failing key lies under (collector.delivery for collector.delivery.regex).
    const path = parsed.error.issues[0].path.map(String);
    const source = path.map((_, i) => sources.get(path.slice(0, path.length - i).join('.'))).find(Boolean);
    throw zodToInputError(source ?? file ?? '(defaults)', parsed.error, merged);
  }
  checkSteadyWindow(
    parsed.data,
    sources.get('run.rampSeconds') ?? sources.get('run.loadSeconds') ?? file ?? '(defaults)',
  );
  checkPin(parsed.data, sources.get('run.pin') ?? file ?? '(defaults)');
  return { config: parsed.data, file };
}
