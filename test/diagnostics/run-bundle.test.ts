import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import type { Run } from '../../src/contracts/result.js';
import { writeRunBundle } from '../../src/diagnostics/run-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-run-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (index: number): Run => ({
  index,
  warmupRun: false,
  startedAt: new Date(0).toISOString(),
  timeToReadyMs: 900,
  loadWindow: { startMs: 1, endMs: 2 },
  samples: [{ t: 0, cpuPercent: 1, memoryBytes: 2 }],
  summary: null,
  workloads: [],
  collectorMetrics: {},
  context: {},
  canaryLatencyMs: 12,
  processLoss: null,
  valid: false,
  invalidReason: 'collector exited during the run with code 137',
  collectorExitCode: 137,
  logsFile: null,
});

describe('writeRunBundle', () => {
  it('bundles an invalid run next to its logs, with the run before as the previous start', async () => {
    writeFileSync(join(dir, 'run-1-collector.log'), 'first start\n');
    const file = await writeRunBundle(
      {
        config: ConfigSchema.parse({}),
        logsDir: dir,
        collector: {
          spec: { name: 'collector', role: 'collector', env: { A: '1' }, capabilities: ['SYS_ADMIN'] },
          method: 'core_bpf',
          image: 'img',
        },
      },
      run(1),
      'second start\n',
      { exitCode: 137, oomKilled: false, error: null },
    );
    expect(file.startsWith(dir)).toBe(true);
    const x = mkdtempSync(join(dir, 'x-'));
    await tar.x({ file, cwd: x });
    const b = join(x, 'run-2-diagnostics');
    expect(readFileSync(join(b, 'collector.log'), 'utf8')).toBe('second start\n');
    expect(readFileSync(join(b, 'collector.previous.log'), 'utf8')).toBe('first start\n');
    expect(JSON.parse(readFileSync(join(b, 'container-state.json'), 'utf8'))).toEqual({
      exitCode: 137,
      oomKilled: false,
      error: null,
    });
    const config = JSON.parse(readFileSync(join(b, 'config.json'), 'utf8'));
    expect(config.collector).toMatchObject({
      image: 'img',
      method: 'core_bpf',
      env: { A: '1' },
      capabilities: ['SYS_ADMIN'],
    });
    expect(config.benchmark.run.runs).toBe(5);
    const context = JSON.parse(readFileSync(join(b, 'context.json'), 'utf8'));
    expect(context.run).toMatchObject({ invalidReason: 'collector exited during the run with code 137', samples: 1 });
    expect(readFileSync(join(b, 'README.txt'), 'utf8')).toContain(
      'run 2 is invalid: collector exited during the run with code 137',
    );
  });
});
