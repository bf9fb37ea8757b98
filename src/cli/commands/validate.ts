/**
 * `collector-bench validate gate [--quick]` (also plain `validate`): the gate's false-positive
 * rate, detection rate per injected size, median MDE and wall time on this machine, as a Markdown
 * table; `--quick` is A/B mode only and fits in about 10 minutes, without it history mode over
 * several sessions is added. `validate regression`: one condition of the same code. Both exit 1
 * when a rate misses its stated tolerance (app/gate.ts).
 */
import {
  baseWorkFactor,
  GATE_TIMINGS,
  gateConditions,
  regressionCondition,
  validateGate,
  type GateOptions,
} from '../../app/gate.js';
import { loadConfig } from '../../config/load.js';
import { InvalidInputError } from '../../errors.js';
import { createProgress } from '../../run/progress.js';
import { printer } from '../output.js';

function positiveInt(flag: string, raw: string | undefined, dflt: number, min = 1): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new InvalidInputError(`flag --${flag}`, flag, raw, `a whole number >= ${min}`);
  return n;
}

interface CommonFlags {
  loadSeconds?: string;
  warmupSeconds?: string;
  rampSeconds?: string;
  runtime?: string;
  collectionMethod?: string;
  seed?: string;
  config?: string;
  outDir?: string;
  json?: boolean;
}

function gateConfig(opts: CommonFlags, runs: number) {
  return loadConfig(
    {
      runs: String(runs),
      loadSeconds: opts.loadSeconds ?? GATE_TIMINGS.loadSeconds,
      warmupSeconds: opts.warmupSeconds ?? GATE_TIMINGS.warmupSeconds,
      rampSeconds: opts.rampSeconds ?? GATE_TIMINGS.rampSeconds,
      runtime: opts.runtime,
      collectionMethod: opts.collectionMethod,
      seed: opts.seed,
    },
    opts.config,
  ).config;
}

export type ValidateOptions = GateOptions & CommonFlags;

export async function validateCommand(opts: ValidateOptions): Promise<number> {
  const quick = opts.quick ?? false;
  // --quick: one session of 5 blocks x 5 arms (26 runs with the warm-up, about 8 minutes here).
  const pairs = positiveInt('pairs', opts.pairs, 5);
  const report = await validateGate(
    {
      config: gateConfig(opts, pairs),
      conditions: gateConditions(opts),
      baseWorkFactor: baseWorkFactor(opts),
      repetitions: positiveInt('repetitions', opts.repetitions, quick ? 1 : 5),
      pairs,
      sessions: quick ? 0 : positiveInt('sessions', opts.sessions, 4, 3),
      sessionRuns: positiveInt('session-runs', opts.sessionRuns, 3, 2),
      outDir: opts.outDir ?? 'results',
      name: 'validate',
    },
    printer,
    createProgress(process.stderr),
  );
  if (opts.json)
    process.stdout.write(
      `${JSON.stringify({ rows: report.rows, misses: report.misses, wallMs: report.wallMs, dir: report.dir })}\n`,
    );
  return report.exitCode;
}

export interface ValidateRegressionOptions extends CommonFlags {
  workFactor?: string;
  retainBytesPerEvent?: string;
  baseWorkFactor?: string;
  aa?: boolean;
  runs?: string;
}

export async function validateRegressionCommand(opts: ValidateRegressionOptions): Promise<number> {
  const pairs = positiveInt('runs', opts.runs, 5);
  const base = baseWorkFactor(opts);
  const condition = regressionCondition({ ...opts, baseWorkFactor: base });
  const report = await validateGate(
    {
      config: gateConfig(opts, pairs),
      conditions: [condition],
      baseWorkFactor: base,
      repetitions: 1,
      pairs,
      sessions: 0,
      sessionRuns: 2,
      outDir: opts.outDir ?? 'results',
      name: 'validate-regression',
    },
    printer,
    createProgress(process.stderr),
  );
  if (opts.json)
    process.stdout.write(
      `${JSON.stringify({ condition, outcome: report.outcomes[0], misses: report.misses, passed: report.exitCode === 0, dir: report.dir })}\n`,
    );
  return report.exitCode;
}
