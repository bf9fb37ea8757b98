/**
 * Benchmarking an agent nobody on the project wrote: execsnoop from Debian's libbpf-tools, packed
 * into collector-bench/execsnoop:local by the harness's image builder, driven through the public
 * config only. Each delivery check with a real container: its log (collectors/libbpf-execsnoop.yaml),
 * a Prometheus counter of its lines, none at all; and an agent that stops printing mid-run.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ResultFileSchema, type ResultFile } from '../../src/contracts/result.js';
import { runBenchmark } from '../../src/run/benchmark.js';
import type { Progress } from '../../src/run/progress.js';
import { DockerRuntime } from '../../src/runtime/docker-runtime.js';
import { execsnoopImageSpec, execsnoopMissing } from '../../src/runtime/execsnoop-image.js';
import { buildRootfsImage } from '../../src/runtime/rootfs-image.js';
import { runScenarios } from '../../src/scenarios/run-scenarios.js';
import { runCli } from '../support/cli.js';
import { ensureDocker } from '../support/docker.js';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '../..');
const CLI = join(REPO, 'bin/collector-bench.js');
const PROFILE = join(REPO, 'collectors/libbpf-execsnoop.yaml');
const QUICK = [
  '--runs',
  '1',
  '--warmup-runs',
  '0',
  '--warmup-seconds',
  '1',
  '--load-seconds',
  '4',
  '--ramp-seconds',
  '1',
  '--no-compare',
];
const docker = await ensureDocker();

async function bench(args: string[]): Promise<{ result: ResultFile; stdout: string; stderr: string }> {
  const out = join(mkdtempSync(join(tmpdir(), 'cb-agent-')), 'result.json');
  const { stdout, stderr } = await run(process.execPath, [CLI, 'run', ...args, '--out', out], {
    cwd: REPO,
    timeout: 240_000,
    maxBuffer: 64 * 2 ** 20,
  });
  return { result: ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8'))), stdout, stderr };
}

/** Pids of `comm` processes whose parent is `ppid` (the container's shell: the collector has the host's pid namespace). */
function childrenNamed(ppid: number, comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (name === comm && parent === ppid) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

describe.skipIf(!docker)('a third-party eBPF agent (execsnoop from libbpf-tools)', () => {
  beforeAll(() => {
    // setup-host installs libbpf-tools; a host without it must say so, not skip the agent.
    const missing = execsnoopMissing();
    if (missing) throw new Error(`these tests need execsnoop: ${missing}`);
  });

  it('gives valid runs with canary latency and loss from its log alone (ready by log line, no HTTP, no metrics)', async () => {
    const { result, stderr } = await bench(['--config', PROFILE, ...QUICK]);
    expect(result.environment.collectorImage).toBe('collector-bench/execsnoop:local');
    expect(result.environment.collectorImageId).toMatch(/^sha256:/);
    expect(result.delivery).toMatchObject({ via: 'log', verified: true });
    expect(stderr).not.toMatch(/not verified/);
    const [r] = result.runs;
    expect(r.valid, r.invalidReason ?? '').toBe(true);
    expect(r.timeToReadyMs).toBeGreaterThan(0);
    expect(r.collectorMetrics).toEqual({});
    expect(r.canaryLatencyMs).toBeGreaterThanOrEqual(0);
    expect(r.canaryLatencyMs).toBeLessThan(30_000);
    expect(r.processLoss!.spawned).toBeGreaterThan(100);
    // Every exec of the unique stub is one line, and no other program has that path.
    expect(r.processLoss!.received).toBeLessThanOrEqual(r.processLoss!.spawned);
    expect(r.processLoss!.lossRatio).toBeLessThan(0.2);
    expect(readFileSync(r.logsFile!, 'utf8')).toMatch(/^PCOMM\s+PID\s+PPID\s+RET\s+ARGS/);
    // Its image runs it under stdbuf -oL: line by line, so no buffering warning.
    expect(r.outputBuffering).toMatchObject({ blockBuffered: false });
    expect(stderr).not.toMatch(/block-buffered/);
  });

  it(
    'says when its stdout is block-buffered (no stdbuf), and collector.tty: true line-buffers it',
    { timeout: 300_000 },
    async () => {
      const image = await buildRootfsImage(docker as Docker, execsnoopImageSpec({ lineBuffered: false }));
      const dir = mkdtempSync(join(tmpdir(), 'cb-agent-unbuffered-'));
      const results: ResultFile[] = [];
      const stderrs: string[] = [];
      for (const tty of [false, true]) {
        const config = join(dir, `execsnoop-tty-${tty}.yaml`);
        writeFileSync(
          config,
          readFileSync(PROFILE, 'utf8').replace(
            'image: collector-bench/execsnoop:local',
            `image: ${image.localRef}\n  tty: ${tty}`,
          ),
        );
        const out = join(dir, `result-${tty}.json`);
        // A node always runs other processes, and their lines are what push a block-buffered
        // agent's canary line out of its buffer; on a quiet test machine nothing else execs, so a
        // bounded loop of short execs stands in for them (stopped below, by its pid).
        const neighbours = spawn(
          'sh',
          ['-c', 'i=0; while [ $i -lt 100000 ]; do /bin/true; i=$((i+1)); sleep 0.01; done'],
          {
            stdio: 'ignore',
          },
        );
        const r = await runCli(['run', '--config', config, ...QUICK, '--out', out], {}, 240_000).finally(() =>
          neighbours.kill('SIGKILL'),
        );
        // Block-buffered, the canary may wait past its timeout on a quiet host: no valid run (5) is a fair outcome.
        expect([0, 5], r.stderr).toContain(r.code);
        results.push(ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8'))));
        stderrs.push(r.stderr);
      }
      const [buffered, tty] = results.map((r) => r.runs[0]);
      expect(buffered.outputBuffering).toMatchObject({ blockBuffered: true });
      expect(stderrs[0]).toMatch(/its stdout is block-buffered/);
      expect(tty.valid, tty.invalidReason ?? '').toBe(true);
      expect(tty.outputBuffering).toMatchObject({ blockBuffered: false });
      expect(tty.canaryLatencyMs).toBeLessThan(1000);
      expect(stderrs[1]).not.toMatch(/block-buffered/);
    },
  );

  it('checks delivery by a Prometheus counter that grows with the events (metrics path)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-agent-metrics-'));
    const config = join(dir, 'execsnoop-metrics.yaml');
    // The profile's image and privileges, with the image's HTTP endpoints on: ready at :8080/ready,
    // execsnoop_events_total (its printed lines) at :9090/cgi-bin/metrics.
    writeFileSync(
      config,
      readFileSync(PROFILE, 'utf8')
        .replace('EXECSNOOP_HTTP: "off"', 'EXECSNOOP_HTTP: "on"')
        .replace(
          /readiness:\n(.*\n){3}/,
          'readiness: { http: { url: "http://127.0.0.1:8080/ready", json: { status: ok } } }\n',
        )
        .replace('metricsUrl: null', 'metricsUrl: "http://127.0.0.1:9090/cgi-bin/metrics"')
        .replace(/delivery:\n(.*\n){3}/, 'delivery: { via: metrics, counter: execsnoop_events_total }\n'),
    );
    const { result } = await bench(['--config', config, ...QUICK]);
    expect(result.delivery).toMatchObject({ via: 'metrics', verified: true });
    const [r] = result.runs;
    expect(r.valid, r.invalidReason ?? '').toBe(true);
    expect(r.canaryLatencyMs).toBeGreaterThanOrEqual(0);
    // The counter counts every exec on the host, the workload's among them.
    expect(r.processLoss!.spawned).toBeGreaterThan(100);
    expect(r.processLoss!.received).toBeGreaterThanOrEqual(r.processLoss!.spawned * 0.8);
    // CPU per 1,000 delivered events: the counter's growth from load start to drained (the loss
    // reads it a little later, after the workloads reported: other execs on the host may fall between).
    expect(r.eventCost).toMatchObject({ basis: 'metrics counter', reason: null });
    expect(r.eventCost!.events).toBeGreaterThanOrEqual(r.processLoss!.received * 0.9);
  });

  it('with --delivery none keeps the runs valid and says plainly that delivery was not verified', async () => {
    // The default bench.config.yaml: readiness at :8080/ready, which the image answers; no sensor link.
    const { result, stderr } = await bench([
      '--collector-image',
      'collector-bench/execsnoop:local',
      '--delivery',
      'none',
      ...QUICK,
    ]);
    expect(result.delivery).toMatchObject({ via: 'none', verified: false });
    const [r] = result.runs;
    expect(r.valid, r.invalidReason ?? '').toBe(true);
    expect(r.canaryLatencyMs).toBeNull();
    expect(r.processLoss).toBeNull();
    // Nothing counted the events it delivered: no CPU per event, and the record says why.
    expect(r.eventCost).toMatchObject({ cpuMsPer1000Events: null, events: null });
    expect(r.eventCost!.reason).toMatch(/delivery not checked/);
    // The per-run table after the benchmark (on stderr, beside the progress).
    expect(stderr).toContain('Event delivery was not verified (collector.delivery: none)');
  });

  it('makes a run invalid, with the reason, when the agent stops printing events mid-run', async () => {
    const runtime = new DockerRuntime(docker as Docker);
    const out = join(mkdtempSync(join(tmpdir(), 'cb-agent-stop-')), 'result.json');
    const { config } = loadConfig(
      { runs: '1', warmupRuns: '0', warmupSeconds: '1', loadSeconds: '4', rampSeconds: '1', out },
      PROFILE,
    );
    const stopped: number[] = [];
    // When the load window opens, freeze execsnoop (SIGSTOP): the container and its shell live on.
    const progress: Progress = {
      update: ({ phase }) => {
        if (phase !== 'load' || stopped.length > 0) return;
        const collector = runtime.active().find((s) => s.name.startsWith('cb-collector-'));
        if (collector?.pid)
          for (const pid of childrenNamed(collector.pid, 'execsnoop')) {
            process.kill(pid, 'SIGSTOP');
            stopped.push(pid);
          }
      },
      line: () => undefined,
      done: () => undefined,
    };
    try {
      const { result } = await runBenchmark(config, {
        log: () => undefined,
        progress,
        runtime,
        canaryTimeoutMs: 5000,
      });
      expect(stopped).toHaveLength(1);
      const [r] = result.runs;
      expect(r.valid).toBe(false);
      expect(r.invalidReason).toMatch(
        /^the agent stopped delivering events during the run: canary collector-bench-canary-\w+ did not show in the agent's log within 5 s/,
      );
      // It printed nothing of the workload after the freeze.
      expect(r.processLoss!.lossRatio).toBeGreaterThan(0.9);
    } finally {
      // A frozen process ignores the container's SIGTERM; with the host's pid namespace it could outlive it.
      for (const pid of stopped) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone with its container
        }
      }
    }
  });

  it('passes the scenarios its profile declares applicable, held to its own log, and skips the rest', async () => {
    const { config } = loadConfig({}, PROFILE);
    const out = await runScenarios({
      only: ['success', 'driver-404'],
      runtimeInstance: new DockerRuntime(docker as Docker),
      outDir: mkdtempSync(join(tmpdir(), 'cb-agent-scenarios-')),
      labels: { 'collector-bench.test': '1' },
      profile: { file: PROFILE, plan: config.scenarios, collector: config.collector },
      log: () => undefined,
    });
    const [success, driver404] = out.results;
    expect(success.passed, out.table).toBe(true);
    expect(success.checks.find((c) => c.name === 'log line')).toMatchObject({ ok: true });
    expect(driver404).toMatchObject({ passed: false, skipped: expect.stringMatching(/downloads no driver/) });
    expect(out.exitCode).toBe(0);
  });
});
