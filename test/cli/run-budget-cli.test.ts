/** `run --budget` refuses, naming both, what it cannot honour: before anything starts, exit 2. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors.js';
import { runCli, TINY_PROCESS_RUN } from '../support/cli.js';

const QUICK = TINY_PROCESS_RUN.filter((_, i, all) => all[i] !== '--runs' && all[i - 1] !== '--runs');
const AB = ['run', '--candidate-env', 'REF_COLLECTOR_WORK_FACTOR=1', '--budget', '5'];

describe('run --budget refuses what it cannot honour', () => {
  for (const [flag, extra] of [
    ['--overhead', ['--overhead']],
    ['--soak', ['--soak', '1']],
    ['--runs', ['--runs', '3']],
  ] as const) {
    it(`${flag}: exit ${EXIT_CODES.badInput}, naming ${flag} and --budget`, async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'cb-budget-refuse-')), 'result.json');
      const { code, stderr } = await runCli([...AB, ...QUICK, ...extra, '--out', out]);
      expect(code, stderr).toBe(EXIT_CODES.badInput);
      expect(stderr).toContain(`flags ${flag} and --budget`);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('compare.deciding: cpuMsPer1000Events with delivery none: exit 2, since no events are counted to look at', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-budget-deciding-'));
    const config = join(dir, 'bench.yaml');
    writeFileSync(config, 'compare:\n  deciding: cpuMsPer1000Events\n');
    const { code, stderr } = await runCli([
      ...AB,
      ...QUICK,
      '--delivery',
      'none',
      '--config',
      config,
      '--out',
      join(dir, 'r.json'),
    ]);
    expect(code, stderr).toBe(EXIT_CODES.badInput);
    expect(stderr).toContain('compare.deciding: cpuMsPer1000Events with --budget');
    expect(stderr).toMatch(/key "collector\.delivery\.via" has value "?none"?; allowed: sensor, log or metrics/);
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
  });

  it('compare.stopWhen: overall with --runs: exit 2, since a fixed number of pairs has no early stop to hold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-stopwhen-runs-'));
    const config = join(dir, 'bench.yaml');
    writeFileSync(config, 'compare:\n  stopWhen: overall\n');
    const { code, stderr } = await runCli([
      ...AB.slice(0, 3),
      ...TINY_PROCESS_RUN,
      '--config',
      config,
      '--out',
      join(dir, 'r.json'),
    ]);
    expect(code, stderr).toBe(EXIT_CODES.badInput);
    expect(stderr).toMatch(
      /flag --runs and compare\.stopWhen: key "compare\.stopWhen" has value "?overall"?; allowed: deciding with --runs/,
    );
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
  });

  it('without an A/B flag: exit 2, saying a budget adds A/B pairs', async () => {
    const { code, stderr } = await runCli(['run', ...QUICK, '--budget', '5']);
    expect(code, stderr).toBe(EXIT_CODES.badInput);
    expect(stderr).toMatch(/flag --budget: key "run.budgetMinutes" has value 5; allowed: only with an A\/B run/);
  });

  it('a budget that is not a positive number of minutes: exit 2 naming the key', async () => {
    const { code, stderr } = await runCli([...AB.slice(0, 3), ...QUICK, '--budget', 'soon']);
    expect(code, stderr).toBe(EXIT_CODES.badInput);
    expect(stderr).toContain('run.budgetMinutes');
  });
});
