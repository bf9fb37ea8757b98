/** `--soak <minutes>`: one run, one long load window, no warm-up run and no overhead pairs. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { withSoak } from '../../src/run/soak.js';
import { invalidInputOf } from '../support/errors.js';

describe('--soak', () => {
  it('turns the benchmark into one run whose load window lasts the given minutes', () => {
    const { config } = loadConfig({ soak: '30', runs: '5', overhead: true }, undefined, {}, '/nonexistent');
    const lines: string[] = [];
    const soaked = withSoak(config, (m) => lines.push(m));
    expect(soaked.run).toMatchObject({ runs: 1, warmupRuns: 0, overhead: false, loadSeconds: 1800 });
    expect(lines[0]).toMatch(/30-minute load window/);
  });

  it('leaves a config without it alone', () => {
    const { config } = loadConfig({}, undefined, {}, '/nonexistent');
    expect(withSoak(config, () => undefined)).toBe(config);
  });

  it('refuses a soak that is not a positive number of minutes, naming the flag', () => {
    const e = invalidInputOf(() => loadConfig({ soak: 'long' }, undefined, {}, '/nonexistent'));
    expect(e.message).toBe('flag --soak: key "run.soakMinutes" has value "long"; allowed: number');
  });
});
