/** scripts/ci-plan.mjs, the zx step the workflows run: the plan as step outputs, plus the machine matrix. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { eventEnv } from '../github/cli.js';

const execFileP = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const ZX = join(ROOT, 'node_modules/zx/build/cli.js');

async function step(event: string, extra: Record<string, string> = {}) {
  const output = join(mkdtempSync(join(tmpdir(), 'cb-plan-')), 'output');
  writeFileSync(output, '');
  // No token: these events decide without asking GitHub.
  const env = eventEnv(event, 'http://127.0.0.1:9', undefined, { GITHUB_OUTPUT: output, ...extra });
  try {
    await execFileP(process.execPath, [ZX, join(ROOT, 'scripts/ci-plan.mjs')], { env, timeout: 60_000 });
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    return {
      code: 0,
      outputs: Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
      stderr: '',
    };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, outputs: {}, stderr: err.stderr };
  }
}

describe('scripts/ci-plan.mjs', () => {
  it('hands the plan to the workflow as outputs, with the default machines', async () => {
    const r = await step('pull_request.labeled-run-benchmark');
    expect(r.code, r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({
      benchmark: 'true',
      mode: 'ab',
      comment: 'true',
      'update-baseline': 'false',
      pr: '2',
    });
    expect(JSON.parse(r.outputs.plan)).toMatchObject({ benchmark: true, mode: 'ab' });
    expect(JSON.parse(r.outputs.matrix)).toEqual({
      include: [
        { name: 'ubuntu-22.04', 'runs-on': 'ubuntu-22.04' },
        { name: 'ubuntu-24.04', 'runs-on': 'ubuntu-24.04' },
      ],
    });
  });

  it('takes the machines from BENCHMARK_MACHINES, self-hosted label lists included', async () => {
    const r = await step('schedule', {
      BENCHMARK_MACHINES: '["ubuntu-24.04", ["self-hosted", "rhel9", "kernel-5.14"]]',
    });
    expect(r.outputs).toMatchObject({ benchmark: 'true', mode: 'history', 'update-baseline': 'true', pr: '' });
    expect(JSON.parse(r.outputs.matrix).include[1]).toEqual({
      name: 'self-hosted-rhel9-kernel-5.14',
      'runs-on': ['self-hosted', 'rhel9', 'kernel-5.14'],
    });
  });

  it('refuses a malformed machine list, saying what is allowed', async () => {
    const r = await step('schedule', { BENCHMARK_MACHINES: '["ubuntu 24.04"]' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /BENCHMARK_MACHINES has value \["ubuntu 24\.04"\]; allowed: a non-empty JSON array of runner labels/,
    );
  });
});
