/**
 * The ONE tracking issue of a finding that outlives a pull request (change points in main's
 * history). It is found by a hidden marker at the start of its body AND by its author being the
 * bot itself, so an issue a person opened, or one quoting the marker, is never taken over. Every
 * such issue, open or closed, is returned: what a closed one recorded stays known (a maintainer who
 * closes the issue has seen its findings), while only an open one is updated.
 */
import type { GitHubClient, GitHubRepo } from './client.js';
import { carriesMarker } from './sticky-comment.js';

export interface TrackingIssue {
  number: number;
  state: 'open' | 'closed';
  body: string;
  url: string;
}

export interface TrackingTarget extends GitHubRepo {
  /** A whole HTML comment, e.g. `<!-- collector-bench-history -->`; the body must start with it. */
  marker: string;
  /** The login the workflow's token acts as (`github-actions[bot]` for GITHUB_TOKEN). */
  botLogin: string;
}

/** The bot's marker issues, oldest first (pull requests, which the issues listing includes, are left out). */
export async function findTrackingIssues(client: GitHubClient, t: TrackingTarget): Promise<TrackingIssue[]> {
  const issues = await client.paginate(client.rest.issues.listForRepo, {
    owner: t.owner,
    repo: t.repo,
    state: 'all',
    creator: t.botLogin,
    per_page: 100,
  });
  return issues
    .filter((i) => !i.pull_request && i.user?.login === t.botLogin && carriesMarker(i.body, t.marker))
    .sort((a, b) => a.number - b.number)
    .map((i) => ({
      number: i.number,
      state: i.state === 'closed' ? 'closed' : 'open',
      body: i.body ?? '',
      url: i.html_url,
    }));
}

export interface TrackingUpdate {
  title: string;
  /** The whole body of a new issue (starts with the marker). */
  newBody: string;
  /** What an open issue's body becomes. */
  updatedBody: (old: string) => string;
  /** A comment on an updated issue, so that its subscribers hear of the news. */
  comment: string;
}

export interface TrackingOutcome {
  action: 'opened' | 'updated';
  number: number;
  url: string;
}

/** Updates the newest open tracking issue (body, plus a comment), or opens one. */
export async function openOrUpdateTrackingIssue(
  client: GitHubClient,
  t: TrackingTarget,
  existing: readonly TrackingIssue[],
  update: TrackingUpdate,
): Promise<TrackingOutcome> {
  if (!carriesMarker(update.newBody, t.marker)) {
    throw new Error(`internal: a tracking issue body must start with its marker ${t.marker}`);
  }
  const open = [...existing].reverse().find((i) => i.state === 'open');
  const { owner, repo } = t;
  if (!open) {
    const { data } = await client.rest.issues.create({ owner, repo, title: update.title, body: update.newBody });
    return { action: 'opened', number: data.number, url: data.html_url };
  }
  const { data } = await client.rest.issues.update({
    owner,
    repo,
    issue_number: open.number,
    body: update.updatedBody(open.body),
  });
  await client.rest.issues.createComment({ owner, repo, issue_number: open.number, body: update.comment });
  return { action: 'updated', number: data.number, url: data.html_url };
}
