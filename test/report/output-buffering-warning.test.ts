/**
 * A candidate whose log delivery saw block-buffered output (Run.outputBuffering) says so where the
 * runs are at hand: the run table after a benchmark (and its note column), the Markdown comment and
 * the HTML report given the results. Runs without the record, or line by line, say nothing.
 */
import { describe, expect, it } from 'vitest';
import type { ResultFile, Run } from '../../src/contracts/result.js';
import { renderHtml, renderMarkdown, renderRunTable } from '../../src/report/index.js';
import { compareResults } from '../../src/stats/compare.js';
import { resultFile } from '../support/result-files.js';

const runs = [1, 2, 3].map((i) => ({ cpu: 10 + i / 10, mem: 50e6 + i * 1e5 }));
const baseline = [resultFile({ runs, seed: 2, createdAt: '2026-01-01T00:00:00.000Z' })];
const WARNING =
  /The agent's output arrived in bursts of about 4101 bytes in 2 of 3 runs: its stdout is block-buffered.*collector\.tty: true/;

function withBuffering(flags: Array<boolean | null>): ResultFile {
  const file = resultFile({ runs, seed: 3 });
  const at = (run: Run, flag: boolean | null): Run =>
    flag === null
      ? run
      : {
          ...run,
          outputBuffering: {
            lines: 400,
            bursts: 6,
            linesInBursts: flag ? 398 : 0,
            burstBytes: flag ? 4101 : null,
            blockBuffered: flag,
          },
        };
  return { ...file, runs: file.runs.map((r, i) => at(r, flags[i])) };
}

function reports(candidate: ResultFile): string[] {
  const comparison = compareResults(baseline, candidate);
  return [
    renderRunTable(candidate, { color: false }),
    renderMarkdown(comparison, { results: { baseline, candidate } }),
    renderHtml(comparison, { baseline, candidate }),
  ];
}

describe('the block-buffered output warning', () => {
  it('is in the run table, the Markdown comment and the HTML report when a run saw it', () => {
    const candidate = withBuffering([true, true, false]);
    for (const text of reports(candidate)) expect(text.replaceAll('&#39;', "'")).toMatch(WARNING);
    expect(renderRunTable(candidate, { color: false })).toContain('output block-buffered');
  });

  it('is in none when every run came line by line, or carries no record (other checks, older files)', () => {
    for (const candidate of [withBuffering([false, false, false]), withBuffering([null, null, null])])
      for (const text of reports(candidate)) expect(text).not.toMatch(/block-buffered|arrived in bursts/);
  });
});
