import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { descendantsOf, parseProcPidStat, procTreeReader } from '../../src/sampling/proc-tree.js';
import { startSampler } from '../../src/sampling/sampler.js';
import { RuntimeError } from '../../src/errors.js';

describe('parseProcPidStat', () => {
  it('reads ppid and the four time fields (14-17) of a real line', () => {
    const line =
      '6956 (cat) R 6954 6954 5677 0 -1 4194304 100 0 0 0 7 3 2 1 20 0 1 0 95105 3133440 389 18446744073709551615 0';
    expect(parseProcPidStat(line)).toEqual({
      pid: 6956,
      comm: 'cat',
      state: 'R',
      ppid: 6954,
      utime: 7,
      stime: 3,
      cutime: 2,
      cstime: 1,
    });
  });

  it('finds the fields after the LAST parenthesis when comm contains spaces and ")"', () => {
    const line = '42 (my (evil) prog) S 1 42 42 0 -1 0 0 0 0 0 11 22 33 44 20 0 1 0 1 1 1';
    expect(parseProcPidStat(line)).toMatchObject({
      pid: 42,
      comm: 'my (evil) prog',
      state: 'S',
      ppid: 1,
      utime: 11,
      stime: 22,
      cutime: 33,
      cstime: 44,
    });
  });
});

describe('descendantsOf', () => {
  it('returns the root and every process below it, not siblings or parents', () => {
    const parentOf = new Map([
      [1, 0],
      [10, 1],
      [11, 10],
      [12, 11],
      [13, 10],
      [20, 1],
      [21, 20],
    ]);
    expect(descendantsOf(10, parentOf).sort((a, b) => a - b)).toEqual([10, 11, 12, 13]);
    expect(descendantsOf(21, parentOf)).toEqual([21]);
  });
});

describe('procTreeReader (fixture procfs)', () => {
  let dir: string;
  const put = (rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  const stat = (pid: number, ppid: number, utime: number, stime: number, cutime = 0, cstime = 0) =>
    `${pid} (p ${pid}) S ${ppid} ${pid} ${pid} 0 -1 0 0 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 1 0 1 1 1\n`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cb-proc-'));
    // tree: 100 -> 101 -> 102, plus an unrelated 200 whose parent is 1
    put('1/stat', stat(1, 0, 5000, 5000));
    put('1/statm', '100 50 0 0 0 0 0\n');
    put('100/stat', stat(100, 1, 300, 100, 40, 10));
    put('100/statm', '9000 2000 300 5 0 123 0\n');
    put('101/stat', stat(101, 100, 50, 25));
    put('101/statm', '9000 1000 300 5 0 123 0\n');
    put('102/stat', stat(102, 101, 20, 5));
    put('102/statm', '9000 500 300 5 0 123 0\n');
    put('200/stat', stat(200, 1, 999, 999));
    put('200/statm', '9000 7777 300 5 0 123 0\n');
    put('100/task/100/children', '101 ');
    put('100/task/105/children', '');
    put('101/task/101/children', '102 ');
    put('102/task/102/children', '');
    put('self', ''); // non-numeric entries are ignored
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const walk of ['scan', 'children'] as const) {
    it(`sums utime+stime+cutime+cstime and resident pages of the tree (${walk})`, () => {
      const r = procTreeReader(100, { procRoot: dir, clkTck: 100, pageSize: 4096, walk }).read();
      // ticks: (300+100+40+10) + (50+25) + (20+5) = 550 -> 5.5 s
      expect(r.cpuNs).toBe(5_500_000_000);
      expect(r.rssBytes).toBe((2000 + 1000 + 500) * 4096);
      expect(r.workingSet).toBe(r.rssBytes);
      expect(r.pids.sort()).toEqual([100, 101, 102]);
    });
  }

  it('throws RuntimeError once the root process is gone', () => {
    expect(() => procTreeReader(4444, { procRoot: dir, clkTck: 100, pageSize: 4096, walk: 'scan' }).read()).toThrow(
      RuntimeError,
    );
  });
});

describe('proc sampler on a local process tree', () => {
  const script = fileURLToPath(new URL('./fixtures/tree.cjs', import.meta.url));
  let child: ChildProcess | undefined;
  let grandchildPid: number | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.disconnect(); // the root kills its burner child and exits
      await exited;
    }
    if (grandchildPid) {
      try {
        process.kill(grandchildPid, 'SIGKILL');
      } catch {
        // already gone, as it should be
      }
    }
  });

  type Usage = { user: number; system: number };
  type Reply = { root: Usage; child: Usage; childPid: number; held: number };

  it('measures a tree (a root holding 64 MiB, a child burning CPU) within 10% of its own CPU accounting', async () => {
    child = fork(script, [], {
      env: { ...process.env, HOLD_MIB: '64' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const proc = child;
    const messages: ((m: unknown) => void)[] = [];
    proc.on('message', (m) => messages.shift()?.(m));
    const next = () => new Promise<unknown>((r) => messages.push(r));
    const ready = (await next()) as { childPid: number };
    grandchildPid = ready.childPid;
    const usage = async () => {
      const p = next();
      proc.send('usage');
      const m = (await p) as Reply;
      return (m.root.user + m.root.system + m.child.user + m.child.system) / 1000; // ms
    };

    await new Promise((r) => setTimeout(r, 500)); // past node's startup
    const n = 30;
    let count = 0;
    let endMs: Promise<number> | undefined;
    const startWall = performance.now();
    const startCpuMs = await usage();
    const sampler = startSampler({
      source: { kind: 'proc', pid: proc.pid! },
      intervalMs: 100,
      t0: Date.now(),
      onSample: () => {
        if (++count === n) endMs = usage();
      },
    });
    while (!endMs) await new Promise((r) => setTimeout(r, 50));
    const endCpuMs = await endMs;
    const endWall = performance.now();
    const samples = (await sampler.stop()).slice(0, n);
    expect(sampler.errors()).toEqual([]);
    expect(samples).toHaveLength(n);

    const reference = ((endCpuMs - startCpuMs) / (endWall - startWall)) * 100;
    const sampled = samples.reduce((a, s) => a + s.cpuPercent, 0) / n;
    expect(reference).toBeGreaterThan(5); // the burner really ran
    expect(Math.abs(sampled - reference) / reference).toBeLessThan(0.1);

    // Memory: the 64 MiB buffer is resident; the sum matches VmRSS of both processes.
    const vmRss = [proc.pid!, ready.childPid]
      .map((pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024)
      .reduce((a, b) => a + b, 0);
    const last = samples[n - 1];
    expect(last.memoryBytes).toBeGreaterThan(64 * 1048576);
    expect(Math.abs(last.memoryBytes - vmRss) / vmRss).toBeLessThan(0.05);
    expect(last.rssBytes).toBe(last.memoryBytes);
  });

  it('ends with an error, keeping its samples, when the process exits', async () => {
    const p = fork(script, ['burner'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const s = startSampler({ source: { kind: 'proc', pid: p.pid! }, intervalMs: 100, t0: Date.now() });
    await new Promise((r) => setTimeout(r, 450));
    p.kill('SIGKILL');
    await new Promise((r) => p.once('exit', r));
    await new Promise((r) => setTimeout(r, 400));
    const kept = s.samples().length;
    expect(kept).toBeGreaterThan(0);
    expect(s.errors().join()).toMatch(/is gone/);
    expect((await s.stop()).length).toBe(kept);
  });
});
