/**
 * The ONE comment a report makes on a pull request, and the files `ci report` leaves in `--out`:
 * every benchmark and every machine of the report in one body under one marker (a results upload
 * with 40 benchmark names makes one comment, not 40), and file names made from gated names only,
 * checked to stay inside `--out`.
 */
import { resolve, sep } from 'node:path';
import type { Comparison } from '../contracts/comparison.js';
import { InvalidInputError } from '../errors.js';
import { GITHUB_COMMENT_LIMIT, renderReport, stickyMarker } from '../report/index.js';
import { isSafeName, SAFE_NAME_RULE } from './gate.js';

/** The marker of the report comment (one per PR, whatever benchmarks the report holds). */
export const REPORT_MARKER = stickyMarker('ci-report');
/** The comment's body as posted, kept in `--out` for `ci update-baseline`. */
export const COMMENT_FILE = 'comment.md';

/** `<out>/<name><suffix>`, for a gated name only, and never outside `out`. */
export function outFile(out: string, name: string, suffix: string): string {
  const root = resolve(out);
  const file = resolve(root, `${name}${suffix}`);
  if (!isSafeName(name) || !file.startsWith(root + sep)) {
    throw new InvalidInputError('ci --out', 'file name', name, SAFE_NAME_RULE);
  }
  return file;
}

/** Each benchmark's report (its own limit) under the report marker, the notes after them. */
export function reportComment(comparisons: readonly Comparison[], notes: readonly string[]): string {
  const tail = notes.map((n) => `\n${n}\n`).join('');
  const head = `${REPORT_MARKER}\n`;
  const each = Math.floor((GITHUB_COMMENT_LIMIT - tail.length - head.length) / Math.max(1, comparisons.length)) - 2;
  const sections = comparisons.map((c) => renderReport('markdown', c, { maxChars: each }).trimEnd());
  return `${head}${sections.join('\n\n')}\n${tail}`;
}

/** The body with the baseline's outcome in place of the "being added" note and of any earlier outcome. */
export function withBaselineOutcome(body: string, outcome: string): string {
  const kept = body
    .replace(/\n> \[!NOTE\]\n> [^\n]*being added to the baseline\.\n/, '')
    .replace(/\n### Baseline (moved|not moved)\n[\s\S]*$/, '');
  return `${kept.trimEnd()}\n\n${outcome}\n`;
}
