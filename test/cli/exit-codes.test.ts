/**
 * The exit codes a CI gate reads (src/errors.ts EXIT_CODES, README "Exit codes"), asserted on the
 * real CLI process: each way a command can end gives its own code.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultFileSchema } from '../../src/contracts/result.js';
import { EXIT_CODES } from '../../src/errors.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-exit-codes-'));

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, env, 120_000);

/** A config whose collector is a local command (process runtime, no sensor, one short run). */
function configFor(name: string, command: string[]): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `benchmark: exit-${name}`,
      'runtime: process',
      'collector:',
      `  command: ${JSON.stringify(command)}`,
      '  readiness: { timeoutSeconds: 20 }',
      'run: { runs: 1, warmupRuns: 0, warmupSeconds: 0, loadSeconds: 2 }',
      'sensor: { enabled: false }',
    ].join('\n'),
  );
  return file;
}

describe('exit codes of the CLI', () => {
  it('defines each code once, all distinct', () => {
    const codes = Object.values(EXIT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it(`gives ${EXIT_CODES.badInput} for bad input, naming the flag, the value and what is allowed`, async () => {
    const r = await cli(['scenarios', '--runtime', 'kubernetes']);
    expect(r.code).toBe(EXIT_CODES.badInput);
    expect(r.stderr).toMatch(/flag --runtime: key "runtime" has value "kubernetes"; allowed: auto, docker, process/);
  });

  it(`gives ${EXIT_CODES.runtime} when the container engine cannot be reached`, async () => {
    const r = await cli(['images', 'list'], { DOCKER_HOST: `unix://${join(dir, 'no-engine.sock')}` });
    expect(r.code).toBe(EXIT_CODES.runtime);
    expect(r.stderr).toMatch(/no Docker engine answers at unix:\/\/.*no-engine\.sock/);
  });

  it(`gives ${EXIT_CODES.store} when the baseline store fails`, async () => {
    const notADir = join(dir, 'store-file');
    writeFileSync(notADir, 'a file where the store folder should be');
    const r = await cli(['baseline', 'list', '--baseline', join(notADir, 'sub')]);
    expect(r.code, r.stderr).toBe(EXIT_CODES.store);
  });

  it(`gives ${EXIT_CODES.noValidRun} when no run is valid, and names the signal that killed the collector`, async () => {
    const out = join(dir, 'segv.json');
    const config = configFor('segv', ['/bin/sh', '-c', 'kill -SEGV $$']);
    const r = await cli(['run', '--config', config, '--no-compare', '--out', out]);
    expect(r.code, r.stderr).toBe(EXIT_CODES.noValidRun);
    const run = ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8'))).runs[0];
    expect(run.valid).toBe(false);
    expect(run.invalidReason).toBe('collector exited on signal SIGSEGV before it was ready');
    expect(r.stderr).not.toMatch(/code null/);
  });

  it(`gives ${EXIT_CODES.unexpected} with the stack trace for an error collector-bench did not foresee`, async () => {
    // The results file cannot be written below a regular file: an I/O failure no typed error covers.
    const config = configFor('unwritable', ['/bin/sh', '-c', 'exit 3']);
    const r = await cli(['run', '--config', config, '--no-compare', '--out', join(dir, 'store-file', 'r.json')]);
    expect(r.code, r.stderr).toBe(EXIT_CODES.unexpected);
    expect(r.stderr).toMatch(/unexpected error: Error: ENOTDIR[^\n]*\n\s+at /);
  });
});
