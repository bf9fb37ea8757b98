/**
 * THE escaping layer for text that came from outside (benchmark, machine, artifact and file names,
 * environment keys, reasons) on its way into Markdown (PR comments, job summaries), commit
 * statuses and the job log. Every writer of those goes through one of these functions, so a name a
 * pull request chose can never become a heading, a link, an HTML element, a mention that notifies
 * someone, a cross-reference, a table column or a workflow command (`::add-mask::`, `::error`).
 */

/**
 * Line breaks (CR, LF, U+2028/2029), other C0/C1 controls, and the invisible format characters
 * that reorder or hide text (bidi overrides and isolates, zero-width characters, BOM). A lone CR is
 * a line ending to CommonMark, so it must go like LF.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** A zero-width joiner breaks what GitHub would link (`@login`, `#12`) without changing what a reader sees. */
const BREAK = '\u2060';

/** The text on one line, without control or invisible characters (each becomes a space). */
export function plainLine(s: string): string {
  return s.replace(UNSAFE_CHARS, ' ');
}

/** `@login` and `#123` / `GH-123` / `owner/repo#1` stay text: GitHub would notify or link them. */
function breakReferences(s: string): string {
  return s.replace(/@/g, `@${BREAK}`).replace(/#/g, `#${BREAK}`);
}

/**
 * Text inside a Markdown paragraph, list item or table cell: one line, no HTML, no emphasis, links,
 * code, headings or table breaks, no mentions or references.
 */
export function markdownText(s: string): string {
  return breakReferences(
    plainLine(s)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_[\]|~])/g, '\\$1'),
  );
}

/**
 * An inline code span that holds any text: one line, the fence longer than any backtick run inside.
 * GitHub neither links nor mentions inside code. (Not for table cells: those take markdownText.)
 */
export function markdownCode(s: string): string {
  const clean = plainLine(s);
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || clean.trim() === '' ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/**
 * A name inside an HTML comment (the sticky comment's marker): only characters that can neither end
 * the comment nor mean anything else.
 */
export function commentSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._+=-]/g, '_').replace(/-{2,}/g, '-');
}

/**
 * A line for the job log: one line, and no `::` anywhere, so the runner never reads it (or a part
 * the runner splits off) as a workflow command. `%` is left alone: only commands are decoded.
 */
export function logLine(s: string): string {
  return plainLine(s).replace(/::/g, `:${BREAK}:`);
}

/** A commit status context or description: one line, at most `max` characters. */
export function statusText(s: string, max: number): string {
  const clean = plainLine(s).trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}
