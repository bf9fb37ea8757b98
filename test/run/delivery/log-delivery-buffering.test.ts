/**
 * Log delivery and an agent whose stdout is block-buffered: the test agent (a printf loop over
 * /proc, test/fixtures/delivery/proc-printf-agent.c) benchmarked through the real CLI as a local
 * process, and as a container (its log relayed by the engine's log follower). Through a pipe libc
 * holds its lines until 4096 bytes have piled up: the run records it and the output says so. With
 * collector.tty: true it runs on a terminal (a pty; Docker's Tty), libc flushes every line: no
 * warning, and the canary's line arrives within a second.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ResultFileSchema } from '../../../src/contracts/result.js';
import { buildRootfsImage } from '../../../src/runtime/rootfs-image.js';
import { runCli } from '../../support/cli.js';
import { ensureDocker } from '../../support/docker.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-buffered-agent-'));
// A fixed path: the container image is made from the binary at this path and is reused while it is the same.
const agent = join(tmpdir(), 'collector-bench-test-agent', 'proc-printf-agent');
mkdirSync(join(agent, '..'), { recursive: true });
execFileSync('cc', ['-O2', '-o', agent, join(import.meta.dirname, '../../fixtures/delivery/proc-printf-agent.c')]);
const docker = await ensureDocker();

/** Where the agent runs: a local process, or a container of an image holding it. */
type Where = { runtime: 'process' } | { runtime: 'docker'; image: string };

function config(name: string, tty: boolean, where: Where = { runtime: 'process' }): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `benchmark: ${name}`,
      `runtime: ${where.runtime}`,
      'collector:',
      where.runtime === 'docker' ? `  image: ${where.image}` : `  command: [${JSON.stringify(agent)}]`,
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

async function bench(name: string, tty: boolean, where?: Where) {
  const out = join(dir, `${name}.json`);
  const r = await runCli(['run', '--config', config(name, tty, where), '--no-compare', '--out', out], {}, 180_000);
  const result = ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
  if (tty) expect(r.code, r.stderr).toBe(0);
  else {
    // Through a pipe the closing canary's line may sit in the buffer until enough other lines
    // follow: on a quiet machine none do, and the run is invalid for that reason (exit 5). That is
    // the symptom the warning explains; any other outcome is a failure.
    expect([0, 5], r.stderr).toContain(r.code);
    const [run] = result.runs;
    if (!run.valid) expect(run.invalidReason).toMatch(/canary .* did not show in the agent's log/);
  }
  return { result, stderr: r.stderr };
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
      expect(run.outputBuffering!.bursts).toBeGreaterThanOrEqual(5);
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
      // CPU per 1,000 delivered events: every line it printed from load start to drained, the stub's among them.
      expect(run.eventCost).toMatchObject({ basis: 'agent log lines', reason: null });
      expect(run.eventCost!.events).toBeGreaterThanOrEqual(run.processLoss!.received);
      expect(run.eventCost!.cpuMsPer1000Events).toBeGreaterThan(0);
    },
  );
});

describe.skipIf(!docker)('the same agent as a container (its log relayed by the engine)', () => {
  let where: Where;
  beforeAll(async () => {
    const image = await buildRootfsImage(docker!, {
      name: 'collector-bench/test-printf-agent',
      hostBinaries: [agent],
      changes: [`ENTRYPOINT ["${agent}"]`],
    });
    where = { runtime: 'docker', image: image.localRef };
  });

  it('through a pipe: block-buffered, with the warning', { timeout: 200_000 }, async () => {
    const { result, stderr } = await bench('buffered-container', false, where);
    expect(result.runs[0].outputBuffering).toMatchObject({ blockBuffered: true });
    expect(stderr).toMatch(/its stdout is block-buffered/);
  });

  it(
    'with collector.tty: true (Docker Tty): no warning, the canary within a second',
    { timeout: 200_000 },
    async () => {
      const { result, stderr } = await bench('tty-container', true, where);
      const [run] = result.runs;
      expect(run.valid, run.invalidReason ?? '').toBe(true);
      expect(run.outputBuffering).toMatchObject({ blockBuffered: false });
      expect(run.canaryLatencyMs).toBeLessThan(1000);
      expect(stderr).not.toMatch(/block-buffered|arrived in bursts/);
    },
  );
});
