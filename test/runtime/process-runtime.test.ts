import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processStartTime } from '../../src/runtime/ownership.js';
import { ProcessRuntime } from '../../src/runtime/process-runtime.js';

/** Alive and not a zombie waiting for a reaper (killed children of a dead shell linger as zombies). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

describe('the process runtime', () => {
  it('runs a command, keeps its output and reports its exit code', async () => {
    const rt = new ProcessRuntime();
    const h = await rt.start({ name: 'echo', role: 'test', argv: ['/bin/sh', '-c', 'echo out; echo err >&2; exit 4'] });
    const lines: string[] = [];
    h.onLine((l) => lines.push(l));
    expect((await h.exited).exitCode).toBe(4);
    expect(h.logs()).toContain('out');
    expect(h.logs()).toContain('err');
    await h.remove();
    expect(rt.active()).toEqual([]);
  });

  it('stops the whole process group, children included', async () => {
    const rt = new ProcessRuntime();
    const h = await rt.start({
      name: 'parent',
      role: 'test',
      argv: ['/bin/sh', '-c', 'sleep 60 & echo child $!; wait'],
    });
    const childPid = await new Promise<number>((res) =>
      h.onLine((l) => l.startsWith('child ') && res(Number(l.slice(6)))),
    );
    expect(alive(childPid)).toBe(true);
    await h.stop(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(childPid)).toBe(false);
    await h.remove();
  });

  it('sweeps processes left by a harness that died, by pid file', async () => {
    const orphan = spawn('/bin/sleep', ['60'], { detached: true, stdio: 'ignore' });
    orphan.unref();
    const dir = join(tmpdir(), 'collector-bench-pids');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${orphan.pid}.json`),
      JSON.stringify({
        pid: orphan.pid,
        start: processStartTime(orphan.pid!),
        owner: 'deadbeef/999999/1',
        name: 'orphan',
      }),
    );
    expect(await new ProcessRuntime().sweep()).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(orphan.pid!)).toBe(false);
  });

  it('says clearly when the command cannot be started', async () => {
    await expect(
      new ProcessRuntime().start({ name: 'missing', role: 'test', argv: ['/nonexistent/collector'] }),
    ).rejects.toThrow(/could not start missing \(\/nonexistent\/collector\)/);
  });
});
