import { describe, expect, it } from 'vitest';
import { gateConditions } from '../../src/app/gate.js';
import { formatGateTable, gateMisses, summarizeGate, type GateOutcome } from '../../src/run/gate-validation.js';

const conditions = gateConditions({});

function outcome(condition: string, cpu: string, memory: string, over: Partial<GateOutcome> = {}): GateOutcome {
  return {
    mode: 'ab',
    condition,
    repetition: 1,
    verdicts: { cpuPercent: cpu, memoryBytes: memory },
    mde: { cpuPercent: 0.2, memoryBytes: 0.1 },
    change: { cpuPercent: 0.1, memoryBytes: 0.3 },
    file: 'x.json',
    wallMs: 60_000,
    ...over,
  };
}

describe('the gate validation table', () => {
  it('counts any regression or improvement in A/A as a false positive, and only the target metric’s regression as a detection', () => {
    const rows = summarizeGate(
      [
        outcome('A/A', 'unchanged', 'inconclusive'),
        outcome('A/A', 'improvement', 'unchanged'),
        outcome('A/A', 'inconclusive', 'inconclusive'),
        outcome('cpu+10%', 'regression', 'unchanged', { mde: { cpuPercent: 0.3, memoryBytes: 0.1 } }),
        outcome('cpu+10%', 'inconclusive', 'regression', { mde: { cpuPercent: 0.1, memoryBytes: 0.1 } }),
        outcome('mem+20MiB', 'unchanged', 'regression'),
      ],
      conditions,
    );
    const byName = Object.fromEntries(rows.map((r) => [r.condition.name, r]));
    expect(byName['A/A']).toMatchObject({ repetitions: 3, hits: 1 });
    expect(byName['A/A'].rate).toBeCloseTo(1 / 3, 12);
    expect(byName['cpu+10%']).toMatchObject({ repetitions: 2, hits: 1, rate: 0.5, medianMde: 0.2 });
    expect(byName['mem+20MiB']).toMatchObject({ hits: 1, rate: 1, medianMde: 0.1, meanChange: 0.3 });
    expect(byName['cpu+25%']).toBeUndefined(); // never run: no row rather than a made-up one
  });

  it('prints one Markdown row per mode and condition, with the total wall time', () => {
    const rows = summarizeGate([outcome('A/A', 'unchanged', 'unchanged')], conditions);
    const table = formatGateTable(rows, 90_000);
    expect(table.split('\n')[0]).toMatch(/^\| mode \| condition .* \| wall time \|$/);
    expect(table).toContain('| A/B | A/A | nothing | 1 | 0 (false positives) | 0.0% | +10.0% | ±20.0% | 1.0 min |');
    expect(table).toContain('Total wall time: 1.5 min.');
  });

  it('fails exactly the rows whose rate misses the stated tolerance: A/A above it, a detection below it', () => {
    const rows = summarizeGate(
      [
        outcome('A/A', 'unchanged', 'unchanged'),
        outcome('A/A', 'regression', 'unchanged'),
        outcome('cpu+25%', 'regression', 'unchanged'),
        outcome('mem+20MiB', 'unchanged', 'inconclusive'),
      ],
      conditions,
    );
    expect(conditions.map((c) => c.tolerance)).toEqual([0.05, 0.8, 0.95, 0.95]);
    expect(gateMisses(rows)).toEqual([
      'A/B A/A: false-positive rate 50.0% > 5.0% (1 of 2)',
      'A/B mem+20MiB: memoryBytes detected in 0.0% < 95.0% (0 of 1)',
    ]);
    expect(gateMisses(rows.filter((r) => r.condition.name === 'cpu+25%'))).toEqual([]);
  });
});
