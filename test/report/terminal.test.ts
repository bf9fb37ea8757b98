import { describe, expect, it } from 'vitest';
import { renderRunTable, renderTerminal } from '../../src/report/terminal.js';
import { displayWidth, stripAnsi } from '../../src/report/text-table.js';
import { reportResult, reportScenario } from '../support/result-files.js';
import { loadComparison } from './fixtures.js';

// eslint-disable-next-line no-control-regex -- matching terminal colour codes is the point
const ANSI = /\u001b\[[0-9;]*m/;

describe('renderTerminal', () => {
  const mixed = loadComparison('mixed');

  it('has no ANSI escape codes when colour is off', () => {
    expect(renderTerminal(mixed, { color: false })).not.toMatch(ANSI);
  });

  it('colours the output when colour is on, with the same text underneath', () => {
    const coloured = renderTerminal(mixed, { color: true });
    expect(coloured).toMatch(ANSI);
    expect(stripAnsi(coloured)).toBe(renderTerminal(mixed, { color: false }));
  });

  it('prints one table per environment key with every metric, its values and its verdict', () => {
    const out = renderTerminal(mixed, { color: false });
    expect(out).toContain('🔴 Regression detected');
    const envA = out.indexOf('Environment ubuntu-22.04/5.15.0-1071-gcp/core_bpf/x86_64-2cpu');
    const envB = out.indexOf('Environment rhel-9.4/5.14.0-427.el9.x86_64/core_bpf/x86_64-2cpu');
    expect(envA).toBeGreaterThan(0);
    expect(envB).toBeGreaterThan(envA);
    const cpuRowA = out.split('\n').find((l) => l.includes('CPU (run window means)') && l.includes('regression'))!;
    expect(cpuRowA).toMatch(
      /3\.22% \(3 sessions\)\s+4\.70% \(n=5\)\s+\+46% \(\+1\.48 pp\)\s+\+43% … \+49% \(floor ±31%\)\s+0\.001\s+±7\.9%\s+🔴 regression/,
    );
    expect(out).toContain('🟢 improvement');
    expect(out).toContain('⚪ unchanged');
    expect(out).toContain('🟡 inconclusive');
    // The reason follows each table.
    expect(out).toContain('Memory (run window means): candidate has 2 valid runs; at least 3 are needed');
  });

  it('aligns the columns: every line of a table has its cells at the same display offsets', () => {
    const lines = renderTerminal(mixed, { color: false }).split('\n');
    const ruleIndex = lines.findIndex((l) => l.trimStart().startsWith('─'));
    const table = lines.slice(ruleIndex - 1, ruleIndex + 3);
    const verdictColumn = displayWidth(table[1].slice(0, table[1].lastIndexOf(' ') + 1));
    for (const row of table.slice(2)) {
      const at = row.search(/[🔴🟢⚪🟡]/u);
      expect(displayWidth(row.slice(0, at))).toBe(verdictColumn);
    }
  });

  it('says there is no baseline and keeps the verdicts inconclusive', () => {
    const out = renderTerminal(loadComparison('no-baseline'), { color: false });
    expect(out).toContain('No baseline to compare with');
    expect(out).toContain('— (0 sessions)');
    expect(out).not.toContain('regression');
  });

  it('warns when environments differ', () => {
    expect(renderTerminal(loadComparison('env-mismatch'), { color: false })).toContain('Environments differ (kernel)');
  });
});

describe('renderRunTable', () => {
  const { candidate } = reportScenario();

  it('lists every run with validity, readiness, CPU and memory, samples, workload rates and the invalid reason', () => {
    const out = renderRunTable(candidate, { color: false });
    const rows = out.split('\n').filter((l) => /^\s+#\d/.test(l));
    expect(rows).toHaveLength(6);
    expect(rows[0]).toContain('#1 (warm-up)');
    expect(rows[0]).toContain('warm-up run, not compared');
    const invalid = rows[3];
    expect(invalid).toMatch(/#4\s+no\s/);
    expect(invalid).toContain('canary event not seen within 30 s');
    const run = candidate.runs[1];
    expect(rows[1]).toContain(`${run.summary!.cpuPercent.median.toFixed(2)}%`);
    expect(rows[1]).toContain(`${(run.summary!.memoryBytes.max / 1048576).toFixed(1)} MiB`);
    expect(rows[1]).toMatch(/\s61\s/);
    expect(rows[1]).toMatch(/processes arrival 19\d\/s, endpoints 8\d\.\d\/s/);
    expect(out).toContain('6 runs, 4 counted');
    expect(out).not.toMatch(ANSI);
  });

  it('shows canary latency, process signal loss and collector drops when the runs have them', () => {
    const lines = renderRunTable(candidate, { color: false }).split('\n');
    const header = lines.find((l) => l.trimStart().startsWith('Run '))!;
    expect(header).toMatch(/Samples\s+Canary latency\s+Process loss\s+Drops\s+Workloads achieved/);
    const rows = lines.filter((l) => /^\s+#\d/.test(l));
    expect(rows[1]).toMatch(/\s61\s+10 ms\s+0\.0% of 1966\s+0\s+processes/);
    expect(rows[2]).toMatch(/\s11 ms\s+1\.0% of 1967\s+17\s+processes/);
    // The invalid run's canary was never seen: a dash, in the same column.
    expect(rows[3]).toMatch(/\s61\s+—\s+0\.0% of 1968\s+0\s+processes/);
    // Right-aligned like the other figures: every "Drops" cell ends where its header ends.
    const dropsEnd = header.indexOf('Drops') + 'Drops'.length;
    for (const r of rows) expect(r.slice(0, dropsEnd)).toMatch(/\d$/);
  });

  it('omits each of those columns when no run has the value', () => {
    const header = (out: string): string => out.split('\n').find((l) => l.trimStart().startsWith('Run '))!;
    const dropsOnly = header(renderRunTable(reportResult({ runs: 2 }), { color: false }));
    expect(dropsOnly).toContain('Drops');
    expect(dropsOnly).not.toContain('Canary latency');
    expect(dropsOnly).not.toContain('Process loss');
    const none = header(renderRunTable(reportResult({ runs: 2, noDrops: true }), { color: false }));
    expect(none).toMatch(/Samples\s+Workloads achieved/);
  });

  it('colours invalid runs when colour is on', () => {
    const out = renderRunTable(candidate, { color: true });
    expect(out).toMatch(ANSI);
    expect(stripAnsi(out)).toBe(renderRunTable(candidate, { color: false }));
  });

  it('marks an incomplete results file and copes with no runs', () => {
    const empty = { ...reportResult({ runs: 1 }), runs: [], complete: false };
    const out = renderRunTable(empty, { color: false });
    expect(out).toContain('incomplete');
    expect(out).toContain('No runs.');
  });
});
