/**
 * The use case of `collector-bench comment --report <comparison.json|md> [--repo owner/name] [--pr N]`:
 * posts or updates the benchmark's ONE sticky PR comment, writes the job summary, sets the commit status,
 * the step outputs and one error annotation per regression. Exit 1 only with --fail-on-regression.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ComparisonSchema, type Comparison } from '../contracts/comparison.js';
import { EXIT_CODES, InvalidInputError } from '../errors.js';
import { actionsContextFromEnv } from '../ci/event.js';
import { zodToInputError } from '../config/zod-errors.js';
import { createGitHubClient, parseRepo, type GitHubRepo } from '../github/client.js';
import { publishReport } from '../github/publish-report.js';
import { renderReport, stickyMarker } from '../report/index.js';
import type { Printer } from './printer.js';

const MARKER_RE = /^\s*(<!-- collector-bench:[^\s>]+ -->)/;

export interface LoadedReport {
  comparison: Comparison | null;
  markdown: string;
  marker: string;
}

/** A comparison@1 JSON (rendered here) or a Markdown report that starts with its marker. */
export function loadReport(file: string): LoadedReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidInputError(
      file,
      '(file)',
      undefined,
      'a readable comparison JSON or Markdown report',
      (e as Error).message,
    );
  }
  if (/\.json$/i.test(file)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new InvalidInputError(
        file,
        '(root)',
        undefined,
        'a collector-bench/comparison@1 JSON document',
        (e as Error).message,
      );
    }
    const parsed = ComparisonSchema.safeParse(json);
    if (!parsed.success) throw zodToInputError(file, parsed.error, json);
    return {
      comparison: parsed.data,
      markdown: renderReport('markdown', parsed.data),
      marker: stickyMarker(parsed.data.benchmark),
    };
  }
  const m = MARKER_RE.exec(text);
  if (!m) {
    throw new InvalidInputError(
      file,
      '(first line)',
      text.split('\n')[0],
      'a `<!-- collector-bench:<benchmark> -->` marker (as `compare --format markdown` writes)',
    );
  }
  return { comparison: null, markdown: text, marker: m[1] };
}

function prFromEvent(): number | null {
  try {
    const ctx = actionsContextFromEnv();
    const n = (ctx.payload as { pull_request?: { number?: unknown } }).pull_request?.number;
    return typeof n === 'number' ? n : null;
  } catch {
    return null;
  }
}

export interface CommentCommandOptions {
  report: string;
  repo?: string;
  pr?: string;
  sha?: string;
  failOnRegression?: boolean;
}

export async function publishComment(
  opts: CommentCommandOptions,
  print: Printer,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const file = resolve(opts.report);
  const report = loadReport(file);
  const repo: GitHubRepo = parseRepo(
    opts.repo ?? env.GITHUB_REPOSITORY,
    opts.repo ? 'flag --repo' : 'environment GITHUB_REPOSITORY (or --repo)',
  );
  let pr: number | null = null;
  if (opts.pr !== undefined) {
    pr = Number(opts.pr);
    if (!Number.isInteger(pr) || pr < 1)
      throw new InvalidInputError('flag --pr', 'pr', opts.pr, 'a pull request number');
  } else pr = prFromEvent();
  const token = env.GITHUB_TOKEN || null;
  const client = token ? createGitHubClient({ token, baseUrl: env.GITHUB_API_URL, log: (m) => print.info(m) }) : null;
  const outcome = await publishReport({
    client,
    repo,
    pr,
    sha: opts.sha ?? null,
    comparisons: report.comparison ? [report.comparison] : [],
    markdown: report.markdown,
    marker: report.marker,
    reportPath: file,
    log: (m) => print.info(m),
  });
  if (pr === null) print.info('no --pr and no pull_request event: no comment (job summary only)');
  return opts.failOnRegression && outcome.regressions > 0 ? EXIT_CODES.checkFailed : EXIT_CODES.ok;
}
