import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { findSyscall, SYSCALL_TABLE, supportedSyscalls } from '../../src/workloads/syscall-table.js';

describe('syscall table', () => {
  it('finds entries by x86_64 number and by name', () => {
    expect(findSyscall(39)?.name).toBe('getpid');
    expect(findSyscall('GETUID')?.nr).toBe(102);
    expect(findSyscall(9999)).toBeUndefined();
    expect(supportedSyscalls()).toContain('openat (257)');
  });

  it('has unique names and numbers', () => {
    expect(new Set(SYSCALL_TABLE.map((e) => e.name)).size).toBe(SYSCALL_TABLE.length);
    expect(new Set(SYSCALL_TABLE.map((e) => e.nr)).size).toBe(SYSCALL_TABLE.length);
  });

  it('every call runs and cleans up after itself', () => {
    for (const e of SYSCALL_TABLE) {
      const { call, close } = e.prepare();
      call();
      call();
      close();
    }
  });
});

// strace counts what each Node call really does: a child process makes N calls of one entry, and
// the difference against a child making none must be N of the named syscall (and N of each one in
// alsoMakes). Checked on x86_64, where the numbers in the table apply.
const hasStrace = spawnSync('strace', ['-V']).status === 0 && process.arch === 'x64';
const N = 2000;

describe.skipIf(!hasStrace)('syscall table, checked with strace -c', () => {
  let driver = '';
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'wl-strace-'));
    const src = path.join(dir, 'driver.ts');
    writeFileSync(
      src,
      `import { findSyscall } from ${JSON.stringify(path.resolve('src/workloads/syscall-table.ts'))};
const [name, n] = [process.argv[2], Number(process.argv[3])];
const { call, close } = findSyscall(name)!.prepare();
for (let i = 0; i < n; i++) call();
close();
`,
    );
    driver = path.join(dir, 'driver.mjs');
    await build({
      entryPoints: [src],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: driver,
      logLevel: 'error',
    });
  });

  function counts(name: string, n: number): Map<string, number> {
    const out = path.join(dir, `${name}-${n}.txt`);
    execFileSync('strace', ['-f', '-c', '-o', out, process.execPath, driver, name, String(n)]);
    const m = new Map<string, number>();
    for (const line of readFileSync(out, 'utf8').split('\n')) {
      const cols = line.trim().split(/\s+/);
      // % time, seconds, usecs/call, calls, [errors], syscall
      if (cols.length >= 5 && /^\d+$/.test(cols[3])) m.set(cols[cols.length - 1], Number(cols[3]));
    }
    return m;
  }

  it.each(SYSCALL_TABLE.map((e) => [e.name, e] as const))('%s: one call makes exactly one of it', (name, entry) => {
    const base = counts(name, 0);
    const loaded = counts(name, N);
    const delta = (s: string) => (loaded.get(s) ?? 0) - (base.get(s) ?? 0);
    // A few percent of slack: Node's own threads make some reads/writes at their own pace.
    for (const s of [entry.name, ...entry.alsoMakes]) {
      expect(delta(s), `${s} for ${name}`).toBeGreaterThanOrEqual(N);
      expect(delta(s), `${s} for ${name}`).toBeLessThanOrEqual(N * 1.05);
    }
  });
});
