import { describe, expect, it } from 'vitest';
import { abArms, parseEnvAssignments, wantsAb } from '../../src/cli/commands/run-ab.js';
import { ConfigSchema } from '../../src/config/schema.js';
import type { Run } from '../../src/contracts/result.js';
import { InvalidInputError } from '../../src/errors.js';
import { abbaOrder, armResult, pairsOf } from '../../src/run/ab-benchmark.js';
import { resultFile } from '../support/result-files.js';

const config = ConfigSchema.parse({ collector: { env: { SHARED: '1' } } });

describe('the arms of an A/B run', () => {
  it('is asked for by any of the A/B flags, and only by them', () => {
    expect(wantsAb({})).toBe(false);
    expect(wantsAb({ candidateEnv: ['REF_COLLECTOR_WORK_FACTOR=5'] })).toBe(true);
    expect(wantsAb({ baselineImage: 'a' })).toBe(true);
    expect(wantsAb({ candidateCommand: './collector --fast' })).toBe(true);
  });

  it('runs each arm with its own image, the candidate with its own env and without the baseline’s', () => {
    const arms = abArms(config, {
      baselineImage: 'c:1',
      candidateImage: 'c:2',
      baselineEnv: ['ONLY_BASE=1'],
      candidateEnv: ['KNOB=7'],
    });
    expect(arms.baseline.collector).toMatchObject({ image: 'c:1', env: { SHARED: '1', ONLY_BASE: '1' } });
    expect(arms.candidate.collector).toMatchObject({ image: 'c:2', env: { SHARED: '1', KNOB: '7' } });
    expect(arms.candidate.collector.env.ONLY_BASE).toBeUndefined();
  });

  it('A/Bs a knob of one collector when only --candidate-env is given', () => {
    const arms = abArms(config, { candidateEnv: ['REF_COLLECTOR_WORK_FACTOR=12'] });
    expect(arms.baseline.collector.image).toBeNull();
    expect(arms.candidate.collector.image).toBeNull();
    expect(arms.candidate.collector.env.REF_COLLECTOR_WORK_FACTOR).toBe('12');
  });

  it('takes commands for the process runtime as argv split on whitespace', () => {
    const arms = abArms(config, { baselineCommand: './old --x', candidateCommand: ' ./new  --x ' });
    expect(arms.baseline.collector.command).toEqual(['./old', '--x']);
    expect(arms.candidate.collector.command).toEqual(['./new', '--x']);
  });

  it('rejects an env assignment without "=", naming the flag', () => {
    expect(parseEnvAssignments('candidate-env', ['A=1', 'B=x=y'])).toEqual({ A: '1', B: 'x=y' });
    expect(() => parseEnvAssignments('candidate-env', ['NOVALUE'])).toThrow(InvalidInputError);
    expect(() => parseEnvAssignments('candidate-env', ['NOVALUE'])).toThrow(/--candidate-env.*NOVALUE/);
  });
});

describe('pairing the interleaved slots', () => {
  it('splits the order into pairs of one slot of each arm', () => {
    for (let n = 1; n <= 12; n++) {
      const pairs = pairsOf(abbaOrder(n));
      expect(pairs).toHaveLength(n);
      for (const p of pairs) expect([...p].sort()).toEqual(['A', 'B']);
    }
  });

  it('refuses an order whose pair holds one arm twice', () => {
    expect(() => pairsOf(['A', 'A', 'B', 'B'])).toThrow(/slots 1 and 2/);
  });

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
