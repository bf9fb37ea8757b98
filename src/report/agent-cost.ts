/**
 * The agent's whole cost as display strings, for every report: one compact line per metric (the
 * PR comment's view) and detail tables (BPF programs per run, memory slopes, overhead pairs).
 */
import type { AgentCostComparison, Comparison, Verdict } from '../contracts/comparison.js';
import { countedRuns, type ResultFile } from '../contracts/result.js';
import { summarizeAgentCost, type AgentCostSummary } from '../stats/agent-cost.js';
import type { MeanInterval } from '../stats/mean-interval.js';
import { METRIC_NAME } from '../contracts/figures.js';
import { MISSING, formatCpu, formatRate } from './format.js';
import { NOT_DECIDING } from './model.js';

export interface AgentCostLine {
  label: string;
  text: string;
  verdict: Verdict | null;
}

const LABEL: Record<AgentCostComparison['metric'], string> = METRIC_NAME;

const pp = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} pp`;
const slope = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} MiB/min`;
const ns = (v: number | null) => (v === null ? MISSING : `${Math.round(v).toLocaleString('en-US')} ns`);
const ms = (v: number | null) => (v === null ? MISSING : `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`);
const interval = (m: MeanInterval | null, f: (v: number) => string) =>
  m === null ? MISSING : `${f(m.mean)}${m.ci95 ? ` (95% CI ${f(m.ci95[0])} to ${f(m.ci95[1])})` : ''}`;

function overheadText(o: NonNullable<AgentCostSummary['overhead']>): string {
  const harness = o.harnessCpuPercent
    ? `, of which the harness (mock sensor, samplers) ${interval(o.harnessCpuPercent, pp)}`
    : '';
  const parts = [`host ${interval(o.hostCpuPercent, pp)}${harness}`];
  if (o.cpuMsPer1000Execs)
    parts.push(
      `benchmark cgroups ${interval(o.cpuMsPer1000Execs, (v) => `${v >= 0 ? '+' : ''}${v.toFixed(0)} ms`)} CPU per 1,000 execs`,
    );
  for (const w of o.workloads) {
    const bits = [`CPU ${interval(w.cpuPercent, pp)}`];
    if (w.rate.with !== null && w.rate.without !== null)
      bits.push(`rate ${formatRate(w.rate.without)} → ${formatRate(w.rate.with)}`);
    if (w.execLatencyP50Ms?.with != null && w.execLatencyP50Ms.without != null)
      bits.push(`exec p50 ${ms(w.execLatencyP50Ms.without)} → ${ms(w.execLatencyP50Ms.with)}`);
    if (w.execLatencyP99Ms?.with != null && w.execLatencyP99Ms.without != null)
      bits.push(`p99 ${ms(w.execLatencyP99Ms.without)} → ${ms(w.execLatencyP99Ms.with)}`);
    parts.push(`${w.name}: ${bits.join(', ')}`);
  }
  const saturated = o.saturatedPairs
    ? `; the host was saturated without the agent in ${o.saturatedPairs} of ${o.pairs} pairs, so its CPU could not rise there: read the workloads' CPU and latency instead`
    : '';
  return `${parts.join('; ')} (${o.pairs} pair${o.pairs === 1 ? '' : 's'}, agent minus no agent${saturated})`;
}

/** The candidate's own figures, one line per metric it carries. */
export function agentCostSummaryLines(result: ResultFile): AgentCostLine[] {
  const s = summarizeAgentCost(result);
  const lines: AgentCostLine[] = [];
  if (s.bpf)
    lines.push({
      label: LABEL.bpfCpuPercent,
      text: s.bpf.unavailable
        ? `not measured: ${s.bpf.unavailable}`
        : `${formatCpu(s.bpf.cpuPercentMedian)} of a core, ${ns(s.bpf.nsPerEventMedian)} per ${s.bpf.basis === 'collector events' ? 'event' : 'program run'} (median of ${s.bpf.runs} runs)`,
      verdict: null,
    });
  if (s.memoryGrowth)
    lines.push({
      label: LABEL.memoryGrowthMiBPerMinute,
      text: `${slope(s.memoryGrowth.mibPerMinuteMedian)} (median of ${s.memoryGrowth.runs} runs; ${s.memoryGrowth.significantRuns} with a 95% interval above 0)`,
      verdict: null,
    });
  if (s.overhead) lines.push({ label: 'Overhead', text: overheadText(s.overhead), verdict: null });
  return lines;
}

const UNIT_TEXT: Record<AgentCostComparison['unit'], (v: number) => string> = {
  percent: (v) => `${v.toFixed(2)}%`,
  'MiB/min': (v) => `${v.toFixed(2)} MiB/min`,
  'ns/event': (v) => ns(v),
};

function comparisonText(m: AgentCostComparison): string {
  const f = UNIT_TEXT[m.unit];
  const side = (x: AgentCostComparison['baseline']) => (x.median === null ? MISSING : `${f(x.median)} (n=${x.n})`);
  return `${side(m.baseline)} → ${side(m.candidate)}: ${m.reason}`;
}

/** Compared metrics first (with verdicts), then the candidate's figures the comparison could not test. */
export function agentCostLines(comparison: Comparison | null, candidate?: ResultFile): AgentCostLine[] {
  const compared = (comparison?.agentCost ?? []).map((m) => ({
    label: `${LABEL[m.metric]}${m.decides === false ? NOT_DECIDING : ''}`,
    text: comparisonText(m),
    verdict: m.verdict,
  }));
  const own = candidate ? agentCostSummaryLines(candidate) : [];
  return [
    ...compared,
    ...own.map((l) => ({
      ...l,
      label: compared.some((c) => c.label.startsWith(l.label)) ? `${l.label} (candidate)` : l.label,
    })),
  ];
}

export interface DetailTable {
  title: string;
  headers: string[];
  numeric: boolean[];
  rows: string[][];
}

/** Per run: each BPF program the collector held, with its runs and run time over the load window. */
export function bpfProgramTable(result: ResultFile): DetailTable | null {
  const rows: string[][] = [];
  for (const run of countedRuns(result)) {
    if (!run.bpf) continue;
    if (!run.bpf.available) {
      rows.push([`#${run.index + 1}`, run.bpf.reason ?? 'not measured', '', '', '', '']);
      continue;
    }
    for (const p of run.bpf.programs)
      rows.push([
        `#${run.index + 1}`,
        `${p.name ?? `prog ${p.id}`} (id ${p.id})`,
        p.type,
        Math.round(p.runCount).toLocaleString('en-US'),
        `${(p.runTimeNs / 1e6).toFixed(1)} ms`,
        ns(p.nsPerRun),
      ]);
  }
  return rows.length
    ? {
        title: 'BPF programs of the collector (load window)',
        headers: ['Run', 'Program', 'Type', 'Runs', 'Run time', 'Per run'],
        numeric: [false, false, false, true, true, true],
        rows,
      }
    : null;
}

export function memoryGrowthTable(result: ResultFile): DetailTable | null {
  const rows = countedRuns(result)
    .filter((r) => r.memoryGrowth)
    .map((r) => {
      const g = r.memoryGrowth!;
      return [
        `#${r.index + 1}`,
        slope(g.mibPerMinute),
        `${slope(g.ci95[0])} to ${slope(g.ci95[1])}`,
        g.pValue.toPrecision(2),
        String(g.n),
      ];
    });
  return rows.length
    ? {
        title: 'Working-set slope per run (least squares over the load window)',
        headers: ['Run', 'Slope', '95% interval', 'p (slope = 0)', 'Samples'],
        numeric: [false, true, true, true, true],
        rows,
      }
    : null;
}

export function overheadTable(result: ResultFile): DetailTable | null {
  const rows = countedRuns(result)
    .filter((r) => r.overhead)
    .flatMap((r) => {
      const o = r.overhead!;
      const f = (v: number | null) => (v === null ? MISSING : formatCpu(v));
      const head = [
        `#${r.index + 1} vs #${o.neighbourIndex + 1}`,
        'host',
        f(o.hostCpuPercent.with),
        f(o.hostCpuPercent.without),
        o.hostCpuPercent.delta === null ? MISSING : pp(o.hostCpuPercent.delta),
        '',
        '',
      ];
      const h = o.harnessCpuPercent;
      const harnessRow = h
        ? [['', '  of which harness', f(h.with), f(h.without), h.delta === null ? MISSING : pp(h.delta), '', '']]
        : [];
      const per = o.cpuMsPer1000Execs;
      const perRow = per
        ? [
            [
              '',
              'cgroups per 1k execs',
              ms(per.with),
              ms(per.without),
              per.delta === null ? MISSING : `${per.delta >= 0 ? '+' : ''}${per.delta.toFixed(0)} ms`,
              '',
              '',
            ],
          ]
        : [];
      return [
        head,
        ...harnessRow,
        ...perRow,
        ...o.workloads.map((w) => [
          '',
          w.name,
          f(w.cpuPercent.with),
          f(w.cpuPercent.without),
          w.cpuPercent.delta === null ? MISSING : pp(w.cpuPercent.delta),
          w.rate.with === null || w.rate.without === null
            ? MISSING
            : `${formatRate(w.rate.without)} → ${formatRate(w.rate.with)}`,
          w.execLatencyP50Ms?.with != null && w.execLatencyP50Ms.without != null
            ? `p50 ${ms(w.execLatencyP50Ms.without)} → ${ms(w.execLatencyP50Ms.with)}, p99 ${ms(w.execLatencyP99Ms?.without ?? null)} → ${ms(w.execLatencyP99Ms?.with ?? null)}`
            : '',
        ]),
      ];
    });
  return rows.length
    ? {
        title: 'Overhead per pair (agent run vs its no-agent neighbour)',
        headers: ['Pair', 'What', 'CPU with', 'CPU without', 'Difference', 'Rate', 'Exec latency'],
        numeric: [false, false, true, true, true, false, false],
        rows,
      }
    : null;
}

export function agentCostTables(result: ResultFile): DetailTable[] {
  return [bpfProgramTable(result), memoryGrowthTable(result), overheadTable(result)].filter(
    (t): t is DetailTable => t !== null,
  );
}
