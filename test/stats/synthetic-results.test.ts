import { describe, expect, it } from 'vitest';
import { ResultFileSchema, countedRuns } from '../../src/contracts/result.js';
import { syntheticResult } from '../support/synthetic-results.js';

describe('syntheticResult (test helper)', () => {
  const file = syntheticResult({
    benchmark: 'processes',
    sha: 'abc123',
    runs: [
      { cpuMedian: 12.5, memMedian: 104_857_600, rssMedian: 90_000_000 },
      { cpuMedian: 13.1, memMedian: 110_000_000, warmupRun: true },
      { cpuMedian: 11.9, memMedian: 100_000_000, valid: false },
    ],
    env: { kernel: '5.15.0-91-generic', runtime: { version: '24.0.7' } },
    seed: 9,
  });

  it('is a schema-valid result file', () => {
    expect(ResultFileSchema.safeParse(file).success).toBe(true);
    expect(file.benchmark).toBe('processes');
    expect(file.git.sha).toBe('abc123');
  });

  it('has steady-window medians and means exactly as requested, with warm-up, ramp and last-second samples excluded', () => {
    const run = file.runs[0];
    expect(run.summary!.cpuPercent.median).toBe(12.5);
    expect(run.summary!.cpuPercent.windowMean).toBeCloseTo(12.5, 12);
    expect(run.summary!.memoryBytes.median).toBe(104_857_600);
    expect(run.summary!.memoryBytes.windowMean).toBeCloseTo(104_857_600, 0);
    expect(run.summary!.rssBytes!.median).toBe(90_000_000);
    expect(run.summary!.cpuPercent.n).toBe(21);
    expect(run.samples.length).toBe(2 + 3 + 21 + 1); // warm-up, ramp, steady, last second
    expect(run.samples.some((s) => s.t < 0)).toBe(true);
  });

  it('marks warm-up and invalid runs so that only the first counts', () => {
    expect(countedRuns(file).map((r) => r.index)).toEqual([0]);
    expect(file.runs[2].invalidReason).toMatch(/invalid/);
  });

  it('applies environment overrides, nested runtime included', () => {
    expect(file.environment.kernel).toBe('5.15.0-91-generic');
    expect(file.environment.runtime).toEqual({ kind: 'docker', version: '24.0.7' });
    expect(file.environment.collectionMethod).toBe('core_bpf');
  });

  it('is reproducible from its seed and varies with it', () => {
    const opts = { runs: [{ cpuMedian: 10, memMedian: 1e8 }] };
    expect(syntheticResult({ ...opts, seed: 3 })).toEqual(syntheticResult({ ...opts, seed: 3 }));
    expect(syntheticResult({ ...opts, seed: 3 }).runs[0].samples).not.toEqual(
      syntheticResult({ ...opts, seed: 4 }).runs[0].samples,
    );
  });
});
