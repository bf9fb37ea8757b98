/**
 * `collector-bench ci plan | report | update-baseline`: the steps of .github/workflows/, each a
 * command so that every decision and every step can be rehearsed locally with an event file.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../config/schema.js';
import { openStore, type BaselineStore } from '../../baseline/store.js';
import { readArtifacts } from '../../ci/artifacts.js';
import { compareMachines } from '../../ci/compare-machines.js';
import { actionsContextFromEnv } from '../../ci/event.js';
import { planFor, UPDATE_LABEL, type CiPlan } from '../../ci/plan.js';
import { readPlanFile } from '../../ci/plan-file.js';
import { baselineMovedNote, updateBaselineFromArtifacts } from '../../ci/update-baseline.js';
import {
  createGitHubClient,
  httpStatusOf,
  parseRepo,
  type GitHubClient,
  type GitHubRepo,
} from '../../github/client.js';
import { upsertStickyComment } from '../../github/sticky-comment.js';
import { removeLabel } from '../../github/pulls.js';
import { publishReport } from '../../github/publish-report.js';
import { writeJobSummary } from '../../github/actions-output.js';
import { GITHUB_COMMENT_LIMIT, renderReport, stickyMarker } from '../../report/index.js';
import { compareOptionsFrom } from '../../app/compare.js';
import { EXIT_CODES } from '../../errors.js';
import { info, warn } from '../output.js';

function clientFromEnv(env: NodeJS.ProcessEnv): GitHubClient | null {
  return env.GITHUB_TOKEN
    ? createGitHubClient({ token: env.GITHUB_TOKEN, baseUrl: env.GITHUB_API_URL, log: info })
    : null;
}

async function resolvePlan(planFile: string | undefined, env: NodeJS.ProcessEnv): Promise<CiPlan> {
  if (planFile) return readPlanFile(planFile);
  return planFor(actionsContextFromEnv(env), clientFromEnv(env));
}

function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_SERVER_URL || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined;
  return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}

export async function ciPlanCommand(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const plan = await resolvePlan(undefined, env);
  process.stdout.write(`${JSON.stringify(plan)}\n`);
  return EXIT_CODES.ok;
}

/** The report's Markdown with notes after it, the whole staying under GitHub's comment limit. */
function markdownWithNotes(render: (maxChars: number) => string, notes: readonly string[]): string {
  const tail = notes.map((n) => `\n${n}\n`).join('');
  return render(GITHUB_COMMENT_LIMIT - tail.length) + tail;
}

function pendingNote(plan: CiPlan): string | null {
  if (!plan.updateBaseline) return null;
  return plan.pr !== null
    ? `> [!NOTE]\n> ${UPDATE_LABEL} was applied by @${plan.approvedBy} (${plan.approverRole}): these results are being added to the baseline.`
    : '> [!NOTE]\n> These results are being added to the baseline.';
}

export interface CiReportOptions {
  artifacts: string;
  out: string;
  baseline?: string;
  plan?: string;
  failOnRegression?: boolean;
}

export async function ciReportCommand(opts: CiReportOptions, config: Config, env = process.env): Promise<number> {
  const plan = await resolvePlan(opts.plan, env);
  info(`ci report: ${plan.reason}`);
  if (plan.mode === null) return EXIT_CODES.ok; // the plan found nothing to report
  const machines = readArtifacts(resolve(opts.artifacts));
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
  const client = clientFromEnv(env);
  let regressions = 0;
  for (const report of reports) {
    const stem = join(out, `${report.benchmark}.comparison`);
    // Files first: a failed comment or status must never lose the report.
    writeFileSync(`${stem}.json`, renderReport('json', report.comparison));
    const notes = [pendingNote(plan)].filter((n): n is string => n !== null);
    const markdown = markdownWithNotes((maxChars) => renderReport('markdown', report.comparison, { maxChars }), notes);
    writeFileSync(`${stem}.md`, markdown);
    info(
      `${report.benchmark}: ${report.comparison.overall} across ${report.machines.map((m) => `${m.machine} (${m.mode})`).join(', ')}; ${stem}.{json,md}`,
    );
    const outcome = await publishReport({
      client,
      repo: repoFromEnv(env),
      pr: plan.comment ? plan.pr : null,
      sha: plan.headSha,
      comparison: report.comparison,
      markdown,
      marker: stickyMarker(report.benchmark),
      reportPath: `${stem}.json`,
      targetUrl: runUrl(env),
      log: info,
    });
    regressions += outcome.regressions;
  }
  return opts.failOnRegression && regressions > 0 ? EXIT_CODES.checkFailed : EXIT_CODES.ok;
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

export async function ciUpdateBaselineCommand(
  opts: CiUpdateBaselineOptions,
  config: Config,
  env = process.env,
): Promise<number> {
  const plan = await resolvePlan(opts.plan, env);
  if (!plan.updateBaseline) {
    info(`ci update-baseline: nothing stored (${plan.reason})`);
    return EXIT_CODES.ok;
  }
  const machines = readArtifacts(resolve(opts.artifacts));
  const store = await openStore(opts.baseline ?? config.compare.baseline, {
    source: opts.baseline ? 'flag --baseline' : 'compare.baseline',
  });
  const move = await updateBaselineFromArtifacts(store, machines, plan);
  for (const s of move.stored)
    info(`${s.machine}: ${s.stored.deduplicated ? 'already stored' : 'stored'} ${s.stored.location}`);
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'baseline-update.json'), `${JSON.stringify(move, null, 2)}\n`);
  const note = baselineMovedNote(move, store.location);
  const repo = repoFromEnv(env);
  const client = clientFromEnv(env);
  for (const benchmark of [...new Set(move.stored.map((s) => s.stored.benchmark))]) {
    const mdFile = join(out, `${benchmark}.comparison.md`);
    const marker = stickyMarker(benchmark);
    const report = existsSync(mdFile) ? readFileSync(mdFile, 'utf8') : `${marker}\n`;
    // The "being added" note of `ci report` (and the note of an earlier attempt) give way to what happened.
    const kept = report
      .replace(/\n> \[!NOTE\]\n> [^\n]*being added to the baseline\.\n/, '')
      .replace(/\n### Baseline moved\n[\s\S]*$/, '');
    const body = `${kept.trimEnd()}\n\n${note}\n`;
    writeFileSync(mdFile, body);
    if (plan.comment && plan.pr !== null && client) {
      try {
        await publishComment(client, repo, plan.pr, marker, body);
      } catch (e) {
        if (httpStatusOf(e) !== 403) throw e;
        warn(`could not update the comment on #${plan.pr} (403); the baseline did move: ${note}`);
      }
    } else await writeJobSummary(note);
  }
  if (plan.pr !== null && client) {
    // One approval counts once: a later push needs the label applied again.
    try {
      if (await removeLabel(client, repo, plan.pr, UPDATE_LABEL)) info(`removed ${UPDATE_LABEL} from #${plan.pr}`);
    } catch (e) {
      if (httpStatusOf(e) !== 403) throw e;
      warn(`could not remove ${UPDATE_LABEL} from #${plan.pr} (403)`);
    }
  }
  return EXIT_CODES.ok;
}

async function publishComment(client: GitHubClient, repo: GitHubRepo, pr: number, marker: string, body: string) {
  const outcome = await upsertStickyComment(client, { ...repo, issue: pr, marker }, body);
  info(`comment ${outcome.action}: ${outcome.url}`);
  await writeJobSummary(body);
}
