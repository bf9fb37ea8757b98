/**
 * The one Octokit the CI steps use: `@octokit/rest` with retries (5xx, network errors) and
 * GitHub's rate-limit pacing. `baseUrl` comes from GITHUB_API_URL, so the same code talks to
 * github.com, GitHub Enterprise, or the fake in test/fakes/github.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { InvalidInputError } from '../errors.js';

const CiOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof CiOctokit>;

export interface GitHubRepo {
  owner: string;
  repo: string;
}

export interface GitHubClientOptions {
  token: string;
  baseUrl?: string;
  /** Retries after a 5xx or a network error (default 3; the fake's tests use fewer). */
  retries?: number;
  /** Where rate-limit notes go (stderr by default). */
  log?: (message: string) => void;
}

export const DEFAULT_API_URL = 'https://api.github.com';

export function createGitHubClient(opts: GitHubClientOptions): GitHubClient {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  return new CiOctokit({
    auth: opts.token,
    baseUrl: (opts.baseUrl ?? DEFAULT_API_URL).replace(/\/+$/, ''),
    userAgent: 'collector-bench',
    retry: { retries: opts.retries ?? 3 },
    throttle: {
      // Primary limit: wait and retry twice; the secondary (abuse) limit: once. Past that the
      // request fails and the step reports it rather than hanging the job.
      onRateLimit: (retryAfter, options, _octokit, retryCount) => {
        log(`GitHub rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`);
        return retryCount < 2;
      },
      onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
        log(`GitHub secondary rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`);
        return retryCount < 1;
      },
    },
    log: { debug: () => {}, info: () => {}, warn: log, error: log },
  });
}

/** `owner/name` -> { owner, repo }, with an error naming where the value came from. */
export function parseRepo(value: string | undefined, source: string): GitHubRepo {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value ?? '');
  if (!m) throw new InvalidInputError(source, 'repository', value, '"owner/name"');
  return { owner: m[1], repo: m[2] };
}

/** HTTP status of an Octokit request error, or null for anything else. */
export function httpStatusOf(e: unknown): number | null {
  const status = (e as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}
