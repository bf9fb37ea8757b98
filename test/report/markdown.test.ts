import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/contracts/comparison.js';
import { GITHUB_COMMENT_LIMIT, renderMarkdown, stickyMarker } from '../../src/report/markdown.js';
import { markdownText as escapeMarkdown } from '../../src/report/escape.js';
import { reportResult, reportScenario } from '../support/result-files.js';
import { FIXTURE_NAMES, loadComparison } from './fixtures.js';

/** Lines of the verdict tables and their reasons: what trimming must never remove. */
function verdictLines(md: string): string[] {
  return md.split('\n').filter((l) => /^\| (CPU|Memory) \(/.test(l) || /^- \S+ \*\*/.test(l) || l.startsWith('### '));
}

/** Unescaped pipes in a table row (cell borders). */
function cellBorders(row: string): number {
  return (row.match(/(?<!\\)\|/g) ?? []).length;
}

describe('renderMarkdown snapshots', () => {
  for (const name of FIXTURE_NAMES) {
    it(`renders the ${name} comparison as the stored snapshot`, async () => {
      await expect(renderMarkdown(loadComparison(name))).toMatchFileSnapshot(`./__snapshots__/${name}.md`);
    });
  }
  it('renders per-run details and the environment when result files are given', async () => {
    await expect(renderMarkdown(loadComparison('mixed'), { results: reportScenario() })).toMatchFileSnapshot(
      './__snapshots__/mixed-with-results.md',
    );
  });
});

describe('renderMarkdown structure', () => {
  const mixed = loadComparison('mixed');
  const md = renderMarkdown(mixed, { results: reportScenario() });

  it('starts with the hidden sticky-comment marker of the benchmark', () => {
    expect(md.split('\n')[0]).toBe('<!-- collector-bench:processes-endpoints -->');
  });

  it('uses a caller-given marker instead when asked', () => {
    const custom = renderMarkdown(mixed, { marker: '<!-- collector-bench:pr-42 -->' });
    expect(custom.split('\n')[0]).toBe('<!-- collector-bench:pr-42 -->');
  });

  it('puts the overall verdict in the headline and counts the verdicts', () => {
    expect(md.split('\n')[1]).toBe('## 🔴 collector-bench `processes-endpoints`: Regression detected');
    expect(md).toContain('🔴 1 regression · 🟢 1 improvement · ⚪ 1 unchanged · 🟡 1 inconclusive');
  });

  it('has one verdict table per environment key, with every column filled', () => {
    expect(md).toContain('### `ubuntu-22.04/5.15.0-1071-gcp/core_bpf/x86_64-2cpu`');
    expect(md).toContain('### `rhel-9.4/5.14.0-427.el9.x86_64/core_bpf/x86_64-2cpu`');
    expect(md).toContain('| Metric | Baseline | Candidate | Change | Interval vs floor | p (adj.) | MDE | Verdict |');
    expect(md).toContain(
      '| CPU (run window means) | 3.22% (3 sessions) | 4.70% (n=5) | +46% (+1.48 pp) | +43% … +49% (floor ±31%) | 0.001 | ±7.9% | 🔴 regression |',
    );
  });

  it('folds per-run details and the environment into <details> blocks', () => {
    expect(md).toContain('<details><summary>Per-run details</summary>');
    expect(md).toContain('<details><summary>Environment</summary>');
    expect(md).toMatch(/\| #\u20604 \| no \| .*canary event not seen within 30 s \|/);
    expect(md).toContain('| Kernel | 5.15.0-1071-gcp | 5.15.0-1071-gcp |');
    expect(md).not.toContain('trimmed');
  });

  it('tells when there is no baseline', () => {
    expect(renderMarkdown(loadComparison('no-baseline'))).toContain('No baseline to compare with yet');
  });
});

describe('renderMarkdown escaping', () => {
  const hostile: Comparison = {
    ...loadComparison('mixed'),
    benchmark: 'evil --> <script>alert(1)</script>',
  };
  hostile.metrics = hostile.metrics.map((m, i) =>
    i === 0 ? { ...m, reason: 'a | b <img src=x onerror=alert(1)> *bold* [link](x)', envKey: 'env|with|pipes' } : m,
  );
  const md = renderMarkdown(hostile);

  it('keeps the marker a single well-formed HTML comment for any benchmark name', () => {
    const first = md.split('\n')[0];
    expect(first.startsWith('<!-- collector-bench:')).toBe(true);
    expect(first.indexOf('-->')).toBe(first.length - 3);
    expect(stickyMarker('a--b')).toBe('<!-- collector-bench:a-b -->');
  });

  it('lets no raw HTML from the data through (code spans show their text literally)', () => {
    const outsideCode = md.replace(/(`+)[^`]*?\1/g, '');
    expect(md).toContain('`evil --> <script>alert(1)</script>`');
    expect(outsideCode.split('\n').slice(1).join('\n')).not.toMatch(/<(script|img)/);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes pipes so data cannot add table cells', () => {
    const header = md.split('\n').find((l) => l.startsWith('| Metric'))!;
    for (const row of md.split('\n').filter((l) => /^\| (CPU|Memory) \(/.test(l))) {
      expect(cellBorders(row)).toBe(cellBorders(header));
    }
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
  });
});

describe('renderMarkdown trimming', () => {
  const comparison = loadComparison('mixed');
  const verdicts = verdictLines(renderMarkdown(comparison));

  // 400 baseline files of 30 runs each: about 12,000 run rows, far over GitHub's limit.
  const huge = {
    candidate: reportResult({ runs: 8, samplesPerRun: 3, seed: 5 }),
    baseline: Array.from({ length: 400 }, (_, i) =>
      reportResult({
        runs: 30,
        samplesPerRun: 3,
        seed: 100 + i,
        sha: `${i.toString(16).padStart(7, '0')}${'e'.repeat(33)}`,
      }),
    ),
  };

  it('stays within the default 65536 characters with a huge input and keeps every verdict line', () => {
    const md = renderMarkdown(comparison, { results: huge });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    for (const line of verdicts) expect(md).toContain(line);
    expect(md).toContain('Details were trimmed to stay under 65536 characters');
    // Rows go one by one rather than whole blocks: the comment is filled nearly to the limit.
    expect(md.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 1000);
    expect(md).toMatch(/_\d+ more result files \(\d+ runs\) not shown\._/);
  });

  it('drops baseline rows before candidate rows', () => {
    const full = renderMarkdown(comparison, { results: huge, maxChars: Number.MAX_SAFE_INTEGER });
    const md = renderMarkdown(comparison, { results: huge });
    expect(full.length).toBeGreaterThan(1_000_000);
    const candidateRows = full
      .split('\n**Baseline')[0]
      .split('\n')
      .filter((l) => /^\| #\u2060\d/.test(l));
    expect(candidateRows).toHaveLength(8);
    for (const row of candidateRows) expect(md).toContain(row);
    expect(md).toContain('<details><summary>Environment</summary>');
  });

  it('drops the details blocks when even no rows would fit, and says so', () => {
    const head = renderMarkdown(comparison, { maxChars: 10 ** 9 }).split('\n\n<details>')[0];
    const limit = head.length + 1100; // room for the note and the footer's legend, not for any details block
    const md = renderMarkdown(comparison, { results: huge, maxChars: limit });
    expect(md.length).toBeLessThanOrEqual(limit);
    expect(md).not.toContain('<details>');
    expect(md).toContain(`Details were trimmed to stay under ${limit} characters`);
    for (const line of verdicts) expect(md).toContain(line);
  });

  it('returns the full report untouched when it fits', () => {
    const full = renderMarkdown(comparison, { results: reportScenario() });
    expect(renderMarkdown(comparison, { results: reportScenario(), maxChars: full.length })).toBe(full);
    expect(renderMarkdown(comparison, { results: reportScenario(), maxChars: full.length - 1 })).toContain(
      'Details were trimmed',
    );
  });

  it('cuts even the verdict tables rather than exceed the limit when they alone are too long', () => {
    const md = renderMarkdown(comparison, { maxChars: 900 });
    expect(md.length).toBeLessThanOrEqual(900);
    expect(md.split('\n')[0]).toBe('<!-- collector-bench:processes-endpoints -->');
    expect(md).toContain('The report was cut');
  });
});
