/**
 * The history step of the push-to-main and nightly jobs: after their results are stored, the
 * history of every (benchmark, environment key) they touched is built, and a change point that no
 * tracking issue has recorded yet opens or updates the ONE tracking issue and shows in the job
 * summary. Nothing is posted when nothing is new.
 *
 * What an issue has recorded is kept in it as one hidden token per change point (benchmark, key,
 * metric and the first session after the step). A change point counts as recorded when a token of
 * its series names the same first session, or one within minSegment sessions of it: as sessions
 * accrue, the detector may move a step by a session or two, and that is not news.
 */
import type { BaselineStore } from '../baseline/store.js';
import type { HistoryChangePoint, HistoryMetric, HistoryReport, HistorySeries } from '../contracts/history.js';
import type { GitHubClient } from '../github/client.js';
import {
  findTrackingIssues,
  openOrUpdateTrackingIssue,
  type TrackingOutcome,
  type TrackingTarget,
} from '../github/tracking-issue.js';
import { buildHistory, type HistoryOptions } from '../history/history.js';
import { METRIC_LABEL, formatMetricValue, shortSha } from '../report/format.js';
import { formatStep } from '../report/history.js';
import type { MachineArtifacts } from './artifacts.js';

export const TRACKING_MARKER = '<!-- collector-bench-history -->';
export const TRACKING_TITLE = "collector-bench: change points in main's benchmark history";

export interface TrackedChangePoint {
  benchmark: string;
  envKey: string;
  metric: HistoryMetric;
  sha: string | null;
  createdAt: string;
}

const TOKEN_PREFIX = '<!-- collector-bench-change-point ';
const TOKEN_RE = /<!-- collector-bench-change-point (\{[^<>]*\}) -->/g;

export function tokenOf(t: TrackedChangePoint): string {
  const { benchmark, envKey, metric, sha, createdAt } = t;
  return `${TOKEN_PREFIX}${JSON.stringify({ benchmark, envKey, metric, sha, createdAt })} -->`;
}

/** The change points a body records; tokens that do not parse are skipped (a person edited the issue). */
export function trackedIn(body: string): TrackedChangePoint[] {
  const out: TrackedChangePoint[] = [];
  for (const m of body.matchAll(TOKEN_RE)) {
    try {
      const t = JSON.parse(m[1]) as Partial<TrackedChangePoint>;
      if (typeof t.benchmark === 'string' && typeof t.envKey === 'string' && typeof t.createdAt === 'string') {
        out.push({
          benchmark: t.benchmark,
          envKey: t.envKey,
          metric: t.metric === 'memoryBytes' ? 'memoryBytes' : 'cpuPercent',
          sha: t.sha ?? null,
          createdAt: t.createdAt,
        });
      }
    } catch {
      // not ours after all
    }
  }
  return out;
}

export interface FoundChangePoint {
  benchmark: string;
  series: HistorySeries;
  changePoint: HistoryChangePoint;
}

export function trackedOf(f: FoundChangePoint): TrackedChangePoint {
  return {
    benchmark: f.benchmark,
    envKey: f.series.envKey,
    metric: f.series.metric,
    sha: f.changePoint.firstAfter.sha,
    createdAt: f.changePoint.firstAfter.createdAt,
  };
}

function isRecorded(f: FoundChangePoint, known: readonly TrackedChangePoint[], minSegment: number): boolean {
  return known.some((k) => {
    if (k.benchmark !== f.benchmark || k.envKey !== f.series.envKey || k.metric !== f.series.metric) return false;
    if (k.createdAt === f.changePoint.firstAfter.createdAt) return true;
    const at = f.series.sessions.findIndex((s) => s.createdAt === k.createdAt);
    return (
      at >= 0 && f.series.sessions[at].epoch === f.changePoint.epoch && Math.abs(at - f.changePoint.index) <= minSegment
    );
  });
}

/** Change points of these histories that no token in `known` records. */
export function newChangePoints(
  histories: readonly HistoryReport[],
  known: readonly TrackedChangePoint[],
): FoundChangePoint[] {
  return histories.flatMap((h) =>
    h.series.flatMap((series) =>
      series.changePoints
        .map((changePoint) => ({ benchmark: h.benchmark, series, changePoint }))
        .filter((f) => !isRecorded(f, known, h.options.minSegment)),
    ),
  );
}

/** One Markdown line per change point, carrying its token. */
export function changePointLine(f: FoundChangePoint): string {
  const { series: s, changePoint: cp } = f;
  return (
    `- **${f.benchmark}** · \`${s.envKey}\` · ${METRIC_LABEL[s.metric]}: ${formatStep(cp)} ` +
    `(${formatMetricValue(s.unit, cp.before.mean)} → ${formatMetricValue(s.unit, cp.after.mean)}) ` +
    `between \`${shortSha(cp.lastBefore.sha)}\` (${cp.lastBefore.createdAt}) and \`${shortSha(cp.firstAfter.sha)}\` ` +
    `(${cp.firstAfter.createdAt}); ${cp.before.n} sessions before, ${cp.after.n} after ${tokenOf(trackedOf(f))}`
  );
}

export function trackingIssueBody(fresh: readonly FoundChangePoint[]): string {
  return [
    TRACKING_MARKER,
    "Change points in main's stored benchmark results (`collector-bench history`): steps that no single pull",
    'request showed, such as a slow creep, a dependency or a runner image. Each line names the commit range',
    'around the step. The nightly and push-to-main jobs add new ones here; close this issue once they are',
    'understood (a new one opens for the next).',
    '',
    ...fresh.map(changePointLine),
    '',
  ].join('\n');
}

export function appendedBody(old: string, fresh: readonly FoundChangePoint[]): string {
  return `${old.trimEnd()}\n${fresh.map(changePointLine).join('\n')}\n`;
}

/** The job summary: what is new, and every series too short to judge (never shown as green). */
export function historySummary(
  histories: readonly HistoryReport[],
  fresh: readonly FoundChangePoint[],
  issueUrl: string | null,
): string {
  const lines = ["### Main's history"];
  if (fresh.length > 0) {
    lines.push(
      '',
      `New change point(s)${issueUrl ? ` (tracked in ${issueUrl})` : ''}:`,
      '',
      ...fresh.map(changePointLine),
    );
  } else lines.push('', 'No new change point.');
  const short = histories.flatMap((h) => h.series.filter((s) => s.status === 'insufficient').map((s) => ({ h, s })));
  if (short.length > 0) {
    lines.push(
      '',
      ...short.map(({ h, s }) => `- ⚠️ ${h.benchmark} · \`${s.envKey}\` · ${METRIC_LABEL[s.metric]}: ${s.reason}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The history of each (benchmark, environment key) that the stored artifacts belong to. */
export async function historiesOfArtifacts(
  store: BaselineStore,
  machines: readonly MachineArtifacts[],
  options: Omit<HistoryOptions, 'envKey'> = {},
): Promise<HistoryReport[]> {
  const groups = new Map<string, { benchmark: string; envKey: string }>();
  for (const m of machines) {
    for (const r of m.results) {
      const result = r.arms ? r.arms.candidate : r.result;
      const envKey = store.envKeyOf(result);
      groups.set(`${result.benchmark}\u0000${envKey}`, { benchmark: result.benchmark, envKey });
    }
  }
  const out: HistoryReport[] = [];
  for (const g of [...groups.values()].sort((a, b) => (a.benchmark + a.envKey).localeCompare(b.benchmark + b.envKey))) {
    out.push(await buildHistory(store, g.benchmark, { ...options, envKey: g.envKey }));
  }
  return out;
}

export interface TrackingResult {
  fresh: FoundChangePoint[];
  /** The issue written; null when nothing was new (nothing posted) or there is no client. */
  issue: TrackingOutcome | null;
}

/** Compares the histories with every tracking issue and posts only what is new. */
export async function trackChangePoints(
  client: GitHubClient,
  target: Omit<TrackingTarget, 'marker'>,
  histories: readonly HistoryReport[],
): Promise<TrackingResult> {
  const t = { ...target, marker: TRACKING_MARKER };
  const existing = await findTrackingIssues(client, t);
  const fresh = newChangePoints(
    histories,
    existing.flatMap((i) => trackedIn(i.body)),
  );
  if (fresh.length === 0) return { fresh, issue: null };
  const issue = await openOrUpdateTrackingIssue(client, t, existing, {
    title: TRACKING_TITLE,
    newBody: trackingIssueBody(fresh),
    updatedBody: (old) => appendedBody(old, fresh),
    comment: [`New change point(s) in main's history:`, '', ...fresh.map(changePointLine), ''].join('\n'),
  });
  return { fresh, issue };
}
