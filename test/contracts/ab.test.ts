/** The one A/B model: what an A/B file is, its pairs, one arm as a single-arm file, the arms a user asks for. */
import { describe, expect, it } from 'vitest';
import {
  abPairs,
  armResult,
  armsFromFlags,
  isAbResult,
  parseEnvAssignments,
  splitArms,
  wantsAb,
  type ArmCollector,
} from '../../src/contracts/ab.js';
import type { ResultFile } from '../../src/contracts/result.js';
import { InvalidInputError } from '../../src/errors.js';
import { MiB } from '../../src/units.js';
import { abResultFile, resultFile } from '../support/result-files.js';

/** Three pairs (baseline 10, 11, 12; candidate 20, 21, 22) after a warm-up run of each arm; pair 2's candidate run is invalid. */
function abFile(): ResultFile {
  const r = abResultFile({
    pairs: [10, 11, 12].map((cpu) => ({
      baseline: { cpu, mem: 80 * MiB },
      candidate: { cpu: cpu + 10, mem: 80 * MiB },
    })),
  });
  const warmups = (['baseline', 'candidate'] as const).map((arm) => ({
    ...r.runs[0],
    warmupRun: true,
    arm,
    pair: null,
  }));
  const runs = [...warmups, ...r.runs].map((run, index) => ({ ...run, index }));
  const broken = runs.findIndex((run) => run.arm === 'candidate' && run.pair === 2);
  runs[broken] = { ...runs[broken], valid: false, invalidReason: 'collector exited' };
  return { ...r, runs };
}

const cpuOf = (r: ResultFile) => r.runs.map((run) => run.summary?.cpuPercent.windowMean);

describe('what an A/B file is', () => {
  it('is decided by the file’s mode alone', () => {
    expect(isAbResult(abFile())).toBe(true);
    expect(isAbResult(resultFile({ runs: [{ cpu: 1, mem: MiB }] }))).toBe(false);
    // Runs tagged with arms do not make a single-mode file an A/B file: one rule, not two.
    expect(isAbResult(resultFile({ runs: [{ cpu: 1, mem: MiB, arm: 'baseline', pair: 1 }] }))).toBe(false);
  });
});

describe('the pairs of an A/B file', () => {
  it('keeps the pairs in which both runs count and says why each other pair was dropped', () => {
    const { pairs, dropped } = abPairs(abFile(), 'ab.json');
    expect(pairs.map((p) => p.pair)).toEqual([1, 3]);
    expect(
      pairs.map((p) => [p.baseline.summary!.cpuPercent.windowMean, p.candidate.summary!.cpuPercent.windowMean]),
    ).toEqual([
      [10, 20],
      [12, 22],
    ]);
    expect(dropped).toEqual([expect.stringMatching(/^pair 2: candidate run #\d+ invalid$/)]);
  });

  it('drops a pair whose run fell short of its workload target, saying which run and by how much', () => {
    const file = abFile();
    const i = file.runs.findIndex((r) => r.arm === 'baseline' && r.pair === 3);
    const shortfall = {
      ratio: 4700 / 8000,
      reason: 'processes spawned 4700 of the 8000 arrivals it drew (235/s of 400/s)',
    };
    file.runs[i] = { ...file.runs[i], shortfall };
    const { pairs, dropped } = abPairs(file, 'ab.json');
    expect(pairs.map((p) => p.pair)).toEqual([1]);
    expect(dropped).toEqual([
      expect.stringMatching(/^pair 2: candidate run #\d+ invalid$/),
      `pair 3: baseline run #${i + 1} fell short of its workload target (${shortfall.reason})`,
    ]);
    // The arms as a paired analysis sees them lose the pair as well.
    expect(cpuOf(armResult(file, 'candidate', 'complete-pairs', 'ab.json'))).toEqual([20]);
  });

  it('keeps a duet pair that fell short in the one window both arms shared, and says so', () => {
    const file = abFile();
    const shortfall = { ratio: 0.85, reason: 'processes spawned 6800 of the 8000 arrivals it drew (340/s of 400/s)' };
    const window = { startMs: 1_000, endMs: 21_000 };
    file.runs = file.runs.map((r) => (r.pair === 3 ? { ...r, shortfall, loadWindow: window } : r));
    const { pairs, dropped, kept } = abPairs(file, 'ab.json');
    expect(pairs.map((p) => p.pair)).toEqual([1, 3]);
    expect(dropped).toEqual([expect.stringMatching(/^pair 2: /)]);
    expect(kept).toEqual([
      `pair 3: both arms in one load window fell short of the workload target alike (${shortfall.reason}); kept`,
    ]);
  });

  it('keeps a pair whose runs reached their target (shortfall null) or were never judged (older files)', () => {
    const file = abFile();
    file.runs = file.runs.map((r) => (r.pair === 1 ? { ...r, shortfall: null } : r));
    expect(abPairs(file, 'ab.json').pairs.map((p) => p.pair)).toEqual([1, 3]);
  });

  it('names the file and run of a measured run without an arm', () => {
    const file = abFile();
    delete file.runs[3].arm;
    expect(() => abPairs(file, 'ab.json')).toThrow(
      /ab\.json: key "runs\.3\.arm" has value \(missing\); allowed: "baseline" \| "candidate"/,
    );
  });

  it('refuses a pair number used twice by one arm', () => {
    const file = abFile();
    const i = file.runs.findIndex((r) => r.arm === 'baseline' && r.pair === 3);
    file.runs[i] = { ...file.runs[i], pair: 1 };
    expect(() => abPairs(file, 'ab.json')).toThrow(InvalidInputError);
  });
});

describe('one arm as a single-arm results file', () => {
  it('with complete pairs only: the arm’s runs of the pairs in which both count, in pair order', () => {
    const baseline = armResult(abFile(), 'baseline', 'complete-pairs', 'ab.json');
    expect(cpuOf(baseline)).toEqual([10, 12]);
    expect(baseline.runs.map((r) => r.index)).toEqual([0, 1]);
  });

  it('with all runs: every run the arm made, warm-up and invalid runs included, renumbered', () => {
    const candidate = armResult(abFile(), 'candidate', 'all-runs', 'ab.json');
    expect(candidate.runs.map((r) => [r.warmupRun, r.valid])).toEqual([
      [true, true],
      [false, true],
      [false, false],
      [false, true],
    ]);
    expect(candidate.runs.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });

  it('is an ordinary file: mode single, no arms, no arm or pair on its runs, the arm’s image as the environment’s', () => {
    const candidate = armResult(abFile(), 'candidate', 'all-runs', 'ab.json');
    expect(candidate.mode).toBe('single');
    expect(candidate.arms).toBeUndefined();
    expect(candidate.runs.some((r) => 'arm' in r || 'pair' in r)).toBe(false);
    expect(candidate.environment).toMatchObject({ collectorImage: 'collector:cand', collectorImageId: 'sha256:c0' });
  });

  it('splits an A/B file into both arms, and gives null for an ordinary file', () => {
    const arms = splitArms(abFile(), 'ab.json');
    expect(cpuOf(arms!.baseline)).toEqual([10, 10, 11, 12]);
    expect(splitArms(resultFile({ runs: [{ cpu: 1, mem: MiB }] }), 'one.json')).toBeNull();
  });

  it('refuses to split an A/B file that lacks one arm', () => {
    const file = abFile();
    const onlyBaseline = { ...file, runs: file.runs.filter((r) => r.arm === 'baseline') };
    expect(() => splitArms(onlyBaseline, 'ab.json')).toThrow(/no candidate runs/);
  });
});

describe('the arms a user asks for', () => {
  const configured: ArmCollector = { image: null, command: null, env: { SHARED: '1' } };

  it('is asked for by any of the A/B options, and only by them', () => {
    expect(wantsAb({})).toBe(false);
    expect(wantsAb({ candidateEnv: ['REF_COLLECTOR_WORK_FACTOR=5'] })).toBe(true);
    expect(wantsAb({ baselineImage: 'a' })).toBe(true);
    expect(wantsAb({ candidateCommand: './collector --fast' })).toBe(true);
  });

  it('runs each arm with its own image, the candidate with its own env and without the baseline’s', () => {
    const arms = armsFromFlags(configured, {
      baselineImage: 'c:1',
      candidateImage: 'c:2',
      baselineEnv: ['ONLY_BASE=1'],
      candidateEnv: ['KNOB=7'],
    });
    expect(arms.baseline).toEqual({ image: 'c:1', command: null, env: { SHARED: '1', ONLY_BASE: '1' } });
    expect(arms.candidate).toEqual({ image: 'c:2', command: null, env: { SHARED: '1', KNOB: '7' } });
  });

  it('A/Bs a knob of one collector when only the candidate env is given', () => {
    const arms = armsFromFlags({ ...configured, image: 'mine:1' }, { candidateEnv: ['REF_COLLECTOR_WORK_FACTOR=12'] });
    expect(arms.baseline.image).toBe('mine:1');
    expect(arms.candidate.image).toBe('mine:1');
    expect(arms.candidate.env.REF_COLLECTOR_WORK_FACTOR).toBe('12');
  });

  it('takes commands as argv split on whitespace; a candidate without its own runs the baseline arm’s', () => {
    const arms = armsFromFlags(configured, { baselineCommand: './old --x', candidateCommand: ' ./new  --x ' });
    expect(arms.baseline.command).toEqual(['./old', '--x']);
    expect(arms.candidate.command).toEqual(['./new', '--x']);
    expect(armsFromFlags(configured, { baselineCommand: './old' }).candidate.command).toEqual(['./old']);
  });

  it('rejects an env assignment without "=", naming the option', () => {
    expect(parseEnvAssignments('candidate-env', ['A=1', 'B=x=y'])).toEqual({ A: '1', B: 'x=y' });
    expect(() => parseEnvAssignments('candidate-env', ['NOVALUE'])).toThrow(InvalidInputError);
    expect(() => parseEnvAssignments('candidate-env', ['NOVALUE'])).toThrow(/--candidate-env.*NOVALUE/);
  });
});
