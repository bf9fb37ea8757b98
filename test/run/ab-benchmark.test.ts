/** One arm of an A/B file cut out as a single-arm file, pairs kept whole. */
import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/contracts/result.js';
import { armResult } from '../../src/run/ab-benchmark.js';
import { resultFile } from '../support/result-files.js';

describe('armResult', () => {
  it('gives each arm the runs of the pairs in which both runs count, and drops a broken pair whole', () => {
    const file = resultFile({ runs: [10, 12, 11, 13, 10, 14].map((cpu) => ({ cpu, mem: 1e8 })) });
    const arms = ['baseline', 'candidate', 'candidate', 'baseline', 'baseline', 'candidate'] as const;
    const runs: Run[] = file.runs.map((r, i) => ({ ...r, arm: arms[i], pair: Math.floor(i / 2) + 1 }));
    runs[3] = { ...runs[3], valid: false, invalidReason: 'collector exited' };
    const ab = { ...file, mode: 'ab' as const, runs };
    expect(armResult(ab, 'baseline').runs.map((r) => r.pair)).toEqual([1, 3]);
    expect(armResult(ab, 'candidate').runs.map((r) => r.summary!.cpuPercent.windowMean)).toEqual([12, 14]);
    expect(armResult(ab, 'candidate').mode).toBe('single');
  });
});
