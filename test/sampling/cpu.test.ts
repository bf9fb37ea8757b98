import { describe, expect, it } from 'vitest';
import { cpuPercentBetween, hostCpuPercentBetween, parseProcStat, ticksToNs } from '../../src/sampling/cpu.js';

describe('cpuPercentBetween', () => {
  it('is 100 when one core was busy for the whole interval', () => {
    expect(cpuPercentBetween({ cpuNs: 5_000_000_000, wallMs: 1000 }, { cpuNs: 6_000_000_000, wallMs: 2000 })).toBe(100);
  });

  it('counts in units of one core: 1.5 s of CPU in 1 s is 150', () => {
    expect(cpuPercentBetween({ cpuNs: 0, wallMs: 0 }, { cpuNs: 1_500_000_000, wallMs: 1000 })).toBe(150);
  });

  it('uses the measured wall time, not the nominal interval: 25 ms of CPU over 100.5 ms', () => {
    expect(cpuPercentBetween({ cpuNs: 1_000_000, wallMs: 10.25 }, { cpuNs: 26_000_000, wallMs: 110.75 })).toBeCloseTo(
      24.875621890547265,
      12,
    );
  });

  it('is null when no wall time passed or the counter went backwards (cgroup recreated)', () => {
    expect(cpuPercentBetween({ cpuNs: 0, wallMs: 5 }, { cpuNs: 10, wallMs: 5 })).toBeNull();
    expect(cpuPercentBetween({ cpuNs: 100, wallMs: 0 }, { cpuNs: 50, wallMs: 1000 })).toBeNull();
  });
});

describe('ticksToNs', () => {
  it('converts USER_HZ ticks: 250 ticks at 100 Hz are 2.5 s', () => {
    expect(ticksToNs(250, 100)).toBe(2_500_000_000);
    expect(ticksToNs(3, 250)).toBe(12_000_000);
  });
});

describe('parseProcStat / hostCpuPercentBetween', () => {
  const before = [
    'cpu  100 10 50 1000 40 5 5 0 7 0',
    'cpu0 50 5 25 500 20 2 3 0 7 0',
    'cpu1 50 5 25 500 20 3 2 0 0 0',
    'intr 12345',
    'ctxt 999',
  ].join('\n');
  const after = [
    'cpu  160 10 90 1080 60 5 15 0 9 0',
    'cpu0 90 5 45 520 30 2 8 0 9 0',
    'cpu1 70 5 45 560 30 3 7 0 0 0',
  ].join('\n');

  it('adds user nice system irq softirq steal as busy and idle iowait as idle, not guest again', () => {
    expect(parseProcStat(before)).toEqual({ busy: 170, total: 1210, cpus: 2 });
  });

  it('reports host use in one-core units: 110 busy of 210 ticks on 2 cpus', () => {
    // busy 280-170 = 110, total 1420-1210 = 210
    expect(hostCpuPercentBetween(parseProcStat(before), parseProcStat(after))).toBeCloseTo((110 / 210) * 200, 12);
  });

  it('rejects text without the aggregate line', () => {
    expect(() => parseProcStat('cpu0 1 2 3 4\n')).toThrow(/aggregate/);
  });
});
