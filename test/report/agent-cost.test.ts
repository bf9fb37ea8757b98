/** The agent-cost section of each report: compact lines up front, the tables in the details. */
import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown, renderRunTable, renderTerminal } from '../../src/report/index.js';
import { compareResults } from '../../src/stats/compare.js';
import { resultFile } from '../support/result-files.js';

function costly(slope: number, sha: string) {
  const r = resultFile({ sha, runs: [1, 2, 3].map(() => ({ cpu: 10, mem: 50 * 2 ** 20 })) });
  r.runs.forEach((run, i) => {
    const g = slope + i * 0.05;
    run.memoryGrowth = {
      mibPerMinute: g,
      ci95: [g - 0.3, g + 0.3],
      pValue: 0.001,
      n: 21,
      interceptBytes: 50 * 2 ** 20,
    };
    run.bpf = {
      available: true,
      reason: null,
      programs: [
        {
          id: 40 + i,
          type: 'tracepoint',
          name: 'sys_enter_execv',
          tag: null,
          runCount: 4000,
          runTimeNs: 1.2e8,
          nsPerRun: 30000,
        },
      ],
      runCount: 4000,
      runTimeNs: 1.2e8,
      cpuPercent: 0.6,
      nsPerEvent: 30000,
      nsPerEventBasis: 'collector events',
    };
    run.overhead = {
      neighbourIndex: 10 + i,
      hostCpuPercent: { with: 60 + i, without: 55, delta: 5 + i },
      harnessCpuPercent: { with: 4, without: 1, delta: 3 },
      workloads: [
        {
          name: 'processes',
          cpuPercent: { with: 30, without: 27, delta: 3 },
          rate: { with: 199, without: 200, delta: -1 },
          execLatencyP50Ms: { with: 1.6, without: 1.2, delta: 0.4 },
          execLatencyP99Ms: { with: 6, without: 5, delta: 1 },
        },
      ],
    };
  });
  return r;
}

// Three baseline sessions: history mode's prediction test needs them, for these metrics as for CPU.
const sessions = [costly(0.1, 'a'.repeat(40)), costly(0.12, 'c'.repeat(40)), costly(0.08, 'd'.repeat(40))];
const baseline = sessions[0];
const candidate = costly(5, 'b'.repeat(40));
const comparison = compareResults(sessions, candidate, { createdAt: '2026-01-01T00:00:00Z' });

describe('the agent-cost section', () => {
  it('Markdown: one compact line per metric with its verdict, the tables collapsed in the details', () => {
    const md = renderMarkdown(comparison, { results: { baseline: sessions, candidate } });
    const section = md.slice(md.indexOf('### Agent cost'), md.indexOf('<details>'));
    expect(section).toMatch(/- 🔴 \*\*Memory growth\*\*: 0\.15 MiB\/min \(n=9\) → 5\.05 MiB\/min \(n=3\)/);
    expect(section).toMatch(/\*\*BPF kernel CPU\*\*/);
    expect(section).toMatch(/\*\*Overhead\*\*: host \+6\.00 pp \(95% CI/);
    // How much of the host delta the harness itself was (its mock sensor takes the agent's events).
    expect(section).toMatch(/of which the harness \(mock sensor, samplers\) \+3\.00 pp/);
    const details = md.slice(md.indexOf('<details><summary>Per-run details'));
    expect(details).toContain('Candidate: BPF programs of the collector (load window)');
    expect(details).toContain('sys\\_enter\\_execv (id 40)'); // Markdown-escaped
    expect(details).toContain('30,000 ns');
  });

  it('terminal: the comparison and the run table after a benchmark carry it', () => {
    expect(renderTerminal(comparison, { color: false })).toMatch(/Agent cost[\s\S]*regression Memory growth/);
    const table = renderRunTable(candidate, { color: false });
    expect(table).toMatch(/BPF kernel CPU: 0\.600% of a core, 30,000 ns per event \(median of 3 runs\)/);
    expect(table).toMatch(/Working-set slope per run/);
    expect(table).toMatch(/of which harness +4\.00% +1\.00% +\+3\.00 pp/);
  });

  it('HTML: memory over time with the fitted slope drawn over each run', () => {
    const html = renderHtml(comparison, { baseline: [baseline], candidate });
    expect(html).toContain('<section id="agent-cost">');
    expect(html).toContain('chart-memory-growth');
    expect(html.match(/fit 5\.\d\d MiB\/min/g)).toHaveLength(3);
  });
});
