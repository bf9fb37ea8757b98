/**
 * The workload generator's entry: `node main.js <file.toml> [--duration <s>] [--seed <n>]`.
 * Runs until the duration (flag, else BERSERKER__DURATION / the file's `duration`; 0 = until
 * SIGTERM/SIGINT), then prints ONE JSON line (an AchievedReport) as the last line of stdout and
 * exits 0. Progress goes to stderr. Bad input exits 2 with the error on stderr.
 *
 * This file runs itself when it is the process's entry script. Library code (and any bundle
 * that is not this command) should import from `./index.js` instead, which has no side effects.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isBenchError } from '../errors.js';
import { loadWorkloadConfig } from './config.js';
import { runWorkload } from './run.js';

export { runWorkload, workerCount, type RunWorkloadOptions } from './run.js';
export { loadWorkloadConfig, parseWorkloadConfig, type WorkloadConfig } from './config.js';
export { achievedReportSchema, type AchievedReport } from './report.js';

const USAGE = 'usage: main.js <workload.toml> [--duration <seconds>] [--seed <integer>]';

export interface MainArgs {
  file: string;
  durationS?: number;
  seed?: number;
}

export function parseMainArgs(argv: string[]): MainArgs {
  let file: string | undefined;
  let durationS: number | undefined;
  let seed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    if (flag === '--duration' || flag === '--seed') {
      const raw = inline ?? argv[++i];
      const n = Number(raw);
      if (raw === undefined || !Number.isFinite(n) || n < 0 || (flag === '--seed' && !Number.isInteger(n))) {
        throw new Error(
          `${flag} needs a ${flag === '--seed' ? 'non-negative integer' : 'number of seconds >= 0'}, got ${JSON.stringify(raw)}\n${USAGE}`,
        );
      }
      if (flag === '--duration') durationS = n;
      else seed = n;
    } else if (a === '-h' || a === '--help') {
      throw new Error(USAGE);
    } else if (a.startsWith('-')) {
      throw new Error(`unknown option ${a}\n${USAGE}`);
    } else if (file === undefined) {
      file = a;
    } else {
      throw new Error(`one workload file only, got ${file} and ${a}\n${USAGE}`);
    }
  }
  if (!file) throw new Error(USAGE);
  return { file, durationS, seed };
}

export async function main(argv: string[]): Promise<number> {
  let args: MainArgs;
  try {
    args = parseMainArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    process.stderr.write(`workload: ${sig}, stopping\n`);
    stop.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    const config = loadWorkloadConfig(args.file);
    const report = await runWorkload(config, {
      signal: stop.signal,
      durationS: args.durationS,
      seed: args.seed,
      log: (line) => process.stderr.write(`workload: ${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`workload: ${isBenchError(e) ? e.message : (e as Error).stack}\n`);
    return isBenchError(e) ? e.exitCode : 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

function isEntry(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  // Exit explicitly: stdout to a pipe or file is synchronous on Linux, so the JSON line is out,
  // and a straggling handle must not keep the generator alive past its duration.
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
