/**
 * Log delivery and an agent whose stdout is block-buffered: the test agent (a printf loop over
 * /proc, test/fixtures/delivery/proc-printf-agent.c) benchmarked through the real CLI as a local
 * process. Through a pipe libc holds its lines until 4096 bytes have piled up: the run records it
 * and the output says so. With collector.tty: true it runs on a pty, libc flushes every line: no
 * warning, and the canary's line arrives within a second.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultFileSchema } from '../../../src/contracts/result.js';
import { runCli } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-buffered-agent-'));
const agent = join(dir, 'proc-printf-agent');
execFileSync('cc', ['-O2', '-o', agent, join(import.meta.dirname, '../../fixtures/delivery/proc-printf-agent.c')]);

function config(name: string, tty: boolean): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `benchmark: ${name}`,
      'runtime: process',
      'collector:',
      `  command: [${JSON.stringify(agent)}]`,
      `  tty: ${tty}`,
      '  readiness: { http: null, logRegex: "^ready", timeoutSeconds: 30 }',
      '  metricsUrl: null',
      // A new process whose command line carries the canary's name or starts with the stub's path.
      '  delivery: { via: log, regex: "^exec \\\\d+ (?:.*{canary}|{stub} )" }',
      'run: { runs: 1, warmupRuns: 0, warmupSeconds: 1, loadSeconds: 4, rampSeconds: 1, workloads: [workloads/processes.toml] }',
      'sensor: { enabled: false }',
    ].join('\n'),
  );
  return file;
}

async function bench(name: string, tty: boolean) {
  const out = join(dir, `${name}.json`);
  const r = await runCli(['run', '--config', config(name, tty), '--no-compare', '--out', out], {}, 180_000);
  expect(r.code, r.stderr).toBe(0);
  return { result: ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8'))), stderr: r.stderr };
}

describe('log delivery from an agent that printf()s what it sees (process runtime)', () => {
  it(
    'through a pipe: the run records block-buffered output and the run table warns',
    { timeout: 200_000 },
    async () => {
      const { result, stderr } = await bench('buffered-agent', false);
      const [run] = result.runs;
      expect(run.outputBuffering).toMatchObject({ blockBuffered: true });
      expect(run.outputBuffering!.linesInBursts / run.outputBuffering!.lines).toBeGreaterThan(0.8);
      expect(stderr).toMatch(
        /The agent's output arrived in bursts of about \d+ bytes in 1 of 1 run: its stdout is block-buffered/,
      );
      expect(stderr).toContain('output block-buffered');
    },
  );

  it(
    'with collector.tty: true: line by line, no warning, the canary within a second',
    { timeout: 200_000 },
    async () => {
      const { result, stderr } = await bench('tty-agent', true);
      const [run] = result.runs;
      expect(run.valid, run.invalidReason ?? '').toBe(true);
      expect(run.outputBuffering).toMatchObject({ blockBuffered: false });
      expect(run.outputBuffering!.lines).toBeGreaterThan(40);
      expect(run.canaryLatencyMs).toBeLessThan(1000);
      expect(stderr).not.toMatch(/block-buffered|arrived in bursts/);
    },
  );
});
