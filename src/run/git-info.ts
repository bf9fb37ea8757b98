/** Which commit a result measures: from GitHub Actions' environment, else from the local checkout. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { GitInfo } from '../contracts/result.js';

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

function prFromEvent(path: string | undefined): number | null {
  if (!path) return null;
  try {
    const event = JSON.parse(readFileSync(path, 'utf8')) as { pull_request?: { number?: number } };
    return event.pull_request?.number ?? null;
  } catch {
    return null;
  }
}

export function gitInfo(env: NodeJS.ProcessEnv = process.env): GitInfo {
  const pr = env.COLLECTOR_BENCH_PR ? Number(env.COLLECTOR_BENCH_PR) : prFromEvent(env.GITHUB_EVENT_PATH);
  return {
    sha: env.COLLECTOR_BENCH_SHA ?? env.GITHUB_SHA ?? git(['rev-parse', 'HEAD']),
    ref: env.COLLECTOR_BENCH_REF ?? env.GITHUB_REF ?? (git(['symbolic-ref', '-q', 'HEAD']) || null),
    pr: Number.isInteger(pr) ? pr : null,
  };
}
