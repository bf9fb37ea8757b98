/**
 * `collector-bench validate [--quick]`: the gate's false-positive rate, detection rate per injected
 * size, median MDE and wall time on this machine, as a Markdown table (src/run/gate-validation.ts).
 * `--quick` is A/B mode only and fits in about 10 minutes; without it history mode over several
 * sessions is added.
 */
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../../config/load.js';
import { InvalidInputError, EXIT_CODES } from '../../errors.js';
import { createProgress } from '../../run/progress.js';
import { setupSensor } from '../../run/sensor-hooks.js';
import { formatGateTable, runGateValidation, summarizeGate, type GateCondition } from '../../run/gate-validation.js';
import { compareResults } from '../../stats/compare.js';
import { MiB } from '../../units.js';
import { info } from '../output.js';
import { compareOptionsFrom } from './compare.js';
import { compareAbResult, requireReferenceCollector } from './run-ab.js';

export interface ValidateOptions {
  quick?: boolean;
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
  config?: string;
  outDir?: string;
  json?: boolean;
}

/**
 * Knob values for this project's machine (core_bpf, 2 vCPU, 400 execs/s; README, "Does the gate
 * hold"). Every arm carries a base load of 100 work units per event, which lifts the collector from
 * about 12% to about 23% of a core: there the relative floor (5%) is the binding one, so +10% sits
 * at twice the floor instead of just above the 1-point absolute floor. Each unit adds about 0.13
 * points (one A/B calibration of 3 pairs on 2026-12-02, command in the README: 100 units added
 * 13.3 points on average, to 23.8%), so
 * +10% and +25% of 23.8% are about 18 and 45 units more. Other machines and loads differ: the
 * table's "measured change" column shows what was actually injected.
 */
export const DEFAULT_KNOBS = {
  baseWorkFactor: 100,
  cpu10WorkFactor: 118,
  cpu25WorkFactor: 145,
  retainBytesPerEvent: 65_536,
};
const INJECTED_MEMORY_BYTES = 20 * MiB;

function positiveInt(flag: string, raw: string | undefined, dflt: number, min = 1): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new InvalidInputError(`flag --${flag}`, flag, raw, `a whole number >= ${min}`);
  return n;
}

/** The work factor every arm carries, the baseline's load. */
export function baseWorkFactor(opts: ValidateOptions): number {
  return positiveInt('base-work-factor', opts.baseWorkFactor, DEFAULT_KNOBS.baseWorkFactor, 0);
}

export function gateConditions(opts: ValidateOptions): GateCondition[] {
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
  return [
    { name: 'A/A', injected: 'nothing', env: {}, target: null },
    {
      name: 'cpu+10%',
      injected: `+10% CPU (work factor ${base} -> ${w10})`,
      env: { REF_COLLECTOR_WORK_FACTOR: String(w10) },
      target: 'cpuPercent',
    },
    {
      name: 'cpu+25%',
      injected: `+25% CPU (work factor ${base} -> ${w25})`,
      env: { REF_COLLECTOR_WORK_FACTOR: String(w25) },
      target: 'cpuPercent',
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
    },
  ];
}

export async function validateCommand(opts: ValidateOptions): Promise<number> {
  const quick = opts.quick ?? false;
  // --quick: one session of 5 blocks x 5 arms (26 runs with the warm-up, about 8 minutes here).
  const repetitions = positiveInt('repetitions', opts.repetitions, quick ? 1 : 5);
  const pairs = positiveInt('pairs', opts.pairs, 5);
  const sessions = quick ? 0 : positiveInt('sessions', opts.sessions, 4, 3);
  const sessionRuns = positiveInt('session-runs', opts.sessionRuns, 3, 2);
  const { config } = loadConfig(
    {
      runs: String(pairs),
      // The reference collector's CPU settles 7-8 s into the load here (V8 tiering up its event
      // path; every run's samples show the step), so the window starts after 8 s.
      loadSeconds: opts.loadSeconds ?? '14',
      warmupSeconds: opts.warmupSeconds ?? '1',
      rampSeconds: opts.rampSeconds ?? '8',
      runtime: opts.runtime,
      collectionMethod: opts.collectionMethod,
    },
    opts.config,
  );
  requireReferenceCollector(config);
  const conditions = gateConditions(opts);
  const loaded = {
    ...config,
    collector: {
      ...config.collector,
      env: { ...config.collector.env, REF_COLLECTOR_WORK_FACTOR: String(baseWorkFactor(opts)) },
    },
  };
  const outDir = opts.outDir ?? 'results';
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(outDir, `validate-${stamp}`);
  mkdirSync(dir, { recursive: true });
  info(
    `validate: ${repetitions} repetition(s) x ${conditions.length} conditions in A/B mode (${pairs} pairs each)` +
      `${sessions ? `, then history mode over ${sessions} baseline sessions` : ''}; ` +
      `${config.run.warmupSeconds} s warm-up, ${config.run.loadSeconds} s load, ${config.run.rampSeconds} s ramp per run; files in ${dir}`,
  );
  const progress = createProgress(process.stderr);
  const started = Date.now();
  const outcomes = await runGateValidation({
    config: loaded,
    conditions,
    repetitions,
    pairs,
    historySessions: sessions,
    sessionRuns,
    file: (name) => join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`),
    compareAb: (result, file) => compareAbResult(result, file, config),
    compareHistory: (baseline, candidate, file) =>
      compareResults(baseline, candidate, { ...compareOptionsFrom(config.compare), candidateFile: file }),
    log: (m) => progress.line(`› ${m}`),
    progress,
    setup: setupSensor,
    onOutcome: (o, done, total) =>
      progress.line(
        `${done}/${total} ${o.mode} ${o.condition} #${o.repetition}: CPU ${o.verdicts.cpuPercent}, memory ${o.verdicts.memoryBytes} ` +
          `(${((Date.now() - started) / 60_000).toFixed(1)} min so far)`,
      ),
  });
  const wallMs = Date.now() - started;
  const rows = summarizeGate(outcomes, conditions);
  const table = formatGateTable(rows, wallMs);
  writeFileSync(join(dir, 'validate.md'), `${table}\n`);
  writeFileSync(join(dir, 'validate.json'), `${JSON.stringify({ outcomes, rows, wallMs }, null, 2)}\n`);
  info('');
  info(table);
  info(`\noutcomes: ${join(dir, 'validate.json')}`);
  if (opts.json) process.stdout.write(`${JSON.stringify({ rows, wallMs, dir })}\n`);
  return EXIT_CODES.ok;
}
