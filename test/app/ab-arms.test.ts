import { describe, expect, it } from 'vitest';
import { abArms, abFlagGiven } from '../../src/app/ab-arms.js';
import { ConfigSchema } from '../../src/config/schema.js';

const config = ConfigSchema.parse({ collector: { env: { SHARED: '1' } } });

describe('the arms of an A/B run', () => {
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

  it('names the A/B flag that was given, for errors that refuse another flag with it', () => {
    expect(abFlagGiven({ candidateImage: 'x' })).toBe('--candidate-image');
    expect(abFlagGiven({ baselineEnv: [], candidateEnv: ['K=1'] })).toBe('--candidate-env');
  });
});
