/** Runs the real `collector-bench` CLI in a child process, as a workflow step does. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const CLI = join(import.meta.dirname, '../../bin/collector-bench.js');
export const EVENTS = join(import.meta.dirname, '../fixtures/events');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of an Actions step, without whatever the test runner's own shell had. */
export function actionsEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GITHUB_') || k === 'RUNNER_TEMP') delete env[k];
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) env[k] = v;
  return env;
}

export async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [CLI, ...args], { env, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The env of `ci plan` for one of the sample events in test/fixtures/events. */
export function eventEnv(event: string, apiUrl: string, token: string | undefined, extra: Record<string, string> = {}) {
  const name = event.split('.')[0];
  return actionsEnv({
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: join(EVENTS, `${event}.json`),
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_API_URL: apiUrl,
    GITHUB_TOKEN: token,
    ...extra,
  });
}
