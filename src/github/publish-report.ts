/**
 * Hands a finished report to GitHub: the job summary first (it needs no permission, so a report is
 * never lost), then the sticky PR comment, the commit status, step outputs and one error
 * annotation per regression. A 403 (a read-only token, e.g. on a fork's pull_request run) becomes
 * a warning: the summary still has the report.
 */
import type { Comparison } from '../contracts/comparison.js';
import { commentSafe, logLine, statusText } from '../report/escape.js';
import { overallVerdict } from '../stats/verdict.js';
import { annotateRegressions, setStepOutputs, warnAnnotation, writeJobSummary } from './actions-output.js';
import { httpStatusOf, type GitHubClient, type GitHubRepo } from './client.js';
import { setCommitStatus, type StatusState } from './commit-status.js';
import { upsertStickyComment, type StickyCommentOutcome } from './sticky-comment.js';

export const STATUS_CONTEXT = 'collector-bench';
/** Commit statuses one report may set: beyond this many benchmarks, one status covers them all. */
export const MAX_STATUSES = 5;

export interface PublishInput {
  client: GitHubClient | null;
  repo: GitHubRepo;
  /** The PR to comment on; null: no comment (pushes, nightly runs). */
  pr: number | null;
  /** The commit to set the status on; null: no status. */
  sha: string | null;
  /** Every benchmark's comparison in this report (none for a Markdown-only report). */
  comparisons: readonly Comparison[];
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
  /** The state of each status set (one per benchmark, or one for all of them). */
  statuses: StatusState[];
  regressions: number;
  /** Permission problems that were reported as warnings instead of failing the step. */
  warnings: string[];
}

function verdictDescription(cs: readonly Comparison[]): string {
  const counts = new Map<string, number>();
  for (const c of cs) for (const m of c.metrics) counts.set(m.verdict, (counts.get(m.verdict) ?? 0) + 1);
  const parts = [...counts].map(([v, n]) => `${n} ${v}`);
  const overall = overallVerdict(cs.map((c) => c.overall));
  return `${overall}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * The statuses of one report, bounded: `collector-bench/<benchmark>` each while there are at most
 * MAX_STATUSES benchmarks, else ONE `collector-bench` status for all (a results upload with 40
 * benchmark names must not set 40 statuses).
 */
function statusesOf(cs: readonly Comparison[]): Array<{ context: string; of: readonly Comparison[] }> {
  if (cs.length === 0) return [];
  if (cs.length > MAX_STATUSES) return [{ context: STATUS_CONTEXT, of: cs }];
  return cs.map((c) => ({ context: statusText(`${STATUS_CONTEXT}/${commentSafe(c.benchmark)}`, 100), of: [c] }));
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
    const message = logLine(
      `${what}: the token may not write here (403: ${(e as Error).message}); the report is in the job summary`,
    );
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
  const statuses: StatusState[] = [];
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
  if (client && input.sha !== null) {
    const sha = input.sha;
    for (const st of statusesOf(input.comparisons)) {
      const state = await tolerate403(`commit status on ${sha.slice(0, 7)}`, warnings, log, () =>
        setCommitStatus(client, repo, {
          sha,
          verdict: overallVerdict(st.of.map((c) => c.overall)),
          context: st.context,
          description: statusText(verdictDescription(st.of), 140),
          targetUrl: input.targetUrl,
        }),
      );
      if (state) statuses.push(state);
    }
  }
  const regressions = input.comparisons.reduce((n, c) => n + annotateRegressions(c), 0);
  setStepOutputs({
    verdict: input.comparisons.length ? overallVerdict(input.comparisons.map((c) => c.overall)) : 'inconclusive',
    regressions,
    reportPath: input.reportPath,
  });
  return { summary, comment, statuses, regressions, warnings };
}
