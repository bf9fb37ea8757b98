import { describe, expect, it } from 'vitest';
import { ComparisonSchema } from '../../src/contracts/comparison.js';
import { InvalidInputError } from '../../src/errors.js';
import { compareResults, compareResultSets } from '../../src/stats/compare.js';
import { syntheticResult } from '../support/synthetic-results.js';

const MIB = 1024 * 1024;
const AT = '2026-02-01T12:00:00.000Z';

/** Runs with the given CPU medians (percent) and memory medians (MiB). */
const runs = (cpu: number[], memMiB: number[]) => cpu.map((c, i) => ({ cpuMedian: c, memMedian: memMiB[i] * MIB }));

const baseline = syntheticResult({
  sha: 'base1',
  createdAt: '2026-01-10T00:00:00.000Z',
  runs: runs([10.1, 9.8, 10.4, 10.0, 9.7], [100, 101, 99, 100.5, 99.5]),
});
const sameAsBaseline = syntheticResult({
  sha: 'cand',
  createdAt: AT,
  runs: runs([10.2, 9.9, 10.0, 10.3, 9.8], [100.2, 99.8, 100.7, 99.1, 100.4]),
});
const cpuUp20 = syntheticResult({
  sha: 'cand',
  createdAt: AT,
  runs: runs([12.1, 11.8, 12.4, 12.0, 11.7], [100.2, 99.8, 100.7, 99.1, 100.4]),
});

describe('compareResults', () => {
  it('writes a valid comparison@1 with cpuPercent and memoryBytes compared on run-level medians', () => {
    const c = compareResults([baseline], cpuUp20, {
      createdAt: AT,
      baselineSource: 'baselines/',
      candidateFile: 'out/result.json',
    });
    expect(ComparisonSchema.safeParse(c).success).toBe(true);
    expect(c.schema).toBe('collector-bench/comparison@1');
    expect(c.createdAt).toBe(AT);
    expect(c.baselineSource).toBe('baselines/');
    expect(c.baselineResults).toEqual([
      { id: '2026-01-10T00:00:00.000Z-base1', sha: 'base1', createdAt: '2026-01-10T00:00:00.000Z' },
    ]);
    expect(c.candidate).toEqual({ file: 'out/result.json', sha: 'cand', createdAt: AT });
    expect(c.metrics.map((m) => [m.metric, m.unit])).toEqual([
      ['cpuPercent', 'percent'],
      ['memoryBytes', 'bytes'],
    ]);
    const cpu = c.metrics[0];
    expect(cpu.baseline.values).toEqual([10.1, 9.8, 10.4, 10.0, 9.7]);
    expect(cpu.candidate.values).toEqual([12.1, 11.8, 12.4, 12.0, 11.7]);
    expect(cpu.baseline.median).toBe(10.0);
    expect(cpu.change.absolute).toBeCloseTo(2.0, 12);
    expect(cpu.change.relative).toBeCloseTo(0.2, 12);
    expect(cpu.envKey).toBe('linux-6.1_core_bpf_2cpu_x86_64'); // the baseline stores' key
  });

  it('finds a +20% CPU change as a regression and leaves unchanged memory unchanged', () => {
    const c = compareResults([baseline], cpuUp20, { createdAt: AT });
    const [cpu, mem] = c.metrics;
    expect(cpu.verdict).toBe('regression');
    expect(cpu.reason).toMatch(
      /^\+20\.0% \(\+2\.00 pp; CI 1\.\d+–1\.\d+\), Welch p_adj=[\d.e-]+ < 0\.05, above floors 1 pp \/ 5%$/,
    );
    expect(cpu.tests.welch!.t).toBeGreaterThan(0); // candidate first: positive means higher
    expect(cpu.tests.mannWhitney).toEqual({ u: 25, pValue: expect.closeTo(2 / 252, 12), exact: true });
    expect(cpu.change.ci95![0]).toBeGreaterThan(1);
    expect(mem.verdict).toBe('unchanged');
    expect(c.overall).toBe('regression');
  });

  it('adjusts every Welch p-value with Holm over the report (never below the raw p)', () => {
    const c = compareResults([baseline], cpuUp20, { createdAt: AT });
    for (const m of c.metrics) expect(m.adjustedPValue!).toBeGreaterThanOrEqual(m.tests.welch!.pValue);
    const smallest = Math.min(...c.metrics.map((m) => m.tests.welch!.pValue));
    expect(Math.min(...c.metrics.map((m) => m.adjustedPValue!))).toBeCloseTo(Math.min(1, 2 * smallest), 15);
  });

  it('calls no change "unchanged" and reports the minimum detectable effect', () => {
    const c = compareResults([baseline], sameAsBaseline, { createdAt: AT });
    expect(c.metrics.map((m) => m.verdict)).toEqual(['unchanged', 'unchanged']);
    expect(c.overall).toBe('unchanged');
    expect(c.metrics[0].mde!).toBeGreaterThan(0);
    expect(c.metrics[0].reason).toMatch(/MDE \d+\.\d%/);
  });

  it('pools the counted runs of all baseline results and skips warm-up and invalid runs', () => {
    const second = syntheticResult({
      sha: 'base2',
      runs: [
        { cpuMedian: 50, memMedian: 300 * MIB, warmupRun: true },
        { cpuMedian: 10.2, memMedian: 100 * MIB },
        { cpuMedian: 60, memMedian: 300 * MIB, valid: false },
        { cpuMedian: 9.9, memMedian: 100 * MIB },
      ],
    });
    const c = compareResults([baseline, second], cpuUp20, { createdAt: AT, baselineIds: ['a.json', 'b.json'] });
    expect(c.metrics[0].baseline.values).toEqual([10.1, 9.8, 10.4, 10.0, 9.7, 10.2, 9.9]);
    expect(c.metrics[0].baseline.n).toBe(7);
    expect(c.baselineResults.map((b) => b.id)).toEqual(['a.json', 'b.json']);
  });

  it('is inconclusive, not green, with fewer than minRuns counted runs on a side, however large the change', () => {
    const twoRuns = syntheticResult({ sha: 'cand', runs: runs([30, 31], [300, 301]) });
    const c = compareResults([baseline], twoRuns, { createdAt: AT });
    expect(c.metrics.map((m) => m.verdict)).toEqual(['inconclusive', 'inconclusive']);
    expect(c.metrics[0].reason).toBe('too few counted runs: baseline 5, candidate 2 (need 3 a side)');
    expect(c.overall).toBe('inconclusive');
  });

  it('is inconclusive with no baseline at all', () => {
    const c = compareResults([], cpuUp20, { createdAt: AT });
    expect(c.overall).toBe('inconclusive');
    expect(c.metrics[0].baseline.n).toBe(0);
    expect(c.metrics[0].change.absolute).toBeNull();
  });

  it('honours a larger minRuns', () => {
    expect(compareResults([baseline], cpuUp20, { createdAt: AT, minRuns: 6 }).overall).toBe('inconclusive');
  });

  it('is inconclusive when environments differ, listing each mismatch', () => {
    const other = syntheticResult({
      sha: 'cand',
      runs: runs([12.1, 11.8, 12.4, 12.0, 11.7], [100, 100, 100, 100, 100]),
      env: { kernel: '5.15.0-1047-gcp', collectionMethod: 'ebpf', cpus: 4 },
    });
    const c = compareResults([baseline], other, { createdAt: AT });
    expect(c.environmentMismatch).toEqual([
      'kernel: baseline 6.1, candidate 5.15',
      'collectionMethod: baseline core_bpf, candidate ebpf',
      'cpus: baseline 2, candidate 4',
    ]);
    expect(c.metrics.map((m) => m.verdict)).toEqual(['inconclusive', 'inconclusive']);
    expect(c.metrics[0].reason).toMatch(/^environments differ \(kernel: baseline 6\.1, candidate 5\.15; /);
    expect(c.overall).toBe('inconclusive');
  });

  it('does not treat a kernel patch release or a different CPU model as an environment change', () => {
    const patched = syntheticResult({
      sha: 'cand',
      runs: runs([12.1, 11.8, 12.4, 12.0, 11.7], [100, 100, 100, 100, 100]),
      env: { kernel: '6.1.0-27-amd64', cpuModel: 'Another CPU' },
    });
    const c = compareResults([baseline], patched, { createdAt: AT });
    expect(c.environmentMismatch).toEqual([]);
    expect(c.metrics[0].verdict).toBe('regression');
  });

  it('flags an architecture change', () => {
    const arm = syntheticResult({
      sha: 'cand',
      runs: runs([10, 10.1, 9.9], [100, 100, 100]),
      env: { arch: 'aarch64' },
    });
    expect(compareResults([baseline], arm, { createdAt: AT }).environmentMismatch).toEqual([
      'arch: baseline x86_64, candidate aarch64',
    ]);
  });

  it('lets the floors suppress a significant but tiny CPU change (+0.3 pp, +3%)', () => {
    const steady = syntheticResult({
      sha: 'b',
      runs: runs([10.0, 10.01, 9.99, 10.02, 9.98], [100, 100, 100, 100, 100]),
    });
    const tiny = syntheticResult({
      sha: 'c',
      runs: runs([10.3, 10.31, 10.29, 10.32, 10.28], [100, 100, 100, 100, 100]),
    });
    const c = compareResults([steady], tiny, { createdAt: AT });
    const cpu = c.metrics[0];
    expect(cpu.adjustedPValue!).toBeLessThan(1e-6);
    expect(cpu.verdict).toBe('unchanged');
    expect(cpu.reason).toMatch(/< 0\.05 but below floors 1 pp \/ 5%$/);
    // With the floors lowered the same data is a regression: the floors, not the test, decided.
    const lowered = compareResults([steady], tiny, {
      createdAt: AT,
      floors: { cpu: { absolute: 0.1, relative: 0.01 } },
    });
    expect(lowered.metrics[0].verdict).toBe('regression');
  });

  it('finds a memory regression above 10 MiB and 5%, and suppresses one below 10 MiB', () => {
    const memUp = syntheticResult({ sha: 'c', runs: runs([10, 10.1, 9.9, 10, 10], [120, 121, 119, 120.5, 119.5]) });
    expect(compareResults([baseline], memUp, { createdAt: AT }).metrics[1].verdict).toBe('regression');
    const small = syntheticResult({ sha: 'b', runs: runs([10, 10, 10, 10, 10], [100, 100.1, 99.9, 100, 100.05]) });
    const memUp8 = syntheticResult({ sha: 'c', runs: runs([10, 10, 10, 10, 10], [108, 108.1, 107.9, 108, 108.05]) });
    const c = compareResults([small], memUp8, { createdAt: AT });
    expect(c.metrics[1].verdict).toBe('unchanged');
    expect(c.metrics[1].reason).toMatch(/\+8\.0 MiB.*below floors 10 MiB \/ 5%/);
  });

  it('does not call identical constant runs anything but unchanged (Welch undefined, no change)', () => {
    const flat = syntheticResult({ sha: 'b', runs: runs([5, 5, 5], [50, 50, 50]) });
    const c = compareResults([flat], flat, { createdAt: AT });
    expect(c.metrics[0].tests.welch).toBeNull();
    expect(c.metrics[0].adjustedPValue).toBeNull();
    expect(c.metrics[0].verdict).toBe('unchanged');
    expect(c.metrics[0].reason).toMatch(/zero variance/);
  });

  it('gives the same bootstrap interval for the same seed and a different one for another seed', () => {
    const a = compareResults([baseline], cpuUp20, { createdAt: AT, seed: 11 });
    const b = compareResults([baseline], cpuUp20, { createdAt: AT, seed: 11 });
    expect(a).toEqual(b);
    // With 5 runs a side the resampled medians take few values, so the 10,000-resample interval is
    // often seed-independent; 40 resamples show that the seed does reach the bootstrap.
    const few = (seed: number) =>
      compareResults([baseline], cpuUp20, { createdAt: AT, seed, bootstrapResamples: 40 }).metrics[0].change.ci95;
    expect(few(11)).toEqual(few(11));
    expect(few(12)).not.toEqual(few(11));
  });

  it('rejects invalid options with an InvalidInputError naming the key and what is allowed', () => {
    expect(() => compareResults([baseline], cpuUp20, { alpha: 2 })).toThrow(InvalidInputError);
    expect(() => compareResults([baseline], cpuUp20, { alpha: 2 })).toThrow(
      /key "alpha" has value 2; allowed: a number strictly between 0 and 1/,
    );
    expect(() => compareResults([baseline], cpuUp20, { floors: { cpu: { absolute: -1 } } })).toThrow(
      /key "floors\.cpu\.absolute" has value -1/,
    );
    expect(() => compareResults([baseline], cpuUp20, { minRuns: 1 })).toThrow(/"minRuns".*an integer >= 2/);
    // Unknown keys are typos, not silently ignored.
    expect(() => compareResults([baseline], cpuUp20, { alhpa: 0.1 } as never)).toThrow(InvalidInputError);
  });

  it('refuses to compare different benchmarks', () => {
    const other = syntheticResult({ benchmark: 'network', runs: runs([10, 10, 10], [1, 1, 1]) });
    expect(() => compareResults([other], cpuUp20)).toThrow(/key "benchmark" has value "network"; allowed: "default"/);
  });

  it('stamps the comparison with the current time by default', () => {
    const c = compareResults([baseline], cpuUp20);
    expect(Math.abs(Date.parse(c.createdAt) - Date.now())).toBeLessThan(60_000);
  });
});

describe('compareResultSets', () => {
  it('runs one Holm family over every benchmark of the report', () => {
    const one = compareResults([baseline], cpuUp20, { createdAt: AT });
    const many = compareResultSets(
      [
        { baseline: [baseline], candidate: cpuUp20, candidateFile: 'a.json' },
        { baseline: [baseline], candidate: sameAsBaseline, candidateFile: 'b.json' },
      ],
      { createdAt: AT },
    );
    expect(many).toHaveLength(2);
    expect(many[0].candidate.file).toBe('a.json');
    // Four comparisons instead of two: the smallest p is multiplied by 4, not 2.
    const raw = many[0].metrics[0].tests.welch!.pValue;
    expect(one.metrics[0].adjustedPValue).toBeCloseTo(2 * raw, 15);
    expect(many[0].metrics[0].adjustedPValue).toBeCloseTo(4 * raw, 15);
  });
});
