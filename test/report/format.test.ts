import { decideVerdict } from '../../src/stats/verdict.js';
import { describe, expect, it } from 'vitest';
import {
  MISSING,
  VERDICT_MARK,
  formatAbsoluteChange,
  formatChange,
  formatChangeWithAbsolute,
  formatIntervalVsFloor,
  formatCount,
  formatCpu,
  formatLatencyMs,
  formatMde,
  formatMemory,
  formatPValue,
  formatProcessLoss,
  formatRatioInterval,
  verdictLabel,
} from '../../src/report/format.js';

const MIB = 1024 * 1024;

describe('formatPValue', () => {
  it('shows two decimals from 0.1, three below, four below 0.001 and "<1e-4" under that', () => {
    expect(formatPValue(0.4321)).toBe('0.43');
    expect(formatPValue(1)).toBe('1.00');
    expect(formatPValue(0.049)).toBe('0.049');
    expect(formatPValue(0.003)).toBe('0.003');
    expect(formatPValue(0.00042)).toBe('0.0004');
    expect(formatPValue(0.00009)).toBe('<1e-4');
    expect(formatPValue(0)).toBe('<1e-4');
  });
  it('renders a missing p-value as a dash', () => {
    expect(formatPValue(null)).toBe(MISSING);
    expect(formatPValue(Number.NaN)).toBe(MISSING);
  });
});

describe('formatRatioInterval', () => {
  it('prints the ratio interval with an en dash and a times sign', () => {
    expect(formatRatioInterval([1.0812, 1.1734])).toBe('1.08–1.17×');
  });
  it('uses a third decimal when two would print both ends alike', () => {
    expect(formatRatioInterval([1.001, 1.004])).toBe('1.001–1.004×');
  });
  it('is a dash without an interval', () => {
    expect(formatRatioInterval(null)).toBe(MISSING);
  });
});

describe('formatChange', () => {
  it('signs relative changes and keeps one decimal below 10%', () => {
    expect(formatChange(0.042)).toBe('+4.2%');
    expect(formatChange(-0.03)).toBe('-3.0%');
    expect(formatChange(0.457)).toBe('+46%');
    expect(formatChange(-0.0004)).toBe('0.0%');
    expect(formatChange(null)).toBe(MISSING);
  });
  it('gives absolute changes in percentage points for CPU and MiB for memory', () => {
    expect(formatAbsoluteChange('percent', 1.475)).toBe('+1.48 pp');
    expect(formatAbsoluteChange('bytes', -12.3 * MIB)).toBe('-12.3 MiB');
    expect(
      formatChangeWithAbsolute({ unit: 'percent', change: { relative: 0.457, absolute: 1.475, reference: 3.2 } }),
    ).toBe('+46% (+1.48 pp)');
    expect(
      formatChangeWithAbsolute({ unit: 'percent', change: { relative: null, absolute: null, reference: null } }),
    ).toBe(MISSING);
  });
});

describe('metric values', () => {
  it('prints CPU in percent with fewer decimals as it grows', () => {
    expect(formatCpu(3.4217)).toBe('3.42%');
    expect(formatCpu(42.17)).toBe('42.2%');
    expect(formatCpu(142.17)).toBe('142%');
    expect(formatCpu(null)).toBe(MISSING);
  });
  it('prints memory in MiB', () => {
    expect(formatMemory(53.25 * MIB)).toBe('53.3 MiB');
    expect(formatMemory(512 * MIB)).toBe('512 MiB');
  });
  it('prints the MDE as a plus-minus percentage', () => {
    expect(formatMde(0.0612)).toBe('±6.1%');
    expect(formatMde(null)).toBe(MISSING);
  });
});

describe('verdict marks', () => {
  it('maps each verdict to its coloured circle and word', () => {
    expect(VERDICT_MARK).toEqual({ regression: '🔴', improvement: '🟢', unchanged: '⚪', inconclusive: '🟡' });
    expect(verdictLabel('regression')).toBe('🔴 regression');
    expect(verdictLabel('inconclusive')).toBe('🟡 inconclusive');
  });
});

describe('run figures', () => {
  it('formats the canary latency in whole milliseconds, sub-millisecond with a decimal, and from 10 s in seconds', () => {
    expect(formatLatencyMs(12.4)).toBe('12 ms');
    expect(formatLatencyMs(0.42)).toBe('0.4 ms');
    expect(formatLatencyMs(9_999)).toBe('9999 ms');
    expect(formatLatencyMs(12_345)).toBe('12 s');
    expect(formatLatencyMs(null)).toBe(MISSING);
    expect(formatLatencyMs(undefined)).toBe(MISSING);
  });

  it('formats process signal loss as the lost share of the spawned processes', () => {
    expect(formatProcessLoss({ spawned: 1965, received: 1965, lossRatio: 0 })).toBe('0.0% of 1965');
    expect(formatProcessLoss({ spawned: 2000, received: 1950, lossRatio: 0.025 })).toBe('2.5% of 2000');
    expect(formatProcessLoss({ spawned: 0, received: 0, lossRatio: null })).toBe(`${MISSING} of 0`);
    expect(formatProcessLoss(null)).toBe(MISSING);
  });

  it('formats a counter delta as a whole number', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234)).toBe('1234');
    expect(formatCount(undefined)).toBe(MISSING);
  });
});

describe('formatIntervalVsFloor', () => {
  it('shows the interval of the change relative to the baseline next to the floor', () => {
    const m = {
      unit: 'percent' as const,
      interval: { level: 0.9, low: -0.21, high: 0.34 },
      floor: { absolute: 1, relative: 0.05, effective: 1 },
      change: { absolute: 0.06, relative: 0.006, reference: 10 },
    };
    expect(formatIntervalVsFloor(m)).toBe('-2.1% … +3.4% (floor ±10%)');
    expect(formatIntervalVsFloor({ ...m, interval: null })).toBe(`${MISSING} (floor ±10%)`);
  });
});

describe('one formatter for tables and reasons', () => {
  it('prints a +45.7% change as "+46%" in the verdict reason, as the table does', () => {
    const d = decideVerdict({
      unit: 'percent',
      alpha: 0.05,
      preconditionFailures: [],
      change: { absolute: 1.475, relative: 0.457 },
      baselineLevel: 3.2,
      floor: { effective: 1 },
      testName: 'paired t',
      testUnavailable: null,
      adjustedPValue: 0.001,
      interval: [1.2, 1.7],
      mdeAbsolute: 0.5,
      plannerText: null,
    });
    expect(
      d.reason.startsWith(
        `${formatChangeWithAbsolute({ unit: 'percent', change: { relative: 0.457, absolute: 1.475, reference: 3.2 } })},`,
      ),
    ).toBe(true);
  });
});
