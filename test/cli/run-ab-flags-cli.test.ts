/**
 * Every flag of `run` either works in an A/B run or is refused by name: none is accepted and
 * silently ignored. The real CLI, the process runtime and the reference collector, tiny windows.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultFileSchema } from '../../src/contracts/result.js';
import { EXIT_CODES } from '../../src/errors.js';
import { runCli, TINY_PROCESS_RUN } from '../support/cli.js';

const AB = ['run', '--candidate-env', 'REF_COLLECTOR_WORK_FACTOR=1'];
const QUICK = TINY_PROCESS_RUN;

describe('run with an A/B flag refuses, naming both flags, what an A/B run cannot do', () => {
  for (const [flag, extra] of [
    ['--overhead', ['--overhead']],
    ['--soak', ['--soak', '1']],
    ['--update-baseline', ['--update-baseline']],
  ] as const) {
    it(`${flag}: exit ${EXIT_CODES.badInput} before anything starts`, async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'cb-ab-refuse-')), 'result.json');
      const { code, stderr } = await runCli([...AB, ...QUICK, ...extra, '--out', out]);
      expect(code, stderr).toBe(EXIT_CODES.badInput);
      expect(stderr).toContain(`flags ${flag} and --candidate-env`);
      expect(stderr).toMatch(/not with an A\/B run/);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe('run with an A/B flag and no --runs (the default 10-minute budget)', () => {
  it('still names the flags the user gave when it refuses, not the budget it would have chosen', async () => {
    const noRuns = QUICK.filter((_, i, all) => all[i] !== '--runs' && all[i - 1] !== '--runs');
    const out = join(mkdtempSync(join(tmpdir(), 'cb-ab-default-')), 'result.json');
    const { code, stderr } = await runCli([...AB, ...noRuns, '--overhead', '--out', out]);
    expect(code, stderr).toBe(EXIT_CODES.badInput);
    expect(stderr).toContain('flags --overhead and --candidate-env');
    expect(stderr).not.toContain('--budget');
    expect(existsSync(out)).toBe(false);
  });
});

describe('run with an A/B flag honours --delivery and --no-compare', () => {
  it('with --delivery none says delivery was not verified, and with --no-compare writes no comparison', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cb-ab-none-')), 'result.json');
    const { code, stderr } = await runCli(
      [...AB, ...QUICK, '--delivery', 'none', '--no-compare', '--out', out],
      {},
      180_000,
    );
    expect(code, stderr).toBe(EXIT_CODES.ok);
    const result = ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(result.mode).toBe('ab');
    expect(result.delivery).toMatchObject({ via: 'none', verified: false });
    expect(result.runs.map((r) => [r.arm, r.pair])).toEqual([
      ['baseline', 1],
      ['candidate', 1],
    ]);
    expect(result.runs.every((r) => r.canaryLatencyMs === null)).toBe(true);
    expect(stderr).toContain('Event delivery was not verified (collector.delivery: none)');
    expect(existsSync(out.replace(/\.json$/, '.comparison.json'))).toBe(false);
  }, 200_000);

  it('without --no-compare compares the two arms (paired) and writes the reports beside the file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cb-ab-compare-')), 'result.json');
    const { code, stderr } = await runCli([...AB, ...QUICK, '--delivery', 'none', '--out', out], {}, 180_000);
    expect(code, stderr).toBe(EXIT_CODES.ok);
    const comparison = JSON.parse(readFileSync(out.replace(/\.json$/, '.comparison.json'), 'utf8'));
    expect(comparison.mode).toBe('ab');
  }, 200_000);
});
