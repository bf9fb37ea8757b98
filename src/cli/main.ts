/** The `collector-bench` command line. Each subcommand lives in commands/; this file only wires them. */
import { Command, CommanderError } from 'commander';
import { isBenchError } from '../errors.js';
import { addRunOptions, runCommand } from './commands/run.js';
import { imagesBuild, imagesList } from './commands/images.js';

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('collector-bench')
    .description('Benchmark and CI regression harness for kernel-level event collectors')
    .exitOverride()
    .showHelpAfterError();

  addRunOptions(program.command('run').description('run the benchmark, write a results file, compare with the baseline')).action(async (opts) => {
    exitCode = await runCommand(opts);
  });

  const images = program.command('images').description('locally built images (never pulled)');
  images.command('build').option('--json').description('build (or reuse) the node-base, workload and reference-collector images').action(async (opts) => {
    exitCode = await imagesBuild(opts);
  });
  images.command('list').option('--json').description('list the images collector-bench built').action(async (opts) => {
    exitCode = await imagesList(opts);
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isBenchError(e)) {
      process.stderr.write(`collector-bench: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`collector-bench: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
  return exitCode;
}
