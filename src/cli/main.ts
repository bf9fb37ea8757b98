/** The `collector-bench` command line. Each subcommand lives in commands/; this file only wires them. */
import { Command, CommanderError } from 'commander';
import { DESIGNS } from '../app/validate-designs.js';
import { loadConfig } from '../config/load.js';
import { EXIT_CODES, isBenchError } from '../errors.js';
import {
  baselineArchiveCommand,
  baselineListCommand,
  baselinePruneCommand,
  baselineUpdateCommand,
} from './commands/baseline.js';
import { compareCommand } from './commands/compare.js';
import { imagesBuild, imagesList } from './commands/images.js';
import { addRunOptions, runCommand } from './commands/run.js';

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  const program = new Command('collector-bench')
    .description('Benchmark and CI regression harness for kernel-level event collectors')
    .exitOverride()
    // `validate` takes options of its own and has subcommands with the same option names: each
    // command's options are read only before its subcommand's name.
    .enablePositionalOptions()
    .showHelpAfterError();

  addRunOptions(
    program.command('run').description('run the benchmark, write a results file, compare with the baseline'),
  ).action(async (opts) => {
    exitCode = await runCommand(opts);
  });

  program
    .command('compare')
    .description(
      'compare a results file: an A/B file (run --baseline-image/--candidate-image) with its own baseline arm, ' +
        'any other with the baseline store (newest 10 results from main, same environment key, one session each)',
    )
    .requiredOption('--results <file>', 'collector-bench/result@2 (or @1) file of the candidate')
    .option(
      '--baseline <store>',
      'folder or gs://bucket/prefix (default: compare.baseline of the config; unused for A/B files)',
    )
    .option('--format <format>', 'text | markdown | json | html', 'text')
    .option('--out <file>', 'write the report here instead of stdout')
    .option('--alpha <p>', 'significance level (default 0.05)')
    .option('--min-runs <n>', 'fewer counted runs a side gives "inconclusive" (default 3)')
    .option('--fail-on-regression', `exit ${EXIT_CODES.checkFailed} when the overall verdict is regression`)
    .option('-c, --config <file>', 'config file for floors and defaults')
    .action(async (opts) => {
      exitCode = await compareCommand(opts, loadConfig({}, opts.config).config);
    });

  const baseline = program.command('baseline').description('the stored results that form baselines');
  // The store a baseline subcommand works on: --baseline, else compare.baseline of --config (or the default config file).
  const storeOf = (opts: { baseline?: string; config?: string }) =>
    opts.baseline ?? loadConfig({}, opts.config).config.compare.baseline;
  baseline
    .command('list')
    .option('--baseline <store>', 'folder or gs://bucket/prefix (default: compare.baseline of the config)')
    .option('-c, --config <file>', 'config file (for compare.baseline)')
    .option('--benchmark <name>', 'benchmark name', 'default')
    .option('--env-key <key>', 'only this environment key')
    .option('--json')
    .action(async (opts) => {
      exitCode = await baselineListCommand({ ...opts, baseline: storeOf(opts) });
    });
  baseline
    .command('update')
    .description('add a results file to the store (immutable object; never overwrites)')
    .requiredOption('--results <file>', 'results file to add')
    .option('--baseline <store>', 'folder or gs://bucket/prefix (default: compare.baseline of the config)')
    .option('-c, --config <file>', 'config file (for compare.baseline)')
    .option('--from-main', 'count it in the baseline (default: when measured on refs/heads/main)')
    .option('--not-from-main', 'keep it beside the baseline (never counts)')
    .option('--approved-by <login>', "with --pr: a maintainer accepts this PR's results; they count in the baseline")
    .option('--pr <n>', 'the approved pull request (with --approved-by)')
    .option('--keep <n>', 'then archive all but the newest n of its group')
    .option('--json')
    .action(async (opts) => {
      const fromMain = opts.fromMain ? true : opts.notFromMain ? false : undefined;
      exitCode = await baselineUpdateCommand({ ...opts, fromMain, baseline: storeOf(opts) });
    });
  baseline
    .command('prune')
    .description('move all but the newest n results of each group to the archive prefix (never deletes)')
    .option('--baseline <store>', 'folder or gs://bucket/prefix (default: compare.baseline of the config)')
    .option('-c, --config <file>', 'config file (for compare.baseline)')
    .option('--benchmark <name>', 'benchmark name', 'default')
    .option('--keep <n>', 'results to keep per group', '10')
    .option('--json')
    .action(async (opts) => {
      exitCode = await baselinePruneCommand({ ...opts, baseline: storeOf(opts) });
    });

  baseline
    .command('archive')
    .description('move one stored result to the archive prefix: undoes a bad baseline entry (never deletes)')
    .requiredOption('--key <key>', 'the result key, as `baseline list --json` prints it')
    .option('--baseline <store>', 'folder or gs://bucket/prefix (default: compare.baseline of the config)')
    .option('-c, --config <file>', 'config file (for compare.baseline)')
    .option('--json')
    .action(async (opts) => {
      exitCode = await baselineArchiveCommand({ ...opts, baseline: storeOf(opts) });
    });

  program
    .command('comment')
    .description("create or update the benchmark's one sticky PR comment; job summary, commit status, step outputs")
    .requiredOption('--report <file>', 'comparison JSON (collector-bench/comparison@1) or its Markdown report')
    .option('--repo <owner/name>', 'default: GITHUB_REPOSITORY')
    .option('--pr <n>', 'default: the pull_request of GITHUB_EVENT_PATH')
    .option('--sha <sha>', 'also set the commit status on this commit')
    .option('--fail-on-regression', 'exit 1 when a metric regressed')
    .action(async (opts) => {
      const { commentCommand } = await import('./commands/comment.js');
      exitCode = await commentCommand(opts);
    });

  const ci = program.command('ci').description('the decisions and steps of the CI workflows (.github/workflows/)');
  ci.command('plan')
    .description('print what CI does for this event as JSON (reads GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, ...)')
    .action(async () => {
      const { ciPlanCommand } = await import('./commands/ci.js');
      exitCode = await ciPlanCommand();
    });
  ci.command('report')
    .description("compare each machine's results in an artifacts folder, merge them into one report, publish it")
    .requiredOption('--artifacts <dir>', 'one sub-folder per machine, each with its results files')
    .option('--out <dir>', 'where the merged reports go', 'benchmark-report')
    .option(
      '--baseline <store>',
      'history mode: folder or gs://bucket/prefix (default: compare.baseline of the config)',
    )
    .option('--plan <file>', 'a `ci plan` JSON instead of deciding from the environment (rehearsals)')
    .option('--fail-on-regression', 'exit 1 when a metric regressed')
    .option('-c, --config <file>', 'config file for floors and defaults')
    .action(async (opts) => {
      const { ciReportCommand } = await import('./commands/ci.js');
      exitCode = await ciReportCommand(opts, loadConfig({}, opts.config).config);
    });
  ci.command('update-baseline')
    .description('store the results where the plan allows it (push to main, nightly, approved PR) and say so')
    .requiredOption('--artifacts <dir>', 'the same artifacts folder `ci report` read')
    .option(
      '--out <dir>',
      'the folder `ci report` wrote (its Markdown report gets the baseline note)',
      'benchmark-report',
    )
    .option('--baseline <store>', 'folder or gs://bucket/prefix (default: compare.baseline of the config)')
    .option('--plan <file>', 'a `ci plan` JSON instead of deciding from the environment (rehearsals)')
    .option('-c, --config <file>', 'config file')
    .action(async (opts) => {
      const { ciUpdateBaselineCommand } = await import('./commands/ci.js');
      exitCode = await ciUpdateBaselineCommand(opts, loadConfig({}, opts.config).config);
    });
  ci.command('history')
    .description(
      "after storing (push to main, nightly): main's history; a NEW change point opens or updates the tracking issue",
    )
    .requiredOption('--artifacts <dir>', 'the artifacts folder whose results were stored (which benchmarks and keys)')
    .option('--out <dir>', 'where the history JSON and HTML go', 'benchmark-report')
    .option('--baseline <store>', 'folder or gs://bucket/prefix (default: compare.baseline of the config)')
    .option('--plan <file>', 'a `ci plan` JSON: nothing to do unless it stores main results')
    .option('--bot-login <login>', 'author of the tracking issue (default github-actions[bot], the GITHUB_TOKEN)')
    .option('--min-segment <n>', 'fewest sessions on each side of a step (default 3)')
    .option('--alpha <p>', "Welch's p below which a step is kept (default 0.01)")
    .option('--min-magnitude <fraction>', 'smallest step kept (default 0.05)')
    .option('-c, --config <file>', 'config file')
    .action(async (opts) => {
      const { ciHistoryCommand } = await import('./commands/ci-history.js');
      exitCode = await ciHistoryCommand(opts, loadConfig({}, opts.config).config);
    });

  program
    .command('scenarios')
    .description('drive the collector through its startup and kernel-driver scenarios (scenarios/*.yaml)')
    .option('--only <names>', 'comma-separated scenario names')
    .option('-c, --config <file>', 'a profile (collectors/<agent>.yaml): which scenarios apply and what each expects')
    .option('--collector-image <image>', 'a local image instead of the reference collector')
    .option('--runtime <kind>', 'docker | process | auto', 'auto')
    .option('--json', 'print the results file on stdout')
    .action(async (opts) => {
      const { runScenariosCommand } = await import('./commands/scenarios.js');
      exitCode = await runScenariosCommand(opts);
    });

  program
    .command('history')
    .description("main's stored results as a series per environment key and metric, with its change points")
    .option('--baseline <store>', 'folder or gs://bucket/prefix (default: compare.baseline of the config)')
    .option('-c, --config <file>', 'config file (for compare.baseline)')
    .option('--benchmark <name>', 'benchmark name', 'default')
    .option('--key <envKey>', 'only this environment key (default: every key of the benchmark)')
    .option('--format <format>', 'text | markdown | json | html', 'text')
    .option('--out <file>', 'write the report here instead of stdout')
    .option('--min-segment <n>', 'fewest sessions on each side of a step (default 3)')
    .option('--alpha <p>', "Welch's p below which a step is kept (default 0.01)")
    .option('--min-magnitude <fraction>', 'smallest step kept, relative (default 0.05 = 5%)')
    .action(async (opts) => {
      const { historyCommand } = await import('./commands/history.js');
      exitCode = await historyCommand({ ...opts, baseline: storeOf(opts) });
    });

  /** What every validation that runs sessions takes. */
  const sessionOptions = (cmd: Command) =>
    cmd
      .option('--load-seconds <s>', "load window per run (default 14, the gate's)")
      .option('--warmup-seconds <s>', 'warm-up per run (default 1)')
      .option('--ramp-seconds <s>', 'start of the load window left out of the run value (default 8)')
      .option('--seed <n>', 'base of the workload seed schedule (random: a new one per session)')
      .option('--runtime <kind>', 'docker | process | auto')
      .option('--collection-method <m>', 'core_bpf | procfs | auto')
      .option('-c, --config <file>', 'config file')
      .option('--out-dir <dir>', 'where the results files go', 'results')
      .option('--json');
  /** The gate's options, for `validate gate` and plain `validate` (the same command). */
  const gateOptions = (cmd: Command) =>
    sessionOptions(cmd)
      .option('--quick', 'A/B mode only, one repetition, about 8 minutes here')
      .option('--modes <list>', 'ab, history or both (default both; --quick: ab)')
      .option('--only <conditions>', 'comma list of aa, cpu10, cpu25, mem20 (default all)')
      .option('--repetitions <k>', 'comparisons per condition (default 1 quick, 5 full)')
      .option('--pairs <n>', 'pairs (blocks) per A/B comparison (default 5)')
      .option('--sessions <n>', 'full run: baseline sessions for history mode (>= 3, default 4)')
      .option('--session-runs <n>', 'full run: counted runs per history session (default 3)')
      .option('--base-work-factor <units>', 'work factor of every arm, the load the injections sit on (default 100)')
      .option('--cpu10-work-factor <units>', 'work factor that adds about 10% CPU to the base here (default 118)')
      .option('--cpu25-work-factor <units>', 'work factor that adds about 25% CPU to the base here (default 145)')
      .option('--retain-bytes-per-event <n>', 'bytes kept per event for the +20 MiB condition (capped at 20 MiB)')
      .action(async (opts) => {
        const { validateCommand } = await import('./commands/validate.js');
        exitCode = await validateCommand(opts);
      });
  const validate = gateOptions(
    program
      .command('validate')
      .description(
        'measure the harness itself: `validate gate` (plain `validate` is the same), `validate regression`, ' +
          '`validate sampler`; exit 1 when a measured figure misses its stated tolerance',
      ),
  );
  gateOptions(
    validate
      .command('gate')
      .description("the gate's false-positive and detection rates, MDE and wall time on this machine"),
  );
  sessionOptions(validate.command('regression'))
    .description('one condition of the gate: interleaved A/B runs with a load knob on B that the comparison must find')
    .option('--work-factor <units>', 'CPU: work factor of arm B, on top of the base (default twice the base)')
    .option('--retain-bytes-per-event <n>', 'memory: bytes kept per event in arm B')
    .option('--base-work-factor <units>', 'work factor of both arms, the load the knob sits on (default 100)')
    .option('--aa', 'A/A: both arms identical; no verdict may read regression or improvement')
    .option('--runs <n>', 'pairs', '5')
    .action(async (opts) => {
      const { validateRegressionCommand } = await import('./commands/validate.js');
      exitCode = await validateRegressionCommand(opts);
    });
  validate
    .command('sampler')
    .description('sampler accuracy against the cgroup totals and its own CPU cost at 1 Hz and 10 Hz (needs Docker)')
    .option('--seconds <s>', 'length of each measured window', '10')
    .option('--json')
    .action(async (opts) => {
      const { runValidateSamplerCommand } = await import('./commands/validate-sampler.js');
      exitCode = await runValidateSamplerCommand({ seconds: Number(opts.seconds), json: opts.json });
    });

  validate
    .command('pr')
    .description(
      'the default PR run as users run it: A/A and +5/+10/+25% CPU A/B comparisons per design, interleaved in time, ' +
        'each appended to the validate record (`validate table` computes the rates from all of it)',
    )
    .option('--repetitions <n>', 'rounds of every design x condition, order rotated each round', '1')
    .option('--designs <list>', `comma list of designs: ${Object.keys(DESIGNS).join(', ')} (default all)`)
    .option('--conditions <list>', 'comma list of aa, cpu5, cpu10, cpu25 (default all)')
    .option(
      '--neighbour <list>',
      'CPU hogs beside the runs, each a condition interleaved with the others: none, 50 (50% of one core), 50x2 (two such); e.g. none,50x2',
      'none',
    )
    .option('--record <file>', 'the append-only record (one JSON line per comparison)', 'validate-record.jsonl')
    .option('--runs <n>', 'pairs per comparison (default: the PR run default)')
    .option('--warmup-runs <n>', 'warm-up runs per comparison (default: the PR run default)')
    .option('--load-seconds <s>', 'load window per run (default: the PR run default)')
    .option('--warmup-seconds <s>', 'warm-up per run (default: the PR run default)')
    .option('--ramp-seconds <s>', 'start of the load window left out of the run value (default: the PR run default)')
    .option('--base-work-factor <units>', 'CPU work per event of both arms (default 100)')
    .option('--cpu5-work-factor <units>', 'work factor of the +5% arm (default 109)')
    .option('--cpu10-work-factor <units>', 'work factor of the +10% arm (default 118)')
    .option('--cpu25-work-factor <units>', 'work factor of the +25% arm (default 145)')
    .option('--seed <n>', 'base of the workload seed schedule (random: a new one per session)')
    .option('--runtime <kind>', 'docker | process | auto')
    .option('--collection-method <m>', 'core_bpf | procfs | auto')
    .option('-c, --config <file>', 'config file')
    .option('--out-dir <dir>', 'where the results files go', 'results')
    .option('--json', 'print the appended record lines on stdout')
    .action(async (opts) => {
      const { validatePrCommand } = await import('./commands/validate-pr.js');
      exitCode = await validatePrCommand(opts);
    });
  validate
    .command('table')
    .description('the modes table from the whole validate record: rates with Wilson intervals, MDE, minutes')
    .option('--record <file>', 'the record `validate pr` appends to', 'validate-record.jsonl')
    .option('--format <format>', 'text | markdown', 'text')
    .option('--out <file>', 'also write the table here')
    .option('--json', 'the rows as JSON')
    .action(async (opts) => {
      const { validateTableCommand } = await import('./commands/validate-pr.js');
      exitCode = validateTableCommand(opts);
    });

  validate
    .command('history')
    .description(
      "the change-point detector's precision, recall and delay on generated series at this machine's session noise",
    )
    .option(
      '--noise <sd>',
      'session-to-session SD relative to the level (default 0.07: docs/architecture.md, five sessions)',
    )
    .option('--repetitions <n>', 'series per condition (default 200)')
    .option('--before <n>', 'sessions before the change (default 20)')
    .option('--after <n>', 'sessions after the change (default 20)')
    .option('--seed <n>', 'seed of the generator (default 1)')
    .option('--tolerance <n>', 'sessions a change point may be off and still match (default 3)')
    .option('--min-segment <n>', 'detector: fewest sessions on each side of a step (default 3)')
    .option('--alpha <p>', "detector: Welch's p below which a step is kept (default 0.01)")
    .option('--min-magnitude <fraction>', 'detector: smallest step kept (default 0.05)')
    .option('--out <file>', 'also write the table here')
    .option('--json')
    .action(async (opts) => {
      const { validateHistoryCommand } = await import('./commands/validate-history.js');
      exitCode = await validateHistoryCommand(opts);
    });

  const ramp = program
    .command('ramp')
    .description('raise the processes rate until the collector loses events or the machine cannot go faster')
    .option('--start-rate <n>', 'first target, execs/s', '100')
    .option('--max-rate <n>', 'ceiling of the doubling, execs/s', '12800')
    .option('--threshold <ratio>', 'loss or drop ratio that ends the ramp', '0.01')
    .option('--reach <ratio>', 'achieved/target below which the machine is the limit', '0.95')
    .option('--resolution <ratio>', 'bisect until bad - good <= this fraction of good', '0.1')
    .option('--step-seconds <s>', 'load window per step', '10')
    .option('--warmup-seconds <s>', 'seconds between ready and load in each step')
    .option('--workloads <file>', 'the processes workload file', 'workloads/processes.toml')
    .option('--delivery <how>', 'where the agent shows its events: sensor | none | log:<regex> | metrics:<series>')
    .option('--collector-image <image>', 'a local image instead of the reference collector')
    .option('--collection-method <m>', 'core_bpf | procfs | auto')
    .option('--runtime <kind>', 'docker | process | auto')
    .option('-c, --config <file>', 'config file')
    .option('--out <file>', 'ramp results file (default results/<benchmark>-ramp-<time>.json)')
    .option('--json', 'print a machine-readable summary on stdout')
    .action(async (opts) => {
      const { rampCommand } = await import('./commands/ramp.js');
      exitCode = await rampCommand(opts);
    });
  ramp
    .command('compare <baseline> <candidate>')
    .description('which of two ramp results (two images, say) sustains the higher rate')
    .option('--out <file>', 'write an HTML page with both ramps')
    .option('--json')
    .action(async (baseline: string, candidate: string, opts) => {
      const { rampCompareCommand } = await import('./commands/ramp.js');
      exitCode = await rampCompareCommand(baseline, candidate, opts);
    });

  const images = program.command('images').description('locally built images (never pulled)');
  images
    .command('build')
    .option('--json')
    .description('build (or reuse) the node-base, workload and reference-collector images')
    .action(async (opts) => {
      exitCode = await imagesBuild(opts);
    });
  images
    .command('list')
    .option('--json')
    .description('list the images collector-bench built')
    .action(async (opts) => {
      exitCode = await imagesList(opts);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.badInput;
    if (isBenchError(e)) {
      process.stderr.write(`collector-bench: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`collector-bench: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_CODES.unexpected;
  }
  return exitCode;
}
