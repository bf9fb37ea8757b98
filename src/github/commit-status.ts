/** The overall verdict as a commit status, so branch protection can require it. */
import type { Verdict } from '../contracts/comparison.js';
import type { GitHubClient, GitHubRepo } from './client.js';

export type StatusState = 'success' | 'failure' | 'error' | 'pending';

/**
 * Green only when every metric is unchanged or improved. A regression is `failure`; inconclusive is
 * `error` ("the check could not decide"), also not green, so nobody reads noise as a pass, while a
 * repository can still choose not to require the status.
 */
export function statusStateOf(verdict: Verdict): StatusState {
  if (verdict === 'regression') return 'failure';
  if (verdict === 'inconclusive') return 'error';
  return 'success';
}

/** GitHub limits a status description to 140 characters. */
export function statusDescription(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}

export async function setCommitStatus(
  client: GitHubClient,
  where: GitHubRepo,
  status: { sha: string; verdict: Verdict; context: string; description: string; targetUrl?: string },
): Promise<StatusState> {
  const state = statusStateOf(status.verdict);
  await client.rest.repos.createCommitStatus({
    ...where,
    sha: status.sha,
    state,
    context: status.context,
    description: statusDescription(status.description),
    ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
  });
  return state;
}

/** The baseline update's outcome on the approved commit: its own context, beside the report's. */
export async function setBaselineStatus(
  client: GitHubClient,
  where: GitHubRepo,
  sha: string,
  state: 'success' | 'failure',
): Promise<void> {
  await client.rest.repos.createCommitStatus({
    ...where,
    sha,
    state,
    context: 'collector-bench/baseline',
    description: state === 'success' ? 'results added to the baseline' : 'baseline not moved (see the PR comment)',
  });
}
