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
  gateModes,
  positiveInt,
  regressionCondition,
  validateGate,
  type GateOptions,
  type GateReport,
  type GateRequest,
} from '../../app/gate.js';
import { loadConfig } from '../../config/load.js';
import { createProgress } from '../progress.js';
import { printer } from '../output.js';

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

/** Runs the gate's use case with the terminal's progress; `--json` prints `summary` of its report on stdout. */
async function gate(req: GateRequest, json: boolean | undefined, summary: (r: GateReport) => unknown) {
  const report = await validateGate(req, printer, createProgress(process.stderr));
  if (json) process.stdout.write(`${JSON.stringify(summary(report))}\n`);
  return report.exitCode;
}

export type ValidateOptions = GateOptions & CommonFlags;

export async function validateCommand(opts: ValidateOptions): Promise<number> {
  const quick = opts.quick ?? false;
  // --quick: one session of 5 blocks x 5 arms (26 runs with the warm-up, about 8 minutes here).
  const pairs = positiveInt('pairs', opts.pairs, 5);
  const modes = gateModes(opts);
  return gate(
    {
      config: gateConfig(opts, pairs),
      conditions: gateConditions(opts),
      baseWorkFactor: baseWorkFactor(opts),
      repetitions: positiveInt('repetitions', opts.repetitions, quick ? 1 : 5),
      pairs,
      abMode: modes.ab,
      sessions: modes.history ? positiveInt('sessions', opts.sessions, 4, 3) : 0,
      sessionRuns: positiveInt('session-runs', opts.sessionRuns, 3, 2),
      outDir: opts.outDir ?? 'results',
      name: 'validate',
    },
    opts.json,
    (report) => ({ rows: report.rows, misses: report.misses, wallMs: report.wallMs, dir: report.dir }),
  );
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
  return gate(
    {
      config: gateConfig(opts, pairs),
      conditions: [condition],
      baseWorkFactor: base,
      repetitions: 1,
      pairs,
      abMode: true,
      sessions: 0,
      sessionRuns: 2,
      outDir: opts.outDir ?? 'results',
      name: 'validate-regression',
    },
    opts.json,
    (report) => ({
      condition,
      outcome: report.outcomes[0],
      misses: report.misses,
      passed: report.exitCode === 0,
      dir: report.dir,
    }),
  );
}
