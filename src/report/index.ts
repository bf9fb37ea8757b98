/**
 * One entry point for every report format, so the CLI maps `--format` to a renderer in one place.
 */
import type { Comparison } from '../contracts/comparison.js';
import type { HistoryReport } from '../contracts/history.js';
import type { ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import { renderHistoryHtml } from './history-html.js';
import { renderHistoryJson, renderHistoryMarkdown, renderHistoryText } from './history.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTerminal } from './terminal.js';

export const REPORT_FORMATS = ['text', 'markdown', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The usual file extension of each format (for `--out` defaults and CI artifacts). */
export interface RenderReportOptions {
  /** text: ANSI colours (default false: only a TTY should ask for them). */
  color?: boolean;
  /** markdown and html: the result files behind the comparison (per-run details, time series, environment). */
  results?: { baseline: ResultFile[]; candidate: ResultFile };
  /** markdown: length limit (default 65536, GitHub's comment limit). */
  maxChars?: number;
  /** markdown: replaces the sticky-comment marker. */
  marker?: string;
}

export function isReportFormat(v: string): v is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(v);
}

/** Renders `comparison` in `format`; throws InvalidInputError for an unknown format. */
export function renderReport(format: ReportFormat, comparison: Comparison, opts: RenderReportOptions = {}): string {
  switch (format) {
    case 'text':
      return renderTerminal(comparison, { color: opts.color ?? false });
    case 'markdown':
      return renderMarkdown(comparison, { results: opts.results, maxChars: opts.maxChars, marker: opts.marker });
    case 'json':
      return renderJson(comparison);
    case 'html':
      return renderHtml(comparison, opts.results);
    default:
      throw new InvalidInputError('(command line)', 'format', format, REPORT_FORMATS.join(' | '));
  }
}

export { renderTerminal, renderRunTable } from './terminal.js';
export { renderMarkdown, stickyMarker, GITHUB_COMMENT_LIMIT } from './markdown.js';
export { renderJson } from './json.js';
export { renderHtml } from './html.js';

/** Renders a history (collector-bench/history@1) in `format`. */
export function renderHistoryReport(format: ReportFormat, history: HistoryReport): string {
  switch (format) {
    case 'text':
      return renderHistoryText(history);
    case 'markdown':
      return renderHistoryMarkdown(history);
    case 'json':
      return renderHistoryJson(history);
    case 'html':
      return renderHistoryHtml(history);
    default:
      throw new InvalidInputError('(command line)', 'format', format, REPORT_FORMATS.join(' | '));
  }
}
