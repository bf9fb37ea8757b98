/**
 * Kernel-side BPF cost read from a real bpftrace program under a real exec workload: the program's
 * run count follows the execs, and kernel.bpf_stats_enabled is back to its old value afterwards,
 * also when the harness is interrupted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BPF_STATS_SYSCTL,
  bpfCostBetween,
  parseBpfProgFdinfo,
  snapshotPrograms,
  startBpfCost,
} from '../../src/sampling/bpf-stats.js';
import { bpftraceWorks } from '../support/bpf.js';

const REPO = join(import.meta.dirname, '../..');
const sysctl = () => readFileSync(BPF_STATS_SYSCTL, 'utf8').trim();

const bpf = bpftraceWorks();
if (!bpf)
  console.warn('BPF statistics need root, bpftrace, tracefs and kernel.bpf_stats_enabled: those tests are skipped');
const before = bpf ? sysctl() : null;
const started: ChildProcess[] = [];
afterAll(() => {
  for (const c of started) c.kill('SIGKILL');
});

const FDINFO = `pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t1038\nprog_type:\t5\nprog_jited:\t1\nprog_tag:\t560e29b6a168615e\nmemlock:\t4096\nprog_id:\t124\nrun_time_ns:\t81234\nrun_cnt:\t57\nrecursion_misses:\t0\nverified_insns:\t34\n`;

describe('parseBpfProgFdinfo', () => {
  it('reads the id, type, tag and counters of a bpf-prog fd', () => {
    expect(parseBpfProgFdinfo(FDINFO)).toEqual({
      id: 124,
      type: 'tracepoint',
      tag: '560e29b6a168615e',
      runTimeNs: 81234,
      runCount: 57,
    });
  });
  it('is null for an fd without run time (another fd kind, or a kernel before 5.1)', () => {
    expect(parseBpfProgFdinfo('pos:\t0\nflags:\t02\n')).toBeNull();
    expect(parseBpfProgFdinfo('prog_type:\t5\nprog_id:\t3\n')).toBeNull();
  });
});

describe('bpfCostBetween', () => {
  const snap = (progs: Array<[number, number, number]>) => ({
    programs: new Map(
      progs.map(([id, runCount, runTimeNs]) => [id, { id, type: 'kprobe', tag: null, runCount, runTimeNs }]),
    ),
    problems: [],
  });
  it('sums the deltas into CPU % of one core and ns per collector event', () => {
    const cost = bpfCostBetween(
      snap([
        [1, 100, 1e6],
        [2, 0, 0],
      ]),
      snap([
        [1, 1100, 21e6],
        [2, 500, 5e6],
      ]),
      1000,
      1000,
    );
    expect(cost.programs.map((p) => [p.id, p.runCount, p.runTimeNs, p.nsPerRun])).toEqual([
      [1, 1000, 20e6, 20000],
      [2, 500, 5e6, 10000],
    ]);
    expect(cost.cpuPercent).toBeCloseTo(2.5, 12); // 25 ms in a 1 s window
    expect(cost.nsPerEvent).toBe(25000);
    expect(cost.nsPerEventBasis).toBe('collector events');
  });
  it('says why when the processes hold no program', () => {
    const cost = bpfCostBetween(snap([]), { programs: new Map(), problems: ['/proc/9/fd: EACCES'] }, 1000, null);
    expect(cost.available).toBe(false);
    expect(cost.reason).toMatch(/no BPF program fds.*EACCES/);
  });
});

describe.skipIf(!bpf)('a real bpftrace program under an exec workload', () => {
  async function startTracer(): Promise<ChildProcess> {
    const child = spawn('bpftrace', ['-e', 'tracepoint:sched:sched_process_exec { @n = count(); }'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(child);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (snapshotPrograms([child.pid!]).programs.size > 0) return child;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('bpftrace attached no program within 20 s');
  }
  const execs = (n: number) => {
    for (let i = 0; i < n; i++) spawnSync('/bin/true');
  };

  it('counts runs that grow with the execs, prices them, and switches the statistics back off', async () => {
    const tracer = await startTracer();
    const probe = startBpfCost(tracer.pid!, 'process-tree');
    expect(sysctl()).toBe('1');
    execs(50);
    const first = probe.stop({ windowMs: 1000, collectorEvents: null });
    expect(sysctl()).toBe(before);
    expect(first.available, first.reason ?? '').toBe(true);
    const prog = first.programs.find((p) => p.type === 'tracepoint')!;
    expect(prog.runCount).toBeGreaterThanOrEqual(50); // other execs on the machine add to it
    expect(prog.runTimeNs).toBeGreaterThan(0);
    expect(first.nsPerEvent).toBeGreaterThan(0);

    const again = startBpfCost(tracer.pid!, 'process-tree');
    execs(200);
    const second = again.stop({ windowMs: 1000, collectorEvents: null });
    expect(sysctl()).toBe(before);
    const prog2 = second.programs.find((p) => p.id === prog.id)!;
    expect(prog2.runCount).toBeGreaterThanOrEqual(200);
    expect(prog2.runCount).toBeGreaterThan(prog.runCount);
    tracer.kill('SIGTERM');
  }, 60_000);

  it('puts kernel.bpf_stats_enabled back when the harness gets Ctrl-C', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures/hold-bpf-stats.ts')],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    started.push(child);
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
      child.once('exit', (c) => reject(new Error(`exited ${c} before switching`)));
    });
    expect(line).toBe('enabled');
    expect(sysctl()).toBe('1');
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(130);
    expect(sysctl()).toBe(before);
  }, 30_000);
});
