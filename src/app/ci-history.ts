/**
 * The `ci history` use case: the step after `ci update-baseline` on pushes to main and nightly
 * runs. Builds the history of every (benchmark, environment key) in the artifacts, writes it next
 * to the report (JSON and HTML), opens or updates the one tracking issue for NEW change points and
 * writes the job summary. Exit 1 when a key has too little history (never green), else 0.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { openStore } from '../baseline/store.js';
import { readArtifacts } from '../ci/artifacts.js';
import { historiesOfArtifacts, historySummary, newChangePoints, trackChangePoints } from '../ci/history-tracking.js';
import { readPlanFile } from '../ci/plan-file.js';
import { writeJobSummary } from '../github/actions-output.js';
import { createGitHubClient, parseRepo } from '../github/client.js';
import { EXIT_CODES } from '../errors.js';
import { overallStatus } from '../history/history.js';
import { renderHistoryReport } from '../report/index.js';
import { changePointFlags, type ChangePointFlags } from './history.js';
import type { Printer } from './printer.js';

/** The login GITHUB_TOKEN acts as: the author of the issues the workflow opens. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export interface CiHistoryOptions extends ChangePointFlags {
  artifacts: string;
  out: string;
  baseline?: string;
  plan?: string;
  botLogin?: string;
}

export async function ciHistory(
  opts: CiHistoryOptions,
  config: Config,
  print: Printer,
  env = process.env,
): Promise<number> {
  if (opts.plan) {
    const plan = readPlanFile(opts.plan);
    // A PR's approved results move the baseline too, but the history watches main's own runs.
    if (!plan.updateBaseline || plan.pr !== null) {
      print.info(`ci history: not a push to main or a nightly run (${plan.reason}); nothing to do`);
      return EXIT_CODES.ok;
    }
  }
  const store = await openStore(opts.baseline ?? config.compare.baseline, {
    source: opts.baseline ? 'flag --baseline' : 'compare.baseline',
  });
  const histories = await historiesOfArtifacts(store, readArtifacts(resolve(opts.artifacts)), changePointFlags(opts));
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  for (const h of histories) {
    const stem = join(out, `${h.benchmark}.${h.series[0]?.envKey ?? 'none'}.history`);
    writeFileSync(`${stem}.json`, renderHistoryReport('json', h));
    writeFileSync(`${stem}.html`, renderHistoryReport('html', h));
  }
  let fresh = newChangePoints(histories, []);
  let issueUrl: string | null = null;
  if (env.GITHUB_TOKEN) {
    const client = createGitHubClient({
      token: env.GITHUB_TOKEN,
      baseUrl: env.GITHUB_API_URL,
      log: (m) => print.info(m),
    });
    const repo = parseRepo(env.GITHUB_REPOSITORY, 'GITHUB_REPOSITORY');
    const tracked = await trackChangePoints(
      client,
      { ...repo, botLogin: opts.botLogin ?? ACTIONS_BOT_LOGIN },
      histories,
    );
    fresh = tracked.fresh;
    issueUrl = tracked.issue?.url ?? null;
    if (tracked.issue) print.info(`tracking issue ${tracked.issue.action}: ${tracked.issue.url}`);
    else print.info('no new change point: nothing posted');
  } else {
    print.warn('no GITHUB_TOKEN: change points not compared with the tracking issue; the job summary lists them all');
  }
  const summary = historySummary(histories, fresh, issueUrl);
  if (!(await writeJobSummary(summary))) print.info(summary);
  const status = overallStatus(histories.flatMap((h) => h.series));
  return status === 'insufficient' ? EXIT_CODES.checkFailed : EXIT_CODES.ok;
}
