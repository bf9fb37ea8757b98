import { describe, expect, it } from 'vitest';
import { MiB } from '../../src/units.js';
import { decideVerdict, overallVerdict, type VerdictInput } from '../../src/stats/verdict.js';

/** CPU at a 10% baseline with a floor of 1 pp (the larger of 1 pp and 5% of 10%). */
function input(over: Partial<VerdictInput> = {}): VerdictInput {
  return {
    unit: 'percent',
    alpha: 0.05,
    preconditionFailures: [],
    change: { absolute: 2, relative: 0.2 },
    baselineLevel: 10,
    floor: { effective: 1 },
    testName: 'paired t',
    testUnavailable: null,
    adjustedPValue: 0.001,
    interval: [1.5, 2.5],
    mdeAbsolute: 0.8,
    plannerText: 'about 6 runs a side (pairs) would',
    ...over,
  };
}

describe('decideVerdict', () => {
  it('calls a significant change beyond the floor a regression, numbers formatted as the tables print them', () => {
    const d = decideVerdict(input());
    expect(d.verdict).toBe('regression');
    expect(d.reason).toBe('+20% (+2.00 pp), paired t p_adj=0.001 < 0.05, beyond the floor ±10%');
  });

  it('calls a significant decrease beyond the floor an improvement', () => {
    const d = decideVerdict(input({ change: { absolute: -2, relative: -0.2 }, interval: [-2.5, -1.5] }));
    expect(d.verdict).toBe('improvement');
  });

  it('is unchanged only when the interval and the MDE lie inside ±floor', () => {
    const d = decideVerdict(
      input({
        change: { absolute: 0.1, relative: 0.01 },
        adjustedPValue: 0.6,
        interval: [-0.4, 0.6],
        mdeAbsolute: 0.9,
      }),
    );
    expect(d.verdict).toBe('unchanged');
    expect(d.reason).toMatch(/interval and MDE ±9\.0% inside the floor ±10%/);
  });

  it('is inconclusive, not unchanged, when the interval reaches past the floor, saying what would settle it', () => {
    const d = decideVerdict(
      input({
        change: { absolute: 0.1, relative: 0.01 },
        adjustedPValue: 0.6,
        interval: [-1.2, 1.4],
        mdeAbsolute: 0.9,
      }),
    );
    expect(d.verdict).toBe('inconclusive');
    expect(d.reason).toMatch(
      /could not rule out a change of ±14% \(floor ±10%\); about 6 runs a side \(pairs\) would$/,
    );
  });

  it('is never unchanged when the MDE exceeds the floor, even with the interval inside it', () => {
    const d = decideVerdict(
      input({ change: { absolute: 0, relative: 0 }, adjustedPValue: 1, interval: [-0.9, 0.9], mdeAbsolute: 1.6 }),
    );
    expect(d.verdict).toBe('inconclusive');
    expect(d.reason).toMatch(/could not rule out a change of ±16%/);
  });

  it('reads a significant change within the floor as unchanged when equivalence is shown, else inconclusive', () => {
    const small = { change: { absolute: 0.3, relative: 0.03 }, adjustedPValue: 0.01, mdeAbsolute: 0.2 };
    expect(decideVerdict(input({ ...small, interval: [0.1, 0.5] })).verdict).toBe('unchanged');
    const wide = decideVerdict(input({ ...small, interval: [0.1, 1.2] }));
    expect(wide.verdict).toBe('inconclusive');
    expect(wide.reason).toMatch(/p_adj=0\.010 < 0\.05 but within the floor/);
  });

  it('is inconclusive, never green, when a precondition fails even if the change is significant', () => {
    const d = decideVerdict(input({ preconditionFailures: ['too few complete pairs: 2 (need 3)'] }));
    expect(d).toEqual({ verdict: 'inconclusive', reason: 'too few complete pairs: 2 (need 3)' });
  });

  it('is inconclusive when the deciding test could not run, with its reason', () => {
    const d = decideVerdict(
      input({ adjustedPValue: null, testUnavailable: 'history mode needs at least 3 baseline sessions (have 2)' }),
    );
    expect(d.verdict).toBe('inconclusive');
    expect(d.reason).toMatch(/at least 3 baseline sessions/);
  });

  it('says when no number of runs would help', () => {
    const d = decideVerdict(input({ adjustedPValue: 0.5, interval: [-3, 3], mdeAbsolute: 4, plannerText: null }));
    expect(d.reason).toMatch(/no affordable number of runs would$/);
  });

  it('writes memory sizes in MiB when there is no baseline level to divide by', () => {
    const d = decideVerdict(
      input({
        unit: 'bytes',
        baselineLevel: null,
        change: { absolute: 30 * MiB, relative: null },
        floor: { effective: 10 * MiB },
        interval: [20 * MiB, 40 * MiB],
      }),
    );
    expect(d.reason).toMatch(/beyond the floor ±10\.0 MiB/);
  });
});

describe('overallVerdict', () => {
  it('is regression if any, else inconclusive if any, else improvement if any, else unchanged', () => {
    expect(overallVerdict(['unchanged', 'regression', 'inconclusive'])).toBe('regression');
    expect(overallVerdict(['unchanged', 'improvement', 'inconclusive'])).toBe('inconclusive');
    expect(overallVerdict(['unchanged', 'improvement'])).toBe('improvement');
    expect(overallVerdict(['unchanged', 'unchanged'])).toBe('unchanged');
  });

  it('is inconclusive, not green, with nothing compared', () => {
    expect(overallVerdict([])).toBe('inconclusive');
  });
});
