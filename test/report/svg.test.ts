import { describe, expect, it } from 'vitest';
import { escapeHtml, lineChart, niceTicks, stripChart } from '../../src/report/svg.js';

describe('niceTicks', () => {
  it('covers the range with steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 60, 8)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(niceTicks(2.75, 3.05, 6)).toEqual([2.75, 2.8, 2.85, 2.9, 2.95, 3, 3.05]);
    expect(niceTicks(0.3, 9.7, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(40.5, 55.1, 6)).toEqual([40, 45, 50, 55, 60]);
  });
  it('widens a zero-width range instead of dividing by zero', () => {
    const ticks = niceTicks(5, 5);
    expect(ticks[0]).toBeLessThan(5);
    expect(ticks[ticks.length - 1]).toBeGreaterThan(5);
  });
  it('gives nothing for non-finite bounds', () => {
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });
});

describe('charts', () => {
  it('labels ticks with as many decimals as the step needs', () => {
    const svg = stripChart([{ label: 'Baseline', values: [2.81, 2.95, 3.02], color: '#000' }], {
      title: 't',
      xLabel: 'x',
    });
    expect(svg).toContain('>2.80<');
    expect(svg).toContain('>3.00<');
  });
  it('draws a single sample as a dot and skips non-finite points', () => {
    const svg = lineChart(
      [
        { label: 'one', points: [[1, 2]], color: '#000' },
        { label: 'bad', points: [[Number.NaN, 1]], color: '#000' },
      ],
      { title: 't', xLabel: 'x', yLabel: 'y' },
    );
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg).not.toContain('<path');
  });
  it('escapes text for HTML and attributes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
