import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ResultFileSchema } from '../../src/contracts/result.js';
import { ensureDocker } from '../support/docker.js';

const docker = await ensureDocker();

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../bin/collector-bench.js');

/**
 * The verdict itself is a statistical claim about noisy real runs (one disturbed run among three
 * can push Welch's p over alpha), so it belongs to the `validate regression` benchmark, not to a
 * test that must pass every time. What must always hold is measured here within one invocation:
 * the interleaved arms are gathered into two complete results files, the knob arm uses more CPU in
 * every run than the plain arm in any run, and the comparison of the two is written out.
 */
describe.skipIf(!docker)('collector-bench validate regression', () => {
  it('runs the two arms interleaved, and the work knob raises the collector CPU of every B run above every A run', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'cb-validate-'));
    const args = [
      CLI,
      'validate',
      'regression',
      '--runtime',
      'docker',
      '--collection-method',
      'core_bpf',
      '--work-factor',
      '200',
      '--runs',
      '3',
      '--load-seconds',
      '6',
      '--warmup-seconds',
      '1',
      '--out-dir',
      outDir,
      '--json',
    ];
    // Exit 1 means "the verdict was not the expected one": still a finished run to inspect.
    const stdout = await run(process.execPath, args, { timeout: 300_000, maxBuffer: 32 * 2 ** 20 }).then(
      (r) => r.stdout,
      (e: { code?: number; stdout?: string }) => {
        if (e.code !== 1 || !e.stdout) throw e;
        return e.stdout;
      },
    );
    const report = JSON.parse(stdout.trim().split('\n').pop()!);
    const medians = {} as Record<'A' | 'B', number[]>;
    for (const arm of ['A', 'B'] as const) {
      const result = ResultFileSchema.parse(JSON.parse(readFileSync(report.files[arm], 'utf8')));
      expect(result.runs).toHaveLength(3);
      expect(result.complete).toBe(true);
      expect(result.runs.every((r) => r.valid)).toBe(true);
      medians[arm] = result.runs.map((r) => r.summary!.cpuPercent.median);
    }
    expect(Math.min(...medians.B), `A ${medians.A} B ${medians.B}`).toBeGreaterThan(Math.max(...medians.A));
    const cpu = report.comparison.metrics.find((m: { metric: string }) => m.metric === 'cpuPercent');
    expect(cpu.change.relative).toBeGreaterThan(0.3);
    expect(report.expected).toEqual({ cpuPercent: true, memoryBytes: false });
  }, 320_000);
});
