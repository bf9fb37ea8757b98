import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/errors.js';
import { buildStub, findBusybox, resolveExecStub } from '../../src/workloads/stub.js';

describe('exec stub resolution', () => {
  it('uses busybox true by default', () => {
    const stub = resolveExecStub({});
    expect(stub.source).toBe('busybox');
    expect(stub.prefix).toEqual(['true']);
    expect(spawnSync(stub.path, [...stub.prefix, 'abcdefg']).status).toBe(0);
  });

  it('prefers BERSERKER_STUB', () => {
    expect(resolveExecStub({ BERSERKER_STUB: '/bin/true' })).toEqual({
      path: '/bin/true',
      prefix: [],
      source: 'BERSERKER_STUB',
    });
  });

  it('refuses a BERSERKER_STUB or BERSERKER_BUSYBOX that is not executable', () => {
    const plain = path.join(mkdtempSync(path.join(os.tmpdir(), 'wl-stub-')), 'not-exec');
    writeFileSync(plain, 'x', { mode: 0o644 });
    expect(() => resolveExecStub({ BERSERKER_STUB: plain })).toThrow(RuntimeError);
    expect(() => resolveExecStub({ BERSERKER_STUB: os.tmpdir() })).toThrow(/not an executable file/);
    expect(() => findBusybox({ BERSERKER_BUSYBOX: '/nonexistent/busybox' })).toThrow(/busybox-static/);
  });
});

const hasGcc = spawnSync('gcc', ['--version']).status === 0;

describe.skipIf(!hasGcc)('buildStub', () => {
  it('compiles a tiny static stub that exits 0 whatever its arguments', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'wl-stub-')), 'stub');
    await buildStub(out);
    expect(statSync(out).size).toBeLessThan(64 * 1024);
    expect(spawnSync(out, ['Ab3dE9z']).status).toBe(0);
    expect(spawnSync(out, []).status).toBe(0);
    expect(resolveExecStub({ BERSERKER_STUB: out }).path).toBe(out);
  });

  it('reports a compiler that fails', async () => {
    await expect(buildStub('/tmp/never', '/nonexistent/cc')).rejects.toThrow(/could not compile the exec stub/);
  });
});
