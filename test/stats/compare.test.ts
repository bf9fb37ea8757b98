import { describe, expect, it } from 'vitest';
import { ComparisonSchema } from '../../src/contracts/comparison.js';
import type { ResultFile } from '../../src/contracts/result.js';
import { InvalidInputError } from '../../src/errors.js';
import { comparePaired, compareResults, compareResultSets } from '../../src/stats/compare.js';
import { MiB } from '../../src/units.js';
import { abResultFile, resultFile, type RunSpec } from '../support/result-files.js';

const AT = '2026-02-01T12:00:00.000Z';
const FAST = { createdAt: AT, bootstrapResamples: 500 } as const;

/** Pairs whose runs share a per-pair level (the machine's state that minute); the candidate is `factor` times it. */
function pairs(levels: number[], factor: number, memMiB = 100): Array<{ baseline: RunSpec; candidate: RunSpec }> {
  return levels.map((l, i) => ({
    baseline: { cpu: l, mem: (memMiB + (i % 3) * 0.2) * MiB },
    candidate: {
      cpu: l * factor * (1 + ((i % 2) - 0.5) * 0.004),
      mem: (memMiB + (i % 3) * 0.2 + 0.1 + (i % 2) * 0.05) * MiB,
    },
  }));
}
const LEVELS = [10.0, 10.6, 9.5, 11.2, 10.1, 9.8, 10.9, 10.3];

/** One session: a results file whose runs have these CPU values (percent) and 100 MiB memory. */
function session(cpu: number[], i = 0, extra: Partial<Parameters<typeof resultFile>[0]> = {}): ResultFile {
  return resultFile({
    sha: `s${i}`.padEnd(40, '0'),
    createdAt: `2026-01-${String(10 + i).padStart(2, '0')}T00:00:00.000Z`,
    runs: cpu.map((c, k) => ({ cpu: c, mem: (100 + ((k + i) % 3) * 0.3) * MiB })),
    ...extra,
  });
}
const around = (v: number) => [v * 0.99, v * 1.01, v, v * 1.005, v * 0.995];

describe('A/B mode: one file, both arms, paired runs', () => {
  it('writes a comparison@2 decided by the paired t-test, with Wilcoxon and the median paired ratio beside it', () => {
    const file = abResultFile({ pairs: pairs(LEVELS, 1.2), createdAt: AT });
    const c = comparePaired(file, { ...FAST, candidateFile: 'ab.json' });
    expect(ComparisonSchema.safeParse(c).success).toBe(true);
    expect(c.schema).toBe('collector-bench/comparison@2');
    expect(c.mode).toBe('ab');
    expect(c.baselineResults).toEqual([]);
    const cpu = c.metrics[0];
    expect(cpu.decidingTest?.test).toBe('paired-t');
    expect(cpu.decidingTest?.df).toBe(LEVELS.length - 1);
    expect(cpu.baseline.values).toEqual(LEVELS);
    expect(cpu.paired?.pairs).toBe(LEVELS.length);
    expect(cpu.paired?.wilcoxon?.method).toBe('exact');
    expect(cpu.paired?.medianRatio?.estimate).toBeCloseTo(1.2, 2);
    expect(cpu.change.relative).toBeCloseTo(0.2, 2);
    expect(cpu.verdict).toBe('regression');
    expect(cpu.reason).toMatch(/^\+20% \(\+2\.\d+ pp\), paired t p_adj=.* < 0\.05, beyond the floor ±\d/);
  });

  it('reads the same workload drifting 10% between pairs as unchanged when the arms do not differ', () => {
    const levels = Array.from({ length: 12 }, (_, i) => 10 * (1 + 0.1 * Math.sin(i)));
    const c = comparePaired(abResultFile({ pairs: pairs(levels, 1.0) }), FAST);
    expect(c.metrics.map((m) => m.verdict)).toEqual(['unchanged', 'unchanged']);
    expect(c.overall).toBe('unchanged');
    const cpu = c.metrics[0];
    expect(cpu.interval!.low).toBeGreaterThan(-cpu.floor.effective!);
    expect(cpu.interval!.high).toBeLessThan(cpu.floor.effective!);
    expect(cpu.mdeAbsolute!).toBeLessThanOrEqual(cpu.floor.effective!);
  });

  it('drops a pair whose run is invalid, and says how many pairs it dropped', () => {
    const p = pairs(LEVELS, 1.2);
    p[2].candidate = { ...p[2].candidate, valid: false };
    const cpu = comparePaired(abResultFile({ pairs: p }), FAST).metrics[0];
    expect(cpu.paired).toMatchObject({ pairs: LEVELS.length - 1, droppedPairs: 1 });
    expect(cpu.baseline.values).not.toContain(LEVELS[2]);
  });

  it('is inconclusive with fewer complete pairs than minRuns, however large the change', () => {
    const c = comparePaired(abResultFile({ pairs: pairs([10, 11], 2) }), FAST);
    expect(c.metrics[0].verdict).toBe('inconclusive');
    expect(c.metrics[0].reason).toMatch(/too few complete pairs: 2 \(need 3\)/);
  });

  it('gives inconclusive with a reason, not a schema error, for non-finite run values', () => {
    const file = abResultFile({ pairs: pairs(LEVELS, 1.2) });
    file.runs[3].summary!.cpuPercent.windowMean = Number.NaN;
    file.runs[5].summary!.cpuPercent.windowMean = Number.POSITIVE_INFINITY;
    const c = comparePaired(file, FAST);
    expect(c.metrics[0].verdict).toBe('inconclusive');
    expect(c.metrics[0].reason).toMatch(/non-finite values .*NaN.*Infinity/);
    expect(c.metrics[1].verdict).not.toBe('inconclusive');
  });

  it('names the run and key of a malformed A/B file', () => {
    const file = abResultFile({ pairs: pairs(LEVELS, 1) });
    delete file.runs[4].pair;
    expect(() => comparePaired(file, { candidateFile: 'ab.json' })).toThrow(InvalidInputError);
    expect(() => comparePaired(file, { candidateFile: 'ab.json' })).toThrow(/ab.json: key "runs.4.pair"/);
    const twice = abResultFile({ pairs: pairs(LEVELS, 1) });
    twice.runs[3].pair = 1;
    expect(() => comparePaired(twice)).toThrow(/one baseline and one candidate run/);
    expect(() => comparePaired(session(around(10)))).toThrow(/key "mode" has value "single"/);
  });

  it('leaves the MDE null, not zero, when both arms have no spread at all', () => {
    const flat = LEVELS.map(() => ({ baseline: { cpu: 10, mem: 100 * MiB }, candidate: { cpu: 10, mem: 100 * MiB } }));
    const cpu = comparePaired(abResultFile({ pairs: flat }), FAST).metrics[0];
    expect(cpu.mde).toBeNull();
    expect(cpu.mdeAbsolute).toBeNull();
    expect(cpu.verdict).toBe('inconclusive');
    expect(cpu.reason).toMatch(/same amount/);
  });

  it('compareResults reads an A/B candidate as A/B whatever baseline is passed', () => {
    const file = abResultFile({ pairs: pairs(LEVELS, 1.2) });
    expect(compareResults([session(around(10))], file, FAST).mode).toBe('ab');
  });
});

describe('history mode: sessions are the unit', () => {
  const tight = [10.0, 10.1, 9.9, 10.05, 9.95].map((v, i) => session(around(v), i));

  it('decides with the prediction t-test on session means and keeps pooled Welch and Mann-Whitney as diagnostics', () => {
    const c = compareResults(tight, session(around(12), 9), { ...FAST, baselineSource: 'baselines/' });
    expect(c.mode).toBe('history');
    const cpu = c.metrics[0];
    expect(cpu.decidingTest?.test).toBe('prediction-t');
    expect(cpu.decidingTest?.df).toBe(4);
    expect(cpu.history?.sessionValues).toHaveLength(5);
    expect(cpu.history?.candidateValue).toBeCloseTo(12, 10);
    expect(cpu.diagnostics.welch).not.toBeNull();
    expect(cpu.diagnostics.mannWhitney).not.toBeNull();
    expect(cpu.verdict).toBe('regression');
    expect(cpu.reason).toMatch(/prediction t p_adj=/);
  });

  it('is inconclusive with fewer than 3 baseline sessions, however large the change', () => {
    const c = compareResults(tight.slice(0, 2), session(around(20), 9), FAST);
    expect(c.metrics[0].verdict).toBe('inconclusive');
    expect(c.metrics[0].reason).toMatch(/at least 3 baseline sessions \(have 2\)/);
  });

  it('does not call +7.5% a regression when sessions spread 6% among themselves, though pooled Welch would; it recommends A/B mode', () => {
    const spread = [19.2, 18.9, 20.3, 22.5, 20.8, 18.6, 21.9].map((v, i) => session(around(v), i));
    const mean = 20.314;
    const c = compareResults(spread, session(around(mean * 1.075), 9), FAST);
    const cpu = c.metrics[0];
    expect(cpu.diagnostics.welch!.pValue).toBeLessThan(1e-3); // the old rule's evidence
    expect(cpu.verdict).toBe('inconclusive');
    expect(cpu.reason).toMatch(/could not rule out a change of ±\d+%/);
    expect(c.notes.join(' ')).toMatch(/baseline sessions themselves vary by \d+\.\d% .*A\/B mode/);
  });

  it('is inconclusive when environments differ, listing each mismatch', () => {
    const cand = session(around(10), 9, { env: { kernel: '6.8.0-1-amd64', cpus: 4 } });
    const c = compareResults(tight, cand, FAST);
    expect(c.environmentMismatch).toEqual(['kernel: baseline 6.1, candidate 6.8', 'cpus: baseline 2, candidate 4']);
    expect(c.metrics.every((m) => m.verdict === 'inconclusive')).toBe(true);
  });

  it('is inconclusive with too few counted candidate runs', () => {
    const c = compareResults(tight, session([10, 10.1], 9), FAST);
    expect(c.metrics[0].reason).toMatch(/too few counted candidate runs: 2 \(need 3\)/);
  });

  it('gives inconclusive with a reason, not a schema error, for a non-finite run value in a session', () => {
    const broken = session(around(10), 4);
    broken.runs[1].summary!.memoryBytes.windowMean = Number.NaN;
    const c = compareResults([...tight.slice(0, 4), broken], session(around(10), 9), FAST);
    expect(c.metrics[1].verdict).toBe('inconclusive');
    expect(c.metrics[1].reason).toMatch(/baseline runs has non-finite values \(#\d+: NaN\)/);
    expect(c.metrics[0].verdict).not.toBe('inconclusive');
  });

  it('measures the relative change against |baseline|', () => {
    const negative = [-10, -10.1, -9.9, -10.05].map((v, i) => session([v, v, v], i));
    const cpu = compareResults(negative, session([-9, -9, -9], 9), FAST).metrics[0];
    expect(cpu.change.absolute).toBeCloseTo(1.0125, 10);
    expect(cpu.change.relative).toBeGreaterThan(0);
  });

  it('refuses to compare different benchmarks', () => {
    expect(() => compareResults(tight, session(around(10), 9, { benchmark: 'other' }))).toThrow(InvalidInputError);
  });

  it('rejects invalid options with an InvalidInputError naming the key and what is allowed', () => {
    expect(() => compareResults(tight, tight[0], { alpha: 2 })).toThrow(
      /key "alpha" has value 2; allowed: a number strictly between 0 and 1/,
    );
  });
});

describe('one report, one Holm family', () => {
  it('adjusts the deciding p-values over every metric of every benchmark, and sizes the MDE at alpha/m', () => {
    const ab = abResultFile({ pairs: pairs(LEVELS, 1.2), benchmark: 'b1' });
    const hist = {
      baseline: [0, 1, 2, 3].map((i) => session(around(10 + i * 0.1), i, { benchmark: 'b2' })),
      candidate: session(around(10), 9, { benchmark: 'b2' }),
    };
    const [a, h] = compareResultSets([{ baseline: [], candidate: ab }, hist], FAST);
    const all = [...a.metrics, ...h.metrics];
    for (const m of all) expect(m.adjustedPValue!).toBeGreaterThanOrEqual(m.decidingTest!.pValue);
    const single = comparePaired(ab, FAST).metrics[0];
    // Four comparisons instead of two: a stricter first-step level, so a larger MDE.
    expect(a.metrics[0].mdeAbsolute!).toBeGreaterThan(single.mdeAbsolute!);
  });
});
