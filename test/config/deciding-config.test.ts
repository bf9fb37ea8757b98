/**
 * `compare.deciding` (issue 18): which CPU measure enters the overall verdict. The config carries it
 * to every comparison; another value is the user's input error (exit 2) naming the key and what is
 * allowed, before anything runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareOptionsFrom } from '../../src/app/compare.js';
import { loadConfig } from '../../src/config/load.js';
import { EXIT_CODES } from '../../src/errors.js';
import { parseCompareOptions } from '../../src/stats/options.js';
import { runCli } from '../support/cli.js';
import { invalidInputOf } from '../support/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-deciding-'));

function configFile(name: string, deciding: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, ['benchmark: deciding', 'runtime: docker', 'compare:', `  deciding: ${deciding}`, ''].join('\n'));
  return file;
}

describe('compare.deciding in the config', () => {
  it('reaches the comparison options when set', () => {
    expect(loadConfig({}, configFile('cpu', 'cpuPercent')).config.compare.deciding).toBe('cpuPercent');
    const config = loadConfig({}, configFile('per-event', 'cpuMsPer1000Events')).config;
    expect(compareOptionsFrom(config.compare).deciding).toBe('cpuMsPer1000Events');
  });

  it("unset, is left to the mode: a comparison's default is CPU % of a core (a budgeted A/B run chooses its own)", () => {
    const file = join(dir, 'unset.yaml');
    writeFileSync(file, 'benchmark: deciding\nruntime: docker\n');
    const config = loadConfig({}, file).config;
    expect(config.compare.deciding).toBeUndefined();
    expect(parseCompareOptions(compareOptionsFrom(config.compare)).deciding).toBe('cpuPercent');
  });

  it('refuses another value, naming the file, the key and the allowed values', () => {
    const file = configFile('typo', 'cpuPer1000Events');
    const e = invalidInputOf(() => loadConfig({}, file));
    expect(e.message).toContain(file);
    expect(e.message).toContain('compare.deciding');
    expect(e.message).toMatch(/cpuPercent.*cpuMsPer1000Events/);
  });

  it(`makes the CLI exit ${EXIT_CODES.badInput} before any runtime is asked for anything`, async () => {
    const file = configFile('cli', 'perEvent');
    const r = await runCli(['run', '--config', file, '--no-compare'], {
      DOCKER_HOST: `unix://${join(dir, 'no-engine.sock')}`,
    });
    expect(r.code, r.stderr).toBe(EXIT_CODES.badInput);
    expect(r.stderr).toContain('key "compare.deciding" has value "perEvent"');
    expect(r.stderr).toMatch(/cpuPercent.*cpuMsPer1000Events/);
  });
});
