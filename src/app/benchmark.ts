/**
 * The benchmark use case behind `collector-bench run` (`npm run bench`): one collector's session,
 * or with an A/B flag the same-machine A/B session of two arms; then the comparison (unless
 * `--no-compare`) and the baseline update (`--update-baseline`). A flag that cannot apply to the
 * session asked for is refused with an input error naming both flags, never silently ignored.
 */
import type { Comparison } from '../contracts/comparison.js';
import type { Config } from '../config/schema.js';
import type { ResultFile, Run } from '../contracts/result.js';
import { EXIT_CODES, InvalidInputError, isBenchError } from '../errors.js';
import { renderRunTable } from '../report/terminal.js';
import { runAbBenchmark } from '../run/ab-benchmark.js';
import { runBenchmark } from '../run/benchmark.js';
import type { Slot } from '../run/plans.js';
import type { Progress } from '../run/progress.js';
import { MiB } from '../units.js';
import { abPairs, wantsAb, type AbFlags } from '../contracts/ab.js';
import { abArms, abFlagGiven } from './ab-arms.js';
import { updateBaseline } from './baseline.js';
import { abDefaults, budgetGrowth, refuseWithBudget, stopRule, type BudgetSettings } from './budgeted-ab.js';
import { compareAfterRun } from './compare.js';
import type { Printer } from './printer.js';

export interface BenchmarkRequest {
  config: Config;
  /** The config file it came from (null: built-in defaults), for the first line. */
  configFile: string | null;
  ab: AbFlags;
  /** false with `--no-compare`. */
  compare: boolean;
  updateBaseline: boolean;
  fromMain?: boolean;
  /**
   * Whether `--runs` (or COLLECTOR_BENCH_RUNS) was given: with `--budget` it is refused (the budget
   * chooses the pairs); an A/B run without it and without a budget gets the default budget.
   */
  runsGiven?: boolean;
  /** The budget's look schedule and spending, when not the defaults (tests). */
  budget?: Omit<BudgetSettings, 'minutes'>;
}

export interface BenchmarkOutcome {
  file: string;
  result: ResultFile;
  comparison: Comparison | null;
  /** Measured runs that count (single) or complete pairs (A/B). */
  counted: number;
  exitCode: number;
}

/**
 * What an A/B session cannot do, refused before anything starts. `--overhead` and `--soak` would
 * need each arm's own no-agent neighbours or its own long window, which the A/B results file and
 * its paired comparison do not hold; `--update-baseline` would store two arms as one result (CI
 * stores an approved PR's candidate arm on its own: `ci update-baseline`).
 */
function refuseWithAb(req: BenchmarkRequest): void {
  const ab = req.ab.duet ? '--duet' : abFlagGiven(req.ab);
  const refuse = (flag: string, key: string, value: unknown, why: string) => {
    throw new InvalidInputError(`flags ${flag} and ${ab}`, key, value, `not with an A/B run`, why);
  };
  if (req.config.run.overhead)
    refuse(
      '--overhead',
      'run.overhead',
      true,
      "measure each arm's overhead in a run of its own: `run --collector-image X --overhead`",
    );
  if (req.config.run.soakMinutes !== null)
    refuse(
      '--soak',
      'run.soakMinutes',
      req.config.run.soakMinutes,
      'a soak is one long run of one collector: `run --collector-image X --soak N`',
    );
  if (req.updateBaseline)
    refuse(
      '--update-baseline',
      'updateBaseline',
      true,
      "an A/B file holds two arms; CI stores an approved PR's candidate arm with `ci update-baseline`",
    );
}

function runLine(run: Run, what: string): string {
  const s = run.summary;
  return (
    `${what}: ${run.valid ? 'valid' : `INVALID (${run.invalidReason})`}` +
    (s
      ? `, CPU ${s.cpuPercent.windowMean.toFixed(2)}%, memory ${(s.memoryBytes.windowMean / MiB).toFixed(1)} MiB (window means), ${s.cpuPercent.n} samples`
      : '') +
    (run.shortfall ? `; its workload fell short of the target: ${run.shortfall.reason}` : '')
  );
}

/** After the runs, a failing store or report step is reported with the path of the results it did not lose. */
function keepGoing(step: string, e: unknown, resultsFile: string, print: Printer): number {
  if (!isBenchError(e)) throw e;
  print.warn(
    `${step} failed: ${e.message}\n  the results are kept in ${resultsFile}; retry with \`collector-bench ${step === 'comparison' ? 'compare' : 'baseline update'} --results ${resultsFile}\``,
  );
  return e.exitCode;
}

async function runSingle(config: Config, configFile: string | null, print: Printer, progress: Progress) {
  print.info(
    `collector-bench: benchmark "${config.benchmark}", ${config.run.runs} run(s)${config.run.warmupRuns ? ` + ${config.run.warmupRuns} warm-up` : ''}, config ${configFile ?? '(built-in defaults)'}`,
  );
  const { result, file } = await runBenchmark(config, {
    log: (m) => progress.line(m.startsWith('warning: ') ? m : `› ${m}`),
    progress,
    onRun: (run, slot, { done, total }, [written]) => {
      const what = slot.kind === 'warm-up' ? 'warm-up run' : slot.kind === 'no-agent' ? 'no-agent run' : 'run';
      progress.line(`${runLine(run, `${what} ${done}/${total}`)} -> ${written.result.runs.length} run(s) saved`);
    },
  });
  const counted = result.runs.filter((r) => r.valid && !r.warmupRun && !r.noAgent).length;
  return { result, file, counted };
}

async function runAb(req: BenchmarkRequest, print: Printer, progress: Progress) {
  const { config, ab: flags } = req;
  const arms = abArms(config, flags);
  const runsPerArm = config.run.runs;
  const budget = config.run.budgetMinutes;
  print.info(
    `collector-bench A/B: benchmark "${config.benchmark}", ` +
      (budget === null
        ? `${runsPerArm} run(s) per arm`
        : stopRule(config) === 'overall'
          ? `pairs while the verdict is open, within ${budget} min,`
          : `pairs while the CPU verdict is open, within ${budget} min,`) +
      ` ${flags.duet ? 'both at once (duet)' : 'interleaved'}` +
      `${config.run.warmupRuns ? ` + ${config.run.warmupRuns} warm-up per arm` : ''}\n` +
      `  baseline:  ${arms.baseline.collector.image ?? arms.baseline.collector.command?.join(' ') ?? 'reference collector'}\n` +
      `  candidate: ${arms.candidate.collector.image ?? arms.candidate.collector.command?.join(' ') ?? 'reference collector'}` +
      `${flags.candidateEnv?.length ? ` with ${flags.candidateEnv.join(' ')}` : ''}`,
  );
  const engine = {
    duet: Boolean(flags.duet),
    log: (m: string) => progress.line(m.startsWith('warning: ') ? m : `› ${m}`),
    progress,
    onRun: (run: Run, slot: Slot, { done, total }: { done: number; total: number }) =>
      progress.line(
        runLine(
          run,
          `slot ${done}/${total} (${slot.arm === 0 ? 'baseline' : 'candidate'}${slot.pair ? `, pair ${slot.pair}` : ', warm-up'})`,
        ),
      ),
  };
  const { result, file } =
    budget === null
      ? await runAbBenchmark(arms, { ...engine, runsPerArm })
      : await runAbBenchmark(arms, {
          ...engine,
          growth: budgetGrowth(config, { ...req.budget, minutes: budget }, (m) => progress.line(m)),
        });
  const counted = abPairs(result, file).pairs.length;
  return { result, file, counted };
}

export async function benchmark(req: BenchmarkRequest, print: Printer, progress: Progress): Promise<BenchmarkOutcome> {
  const ab = wantsAb(req.ab);
  if (req.ab.duet && !ab)
    throw new InvalidInputError(
      'flag --duet',
      'duet',
      true,
      'only with an A/B run (--baseline-image/--candidate-image, --baseline-command/--candidate-command or --candidate-env)',
    );
  const given = { ab, runsGiven: req.runsGiven ?? false };
  // Refusals name the flags the user gave: a budget they passed first, then what an A/B run cannot
  // do, and only then the default budget, so it never turns "--overhead with --candidate-env" into
  // "--overhead with --budget" (what it can still refuse: per-event looks with delivery `none`).
  refuseWithBudget(req.config, given);
  if (ab) refuseWithAb(req);
  const defaults = abDefaults(req.config, given);
  if (defaults.said) {
    print.info(`collector-bench A/B: ${defaults.said}`);
    refuseWithBudget(defaults.config, given);
  }
  // With a fixed number of pairs there is no early look to hold: a config or flag that names
  // `overall` asked for what would do nothing (unset, the default of budgeted runs, is no request).
  if (ab && defaults.config.run.budgetMinutes === null && defaults.config.compare.stopWhen === 'overall') {
    throw new InvalidInputError(
      'flag --runs and compare.stopWhen',
      'compare.stopWhen',
      'overall',
      'deciding with --runs, or a budgeted A/B run (no --runs) for overall',
      'a fixed number of pairs runs them all; there is no early stop to hold',
    );
  }
  req = { ...req, config: defaults.config };
  const { result, file, counted } = ab
    ? await runAb(req, print, progress)
    : await runSingle(req.config, req.configFile, print, progress);
  print.info('');
  print.info(renderRunTable(result, { color: print.color }));
  print.info(`results: ${file}`);
  let exitCode: number = counted > 0 ? EXIT_CODES.ok : EXIT_CODES.noValidRun;
  // The first failure in the run's order is the one the exit code reports (errors.ts).
  const first = (code: number) => (exitCode = exitCode || code);
  let comparison: Comparison | null = null;
  if (req.compare) {
    try {
      comparison = await compareAfterRun(req.config, result, file, print);
    } catch (e) {
      first(keepGoing('comparison', e, file, print));
    }
  }
  if (req.updateBaseline) {
    // The results file is already on disk: a failed upload loses nothing and says where the file is.
    try {
      const { outcome, line } = await updateBaseline({
        baseline: req.config.compare.baseline,
        results: file,
        fromMain: req.fromMain,
      });
      print.info(line);
      if (outcome.archived.length) print.info(`archived ${outcome.archived.length} older result(s)`);
    } catch (e) {
      first(keepGoing('baseline update', e, file, print));
    }
  }
  return { file, result, comparison, counted, exitCode };
}
