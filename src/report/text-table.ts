/**
 * Aligned plain-text tables for the terminal. Widths are measured as a terminal shows them: ANSI
 * colour codes take no room and the verdict emoji take two columns.
 */

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

/** Code points a terminal draws two columns wide (the emoji we print; CJK is out of scope). */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x2600 && cp <= 0x27bf && (cp === 0x26aa || cp === 0x26a0 || cp === 0x2705 || cp === 0x274c))
  );
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of stripAnsi(s)) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfe0f) continue; // variation selector: no width of its own
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const gap = Math.max(0, width - displayWidth(s));
  return align === 'left' ? s + ' '.repeat(gap) : ' '.repeat(gap) + s;
}

export interface TextTableOptions {
  indent?: string;
  /** Per column; default left. */
  align?: Array<'left' | 'right'>;
  /** Styles the header cells (bold, say); identity when colour is off. */
  header?: (s: string) => string;
}

/** Columns separated by two spaces, a rule under the header, trailing spaces trimmed. */
export function textTable(headers: readonly string[], rows: readonly string[][], opts: TextTableOptions = {}): string {
  const indent = opts.indent ?? '';
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const align = (i: number) => opts.align?.[i] ?? 'left';
  const line = (cells: readonly string[]) =>
    (indent + cells.map((c, i) => pad(c, widths[i], align(i))).join('  ')).replace(/\s+$/, '');
  const style = opts.header ?? ((s: string) => s);
  const out = [line(headers.map((h) => style(h))), indent + widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r));
  return out.join('\n');
}
