/**
 * The agent's whole cost, end to end with the CLI against a real engine, the reference collector
 * and the workloads: overhead runs really run without any collector and are paired with their
 * neighbours; core_bpf runs price the collector's BPF programs; the retain knob shows as a
 * significant working-set slope; and a ramp stops at a reported limit with every step on disk.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { RampResultSchema } from '../../src/contracts/ramp.js';
import { ResultFileSchema } from '../../src/contracts/result.js';
import { BPF_STATS_SYSCTL } from '../../src/sampling/bpf-stats.js';
import { ensureDocker } from '../support/docker.js';
import { bpftraceWorks } from '../support/bpf.js';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '../..');
const CLI = join(REPO, 'bin/collector-bench.js');
const docker = await ensureDocker();

const bpf = bpftraceWorks();
const METHOD = bpf ? 'core_bpf' : 'procfs';
const QUICK = ['--runtime', 'docker', '--collection-method', METHOD, '--warmup-seconds', '1', '--no-compare'];

async function cli(args: string[], timeout = 300_000) {
  return run(process.execPath, [CLI, ...args], { timeout, maxBuffer: 64 * 2 ** 20, cwd: REPO });
}

/** The CLI's exit code with its output (the ramp exits 1 when not even its first rate held). */
async function cliCode(args: string[], timeout: number): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await cli(args, timeout)) };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** [start, end] of every collector container's life in [since, until] (epoch ms), from the engine's events. */
async function collectorLifetimes(d: Docker, since: number, until: number): Promise<Array<[number, number]>> {
  const stream = await d.getEvents({
    since: Math.floor(since / 1000) - 1,
    until: Math.ceil(until / 1000) + 1,
    filters: { type: ['container'], label: ['collector-bench.role=collector'], event: ['start', 'die'] },
  });
  const text = await new Promise<string>((resolve) => {
    let all = '';
    stream.on('data', (c: Buffer) => (all += c.toString()));
    stream.on('end', () => resolve(all));
  });
  const starts = new Map<string, number>();
  const lives: Array<[number, number]> = [];
  for (const line of text.split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as { id: string; status: string; timeNano: number };
    const t = e.timeNano / 1e6;
    if (e.status === 'start') starts.set(e.id, t);
    else if (starts.has(e.id)) lives.push([starts.get(e.id)!, t]);
  }
  return lives;
}

describe.skipIf(!docker)('--overhead', () => {
  it('runs the workloads with no collector at all beside each measured run, in A B B A order, and pairs them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-overhead-'));
    const out = join(dir, 'result.json');
    const t0 = Date.now();
    await cli([
      'run',
      ...QUICK,
      '--overhead',
      '--runs',
      '2',
      '--warmup-runs',
      '0',
      '--load-seconds',
      '4',
      '--ramp-seconds',
      '1',
      '--out',
      out,
    ]);
    const result = ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(result.runs.map((r) => (r.noAgent ? 'none' : 'agent'))).toEqual(['none', 'agent', 'agent', 'none']);
    const lives = await collectorLifetimes(docker as Docker, t0, Date.now());
    // Each measured run had its collector alive for its whole load window (a fresh engine may also
    // show short-lived collector-image containers from the image build and method probe, before any run).
    for (const measured of result.runs.filter((r) => !r.noAgent))
      expect(
        lives.some(([start, end]) => start <= measured.loadWindow.startMs && end >= measured.loadWindow.endMs),
        `no collector alive through run ${measured.index + 1}`,
      ).toBe(true);
    for (const alone of result.runs.filter((r) => r.noAgent)) {
      expect(alone.valid, alone.invalidReason ?? '').toBe(true);
      expect(alone.samples).toEqual([]);
      expect(alone.workloads.every((w) => w.achieved !== null && typeof w.cpuPercent === 'number')).toBe(true);
      expect(existsSync(join(dir, 'result.logs', `run-${alone.index + 1}-collector.log`))).toBe(false);
      // No collector was alive at any moment of its load window.
      for (const [start, end] of lives)
        expect(
          end < alone.loadWindow.startMs || start > alone.loadWindow.endMs,
          `collector alive ${start}-${end}`,
        ).toBe(true);
    }
    const [first, second] = [result.runs[1], result.runs[2]];
    expect(first.overhead!.neighbourIndex).toBe(0);
    expect(second.overhead!.neighbourIndex).toBe(3);
    const host = first.overhead!.hostCpuPercent;
    expect(host.delta).toBeCloseTo(host.with! - host.without!, 9);
    // The harness's own share of the host figure: its mock sensor takes the agent's events, so it
    // works harder in an agent run than beside no agent.
    for (const r of [first, second]) {
      const harness = r.overhead!.harnessCpuPercent!;
      expect(harness.with, JSON.stringify(harness)).toBeGreaterThan(harness.without!);
      expect(harness.without).toBeGreaterThan(0);
    }
    // Common random numbers: each agent run drew the same endpoint ranges as its no-agent neighbour.
    for (const r of [first, second]) {
      const alone = result.runs[r.overhead!.neighbourIndex];
      const draw = (x: typeof r) => x.workloads.find((w) => w.name === 'endpoints')!.achieved!.meanRangeSize;
      expect(typeof draw(r)).toBe('number');
      expect(draw(r)).toBe(draw(alone));
    }
    const processes = first.overhead!.workloads.find((w) => w.name === 'processes')!;
    expect(processes.execLatencyP50Ms!.with).toBeGreaterThan(0);
    expect(processes.execLatencyP50Ms!.without).toBeGreaterThan(0);
    if (bpf) {
      // core_bpf: the collector's programs were found through its processes' fds and priced.
      for (const agent of [first, second]) {
        expect(agent.bpf!.available, agent.bpf!.reason ?? '').toBe(true);
        expect(agent.bpf!.programs.some((p) => p.type === 'tracepoint' && p.runCount > 0 && p.nsPerRun! > 0)).toBe(
          true,
        );
        expect(agent.bpf!.cpuPercent).toBeGreaterThan(0);
      }
      expect(readFileSync(BPF_STATS_SYSCTL, 'utf8').trim()).toBe('0');
    }
  }, 400_000);
});

describe.skipIf(!docker)('memory growth', () => {
  it("shows the reference collector's retain knob as a working-set slope significantly above the 1 MiB/min floor", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-retain-'));
    const config = join(dir, 'bench.config.yaml');
    // 20 kB kept per event at a few hundred events/s: several MiB per second. A config file of its
    // own replaces bench.config.yaml, so it carries what core_bpf needs in a container too.
    writeFileSync(
      config,
      [
        'collector:',
        '  env: { REF_COLLECTOR_RETAIN_BYTES_PER_EVENT: "20000" }',
        '  capabilities: [SYS_ADMIN]',
        '  mounts:',
        '    - { source: /sys/kernel/tracing, target: /sys/kernel/tracing }',
        '    - { source: /sys/kernel/debug, target: /sys/kernel/debug }',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'result.json');
    await cli([
      'run',
      ...QUICK,
      '--config',
      config,
      '--runs',
      '1',
      '--warmup-runs',
      '0',
      '--load-seconds',
      '8',
      '--out',
      out,
    ]);
    const r = ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8'))).runs[0];
    expect(r.valid, r.invalidReason ?? '').toBe(true);
    expect(r.memoryGrowth!.ci95[0]).toBeGreaterThan(1);
    expect(r.memoryGrowth!.pValue).toBeLessThan(0.05);
  }, 300_000);
});

describe.skipIf(!docker)('collector-bench ramp', () => {
  it('raises the rate until a reported limit and keeps every step in the results file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-ramp-'));
    const out = join(dir, 'ramp.json');
    const { code, stderr, stdout } = await cliCode(
      [
        'ramp',
        ...QUICK.filter((a) => a !== '--no-compare'),
        '--step-seconds',
        '3',
        '--start-rate',
        '100',
        '--resolution',
        '0.5',
        '--out',
        out,
        '--json',
      ],
      600_000,
    );
    const ramp = RampResultSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(ramp.complete).toBe(true);
    // A machine busy with other work may not even reach the first rate: that is a reported limit too.
    expect(code).toBe(ramp.highestSustainedRate === null ? 1 : 0);
    expect(['collector', 'machine']).toContain(ramp.limit.kind);
    const printed = stderr.split('\n').filter((l) => /^step \d+: target/.test(l));
    expect(ramp.steps).toHaveLength(printed.length);
    for (const s of ramp.steps) {
      expect(existsSync(s.resultFile)).toBe(true);
      expect(s.achievedRate).toBeGreaterThan(0);
    }
    const sustained = ramp.steps.filter((s) => s.status === 'sustained').map((s) => s.targetRate);
    expect(ramp.highestSustainedRate).toBe(sustained.length ? Math.max(...sustained) : null);
    expect(ramp.limit.atRate).toBe(
      Math.min(...ramp.steps.filter((s) => s.status !== 'sustained').map((s) => s.targetRate)),
    );
    expect(stderr).toMatch(/highest sustained rate|no rate was sustained/);
    expect(existsSync(out.replace(/\.json$/, '.html'))).toBe(true);
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({
      highestSustainedRate: ramp.highestSustainedRate,
    });
  }, 600_000);
});
