/**
 * A config is fully checked when it loads, before any runtime is asked for anything: a bad regex
 * is the user's input error (exit 2, file and key named), not a stack trace after the collector
 * has started.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/errors.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-config-early-'));
// No engine answers here: a command that reached the runtime would end with EXIT_CODES.runtime.
const NO_ENGINE = { DOCKER_HOST: `unix://${join(dir, 'no-engine.sock')}` };

function config(name: string, readiness: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [`benchmark: early-${name}`, 'runtime: docker', 'collector:', `  readiness: ${readiness}`].join('\n'),
  );
  return file;
}

describe('run with a readiness logRegex that does not compile', () => {
  it(`exits ${EXIT_CODES.badInput} naming the file and the key, before any container starts`, async () => {
    const file = config('bad-regex', '{ http: null, logRegex: "^ready (" }');
    const r = await runCli(['run', '--config', file, '--no-compare'], NO_ENGINE);
    expect(r.code, r.stderr).toBe(EXIT_CODES.badInput);
    expect(r.stderr).toContain(`${file}: key "collector.readiness.logRegex" has value "^ready ("`);
    expect(r.stderr).toMatch(/a JavaScript regular expression that compiles \(.*Unterminated group/);
    expect(r.stderr).not.toMatch(/runtime:|no Docker engine|at .*\.ts:\d+/);
  });

  it('with a regex that compiles, the same command goes on to the runtime', async () => {
    const file = config('good-regex', '{ http: null, logRegex: "^ready" }');
    const r = await runCli(['run', '--config', file, '--no-compare'], NO_ENGINE);
    expect(r.code, r.stderr).toBe(EXIT_CODES.runtime);
  });
});
