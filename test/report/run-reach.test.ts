/**
 * Runs whose workload fell well short of its target (Run.shortfall, the rule in
 * src/workloads/reach.ts) and the harness's own CPU per run: the run table flags both, a paired
 * comparison drops the short run's pair and says which and why in every report, a history
 * comparison names the short runs it counted, and files from before either was recorded still
 * read and render without them.
 */
import { describe, expect, it } from 'vitest';
import { ComparisonSchema } from '../../src/contracts/comparison.js';
import type { Run } from '../../src/contracts/result.js';
import { parseResultValue } from '../../src/baseline/read-result.js';
import { renderHtml, renderMarkdown, renderRunTable, renderTerminal } from '../../src/report/index.js';
import { comparePaired, compareResults } from '../../src/stats/compare.js';
import { MiB } from '../../src/units.js';
import { abResultFile, resultFile } from '../support/result-files.js';
import { FIXTURE_NAMES, loadComparison } from './fixtures.js';

const SHORT: NonNullable<Run['shortfall']> = {
  ratio: 4700 / 8000,
  reason: 'processes spawned 4700 of the 8000 arrivals it drew (235/s of 400/s)',
};

/** Six pairs, the candidate 2% above the baseline; pair 4's candidate run reached 235/s of 400/s. */
function abWithShortRun() {
  return abResultFile({
    pairs: [20, 21, 19, 20, 22, 21].map((cpu, i) => ({
      baseline: { cpu, mem: 80 * MiB, shortfall: null, harnessCpuPercent: 1.2 },
      candidate: {
        cpu: i === 3 ? cpu * 0.6 : cpu * 1.02,
        mem: 80 * MiB,
        shortfall: i === 3 ? SHORT : null,
        harnessCpuPercent: i === 3 ? 4.7 : 1.3,
      },
    })),
  });
}

/** The text as read: HTML entities and Markdown's escapes (a word joiner after "#", backslashes) undone. */
const plain = (text: string) =>
  text.replaceAll('&#39;', "'").replaceAll('&#x27;', "'").replaceAll('\u2060', '').replaceAll('\\', '');

describe('a paired comparison with a run whose workload fell short', () => {
  const file = abWithShortRun();
  const shortRun = file.runs.find((r) => r.shortfall)!;
  const comparison = comparePaired(file, { candidateFile: 'ab.json' });
  const dropped = `pair 4: candidate run #${shortRun.index + 1} fell short of its workload target (${SHORT.reason})`;

  it('leaves the pair out, and the comparison records which pair and why', () => {
    expect(comparison.droppedPairs).toEqual([dropped]);
    const cpu = comparison.metrics.find((m) => m.metric === 'cpuPercent')!;
    expect(cpu.paired).toMatchObject({ pairs: 5, droppedPairs: 1 });
    // Without the drop, the short run's 40% lighter load would pull the change far below +2%.
    expect(cpu.change.relative!).toBeCloseTo(0.02, 6);
  });

  it('says so in the terminal, Markdown and HTML reports', () => {
    const results = { baseline: [], candidate: file };
    const expected = `1 pair left out of the comparison: ${dropped}.`;
    for (const text of [
      renderTerminal(comparison, { color: false }),
      renderMarkdown(comparison, { results }),
      renderHtml(comparison, results),
    ])
      expect(plain(text)).toContain(expected);
  });

  it('flags the short run and the harness past 3% of a core in the run table of every format', () => {
    const table = renderRunTable(file, { color: false });
    expect(table).toContain(
      `1 of 12 runs fell well short of the workload target (#${shortRun.index + 1}): they measured a lighter load; the comparison leaves their pairs out.`,
    );
    expect(table).toContain(`workload fell short of its target: ${SHORT.reason}`);
    expect(table).toContain('Harness CPU');
    expect(table).toContain('4.70% (over 3%)');
    expect(table).toMatch(/ 1\.20% /);
    const results = { baseline: [], candidate: file };
    for (const text of [renderMarkdown(comparison, { results }), renderHtml(comparison, results)]) {
      expect(text).toContain('Harness CPU');
      expect(text).toContain('4.70% (over 3%)');
      expect(plain(text)).toContain('workload fell short of its target');
    }
  });
});

describe('a history comparison whose candidate run fell short', () => {
  const runs = [20, 21, 19].map((cpu) => ({ cpu, mem: 80 * MiB }));
  const baseline = [1, 2, 3].map((seed) => resultFile({ runs, seed, createdAt: `2026-01-0${seed}T00:00:00.000Z` }));
  const candidate = resultFile({
    runs: runs.map((r, i) => ({ ...r, shortfall: i === 1 ? SHORT : null })),
    seed: 9,
    createdAt: '2026-01-09T00:00:00.000Z',
  });

  it('counts the run (a session has no pair to drop) and names it in the report', () => {
    const comparison = compareResults(baseline, candidate);
    expect(comparison.droppedPairs).toEqual([]);
    expect(comparison.shortRuns).toEqual([`run #2: ${SHORT.reason}`]);
    expect(comparison.metrics[0].candidate.n).toBe(3);
    expect(renderRunTable(candidate, { color: false })).toContain(
      '1 of 3 runs fell well short of the workload target (#2): they measured a lighter load; a comparison with stored sessions counts them and says so.',
    );
    const text = renderTerminal(comparison, { color: false });
    expect(text).toContain('1 candidate run fell well short of the workload target and is counted');
    expect(text).toContain(`run #2: ${SHORT.reason}`);
  });
});

describe('files from before the reach and the harness CPU were shown', () => {
  it('a results file without shortfall or harness CPU reads, compares and renders without them', () => {
    const file = abResultFile({
      pairs: [20, 21, 19].map((cpu) => ({ baseline: { cpu, mem: 80 * MiB }, candidate: { cpu, mem: 80 * MiB } })),
    });
    const json = JSON.parse(JSON.stringify(file)) as { runs: Array<Record<string, unknown>> };
    for (const run of json.runs) {
      expect(run).not.toHaveProperty('shortfall');
      delete (run.context as Record<string, unknown>).harnessCpuPercent;
    }
    const old = parseResultValue(json, 'old.json');
    expect(old.runs.every((r) => r.shortfall === undefined)).toBe(true);
    const comparison = comparePaired(old);
    expect(comparison.droppedPairs).toEqual([]);
    const table = renderRunTable(old, { color: false });
    expect(table).not.toMatch(/Harness CPU|fell short/);
  });

  it('comparison files written before droppedPairs and shortRuns read with none', () => {
    for (const name of FIXTURE_NAMES) {
      const c = loadComparison(name);
      expect(c.droppedPairs).toEqual([]);
      expect(c.shortRuns).toEqual([]);
      expect(renderTerminal(c, { color: false })).not.toMatch(/left out of the comparison|fell well short/);
    }
    expect(ComparisonSchema.safeParse({}).success).toBe(false);
  });
});
