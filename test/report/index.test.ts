import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { REPORT_FORMATS, isReportFormat, renderReport, type ReportFormat } from '../../src/report/index.js';
import { reportScenario } from '../support/result-files.js';
import { loadComparison } from './fixtures.js';

describe('renderReport', () => {
  const c = loadComparison('mixed');
  const results = reportScenario();

  it('dispatches each format to its renderer', () => {
    expect(renderReport('text', c)).toMatch(/^collector-bench: processes-endpoints {2}🔴 Regression detected\n/);
    expect(renderReport('text', c, { color: true })).toContain('\u001b[');
    expect(renderReport('markdown', c, { results })).toMatch(/^<!-- collector-bench:processes-endpoints -->\n/);
    expect(renderReport('markdown', c, { results, maxChars: 3000 }).length).toBeLessThanOrEqual(3000);
    expect(JSON.parse(renderReport('json', c)).overall).toBe('regression');
    expect(renderReport('html', c, { results })).toMatch(/^<!doctype html>/);
    expect(renderReport('html', c, { results })).toContain('chart-cpu');
  });

  it('renders HTML without result files, leaving out the time series', () => {
    const html = renderReport('html', c);
    expect(html).toContain('No result files were given');
    expect(html).toContain('chart-strip');
    expect(html).not.toContain('chart-cpu');
  });

  it('rejects an unknown format with the allowed ones', () => {
    expect(REPORT_FORMATS).toEqual(['text', 'markdown', 'json', 'html']);
    expect(isReportFormat('pdf')).toBe(false);
    expect(() => renderReport('pdf' as ReportFormat, c)).toThrow(InvalidInputError);
    expect(() => renderReport('pdf' as ReportFormat, c)).toThrow(/text \| markdown \| json \| html/);
  });
});
