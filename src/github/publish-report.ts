/**
 * Hands a finished report to GitHub: the job summary first (it needs no permission, so a report is
 * never lost), then the sticky PR comment, the commit status, step outputs and one error
 * annotation per regression. A 403 (a read-only token, e.g. on a fork's pull_request run) becomes
 * a warning: the summary still has the report.
 */
import type { Comparison } from '../contracts/comparison.js';
import { annotateRegressions, setStepOutputs, warnAnnotation, writeJobSummary } from './actions-output.js';
import { httpStatusOf, type GitHubClient, type GitHubRepo } from './client.js';
import { setCommitStatus, type StatusState } from './commit-status.js';
import { upsertStickyComment, type StickyCommentOutcome } from './sticky-comment.js';

export const STATUS_CONTEXT = 'collector-bench';

export interface PublishInput {
  client: GitHubClient | null;
  repo: GitHubRepo;
  /** The PR to comment on; null: no comment (pushes, nightly runs). */
  pr: number | null;
  /** The commit to set the status on; null: no status. */
  sha: string | null;
  comparison: Comparison | null;
  /** The Markdown body (starts with the marker). */
  markdown: string;
  marker: string;
  reportPath: string;
  /** Link for the status (the workflow run). */
  targetUrl?: string;
  log: (message: string) => void;
}

export interface PublishOutcome {
  summary: boolean;
  comment: StickyCommentOutcome | null;
  status: StatusState | null;
  regressions: number;
  /** Permission problems that were reported as warnings instead of failing the step. */
  warnings: string[];
}

function verdictDescription(c: Comparison): string {
  const counts = new Map<string, number>();
  for (const m of c.metrics) counts.set(m.verdict, (counts.get(m.verdict) ?? 0) + 1);
  const parts = [...counts].map(([v, n]) => `${n} ${v}`);
  return `${c.overall}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

async function tolerate403<T>(
  what: string,
  warnings: string[],
  log: (m: string) => void,
  fn: () => Promise<T>,
): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    const status = httpStatusOf(e);
    if (status !== 403) throw e;
    const message = `${what}: the token may not write here (403: ${(e as Error).message}); the report is in the job summary`;
    warnings.push(message);
    warnAnnotation(message, 'collector-bench: read-only token');
    log(`warning: ${message}`);
    return null;
  }
}

export async function publishReport(input: PublishInput): Promise<PublishOutcome> {
  const { client, repo, log } = input;
  const warnings: string[] = [];
  const summary = await writeJobSummary(input.markdown);
  if (!summary) log('no GITHUB_STEP_SUMMARY (not an Actions job): job summary skipped');
  let comment: StickyCommentOutcome | null = null;
  let status: StatusState | null = null;
  if (!client && (input.pr !== null || input.sha !== null)) {
    const message = 'no GITHUB_TOKEN: no comment and no commit status; the report is in the job summary';
    warnings.push(message);
    warnAnnotation(message);
  }
  if (client && input.pr !== null) {
    const pr = input.pr;
    comment = await tolerate403(`comment on #${pr}`, warnings, log, () =>
      upsertStickyComment(client, { ...repo, issue: pr, marker: input.marker }, input.markdown),
    );
    if (comment)
      log(
        `comment ${comment.action}: ${comment.url}${comment.deleted.length ? ` (removed ${comment.deleted.length} duplicate(s))` : ''}`,
      );
  }
  if (client && input.sha !== null && input.comparison) {
    const c = input.comparison;
    const sha = input.sha;
    status = await tolerate403(`commit status on ${sha.slice(0, 7)}`, warnings, log, () =>
      setCommitStatus(client, repo, {
        sha,
        verdict: c.overall,
        context: `${STATUS_CONTEXT}/${c.benchmark}`,
        description: verdictDescription(c),
        targetUrl: input.targetUrl,
      }),
    );
  }
  const regressions = input.comparison ? annotateRegressions(input.comparison) : 0;
  setStepOutputs({
    verdict: input.comparison?.overall ?? 'inconclusive',
    regressions,
    reportPath: input.reportPath,
  });
  return { summary, comment, status, regressions, warnings };
}
