/** Cutting one arm out of a same-machine A/B results file (what the baseline store keeps of an approved PR). */
import { describe, expect, it } from 'vitest';
import { armResult, splitArms } from '../../src/ci/ab-arms.js';
import { syntheticResult } from '../support/synthetic-results.js';

const MiB = 2 ** 20;

function abRaw() {
  const r = syntheticResult({
    runs: [
      { cpuMedian: 30, memMedian: 90 * MiB, warmupRun: true },
      ...[10, 12, 12, 10, 10, 12].map((cpu) => ({ cpuMedian: cpu, memMedian: 80 * MiB })),
    ],
  });
  const arms = ['baseline', 'candidate', 'candidate', 'baseline', 'baseline', 'candidate'];
  return {
    ...r,
    mode: 'ab',
    arms: {
      baseline: { label: 'base', image: 'collector:base', imageId: 'sha256:aa', command: null, env: {} },
      candidate: { label: 'head', image: 'collector:head', imageId: 'sha256:bb', command: null, env: {} },
    },
    // The warm-up run belongs to no arm; each measured run has its arm and pair.
    runs: r.runs.map((run, i) => (i === 0 ? run : { ...run, arm: arms[i - 1], pair: Math.ceil(i / 2) })),
  };
}

describe('A/B arms', () => {
  it("gives each arm's runs, renumbered, with that arm's image as the environment's", () => {
    const candidate = armResult(abRaw(), 'candidate', 'ab.json');
    expect(candidate.runs.map((r) => r.summary?.cpuPercent.median)).toEqual([12, 12, 12]);
    expect(candidate.runs.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(candidate.environment).toMatchObject({ collectorImage: 'collector:head', collectorImageId: 'sha256:bb' });
    expect(candidate.runs.some((r) => 'arm' in r || 'pair' in r)).toBe(false);
    expect(splitArms(abRaw(), 'ab.json')?.baseline.runs.map((r) => r.summary?.cpuPercent.median)).toEqual([10, 10, 10]);
  });

  it('is null for an ordinary results file', () => {
    expect(splitArms(syntheticResult({ runs: [{ cpuMedian: 1, memMedian: MiB }] }), 'one.json')).toBeNull();
  });

  it('names the file and run of a measured run without a valid arm', () => {
    const raw = abRaw();
    (raw.runs[3] as { arm?: string }).arm = undefined;
    expect(() => splitArms(raw, 'ab.json')).toThrow(
      /ab\.json: key "runs\.3\.arm" has value \(missing\); allowed: "baseline" \| "candidate"/,
    );
  });
});
