/**
 * The ONE report comment on a pull request, kept current. It is found by the hidden marker the
 * Markdown report starts with (stickyMarker in src/report/markdown.ts) AND by its author, the
 * token's own identity (src/github/identity.ts), across every page of comments: anyone can write
 * the marker, and another user's comment is never edited or deleted. The oldest of ours is updated
 * in place, and later ones (two jobs that raced, a re-run that could not see the first comment)
 * are deleted so the PR shows one report.
 */
import type { GitHubClient, GitHubRepo } from './client.js';
import { tokenLogin } from './identity.js';

export interface StickyCommentTarget extends GitHubRepo {
  issue: number;
  /** A whole HTML comment, e.g. `<!-- collector-bench:default -->`; the body must start with it. */
  marker: string;
  /** Login of the token's user; asked of the API when absent. */
  author?: string;
}

export interface StickyCommentOutcome {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  url: string;
  /** Ids of duplicate marker comments that were deleted. */
  deleted: number[];
  /** How many comments the listing read (all pages). */
  scanned: number;
}

/** Whether a comment body is a sticky comment with this marker (a quote of it in a reply is not). */
export function carriesMarker(body: string | null | undefined, marker: string): boolean {
  return (body ?? '').trimStart().startsWith(marker);
}

export async function upsertStickyComment(
  client: GitHubClient,
  target: StickyCommentTarget,
  body: string,
): Promise<StickyCommentOutcome> {
  if (!carriesMarker(body, target.marker)) {
    throw new Error(`internal: a sticky comment body must start with its marker ${target.marker}`);
  }
  const { owner, repo, issue } = target;
  const comments = await client.paginate(client.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issue,
    per_page: 100,
  });
  const author = target.author ?? (await tokenLogin(client));
  const ours = comments
    .filter((c) => c.user?.login === author && carriesMarker(c.body, target.marker))
    .sort((a, b) => a.id - b.id);
  const deleted: number[] = [];
  for (const dup of ours.slice(1)) {
    await client.rest.issues.deleteComment({ owner, repo, comment_id: dup.id });
    deleted.push(dup.id);
  }
  const first = ours[0];
  if (!first) {
    const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: issue, body });
    return { action: 'created', id: data.id, url: data.html_url, deleted, scanned: comments.length };
  }
  if (first.body === body) {
    return { action: 'unchanged', id: first.id, url: first.html_url, deleted, scanned: comments.length };
  }
  const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: first.id, body });
  return { action: 'updated', id: data.id, url: data.html_url, deleted, scanned: comments.length };
}
