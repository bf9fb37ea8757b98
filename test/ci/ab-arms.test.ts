/** Cutting one arm out of a same-machine A/B results file (what the baseline store keeps of an approved PR). */
import { describe, expect, it } from 'vitest';
import { armResult, splitArms } from '../../src/ci/ab-arms.js';
import { MiB } from '../../src/units.js';
import { abResultFile, resultFile } from '../support/result-files.js';

function abRaw() {
  const r = abResultFile({
    pairs: [
      { baseline: { cpu: 10, mem: 80 * MiB }, candidate: { cpu: 12, mem: 80 * MiB } },
      { baseline: { cpu: 10, mem: 80 * MiB }, candidate: { cpu: 12, mem: 80 * MiB } },
      { baseline: { cpu: 10, mem: 80 * MiB }, candidate: { cpu: 12, mem: 80 * MiB } },
    ],
  });
  // A warm-up run first, which belongs to no arm.
  const warmup = { ...r.runs[0], warmupRun: true, arm: undefined, pair: undefined };
  return JSON.parse(JSON.stringify({ ...r, runs: [warmup, ...r.runs] }));
}

describe('A/B arms', () => {
  it("gives each arm's runs, renumbered, with that arm's image as the environment's", () => {
    const candidate = armResult(abRaw(), 'candidate', 'ab.json');
    expect(candidate.runs.map((r) => r.summary?.cpuPercent.windowMean)).toEqual([12, 12, 12]);
    expect(candidate.runs.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(candidate.environment).toMatchObject({ collectorImage: 'collector:cand', collectorImageId: 'sha256:c0' });
    expect(candidate.runs.some((r) => 'arm' in r || 'pair' in r)).toBe(false);
    expect(splitArms(abRaw(), 'ab.json')?.baseline.runs.map((r) => r.summary?.cpuPercent.windowMean)).toEqual([
      10, 10, 10,
    ]);
  });

  it('is null for an ordinary results file', () => {
    expect(splitArms(resultFile({ runs: [{ cpu: 1, mem: MiB }] }), 'one.json')).toBeNull();
  });

  it('names the file and run of a measured run without a valid arm', () => {
    const raw = abRaw();
    delete raw.runs[3].arm;
    expect(() => splitArms(raw, 'ab.json')).toThrow(
      /ab\.json: key "runs\.3\.arm" has value \(missing\); allowed: "baseline" \| "candidate"/,
    );
  });
});
