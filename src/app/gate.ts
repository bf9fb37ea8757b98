/**
 * Validating the gate on this machine (`validate gate`, and `validate regression`, one condition
 * of it): repeated A/A comparisons and comparisons with regressions of known size injected through
 * the reference collector's knobs (run/gate-validation.ts). Every condition states the tolerance of
 * its rate; one that misses it fails the validation (exit 1), as the sampler's accuracy does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { EXIT_CODES, InvalidInputError } from '../errors.js';
import {
  formatGateTable,
  gateMisses,
  runGateValidation,
  summarizeGate,
  type GateCondition,
  type GateOutcome,
  type GateRow,
} from '../run/gate-validation.js';
import type { Progress } from '../run/progress.js';
import { compareResults } from '../stats/compare.js';
import { MiB } from '../units.js';
import { compareAbResult, compareOptionsFrom } from './compare.js';
import type { Printer } from './printer.js';

/**
 * The gate's timings, for `validate gate` and `validate regression` alike: the reference
 * collector's CPU settles 7-8 s into the load here (V8 tiering up its event path; every run's
 * samples show the step), so the window starts after 8 s.
 */
export const GATE_TIMINGS = { loadSeconds: '14', warmupSeconds: '1', rampSeconds: '8' };

/** The knobs that inject known regressions belong to the reference collector: validations refuse any other. */
export function requireReferenceCollector(config: Config): void {
  if (config.collector.image !== null || config.collector.command !== null)
    throw new InvalidInputError(
      'config',
      'collector.image',
      config.collector.image ?? config.collector.command,
      'null (the knobs belong to the reference collector)',
    );
}

export interface GateOptions {
  quick?: boolean;
  /** Comma list of `ab`, `history` (default both; `--quick`: ab). */
  modes?: string;
  /** Comma list of condition keys (`aa`, `cpu10`, `cpu25`, `mem20`; default all). */
  only?: string;
  repetitions?: string;
  pairs?: string;
  sessions?: string;
  sessionRuns?: string;
  loadSeconds?: string;
  warmupSeconds?: string;
  rampSeconds?: string;
  baseWorkFactor?: string;
  cpu10WorkFactor?: string;
  cpu25WorkFactor?: string;
  retainBytesPerEvent?: string;
  runtime?: string;
  collectionMethod?: string;
  outDir?: string;
}

/**
 * Knob values for this project's machine (core_bpf, 2 vCPU, 400 execs/s; README, "Does the gate
 * hold"). Every arm carries a base load of 100 work units per event, which lifts the collector from
 * about 12% to about 23% of a core: there the relative floor (5%) is the binding one, so +10% sits
 * at twice the floor instead of just above the 1-point absolute floor. Each unit adds about 0.13
 * points (one A/B calibration of 3 pairs on 2026-12-02, command in the README: 100 units added
 * 13.3 points on average, to 23.8%), so
 * +5%, +10% and +25% of 23.8% are about 9, 18 and 45 units more. Other machines and loads differ:
 * the table's "measured change" column shows what was actually injected.
 */
export const DEFAULT_KNOBS = {
  baseWorkFactor: 100,
  cpu5WorkFactor: 109,
  cpu10WorkFactor: 118,
  cpu25WorkFactor: 145,
  retainBytesPerEvent: 65_536,
};
const INJECTED_MEMORY_BYTES = 20 * MiB;

/** A whole-number flag of the validations, `dflt` when not given. */
export function positiveInt(flag: string, raw: string | undefined, dflt: number, min = 1): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new InvalidInputError(`flag --${flag}`, flag, raw, `a whole number >= ${min}`);
  return n;
}

/** The work factor every arm carries, the baseline's load. */
export function baseWorkFactor(opts: GateOptions): number {
  return positiveInt('base-work-factor', opts.baseWorkFactor, DEFAULT_KNOBS.baseWorkFactor, 0);
}

/** The condition keys `--only` takes, by condition name. */
const CONDITION_KEYS: Record<string, string> = { aa: 'A/A', cpu10: 'cpu+10%', cpu25: 'cpu+25%', mem20: 'mem+20MiB' };

function onlyConditions(all: GateCondition[], only: string | undefined): GateCondition[] {
  if (only === undefined) return all;
  const keys = only.split(',').map((k) => k.trim());
  const bad = keys.find((k) => !(k in CONDITION_KEYS));
  if (bad !== undefined || keys.length === 0)
    throw new InvalidInputError(
      'flag --only',
      'only',
      only,
      `a comma list of ${Object.keys(CONDITION_KEYS).join(', ')}`,
    );
  const names = new Set(keys.map((k) => CONDITION_KEYS[k]));
  return all.filter((c) => names.has(c.name));
}

/** Which modes the gate measures: A/B sessions of blocks, history sessions, or both. */
export function gateModes(opts: GateOptions): { ab: boolean; history: boolean } {
  if (opts.modes === undefined) return { ab: true, history: !opts.quick };
  const modes = opts.modes.split(',').map((m) => m.trim());
  if (modes.length === 0 || modes.some((m) => m !== 'ab' && m !== 'history'))
    throw new InvalidInputError('flag --modes', 'modes', opts.modes, 'a comma list of ab, history');
  return { ab: modes.includes('ab'), history: modes.includes('history') };
}

export function gateConditions(opts: GateOptions): GateCondition[] {
  const base = baseWorkFactor(opts);
  const w10 = positiveInt('cpu10-work-factor', opts.cpu10WorkFactor, DEFAULT_KNOBS.cpu10WorkFactor);
  const w25 = positiveInt('cpu25-work-factor', opts.cpu25WorkFactor, DEFAULT_KNOBS.cpu25WorkFactor);
  const retain = positiveInt('retain-bytes-per-event', opts.retainBytesPerEvent, DEFAULT_KNOBS.retainBytesPerEvent);
  for (const [flag, w] of [
    ['cpu10-work-factor', w10],
    ['cpu25-work-factor', w25],
  ] as const)
    if (w <= base)
      throw new InvalidInputError(`flag --${flag}`, flag, String(w), `a work factor above the base's ${base}`);
  const all: GateCondition[] = [
    { name: 'A/A', injected: 'nothing', env: {}, target: null, tolerance: 0.05 },
    {
      name: 'cpu+10%',
      injected: `+10% CPU (work factor ${base} -> ${w10})`,
      env: { REF_COLLECTOR_WORK_FACTOR: String(w10) },
      target: 'cpuPercent',
      tolerance: 0.8,
    },
    {
      name: 'cpu+25%',
      injected: `+25% CPU (work factor ${base} -> ${w25})`,
      env: { REF_COLLECTOR_WORK_FACTOR: String(w25) },
      target: 'cpuPercent',
      tolerance: 0.95,
    },
    {
      name: 'mem+20MiB',
      // Kept from the first events on, capped at 20 MiB: flat over the steady window.
      injected: `+20 MiB (${retain} B/event, capped)`,
      env: {
        REF_COLLECTOR_RETAIN_BYTES_PER_EVENT: String(retain),
        REF_COLLECTOR_RETAIN_MAX_BYTES: String(INJECTED_MEMORY_BYTES),
      },
      target: 'memoryBytes',
      tolerance: 0.95,
    },
  ];
  return onlyConditions(all, opts.only);
}

export interface GateRequest {
  config: Config;
  conditions: GateCondition[];
  /** The work factor every arm carries (the load the injections sit on). */
  baseWorkFactor: number;
  repetitions: number;
  pairs: number;
  /** A/B mode: sessions of blocks, `repetitions` of them (false: history mode only). */
  abMode: boolean;
  /** History mode: baseline sessions (0: A/B mode only). */
  sessions: number;
  sessionRuns: number;
  outDir: string;
  /** Name of the folder's stem, e.g. "validate" or "validate-regression". */
  name: string;
}

export interface GateReport {
  outcomes: GateOutcome[];
  rows: GateRow[];
  misses: string[];
  wallMs: number;
  dir: string;
  exitCode: number;
}

/** Runs the conditions, writes the table and the outcomes into a folder of their own, and judges them. */
export async function validateGate(req: GateRequest, print: Printer, progress: Progress): Promise<GateReport> {
  const { config, conditions } = req;
  requireReferenceCollector(config);
  const loaded = {
    ...config,
    collector: {
      ...config.collector,
      env: { ...config.collector.env, REF_COLLECTOR_WORK_FACTOR: String(req.baseWorkFactor) },
    },
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(req.outDir, `${req.name}-${stamp}`);
  mkdirSync(dir, { recursive: true });
  print.info(
    `${req.name}: ${req.repetitions} repetition(s) x ${conditions.length} condition(s)` +
      `${req.abMode ? ` in A/B mode (${req.pairs} pairs each)` : ''}` +
      `${req.sessions ? `${req.abMode ? ', then' : ''} in history mode over ${req.sessions} baseline sessions` : ''}; ` +
      `${config.run.warmupSeconds} s warm-up, ${config.run.loadSeconds} s load, ${config.run.rampSeconds} s ramp per run; files in ${dir}`,
  );
  const started = Date.now();
  const outcomes = await runGateValidation({
    config: loaded,
    conditions,
    repetitions: req.repetitions,
    pairs: req.pairs,
    abMode: req.abMode,
    historySessions: req.sessions,
    sessionRuns: req.sessionRuns,
    file: (name) => join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`),
    compareAb: (result, file) => compareAbResult(result, file, config),
    compareHistory: (baseline, candidate, file) =>
      compareResults(baseline, candidate, { ...compareOptionsFrom(config.compare), candidateFile: file }),
    log: (m) => progress.line(`› ${m}`),
    progress,
    onOutcome: (o, done, total) =>
      progress.line(
        `${done}/${total} ${o.mode} ${o.condition} #${o.repetition}: CPU ${o.verdicts.cpuPercent}, memory ${o.verdicts.memoryBytes} ` +
          `(${((Date.now() - started) / 60_000).toFixed(1)} min so far)`,
      ),
  });
  const wallMs = Date.now() - started;
  const rows = summarizeGate(outcomes, conditions);
  const misses = gateMisses(rows);
  const table = formatGateTable(rows, wallMs);
  writeFileSync(join(dir, 'validate.md'), `${table}\n`);
  writeFileSync(join(dir, 'validate.json'), `${JSON.stringify({ outcomes, rows, misses, wallMs }, null, 2)}\n`);
  print.info('');
  print.info(table);
  print.info(
    misses.length
      ? `\n${req.name}: FAILED, outside the stated tolerance:\n  ${misses.join('\n  ')}`
      : `\n${req.name}: every rate within its stated tolerance`,
  );
  print.info(`outcomes: ${join(dir, 'validate.json')}`);
  return { outcomes, rows, misses, wallMs, dir, exitCode: misses.length ? EXIT_CODES.checkFailed : EXIT_CODES.ok };
}

/**
 * `validate regression`: one condition of the gate, the knob given on the command line (CPU work
 * or memory kept per event, on top of the base load), or none with `--aa`; one comparison of
 * `runs` pairs that must call the knob's metric a regression (or, A/A, call nothing).
 */
export function regressionCondition(opts: {
  workFactor?: string;
  retainBytesPerEvent?: string;
  aa?: boolean;
  baseWorkFactor: number;
}): GateCondition {
  if (opts.aa) return { name: 'A/A', injected: 'nothing', env: {}, target: null, tolerance: 0 };
  const retain = positiveInt('retain-bytes-per-event', opts.retainBytesPerEvent, 0, 0);
  if (retain > 0 && opts.workFactor !== undefined)
    throw new InvalidInputError(
      'flags --work-factor and --retain-bytes-per-event',
      'retainBytesPerEvent',
      opts.retainBytesPerEvent,
      'one knob at a time (a condition moves one metric)',
    );
  if (retain > 0)
    return {
      name: 'mem-knob',
      injected: `${retain} B/event kept`,
      env: { REF_COLLECTOR_RETAIN_BYTES_PER_EVENT: String(retain) },
      target: 'memoryBytes',
      tolerance: 1,
    };
  const work = positiveInt('work-factor', opts.workFactor, 2 * opts.baseWorkFactor || 200, 0);
  if (work <= opts.baseWorkFactor)
    throw new InvalidInputError(
      'flag --work-factor',
      'work-factor',
      String(work),
      `a work factor above the base's ${opts.baseWorkFactor}`,
    );
  return {
    name: 'cpu-knob',
    injected: `work factor ${opts.baseWorkFactor} -> ${work}`,
    env: { REF_COLLECTOR_WORK_FACTOR: String(work) },
    target: 'cpuPercent',
    tolerance: 1,
  };
}
