import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CollectorMetrics } from '../../src/collector/metrics.js';
import { EXEC_IN_PROGRESS, PidScanner, readProcessInfo } from '../../src/collector/procfs/pid-scanner.js';

function procRoot(pids: Record<number, { comm: string; cmdline: string; exe?: string; ppid?: number }>): string {
  const root = mkdtempSync(join(tmpdir(), 'cb-proc-'));
  for (const [pid, p] of Object.entries(pids)) {
    mkdirSync(join(root, pid));
    writeFileSync(join(root, pid, 'comm'), `${p.comm}\n`);
    writeFileSync(join(root, pid, 'cmdline'), p.cmdline);
    writeFileSync(join(root, pid, 'stat'), `${pid} (${p.comm}) S ${p.ppid ?? 1} ${pid} ${pid} 0 -1\n`);
    if (p.exe) symlinkSync(p.exe, join(root, pid, 'exe'));
  }
  return root;
}

describe('reading a new pid from procfs', () => {
  it('reports the arguments after argv[0]', () => {
    const root = procRoot({ 10: { comm: 'sleep', cmdline: 'sleep\x001\x00', exe: '/usr/bin/sleep' } });
    expect(readProcessInfo(root, 10, new CollectorMetrics())).toMatchObject({
      pid: 10,
      comm: 'sleep',
      exePath: '/usr/bin/sleep',
      args: '1',
    });
  });

  it('recognises an exec caught before its arguments are in place (empty cmdline, exe already switched)', () => {
    const root = procRoot({ 11: { comm: 'sleep', cmdline: '', exe: '/usr/bin/sleep' } });
    expect(readProcessInfo(root, 11, new CollectorMetrics())).toBe(EXEC_IN_PROGRESS);
  });

  it("recognises a child forked but not yet exec'd (same binary and name as its parent)", () => {
    const root = procRoot({
      30: { comm: 'node', cmdline: 'node\0app.js\0', exe: '/usr/bin/node' },
      31: { comm: 'node', cmdline: 'node\0app.js\0', exe: '/usr/bin/node', ppid: 30 },
    });
    expect(readProcessInfo(root, 31, new CollectorMetrics())).toBe(EXEC_IN_PROGRESS);
  });

  it("reports a child that exec'd another binary", () => {
    const root = procRoot({
      30: { comm: 'node', cmdline: 'node\0', exe: '/usr/bin/node' },
      32: { comm: 'sleep', cmdline: 'sleep\x001\x00', exe: '/usr/bin/sleep', ppid: 30 },
    });
    expect(readProcessInfo(root, 32, new CollectorMetrics())).toMatchObject({ comm: 'sleep', args: '1' });
  });

  it('reports a kernel thread (no exe link, empty cmdline) as it is', () => {
    const root = procRoot({ 12: { comm: 'kworker/0:1', cmdline: '' } });
    expect(readProcessInfo(root, 12, new CollectorMetrics())).toMatchObject({
      comm: 'kworker/0:1',
      exePath: '',
      args: '',
    });
  });

  it('reports a forgotten pid as new again on the next scan', () => {
    const root = procRoot({ 20: { comm: 'a', cmdline: 'a\0' } });
    const scanner = new PidScanner(root);
    expect(scanner.scan()).toEqual([]); // priming: existing processes are not exec events
    mkdirSync(join(root, '21'));
    expect(scanner.scan()).toEqual([21]);
    expect(scanner.scan()).toEqual([]);
    scanner.forget(21);
    expect(scanner.scan()).toEqual([21]);
  });
});
