/** `collector-bench run`: the benchmark, then (unless --no-compare) the comparison with the baseline. */
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { renderRunTable } from '../../report/terminal.js';
import { runBenchmark } from '../../run/benchmark.js';
import { createProgress } from '../../run/progress.js';
import { EXIT_CODES, isBenchError } from '../../errors.js';
import { color, info, warn } from '../output.js';
import { baselineUpdateCommand } from './baseline.js';
import { compareAfterRun } from './compare.js';
import { MiB } from '../../units.js';
import { collectEnv, runAbCommand, wantsAb } from './run-ab.js';

/** After the runs, a failing store or report step is reported with the path of the results it did not lose. */
function keepGoing(step: string, e: unknown, resultsFile: string): number {
  if (!isBenchError(e)) throw e;
  warn(
    `${step} failed: ${e.message}\n  the results are kept in ${resultsFile}; retry with \`collector-bench ${step === 'comparison' ? 'compare' : 'baseline update'} --results ${resultsFile}\``,
  );
  return e.exitCode;
}

export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'YAML config file (default: bench.config.yaml when present)')
    .option('--benchmark <name>', 'benchmark name used in results and baselines')
    .option('--runtime <kind>', 'docker | process | auto')
    .option('--runs <n>', 'measured runs')
    .option('--warmup-runs <n>', 'discarded cold-start runs before the measured ones')
    .option('--warmup-seconds <s>', 'seconds between ready and load in each run')
    .option('--load-seconds <s>', 'length of the load window')
    .option('--ramp-seconds <s>', 'start of the load window left out of the run value (workloads starting)')
    .option('--sample-interval-ms <ms>', 'sampling interval (100 ms or more)')
    .option('--workloads <files>', 'comma-separated berserker TOML files')
    .option('--overhead', "interleave runs with no collector at all: the agent's overhead on host and workloads")
    .option('--soak <minutes>', "one long load window for leak hunting: the working set's slope and a chart")
    .option('--collector-image <image>', 'benchmark this local image instead of the reference collector')
    .option('--collection-method <m>', 'core_bpf | procfs | auto')
    .option('--delivery <how>', 'where the agent shows its events: sensor | none | log:<regex> | metrics:<series>')
    .option('--baseline <store>', 'baseline folder or gs://bucket/prefix')
    .option('--out <file>', 'results file (default results/<benchmark>-<time>.json)')
    .option('--no-compare', 'skip the comparison with the baseline')
    .option('--update-baseline', 'after comparing, add the results to the baseline store')
    .option('--from-main', 'with --update-baseline: count them in the baseline (default: when on refs/heads/main)')
    .option('--json', 'print a machine-readable summary on stdout')
    .option('--baseline-image <image>', "A/B: the baseline arm's image (both arms run here, interleaved)")
    .option('--candidate-image <image>', "A/B: the candidate arm's image")
    .option('--baseline-command <cmd>', "A/B with the process runtime: the baseline collector's command line")
    .option('--candidate-command <cmd>', "A/B with the process runtime: the candidate collector's command line")
    .option('--baseline-env <K=V>', "A/B: environment of the baseline arm's collector (repeatable)", collectEnv)
    .option('--candidate-env <K=V>', "A/B: environment of the candidate arm's collector (repeatable)", collectEnv);
}

export async function runCommand(opts: Record<string, unknown>): Promise<number> {
  const { config, file } = loadConfig(opts, opts.config as string | undefined);
  if (wantsAb(opts)) return runAbCommand(config, opts);
  info(
    `collector-bench: benchmark "${config.benchmark}", ${config.run.runs} run(s)${config.run.warmupRuns ? ` + ${config.run.warmupRuns} warm-up` : ''}, config ${file ?? '(built-in defaults)'}`,
  );
  const progress = createProgress(process.stderr, false);
  const { setupDelivery } = await import('../../run/delivery/setup-delivery.js');
  const { result, file: out } = await runBenchmark(config, {
    log: (m) => progress.line(m.startsWith('warning: ') ? m : `› ${m}`),
    progress,
    setup: (ctx) => setupDelivery(ctx),
    onRun: (run, r) => {
      const s = run.summary;
      const total = config.run.warmupRuns + config.run.runs * (config.run.overhead ? 2 : 1);
      const what = run.warmupRun ? 'warm-up run' : run.noAgent ? 'no-agent run' : 'run';
      progress.line(
        `${what} ${run.index + 1}/${total}: ${run.valid ? 'valid' : `INVALID (${run.invalidReason})`}` +
          (s
            ? `, CPU ${s.cpuPercent.windowMean.toFixed(2)}%, memory ${(s.memoryBytes.windowMean / MiB).toFixed(1)} MiB (window means), ${s.cpuPercent.n} samples`
            : '') +
          ` -> ${r.runs.length} run(s) saved`,
      );
    },
  });
  info('');
  info(renderRunTable(result, { color }));
  info(`results: ${out}`);
  const valid = result.runs.filter((r) => r.valid && !r.warmupRun).length;
  let exitCode: number = valid > 0 ? EXIT_CODES.ok : EXIT_CODES.noValidRun;
  // The first failure in the run's order is the one the exit code reports (errors.ts).
  const first = (code: number) => (exitCode = exitCode || code);
  let comparison: unknown = null;
  if (opts.compare !== false) {
    try {
      const compared = await compareAfterRun(config, result, out);
      comparison = compared.comparison;
      first(compared.exitCode);
    } catch (e) {
      first(keepGoing('comparison', e, out));
    }
  }
  if (opts.updateBaseline) {
    // The results file is already on disk: a failed upload loses nothing and says where the file is.
    try {
      first(
        await baselineUpdateCommand({
          baseline: config.compare.baseline,
          results: out,
          fromMain: opts.fromMain ? true : undefined,
        }),
      );
    } catch (e) {
      first(keepGoing('baseline update', e, out));
    }
  }
  if (opts.json)
    process.stdout.write(
      `${JSON.stringify({ results: out, validRuns: valid, runs: result.runs.length, comparison })}\n`,
    );
  return exitCode;
}
