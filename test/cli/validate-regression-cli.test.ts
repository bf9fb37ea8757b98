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
 * The verdict itself is a statistical claim about noisy real runs, so its rate belongs to the
 * `validate gate` benchmark, not to a test that must pass every time. What must always hold is
 * measured here within one invocation of `validate regression` (one condition of the gate's code):
 * the interleaved arms are written into one complete A/B results file in pairs drawing the same
 * workload, the knob arm uses more CPU in every run than the plain arm in any run, and the exit
 * code follows the one rule of every validation (0 when the knob was called a regression, else 1).
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
      // No base load: the knob alone on B, the largest contrast a 6 s window can show.
      '--base-work-factor',
      '0',
      '--work-factor',
      '200',
      '--runs',
      '3',
      '--load-seconds',
      '6',
      '--warmup-seconds',
      '1',
      '--ramp-seconds',
      '1',
      '--out-dir',
      outDir,
      '--json',
    ];
    // Exit 1 means "the verdict was not the expected one": still a finished run to inspect.
    const { code, stdout } = await run(process.execPath, args, { timeout: 300_000, maxBuffer: 32 * 2 ** 20 }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code?: number; stdout?: string }) => {
        if (e.code !== 1 || !e.stdout) throw e;
        return { code: 1, stdout: e.stdout };
      },
    );
    const report = JSON.parse(stdout.trim().split('\n').pop()!);
    const result = ResultFileSchema.parse(JSON.parse(readFileSync(report.outcome.file, 'utf8')));
    expect(result.mode).toBe('ab');
    expect(result.complete).toBe(true);
    // One warm-up run (both arms run the same image), then three pairs, each one run of each arm.
    const counted = result.runs.filter((r) => !r.warmupRun);
    expect(result.runs.filter((r) => r.warmupRun).map((r) => r.arm)).toEqual(['baseline']);
    expect(counted.map((r) => r.pair)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(counted.every((r) => r.valid)).toBe(true);
    // Common random numbers: both runs of a pair drew the same endpoint ranges from the same seed.
    const draw = (r: (typeof counted)[number]) => {
      const e = r.workloads.find((w) => w.name === 'endpoints')!.achieved!;
      return [e.meanRangeSize, e.maxListening];
    };
    for (const pair of [1, 2, 3]) {
      const [first, second] = counted.filter((r) => r.pair === pair);
      expect(draw(second), `pair ${pair}`).toEqual(draw(first));
    }
    const cpu = (arm: string) => counted.filter((r) => r.arm === arm).map((r) => r.summary!.cpuPercent.windowMean);
    expect(Math.min(...cpu('candidate')), `A ${cpu('baseline')} B ${cpu('candidate')}`).toBeGreaterThan(
      Math.max(...cpu('baseline')),
    );
    expect(report.outcome.change.cpuPercent).toBeGreaterThan(0.3);
    expect(report.condition).toMatchObject({ target: 'cpuPercent', env: { REF_COLLECTOR_WORK_FACTOR: '200' } });
    expect(code).toBe(report.outcome.verdicts.cpuPercent === 'regression' ? 0 : 1);
    expect(report.passed).toBe(code === 0);
  }, 320_000);
});
