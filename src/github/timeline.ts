/**
 * Whether a label was applied to THIS pull request's current head, read from the PR's own timeline
 * (GET /repos/{owner}/{repo}/issues/{n}/timeline), never from workflow runs elsewhere in the
 * repository: a run for the same commit on another branch, or a run from before a force-push back
 * to an older commit, says nothing about when that commit became this PR's head.
 *
 * The timeline lists events in the order they happened. The head changes with `committed` (a push
 * of new commits; it carries the commit's sha but only author and committer dates, which whoever
 * pushes chooses, so its position counts, never its date), `head_ref_force_pushed` (`commit_id` the
 * new head, `created_at` GitHub's own time) and `head_ref_restored`. The label counts only when the
 * last head change came before it in the timeline, named exactly this head, and, where GitHub gives
 * a time, happened strictly earlier (a push in the same second as the label does not count).
 */
import type { GitHubClient, GitHubRepo } from './client.js';

const HEAD_CHANGES = new Set(['committed', 'head_ref_force_pushed', 'head_ref_restored']);

interface TimelineItem {
  event?: string;
  sha?: string;
  commit_id?: string | null;
  created_at?: string;
  actor?: { login?: string } | null;
  label?: { name?: string };
}

export type LabelOnHead =
  { ok: true; login: string; at: string } | { ok: false; reason: string; login: string | null; at: string | null };

/** The commit an event made the head, when the event names one. */
function headOf(e: TimelineItem): string | null {
  if (e.event === 'committed') return e.sha ?? null;
  if (e.event === 'head_ref_force_pushed') return e.commit_id ?? null;
  return null;
}

export function labelOnHeadFromTimeline(items: readonly TimelineItem[], label: string, headSha: string): LabelOnHead {
  let labelAt = -1;
  items.forEach((e, i) => {
    if (e.event === 'labeled' && e.label?.name === label && e.actor?.login) labelAt = i;
  });
  if (labelAt < 0) return { ok: false, reason: `no labeled event for ${label}`, login: null, at: null };
  const labelled = items[labelAt];
  const login = labelled.actor?.login ?? null;
  const at = labelled.created_at ?? null;
  let change = -1;
  items.forEach((e, i) => {
    if (e.event && HEAD_CHANGES.has(e.event)) change = i;
  });
  const short = headSha.slice(0, 7);
  if (change < 0) {
    return { ok: false, reason: `the timeline does not show when ${short} became the head`, login, at };
  }
  const last = items[change];
  if (change > labelAt) {
    return {
      ok: false,
      reason: `the head changed (${last.event}${headOf(last) ? ` ${headOf(last)?.slice(0, 7)}` : ''}) after ${label} was applied; apply it again`,
      login,
      at,
    };
  }
  if (headOf(last) !== headSha) {
    return {
      ok: false,
      reason: `the last head change before ${label} (${last.event}) was not ${short}; apply it again`,
      login,
      at,
    };
  }
  if (last.created_at && at && !(Date.parse(last.created_at) < Date.parse(at))) {
    return {
      ok: false,
      reason: `${label} was applied at ${at}, not after ${short} became the head (${last.created_at}); apply it again`,
      login,
      at,
    };
  }
  if (!login || !at) return { ok: false, reason: `the ${label} event names no actor or time`, login, at };
  return { ok: true, login, at };
}

/** Who applied `label` to this PR after `headSha` became its head, from the PR's timeline. */
export async function labelOnHead(
  client: GitHubClient,
  where: GitHubRepo,
  issue: number,
  label: string,
  headSha: string,
): Promise<LabelOnHead> {
  const items = await client.paginate(client.rest.issues.listEventsForTimeline, {
    ...where,
    issue_number: issue,
    per_page: 100,
  });
  return labelOnHeadFromTimeline(items as TimelineItem[], label, headSha);
}
