/**
 * The benchmark end to end, as a user runs it: the CLI against the real runtimes, reference
 * collector, workloads and sensor, with a tiny window so the suite stays short.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ResultFileSchema } from '../../src/contracts/result.js';
import { EXIT_CODES } from '../../src/errors.js';
import { ensureDocker } from '../support/docker.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../bin/collector-bench.js');
const docker = await ensureDocker();
const QUICK = [
  '--runs',
  '2',
  '--warmup-runs',
  '0',
  '--warmup-seconds',
  '1',
  '--load-seconds',
  '4',
  '--ramp-seconds',
  '1',
  '--collection-method',
  'procfs',
  '--no-compare',
];

async function bench(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'cb-bench-'));
  const out = join(dir, 'result.json');
  const { stdout, stderr } = await run(process.execPath, [CLI, 'run', ...args, '--out', out, '--json'], {
    timeout: 240_000,
    maxBuffer: 64 * 2 ** 20,
  });
  const result = ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
  return { result, stdout, stderr, out };
}

describe('a benchmark with the process runtime (no container engine needed)', () => {
  it('runs the reference collector and the workloads, samples it and writes a valid results file', async () => {
    const { result, stdout, stderr } = await bench(['--runtime', 'process', ...QUICK]);
    expect(result.environment.runtime.kind).toBe('process');
    expect(result.environment.collectionMethod).toBe('procfs');
    expect(result.complete).toBe(true);
    expect(result.runs).toHaveLength(2);
    for (const r of result.runs) {
      expect(r.valid, r.invalidReason ?? '').toBe(true);
      expect(r.timeToReadyMs).toBeGreaterThan(0);
      expect(r.summary!.cpuPercent.n).toBeGreaterThanOrEqual(2);
      expect(r.summary!.memoryBytes.median).toBeGreaterThan(10 * 2 ** 20);
      expect(r.workloads.map((w) => w.name).sort()).toEqual(['endpoints', 'processes']);
      expect(r.workloads.every((w) => w.achieved !== null)).toBe(true);
      expect(r.collectorMetrics.events).toBeGreaterThan(0);
      expect(existsSync(r.logsFile!)).toBe(true);
      // Every measured run records the harness's own CPU (not only --overhead) and its workloads' reach.
      expect(r.context.harnessCpuPercent).toBeGreaterThan(0);
      expect(r.shortfall === null || typeof r.shortfall?.reason === 'string').toBe(true);
    }
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ validRuns: 2, runs: 2 });
    expect(stderr).toMatch(/run 2\/2/);
  });
});

describe.skipIf(!docker)('a benchmark with the docker runtime', () => {
  it('builds the images locally and benchmarks the reference collector in a container', async () => {
    const { result } = await bench(['--runtime', 'docker', ...QUICK]);
    expect(result.environment.runtime.kind).toBe('docker');
    expect(result.environment.collectorImage).toBe('collector-bench/reference-collector:local');
    expect(result.environment.collectorImageId).toMatch(/^sha256:/);
    expect(result.runs.filter((r) => r.valid)).toHaveLength(2);
    const left = await (docker as Docker).listContainers({
      all: true,
      filters: { label: ['collector-bench.role=collector'] },
    });
    expect(left.filter((c) => !c.Labels['collector-bench.test'])).toEqual([]);
  });

  it('benchmarks another local image given with --collector-image', async () => {
    const d = docker as Docker;
    await d
      .getImage('collector-bench/reference-collector:local')
      .tag({ repo: 'collector-bench/other-collector', tag: 'pr-123' });
    try {
      const { result } = await bench([
        '--runtime',
        'docker',
        ...QUICK,
        '--collector-image',
        'collector-bench/other-collector:pr-123',
      ]);
      expect(result.environment.collectorImage).toBe('collector-bench/other-collector:pr-123');
      expect(result.runs.filter((r) => r.valid)).toHaveLength(2);
    } finally {
      await d
        .getImage('collector-bench/other-collector:pr-123')
        .remove()
        .catch(() => undefined);
    }
  });

  it('removes every container it started when interrupted with Ctrl-C, keeping the runs it finished', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-sigint-'));
    const out = join(dir, 'result.json');
    const child = spawn(
      process.execPath,
      [
        CLI,
        'run',
        '--runtime',
        'docker',
        '--runs',
        '3',
        '--warmup-runs',
        '0',
        '--warmup-seconds',
        '1',
        '--load-seconds',
        '6',
        '--collection-method',
        'procfs',
        '--no-compare',
        '--out',
        out,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    // Interrupt during the second run's load window, when collector and workloads are all up.
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (/run 2\/3 · load/.test(stderr)) {
          clearInterval(t);
          resolve();
        }
      }, 100);
      setTimeout(() => reject(new Error(`never reached run 2's load window:\n${stderr}`)), 120_000);
    });
    const ours = async () =>
      (await (docker as Docker).listContainers({ all: true, filters: { label: ['collector-bench=1'] } })).filter(
        (c) => !c.Labels['collector-bench.test'],
      );
    expect((await ours()).length).toBeGreaterThanOrEqual(2);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('exit', res));
    expect(code).toBe(EXIT_CODES.interrupted);
    expect(await ours()).toEqual([]);
    const saved = ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(saved.runs).toHaveLength(1);
    expect(saved.complete).toBe(false);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
});
