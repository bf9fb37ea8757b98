/**
 * The validations' names: `validate gate` and plain `validate` are one command, `validate
 * regression` is one condition of it with the gate's checks. Input errors exit 2 before anything
 * starts (no engine needed).
 */
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors.js';
import { runCli } from '../support/cli.js';

describe('collector-bench validate', () => {
  for (const args of [['validate', 'gate'], ['validate']])
    it(`\`${args.join(' ')}\` is the gate's validation, checking its flags first`, async () => {
      const { code, stderr } = await runCli([...args, '--quick', '--pairs', '0']);
      expect(code).toBe(EXIT_CODES.badInput);
      expect(stderr).toContain('flag --pairs: key "pairs" has value "0"; allowed: a whole number >= 1');
    });

  it('`validate regression` puts its knob on top of the gate’s base load, and refuses one at or below it', async () => {
    const { code, stderr } = await runCli(['validate', 'regression', '--work-factor', '80']);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stderr).toContain("allowed: a work factor above the base's 100");
  });

  it('`validate regression` moves one metric at a time, naming both knobs when given two', async () => {
    const { code, stderr } = await runCli([
      'validate',
      'regression',
      '--work-factor',
      '300',
      '--retain-bytes-per-event',
      '64',
    ]);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stderr).toContain('flags --work-factor and --retain-bytes-per-event');
  });

  it('`validate regression` runs only the reference collector, whose knobs it turns', async () => {
    const { code, stderr } = await runCli(['validate', 'regression'], { COLLECTOR_BENCH_COLLECTOR_IMAGE: 'x:1' });
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stderr).toContain('key "collector.image" has value "x:1"');
  });
});
