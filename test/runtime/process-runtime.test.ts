import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processStartTime } from '../../src/runtime/ownership.js';
import { exitDetail } from '../../src/contracts/exit.js';
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

  it('signals the whole group, names the signal in the exit, and hands back a stopped handle with the logs', async () => {
    const rt = new ProcessRuntime();
    const h = await rt.start({ name: 'victim', role: 'test', argv: ['/bin/sh', '-c', 'echo up; sleep 60 & wait'] });
    await new Promise<void>((res) => (h.logs().includes('up') ? res() : h.onLine((l) => l === 'up' && res())));
    expect(h.measure.scope).toBe('process-tree');
    expect(await h.measure.hostPid()).toBe(h.pid);
    await h.kill('SIGKILL');
    const exit = await h.exited;
    expect(exit).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    expect(exitDetail(exit)).toBe('on signal SIGKILL');
    expect(await h.measure.hostPid()).toBeNull();
    const stopped = await h.stop();
    expect(stopped.exit).toEqual(exit);
    expect(stopped.logs()).toContain('up');
    await stopped.remove();
    expect(rt.active()).toEqual([]);
  });

  it('runs the bundled programs with node, reading their input files where they are', async () => {
    const generator = await new ProcessRuntime().workloadGenerator();
    expect(generator.image).toBeNull();
    const launch = generator.launch(['/tmp/w.toml'], ['/tmp/w.toml']);
    expect(launch.argv).toEqual([process.execPath, expect.stringMatching(/workload\.mjs$/), '/tmp/w.toml']);
    expect(launch.mounts).toBeUndefined();
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

  it('with tty gives the program a terminal (libc then line-buffers it), hands out its lines without CR and keeps its exit code', async () => {
    const rt = new ProcessRuntime();
    const script = `[ -t 1 ] && echo "stdout: terminal" || echo "stdout: pipe"; echo "it's quoted"; exit 4`;
    const lines: string[] = [];
    const piped = await rt.start({ name: 'no-tty', role: 'test', argv: ['/bin/sh', '-c', script] });
    piped.onLine((l) => lines.push(l));
    expect((await piped.exited).exitCode).toBe(4);
    const tty = await rt.start({ name: 'tty', role: 'test', argv: ['/bin/sh', '-c', script], tty: true });
    tty.onLine((l) => lines.push(l));
    expect((await tty.exited).exitCode).toBe(4);
    expect(lines).toEqual(['stdout: pipe', "it's quoted", 'stdout: terminal', "it's quoted"]);
    expect(tty.logs()).toBe("stdout: terminal\nit's quoted\n");
    await piped.remove();
    await tty.remove();
  });

  it('with tty signals the program itself, though it leads a session of its own on the pty', async () => {
    const rt = new ProcessRuntime();
    // The program ignores SIGHUP, so only a signal sent to it (not the pty hanging up) ends it.
    const h = await rt.start({
      name: 'tty-victim',
      role: 'test',
      argv: ['/bin/sh', '-c', 'trap "" HUP; echo pid $$; sleep 60 & wait'],
      tty: true,
    });
    const pid = await new Promise<number>((res) => h.onLine((l) => l.startsWith('pid ') && res(Number(l.slice(4)))));
    expect(pid).not.toBe(h.pid);
    expect(alive(pid)).toBe(true);
    // 128 + SIGTERM: the program itself got the SIGTERM, as a container's main process would.
    expect((await h.stop(2)).exit.exitCode).toBe(143);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
    await h.remove();
  });
});
