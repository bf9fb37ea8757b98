import { describe, expect, it } from 'vitest';
import { decideVerdict, overallVerdict, type VerdictInput } from '../../src/stats/verdict.js';

const MIB = 1024 * 1024;

/** A CPU comparison: +12.3% (1.85 pp on a 15% baseline), significant, above floors. */
function cpu(overrides: Partial<VerdictInput> = {}): VerdictInput {
  return {
    unit: 'percent',
    alpha: 0.05,
    floors: { absolute: 1, relative: 0.05 },
    change: { absolute: 1.85, relative: 0.123, ci95: [1.08, 1.17] },
    welchT: 5.1,
    welchUnavailable: null,
    adjustedPValue: 0.003,
    mdeRelative: 0.08,
    preconditionFailures: [],
    ...overrides,
  };
}

describe('decideVerdict', () => {
  it('calls a significant change above both floors a regression, with the numbers in one line', () => {
    const d = decideVerdict(cpu());
    expect(d.verdict).toBe('regression');
    expect(d.reason).toBe('+12.3% (+1.85 pp; CI 1.08–1.17), Welch p_adj=0.003 < 0.05, above floors 1 pp / 5%');
  });

  it('calls a significant decrease above both floors an improvement', () => {
    const d = decideVerdict(cpu({ change: { absolute: -2, relative: -0.2, ci95: [0.75, 0.85] }, welchT: -6 }));
    expect(d.verdict).toBe('improvement');
    expect(d.reason).toMatch(/^-20\.0% \(-2\.00 pp/);
  });

  it('is unchanged when not significant, and says what could have been detected', () => {
    const d = decideVerdict(cpu({ adjustedPValue: 0.2 }));
    expect(d.verdict).toBe('unchanged');
    expect(d.reason).toMatch(/Welch p_adj=0\.2 ≥ 0\.05 \(MDE 8\.0%\)/);
  });

  it('is unchanged when significant but below the absolute floor (0.5 pp < 1 pp)', () => {
    const d = decideVerdict(cpu({ change: { absolute: 0.5, relative: 0.1, ci95: null } }));
    expect(d.verdict).toBe('unchanged');
    expect(d.reason).toMatch(/< 0\.05 but below floors 1 pp \/ 5%/);
  });

  it('is unchanged when significant but below the relative floor (2 pp on 100% is 2% < 5%)', () => {
    expect(decideVerdict(cpu({ change: { absolute: 2, relative: 0.02, ci95: null } })).verdict).toBe('unchanged');
  });

  it('applies memory floors in MiB', () => {
    const mem = (absolute: number, relative: number) =>
      decideVerdict(
        cpu({
          unit: 'bytes',
          floors: { absolute: 10 * MIB, relative: 0.05 },
          change: { absolute, relative, ci95: null },
        }),
      );
    expect(mem(9 * MIB, 0.3).verdict).toBe('unchanged');
    expect(mem(9 * MIB, 0.3).reason).toMatch(/\+9\.0 MiB.*below floors 10 MiB \/ 5%/);
    expect(mem(40 * MIB, 0.3).verdict).toBe('regression');
  });

  it('is inconclusive, never green, when a precondition fails even if the change is significant', () => {
    const d = decideVerdict(
      cpu({ preconditionFailures: ['too few counted runs: baseline 2, candidate 5 (need 3 a side)'] }),
    );
    expect(d.verdict).toBe('inconclusive');
    expect(d.reason).toMatch(/too few counted runs/);
  });

  it('is inconclusive when the test could not run and the change is above the floors', () => {
    const d = decideVerdict(
      cpu({
        adjustedPValue: null,
        welchT: null,
        welchUnavailable: "Welch's t-test is undefined: both sides have zero variance",
      }),
    );
    expect(d.verdict).toBe('inconclusive');
    expect(d.reason).toMatch(/zero variance/);
  });

  it('is unchanged when the test could not run but the change is below the floors anyway', () => {
    const d = decideVerdict(
      cpu({
        adjustedPValue: null,
        welchT: null,
        welchUnavailable: 'x',
        change: { absolute: 0, relative: 0, ci95: null },
      }),
    );
    expect(d.verdict).toBe('unchanged');
  });

  it('is inconclusive when the means and the medians move in opposite directions', () => {
    expect(decideVerdict(cpu({ welchT: -3 })).verdict).toBe('inconclusive');
  });

  it('treats any nonzero change from a zero baseline median as clearing the relative floor', () => {
    expect(decideVerdict(cpu({ change: { absolute: 3, relative: null, ci95: null } })).verdict).toBe('regression');
  });
});

describe('overallVerdict', () => {
  it('is regression if any, else inconclusive if any, else improvement if any, else unchanged', () => {
    expect(overallVerdict(['unchanged', 'inconclusive', 'regression', 'improvement'])).toBe('regression');
    expect(overallVerdict(['unchanged', 'improvement', 'inconclusive'])).toBe('inconclusive');
    expect(overallVerdict(['unchanged', 'improvement'])).toBe('improvement');
    expect(overallVerdict(['unchanged', 'unchanged'])).toBe('unchanged');
  });

  it('is inconclusive, not green, with nothing compared', () => {
    expect(overallVerdict([])).toBe('inconclusive');
  });
});
