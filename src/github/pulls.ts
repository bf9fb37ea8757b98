/**
 * Facts about a pull request asked of the API rather than read from a payload or an artifact the
 * PR's own code could have written: which PR a workflow run belongs to, its labels, who applied a
 * label and when (src/github/timeline.ts).
 */
import { httpStatusOf, type GitHubClient, type GitHubRepo } from './client.js';

export interface PullFacts {
  number: number;
  state: string;
  headSha: string;
  headRef: string;
  headRepo: string | null;
  baseRef: string;
  baseSha: string;
  labels: string[];
  fork: boolean;
}

/** The fields both `pulls.get` and `pulls.list` return. */
interface PullData {
  number: number;
  state: string;
  head: { sha: string; ref: string; repo: { full_name: string } | null };
  base: { sha: string; ref: string };
  labels: Array<{ name?: string }>;
}

function factsOf(where: GitHubRepo, p: PullData): PullFacts {
  const headRepo = p.head.repo?.full_name ?? null;
  return {
    number: p.number,
    state: p.state,
    headSha: p.head.sha,
    headRef: p.head.ref,
    headRepo,
    baseRef: p.base.ref,
    baseSha: p.base.sha,
    labels: p.labels.map((l) => l.name ?? '').filter((n) => n !== ''),
    fork: headRepo === null || headRepo.toLowerCase() !== `${where.owner}/${where.repo}`.toLowerCase(),
  };
}

export async function getPull(client: GitHubClient, where: GitHubRepo, n: number): Promise<PullFacts | null> {
  try {
    const { data } = await client.rest.pulls.get({ ...where, pull_number: n });
    return factsOf(where, data);
  } catch (e) {
    if (httpStatusOf(e) === 404) return null;
    throw e;
  }
}

/**
 * The open PR whose head is `headSha`. Same-repository runs name their PRs in the workflow_run
 * payload; runs from forks do not (GitHub leaves `pull_requests` empty), so those are looked up by
 * the fork's `owner:branch`. Either way the PR's current head must be exactly this commit.
 */
export async function findPullForCommit(
  client: GitHubClient,
  where: GitHubRepo,
  run: { headSha: string; prNumbers: number[]; headOwner: string | null; headBranch: string | null },
): Promise<PullFacts | null> {
  for (const n of run.prNumbers) {
    const pull = await getPull(client, where, n);
    if (pull && pull.headSha === run.headSha) return pull;
  }
  if (!run.headOwner || !run.headBranch) return null;
  const pulls = await client.paginate(client.rest.pulls.list, {
    ...where,
    state: 'open',
    head: `${run.headOwner}:${run.headBranch}`,
    per_page: 100,
  });
  const match = pulls.find((p) => p.head.sha === run.headSha);
  return match ? factsOf(where, match) : null;
}

/** Removes a label from a PR; a label already gone is fine. */
export async function removeLabel(
  client: GitHubClient,
  where: GitHubRepo,
  issue: number,
  name: string,
): Promise<boolean> {
  try {
    await client.rest.issues.removeLabel({ ...where, issue_number: issue, name });
    return true;
  } catch (e) {
    if (httpStatusOf(e) === 404) return false;
    throw e;
  }
}
