/** Several machines' comparisons as one report keep what each machine left out, named by machine. */
import { describe, expect, it } from 'vitest';
import { mergeComparisons } from '../../src/ci/merge-comparisons.js';
import { comparePaired } from '../../src/stats/compare.js';
import { MiB } from '../../src/units.js';
import { abResultFile } from '../support/result-files.js';

const SHORT = { ratio: 0.59, reason: 'processes spawned 4700 of the 8000 arrivals it drew (235/s of 400/s)' };

function abComparison(shortPair: number) {
  return comparePaired(
    abResultFile({
      pairs: [20, 21, 19, 20].map((cpu, i) => ({
        baseline: { cpu, mem: 80 * MiB },
        candidate: { cpu: cpu * 1.02, mem: 80 * MiB, ...(i + 1 === shortPair ? { shortfall: SHORT } : {}) },
      })),
    }),
  );
}

describe('merging machines', () => {
  it('keeps every machine’s dropped pairs, each prefixed with its machine', () => {
    const merged = mergeComparisons([
      { machine: 'ubuntu-24.04', comparison: abComparison(2) },
      { machine: 'debian-13', comparison: abComparison(3) },
    ]);
    expect(merged.droppedPairs).toEqual([
      expect.stringMatching(/^ubuntu-24\.04: pair 2: candidate run #\d+ fell short of its workload target/),
      expect.stringMatching(/^debian-13: pair 3: candidate run #\d+ fell short of its workload target/),
    ]);
    expect(merged.shortRuns).toEqual([]);
  });
});
