/**
 * The Markdown report: one sticky PR comment or a job summary. A hidden marker comes first so the
 * GitHub step can find and update the ONE comment of a benchmark; the verdict tables always survive,
 * and per-run details are trimmed (rows first, then whole blocks) to stay under GitHub's limit.
 */
import type { Comparison, MetricComparison } from '../contracts/comparison.js';
import type { ResultFile } from '../contracts/result.js';
import { commentSafe, markdownCode as code, markdownText as escapeMarkdown } from './escape.js';
import { agentCostLines, agentCostTables } from './agent-cost.js';
import { MISSING, VERDICT_MARK, overallHeadline, shortSha, verdictLabel } from './format.js';
import {
  VERDICT_COLUMNS,
  baselineDescription,
  legend,
  decidingDescription,
  deliveryWarning,
  droppedRunWarnings,
  outputBufferingWarning,
  environmentRows,
  groupByEnvKey,
  hasNoBaseline,
  modeDescription,
  resultLabel,
  runCells,
  runColumns,
  runRow,
  verdictRow,
} from './model.js';

/** GitHub rejects comment bodies longer than 65536 characters. */
export const GITHUB_COMMENT_LIMIT = 65536;

export interface MarkdownOptions {
  /** The result files behind the comparison: enables per-run details and the environment. */
  results?: { baseline: ResultFile[]; candidate: ResultFile };
  /** Upper bound on the output length in UTF-16 code units (JavaScript string length). */
  maxChars?: number;
  /** Replaces the default marker comment (see stickyMarker). Must be a whole HTML comment. */
  marker?: string;
}

/**
 * The hidden first line that identifies a benchmark's sticky comment. Characters that could end or
 * corrupt an HTML comment are replaced, so any benchmark name gives a well-formed marker.
 */
export function stickyMarker(benchmark: string): string {
  return `<!-- collector-bench:${commentSafe(benchmark)} -->`;
}

function table(headers: readonly string[], rows: readonly string[][], align: Array<'l' | 'r'>): string {
  const head = `| ${headers.join(' | ')} |`;
  const rule = `|${align.map((a) => (a === 'r' ? '--:' : ':--')).join('|')}|`;
  return [head, rule, ...rows.map((r) => `| ${r.map((c) => escapeMarkdown(c)).join(' | ')} |`)].join('\n');
}

function countVerdicts(metrics: readonly MetricComparison[]): string {
  const order = ['regression', 'improvement', 'unchanged', 'inconclusive'] as const;
  const parts: string[] = [];
  for (const v of order) {
    const n = metrics.filter((m) => m.verdict === v).length;
    if (n > 0) parts.push(`${VERDICT_MARK[v]} ${n} ${v}`);
  }
  return parts.join(' · ');
}

/** Marker, headline and verdict tables: the part that is never trimmed. */
function verdictSection(c: Comparison, marker: string, candidate?: ResultFile): string {
  const out: string[] = [marker];
  out.push(`## ${VERDICT_MARK[c.overall]} collector-bench ${code(c.benchmark)}: ${overallHeadline(c.overall)}`);
  out.push('');
  const counts = countVerdicts(c.metrics);
  out.push(
    `Candidate ${code(shortSha(c.candidate.sha))} compared with ${escapeMarkdown(baselineDescription(c))}` +
      ` · alpha ${c.alpha}, Holm-adjusted · at least ${c.minRuns} runs per side` +
      `\\\nDecided by ${escapeMarkdown(modeDescription(c))}` +
      `\\\n${escapeMarkdown(decidingDescription(c))}` +
      (counts ? `\\\n${counts}` : ''),
  );
  for (const note of c.notes) out.push('', '> [!NOTE]', `> ${escapeMarkdown(note)}`);
  if (hasNoBaseline(c)) {
    out.push(
      '',
      '> [!NOTE]',
      '> No baseline to compare with yet: verdicts stay inconclusive until results from main are stored.',
    );
  }
  const delivery = deliveryWarning(c.candidate.delivery);
  if (delivery) out.push('', '> [!WARNING]', `> ${escapeMarkdown(delivery)}`);
  for (const w of droppedRunWarnings(c)) out.push('', '> [!WARNING]', `> ${escapeMarkdown(w)}`);
  const buffering = candidate ? outputBufferingWarning(candidate.runs) : null;
  if (buffering) out.push('', '> [!WARNING]', `> ${escapeMarkdown(buffering)}`);
  if (c.environmentMismatch.length > 0) {
    out.push(
      '',
      '> [!WARNING]',
      `> Environments differ (${escapeMarkdown(c.environmentMismatch.join(', '))}): verdicts are inconclusive.`,
    );
  }
  const groups = groupByEnvKey(c.metrics);
  if (groups.length === 0) out.push('', '_No metrics were compared._');
  for (const g of groups) {
    out.push('', `### ${code(g.envKey)}`, '');
    const rows = g.metrics.map(verdictRow);
    out.push(
      table(
        VERDICT_COLUMNS,
        rows.map((r) => [
          r.metric,
          r.baseline,
          r.candidate,
          r.change,
          r.interval,
          r.pAdjusted,
          r.mde,
          verdictLabel(r.verdict),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      ),
    );
    out.push('');
    for (const r of rows) {
      out.push(`- ${VERDICT_MARK[r.verdict]} **${escapeMarkdown(r.metric)}**: ${escapeMarkdown(r.reason || MISSING)}`);
      if (r.plan) out.push(`  - Run planner: ${escapeMarkdown(r.plan)}`);
      if (r.diagnostics) out.push(`  - Shown, not deciding: ${escapeMarkdown(r.diagnostics)}`);
    }
  }
  // The agent's whole cost: a compact line per metric here, its tables in the collapsed details.
  const cost = agentCostLines(c, candidate);
  if (cost.length > 0) {
    out.push('', '### Agent cost', '');
    for (const l of cost)
      out.push(
        `- ${l.verdict ? `${VERDICT_MARK[l.verdict]} ` : ''}**${escapeMarkdown(l.label)}**: ${escapeMarkdown(l.text)}`,
      );
  }
  return out.join('\n');
}

function footer(c: Comparison): string {
  return `<sub>${escapeMarkdown(legend(c))} Generated by collector-bench at ${escapeMarkdown(c.createdAt)}.</sub>`;
}

/** One group of detail rows (a result file's runs, or the list of baseline results). */
interface DetailGroup {
  title: string;
  headers: readonly string[];
  align: Array<'l' | 'r'>;
  rows: string[][];
  /** What one row and one group are, for the "not shown" lines: "run" / "result file". */
  rowNoun: string;
  groupNoun: string;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function detailGroups(c: Comparison, results: MarkdownOptions['results']): DetailGroup[] {
  if (!results) {
    if (c.baselineResults.length === 0) return [];
    return [
      {
        title: 'Baseline results',
        headers: ['Result', 'Commit', 'Created'],
        align: ['l', 'l', 'l'],
        rows: c.baselineResults.map((b) => [b.id, shortSha(b.sha), b.createdAt]),
        rowNoun: 'baseline result',
        groupNoun: 'list',
      },
    ];
  }
  const group = (kind: string, r: ResultFile): DetailGroup => {
    const columns = runColumns(r.runs);
    return {
      title: `${kind} ${resultLabel(r)}${r.complete ? '' : ' (incomplete)'}`,
      headers: columns.map((col) => col.header),
      align: columns.map((col) => (col.numeric ? 'r' : 'l')),
      rows: r.runs.map((run) => runCells(runRow(run), columns)),
      rowNoun: 'run',
      groupNoun: 'result file',
    };
  };
  const cost = agentCostTables(results.candidate).map((t) => ({
    title: `Candidate: ${t.title}`,
    headers: t.headers,
    align: t.numeric.map((n) => (n ? 'r' : 'l')) as Array<'l' | 'r'>,
    rows: t.rows,
    rowNoun: 'row',
    groupNoun: 'agent-cost table',
  }));
  // Candidate first: when rows must go, the baseline's go before the candidate's.
  return [group('Candidate', results.candidate), ...cost, ...results.baseline.map((b) => group('Baseline', b))];
}

function environmentBlock(results: NonNullable<MarkdownOptions['results']>): string {
  const cand = environmentRows(results.candidate.environment);
  const base = results.baseline.map((b) => environmentRows(b.environment));
  const rows = cand.map(([label, value], i) => {
    const baseValues = [...new Set(base.map((rows) => rows[i][1]))];
    return [label, value, baseValues.length > 0 ? baseValues.join('; ') : MISSING];
  });
  return [
    '<details><summary>Environment</summary>',
    '',
    table(['', 'Candidate', 'Baseline'], rows, ['l', 'l', 'l']),
    '',
    '</details>',
  ].join('\n');
}

interface Plan {
  /** How many detail rows to keep, counted across groups in order. */
  keepRows: number;
  perRun: boolean;
  environment: boolean;
}

function detailsBlock(groups: DetailGroup[], keepRows: number): string {
  const out: string[] = ['<details><summary>Per-run details</summary>'];
  let budget = keepRows;
  const hidden = new Map<string, { groups: number; rows: number; rowNoun: string }>();
  for (const g of groups) {
    const kept = g.rows.slice(0, Math.max(0, budget));
    budget -= kept.length;
    if (kept.length === 0 && g.rows.length > 0) {
      // Whole groups that lost every row are summed up in one line, not listed one by one.
      const h = hidden.get(g.groupNoun) ?? { groups: 0, rows: 0, rowNoun: g.rowNoun };
      h.groups++;
      h.rows += g.rows.length;
      hidden.set(g.groupNoun, h);
      continue;
    }
    out.push('', `**${escapeMarkdown(g.title)}**`, '');
    if (kept.length > 0) out.push(table(g.headers, kept, g.align));
    else out.push('_No runs._');
    const dropped = g.rows.length - kept.length;
    if (dropped > 0) out.push('', `_${plural(dropped, `more ${g.rowNoun}`)} not shown._`);
  }
  for (const [groupNoun, h] of hidden) {
    out.push('', `_${plural(h.groups, `more ${groupNoun}`)} (${plural(h.rows, h.rowNoun)}) not shown._`);
  }
  out.push('', '</details>');
  return out.join('\n');
}

function trimmedNote(maxChars: number): string {
  return `> [!NOTE]\n> Details were trimmed to stay under ${maxChars} characters; the JSON and HTML reports have all of them.`;
}

/** The comparison as Markdown, at most `maxChars` long (see the module comment for what is trimmed). */
export function renderMarkdown(comparison: Comparison, opts: MarkdownOptions = {}): string {
  const maxChars = opts.maxChars ?? GITHUB_COMMENT_LIMIT;
  const head = verdictSection(comparison, opts.marker ?? stickyMarker(comparison.benchmark), opts.results?.candidate);
  const foot = footer(comparison);
  const groups = detailGroups(comparison, opts.results);
  const totalRows = groups.reduce((n, g) => n + g.rows.length, 0);

  const render = (plan: Plan, trimmed: boolean): string => {
    const parts = [head];
    if (trimmed) parts.push(trimmedNote(maxChars));
    if (plan.perRun && groups.length > 0) parts.push(detailsBlock(groups, plan.keepRows));
    if (plan.environment && opts.results) parts.push(environmentBlock(opts.results));
    parts.push(foot);
    return parts.join('\n\n') + '\n';
  };

  const full = render({ keepRows: totalRows, perRun: true, environment: true }, false);
  if (full.length <= maxChars) return full;

  // Keep as many detail rows as fit: the length grows with the rows kept, so bisect.
  const fits = (keep: number) => render({ keepRows: keep, perRun: true, environment: true }, true).length <= maxChars;
  if (groups.length > 0 && fits(0)) {
    let lo = 0; // fits
    let hi = totalRows; // does not fit (the full render did not)
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    return render({ keepRows: lo, perRun: true, environment: true }, true);
  }
  for (const plan of [
    { keepRows: 0, perRun: false, environment: true },
    { keepRows: 0, perRun: false, environment: false },
  ]) {
    const out = render(plan, true);
    if (out.length <= maxChars) return out;
  }
  // Only the verdict tables are left and they alone are too long (thousands of environment keys):
  // cut at a line boundary rather than post a comment GitHub would reject.
  const note = `\n\n> [!WARNING]\n> The report was cut to stay under ${maxChars} characters; the JSON and HTML reports have all of it.\n`;
  const body = head.slice(0, Math.max(0, maxChars - note.length));
  const cut = body.lastIndexOf('\n');
  return ((cut > 0 ? body.slice(0, cut) : body) + note).slice(0, maxChars);
}
