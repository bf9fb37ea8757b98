/** The real `collector-bench` process, as a user or a CI step runs it. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const CLI = join(import.meta.dirname, '../../bin/collector-bench.js');

/** Runs the CLI to its end; `code` is its exit code (0 included), never a thrown error. */
export async function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000) {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      timeout: timeoutMs,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** One tiny run, whatever the runtime: seconds, not minutes, and valid on a busy machine. */
export const TINY_RUN = [
  '--runs',
  '1',
  '--warmup-runs',
  '0',
  '--warmup-seconds',
  '1',
  '--load-seconds',
  '5',
  '--ramp-seconds',
  '1',
];

/** One tiny run of the reference collector as a local process. */
export const TINY_PROCESS_RUN = ['--runtime', 'process', ...TINY_RUN, '--collection-method', 'procfs'];
