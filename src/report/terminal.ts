/**
 * Terminal reports: the verdict tables of a comparison and the per-run table printed after a
 * benchmark. Colour (picocolors) only when the caller says so, so piped output and files stay plain.
 */
import pc from 'picocolors';
import type { Comparison, Verdict } from '../contracts/comparison.js';
import type { ResultFile } from '../contracts/result.js';
import { MISSING, VERDICT_MARK, overallHeadline, shortSha, verdictLabel } from './format.js';
import {
  VERDICT_COLUMNS,
  baselineDescription,
  decidingDescription,
  deliveryWarning,
  droppedRunWarnings,
  outputBufferingWarning,
  shortfallWarning,
  environmentRows,
  groupByEnvKey,
  hasNoBaseline,
  modeDescription,
  runCells,
  runColumns,
  runRow,
  verdictRow,
} from './model.js';
import { agentCostLines, agentCostSummaryLines, agentCostTables, type AgentCostLine } from './agent-cost.js';
import { textTable } from './text-table.js';

export interface TerminalOptions {
  color: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

function verdictColor(c: Colors, v: Verdict): (s: string) => string {
  switch (v) {
    case 'regression':
      return (s) => c.bold(c.red(s));
    case 'improvement':
      return c.green;
    case 'unchanged':
      return c.dim;
    case 'inconclusive':
      return c.yellow;
  }
}

/** The comparison as one table per environment key, each followed by the verdicts' reasons. */
export function renderTerminal(comparison: Comparison, opts: TerminalOptions): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const headline = `${VERDICT_MARK[comparison.overall]} ${overallHeadline(comparison.overall)}`;
  out.push(`${c.bold(`collector-bench: ${comparison.benchmark}`)}  ${verdictColor(c, comparison.overall)(headline)}`);
  const cand = comparison.candidate;
  out.push(
    c.dim(
      `candidate ${shortSha(cand.sha)} (${cand.createdAt}) vs ${baselineDescription(comparison)}; ` +
        `alpha ${comparison.alpha}, Holm-adjusted, at least ${comparison.minRuns} runs per side`,
    ),
  );
  out.push(`decided by ${modeDescription(comparison)}`);
  out.push(decidingDescription(comparison));
  for (const note of comparison.notes) out.push(c.yellow(note));
  if (hasNoBaseline(comparison)) {
    out.push(c.yellow('No baseline to compare with: verdicts stay inconclusive until one is stored.'));
  }
  const delivery = deliveryWarning(comparison.candidate.delivery);
  if (delivery) out.push(c.yellow(delivery));
  for (const w of droppedRunWarnings(comparison)) out.push(c.yellow(w));
  if (comparison.environmentMismatch.length > 0) {
    out.push(
      c.yellow(`Environments differ (${comparison.environmentMismatch.join(', ')}): verdicts are inconclusive.`),
    );
  }
  const groups = groupByEnvKey(comparison.metrics);
  if (groups.length === 0) out.push('', 'No metrics were compared.');
  for (const g of groups) {
    out.push('', c.bold(`Environment ${g.envKey}`));
    const rows = g.metrics.map(verdictRow);
    const cells = rows.map((r) => [
      r.metric,
      r.baseline,
      r.candidate,
      r.change,
      r.interval,
      r.pAdjusted,
      r.mde,
      verdictColor(c, r.verdict)(verdictLabel(r.verdict)),
    ]);
    out.push(
      textTable(VERDICT_COLUMNS, cells, {
        indent: '  ',
        align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
        header: c.bold,
      }),
    );
    for (const r of rows) {
      out.push(`  ${r.metric}: ${r.reason || MISSING}`);
      if (r.plan) out.push(c.dim(`    run planner: ${r.plan}`));
      if (r.diagnostics) out.push(c.dim(`    shown, not deciding: ${r.diagnostics}`));
    }
  }
  out.push(...agentCostBlock(c, agentCostLines(comparison)));
  return out.join('\n') + '\n';
}

/** The agent's whole cost: one line per metric, in its own section. */
function agentCostBlock(c: Colors, lines: AgentCostLine[]): string[] {
  if (lines.length === 0) return [];
  return [
    '',
    c.bold('Agent cost (kernel-side BPF time, memory growth, overhead on the workload)'),
    ...lines.map(
      (l) => `  ${l.verdict ? `${verdictColor(c, l.verdict)(verdictLabel(l.verdict))} ` : ''}${l.label}: ${l.text}`,
    ),
  ];
}

/** The per-run table printed after a benchmark, with the environment it ran in. */
export function renderRunTable(result: ResultFile, opts: TerminalOptions): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const counted = result.runs.filter((r) => r.valid && !r.warmupRun && r.summary !== null).length;
  out.push(
    `${c.bold(`collector-bench: ${result.benchmark}`)}  ${result.runs.length} run${result.runs.length === 1 ? '' : 's'}, ` +
      `${counted} counted${result.complete ? '' : c.yellow(' (incomplete: interrupted or still running)')}`,
  );
  const env = Object.fromEntries(environmentRows(result.environment));
  out.push(
    c.dim(
      `${env['Kernel']} · ${env['OS']} · ${env['CPU']} · ${env['Runtime']} · ${env['Collection method']} · ${env['Collector image']}`,
    ),
  );
  const delivery = deliveryWarning(result.delivery);
  if (delivery) out.push(c.yellow(delivery));
  const buffering = outputBufferingWarning(result.runs);
  if (buffering) out.push(c.yellow(buffering));
  const shortfall = shortfallWarning(result);
  if (shortfall) out.push(c.yellow(shortfall));
  if (result.runs.length === 0) {
    out.push('', 'No runs.');
    return out.join('\n') + '\n';
  }
  const columns = runColumns(result.runs);
  const validAt = columns.findIndex((col) => col.key === 'valid');
  const noteAt = columns.findIndex((col) => col.key === 'note');
  const cells = result.runs.map((run) => {
    const row = runRow(run);
    const cellsOf = runCells(row, columns);
    cellsOf[validAt] = row.isValid ? c.green(row.valid) : c.red(row.valid);
    if (row.note) cellsOf[noteAt] = row.isValid ? c.dim(row.note) : c.red(row.note);
    return cellsOf;
  });
  out.push(
    '',
    textTable(
      columns.map((col) => col.header),
      cells,
      { indent: '  ', align: columns.map((col) => (col.numeric ? 'right' : 'left')), header: c.bold },
    ),
  );
  out.push(...agentCostBlock(c, agentCostSummaryLines(result)));
  for (const t of agentCostTables(result))
    out.push(
      '',
      `  ${t.title}`,
      textTable(t.headers, t.rows, {
        indent: '  ',
        align: t.numeric.map((n) => (n ? 'right' : 'left')),
        header: c.bold,
      }),
    );
  return out.join('\n') + '\n';
}
