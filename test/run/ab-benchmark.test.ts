import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ResultFileSchema } from '../../src/contracts/result.js';
import { abbaOrder } from '../../src/run/ab-benchmark.js';
import { ensureDocker } from '../support/docker.js';

const docker = await ensureDocker();

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../bin/collector-bench.js');

describe('interleaving two arms', () => {
  it('alternates A B B A so both arms sit at the same mean position in time', () => {
    expect(abbaOrder(3).join('')).toBe('ABBAAB');
    for (const n of [1, 2, 5, 10]) {
      const order = abbaOrder(n);
      const mean = (arm: string) => order.map((a, i) => (a === arm ? i : 0)).reduce((x, y) => x + y, 0) / n;
      expect(order.filter((a) => a === 'A')).toHaveLength(n);
      expect(order.filter((a) => a === 'B')).toHaveLength(n);
      if (n % 2 === 0) expect(mean('A')).toBe(mean('B'));
    }
  });
});

// In containers: runs of the knob arm were steadier there than as local processes (29-32% of a core
// against 25-50% when tried here), so three runs a side are enough to find a doubling of CPU.
describe.skipIf(!docker)('collector-bench validate regression', () => {
  it('finds the CPU regression injected with the reference collector work knob, and only that', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'cb-validate-'));
    const { stdout } = await run(
      process.execPath,
      [CLI, 'validate', 'regression', '--runtime', 'docker', '--collection-method', 'core_bpf', '--work-factor', '200', '--runs', '3', '--load-seconds', '6', '--warmup-seconds', '1', '--out-dir', outDir, '--json'],
      { timeout: 300_000, maxBuffer: 32 * 2 ** 20 },
    );
    const report = JSON.parse(stdout.trim().split('\n').pop()!);
    const cpu = report.comparison.metrics.find((m: { metric: string }) => m.metric === 'cpuPercent');
    expect(cpu.verdict, cpu.reason).toBe('regression');
    expect(report.passed).toBe(true);
    for (const arm of ['A', 'B'] as const) {
      const result = ResultFileSchema.parse(JSON.parse(readFileSync(report.files[arm], 'utf8')));
      expect(result.runs).toHaveLength(3);
      expect(result.complete).toBe(true);
    }
  }, 320_000);
});
