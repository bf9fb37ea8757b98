/** `collector-bench run`: flags to a benchmark request (app/benchmark.ts), the outcome printed. */
import type { Command } from 'commander';
import { benchmark } from '../../app/benchmark.js';
import { loadConfig } from '../../config/load.js';
import { createProgress } from '../progress.js';
import { printer } from '../output.js';

/** commander collector for repeatable `--candidate-env K=V`. */
function collectEnv(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'YAML config file (default: bench.config.yaml when present)')
    .option('--benchmark <name>', 'benchmark name used in results and baselines')
    .option('--runtime <kind>', 'docker | process | auto')
    .option('--runs <n>', 'measured runs (A/B: a fixed number of pairs instead of the default 10-minute budget)')
    .option('--warmup-runs <n>', 'discarded cold-start runs before the measured ones')
    .option('--warmup-seconds <s>', 'seconds between ready and load in each run')
    .option('--load-seconds <s>', 'length of the load window')
    .option('--ramp-seconds <s>', 'start of the load window left out of the run value (workloads starting)')
    .option('--sample-interval-ms <ms>', 'sampling interval (100 ms or more)')
    .option('--workloads <files>', 'comma-separated berserker TOML files')
    .option(
      '--seed <n>',
      'base of the workload seed schedule: run k of every session draws seed k (random: a new base per session)',
    )
    .option('--overhead', "interleave runs with no collector at all: the agent's overhead on host and workloads")
    .option('--soak <minutes>', "one long load window for leak hunting: the working set's slope and a chart")
    .option(
      '--pin <roles>',
      'CPU pinning (cpusets), e.g. agent=1,workloads=0,harness=0: each role runs only on its CPUs (unset roles anywhere)',
    )
    .option(
      '--budget <minutes>',
      'A/B: add pairs while the CPU verdict is open, stop at the first look that decides or when the minutes are spent (A/B default: 10, unless --runs)',
    )
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
    .option('--candidate-env <K=V>', "A/B: environment of the candidate arm's collector (repeatable)", collectEnv)
    .option(
      '--duet',
      'A/B: both arms at once on one workload, each with its own cgroup, mock sensor and ports (interleaved, saying why, when two instances cannot coexist)',
    );
}

export async function runCommand(opts: Record<string, unknown>): Promise<number> {
  const { config, file } = loadConfig(opts, opts.config as string | undefined);
  const progress = createProgress(process.stderr, false);
  const outcome = await benchmark(
    {
      config,
      configFile: file,
      ab: opts,
      compare: opts.compare !== false,
      updateBaseline: Boolean(opts.updateBaseline),
      fromMain: opts.fromMain ? true : undefined,
      runsGiven: opts.runs !== undefined || process.env.COLLECTOR_BENCH_RUNS !== undefined,
    },
    printer,
    progress,
  );
  if (opts.json)
    process.stdout.write(
      `${JSON.stringify({ results: outcome.file, validRuns: outcome.counted, runs: outcome.result.runs.length, comparison: outcome.comparison })}\n`,
    );
  return outcome.exitCode;
}
