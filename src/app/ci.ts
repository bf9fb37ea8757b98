/**
 * The use cases of `collector-bench ci plan | report | update-baseline`: the steps of
 * .github/workflows/, each a command so that every decision and every step can be rehearsed
 * locally with an event file.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { openStore, type BaselineStore } from '../baseline/store.js';
import { readArtifacts } from '../ci/artifacts.js';
import { compareMachines } from '../ci/compare-machines.js';
import { actionsContextFromEnv } from '../ci/event.js';
import { planFor, UPDATE_LABEL, type CiPlan } from '../ci/plan.js';
import { readPlanFile } from '../ci/plan-file.js';
import {
  baselineMovedNote,
  baselineNotMovedNote,
  baselineSelection,
  storeSelection,
  type BaselineMove,
} from '../ci/update-baseline.js';
import { checkPlannedMachines } from '../ci/machines.js';
import { COMMENT_FILE, outFile, REPORT_MARKER, reportComment, withBaselineOutcome } from '../ci/pr-comment.js';
import { setBaselineStatus } from '../github/commit-status.js';
import { logLine, markdownText } from '../report/escape.js';
import { createGitHubClient, httpStatusOf, parseRepo, type GitHubClient, type GitHubRepo } from '../github/client.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import { removeLabel } from '../github/pulls.js';
import { publishReport } from '../github/publish-report.js';
import { writeJobSummary } from '../github/actions-output.js';
import { renderReport } from '../report/index.js';
import { compareOptionsFrom } from './compare.js';
import { EXIT_CODES, isBenchError } from '../errors.js';
import type { Printer } from './printer.js';

function clientFromEnv(env: NodeJS.ProcessEnv, print: Printer): GitHubClient | null {
  return env.GITHUB_TOKEN
    ? createGitHubClient({ token: env.GITHUB_TOKEN, baseUrl: env.GITHUB_API_URL, log: (m) => print.info(m) })
    : null;
}

async function resolvePlan(planFile: string | undefined, env: NodeJS.ProcessEnv, print: Printer): Promise<CiPlan> {
  if (planFile) return readPlanFile(planFile);
  return planFor(actionsContextFromEnv(env), clientFromEnv(env, print), env.BENCHMARK_MACHINES);
}

function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_SERVER_URL || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined;
  return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}

/** What CI does for this event (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, ...). */
export async function ciPlan(print: Printer, env: NodeJS.ProcessEnv = process.env): Promise<CiPlan> {
  return resolvePlan(undefined, env, print);
}

function pendingNote(plan: CiPlan): string | null {
  if (!plan.updateBaseline) return null;
  return plan.pr !== null
    ? `> [!NOTE]\n> ${UPDATE_LABEL} was applied by ${markdownText(`@${plan.approvedBy ?? ''}`)} (${plan.approverRole}): these results are being added to the baseline.`
    : '> [!NOTE]\n> These results are being added to the baseline.';
}

export interface CiReportOptions {
  artifacts: string;
  out: string;
  baseline?: string;
  plan?: string;
  failOnRegression?: boolean;
}

export async function ciReport(
  opts: CiReportOptions,
  config: Config,
  print: Printer,
  env = process.env,
): Promise<number> {
  const plan = await resolvePlan(opts.plan, env, print);
  print.info(`ci report: ${logLine(plan.reason)}`);
  if (plan.mode === null) return EXIT_CODES.ok; // the plan found nothing to report
  const machines = checkPlannedMachines(readArtifacts(resolve(opts.artifacts)), plan);
  const needsStore = machines.some((m) => m.results.some((r) => r.arms === null));
  const store: BaselineStore | null = needsStore
    ? await openStore(opts.baseline ?? config.compare.baseline, {
        source: opts.baseline ? 'flag --baseline' : 'compare.baseline',
      })
    : null;
  const reports = await compareMachines(machines, store, compareOptionsFrom(config.compare));
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  // Files first: a failed comment or status must never lose the report.
  for (const report of reports) {
    const file = outFile(out, report.benchmark, '.comparison.json');
    writeFileSync(file, renderReport('json', report.comparison));
    print.info(
      logLine(
        `${report.benchmark}: ${report.comparison.overall} across ${report.machines.map((m) => `${m.machine} (${m.mode})`).join(', ')}; ${file}`,
      ),
    );
  }
  const comparisons = reports.map((r) => r.comparison);
  const notes = [pendingNote(plan)].filter((n): n is string => n !== null);
  const markdown = reportComment(comparisons, notes);
  writeFileSync(join(out, COMMENT_FILE), markdown);
  const outcome = await publishReport({
    client: clientFromEnv(env, print),
    repo: repoFromEnv(env),
    pr: plan.comment ? plan.pr : null,
    sha: plan.headSha,
    comparisons,
    markdown,
    marker: REPORT_MARKER,
    reportPath: join(out, COMMENT_FILE),
    targetUrl: runUrl(env),
    log: (m) => print.info(m),
  });
  return opts.failOnRegression && outcome.regressions > 0 ? EXIT_CODES.checkFailed : EXIT_CODES.ok;
}

function repoFromEnv(env: NodeJS.ProcessEnv): GitHubRepo {
  return parseRepo(env.GITHUB_REPOSITORY, 'environment GITHUB_REPOSITORY');
}

export interface CiUpdateBaselineOptions {
  artifacts: string;
  out: string;
  baseline?: string;
  plan?: string;
}

export async function ciUpdateBaseline(
  opts: CiUpdateBaselineOptions,
  config: Config,
  print: Printer,
  env = process.env,
): Promise<number> {
  const plan = await resolvePlan(opts.plan, env, print);
  if (!plan.updateBaseline) {
    print.info(`ci update-baseline: nothing stored (${logLine(plan.reason)})`);
    return EXIT_CODES.ok;
  }
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  const github = { client: clientFromEnv(env, print), repo: repoFromEnv(env), plan, out, print };
  let move: BaselineMove;
  try {
    // Everything is read and checked before the store is opened: a refusal writes nothing.
    const items = baselineSelection(readArtifacts(resolve(opts.artifacts)), plan, [config.benchmark]);
    const store = await openStore(opts.baseline ?? config.compare.baseline, {
      source: opts.baseline ? 'flag --baseline' : 'compare.baseline',
    });
    move = await storeSelection(store, items, plan);
    for (const s of move.stored)
      print.info(logLine(`${s.machine}: ${s.stored.deduplicated ? 'already stored' : 'stored'} ${s.stored.location}`));
    writeFileSync(join(out, 'baseline-update.json'), `${JSON.stringify(move, null, 2)}\n`);
    await announceBaseline(github, baselineMovedNote(move, store.location), 'success');
  } catch (e) {
    if (!isBenchError(e)) throw e;
    // The PR hears what happened, and the approval is used up either way.
    await announceBaseline(github, baselineNotMovedNote(e.message), 'failure');
    throw e;
  }
  return EXIT_CODES.ok;
}

interface GitHubSide {
  client: GitHubClient | null;
  repo: GitHubRepo;
  plan: CiPlan;
  out: string;
  print: Printer;
}

/** The baseline's outcome on the PR: the report comment, a status, the label removed; or the job summary. */
async function announceBaseline(g: GitHubSide, note: string, state: 'success' | 'failure'): Promise<void> {
  const { client, repo, plan, print } = g;
  const commentFile = join(g.out, COMMENT_FILE);
  const body = withBaselineOutcome(
    existsSync(commentFile) ? readFileSync(commentFile, 'utf8') : `${REPORT_MARKER}\n`,
    note,
  );
  writeFileSync(commentFile, body);
  await writeJobSummary(note);
  if (!client) {
    print.warn('no GITHUB_TOKEN: the baseline outcome is in the job summary only');
    return;
  }
  await tolerate403(print, `comment on #${plan.pr}`, async () => {
    if (plan.comment && plan.pr !== null) {
      const outcome = await upsertStickyComment(client, { ...repo, issue: plan.pr, marker: REPORT_MARKER }, body);
      print.info(`comment ${outcome.action}: ${outcome.url}`);
    }
  });
  await tolerate403(print, 'baseline status', async () => {
    if (plan.headSha !== null) await setBaselineStatus(client, repo, plan.headSha, state);
  });
  await tolerate403(print, `removing ${UPDATE_LABEL}`, async () => {
    // One approval counts once: a later push, or a retry after a refusal, needs the label again.
    if (plan.pr !== null && (await removeLabel(client, repo, plan.pr, UPDATE_LABEL)))
      print.info(`removed ${UPDATE_LABEL} from #${plan.pr}`);
  });
}

async function tolerate403(print: Printer, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (httpStatusOf(e) !== 403) throw e;
    print.warn(`${what}: the token may not write here (403)`);
  }
}
