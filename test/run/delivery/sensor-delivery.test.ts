import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.js';
import { runBenchmark } from '../../../src/run/benchmark.js';
import { canaryCommand } from '../../../src/run/delivery/canary.js';
import { sensorCanary } from '../../../src/run/delivery/sensor-delivery.js';
import { processLossFor, workloadSignalMatcher } from '../../../src/run/delivery/signal-matcher.js';
import { ProcessRuntime } from '../../../src/runtime/process-runtime.js';
import { freePort } from '../../../src/runtime/free-port.js';
import { MockSensor } from '../../../src/sensor/mock-sensor.js';
import type { ReceivedProcessSignal } from '../../../src/sensor/messages.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-canary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sig = (execFilePath: string, args: string, receivedAtMs = 1000, name = 'busybox'): ReceivedProcessSignal => ({
  receivedAtMs,
  stream: 1,
  signal: {
    id: '',
    containerId: '',
    timeMs: null,
    name,
    args,
    execFilePath,
    pid: 1,
    uid: 0,
    gid: 0,
    lineageInfo: [],
    scraped: false,
  },
});

describe('the canary', () => {
  it('carries its nonce in argv[3], which both collection methods report', () => {
    const c = canaryCommand('abc123', '/bin/busybox');
    expect(c.marker).toBe('collector-bench-canary-abc123');
    expect(c.args).toHaveLength(3);
    expect(c.args[2]).toContain(c.marker);
    expect(c.args[2]).toMatch(/^sleep 1; true /); // a compound command keeps the shell (and its cmdline) alive
  });

  it('reports no latency and a reason when no collector reports it', async () => {
    const sensor = new MockSensor({ grpcPort: 0, http: false });
    await sensor.start();
    try {
      const r = await sensorCanary(sensor, 300);
      expect(r.latencyMs).toBeNull();
      expect(r.error).toMatch(/collector-bench-canary-[0-9a-f]+ did not reach the sensor within 0.3 s/);
    } finally {
      await sensor.stop();
    }
  });
});

describe('process loss', () => {
  it('counts our per-benchmark stub exactly, whatever else the host execs', () => {
    const stub = '/tmp/collector-bench-stub-XyZ/busybox true';
    const signals = [
      sig('/tmp/collector-bench-stub-XyZ/busybox', 'true Ab3dE5f'),
      sig('/tmp/collector-bench-stub-XyZ/busybox', 'true 9x8y7z6'),
      sig('/bin/busybox', 'true Qq1Ww2E'), // another benchmark's workload on the same host
      sig('/tmp/collector-bench-stub-XyZ/busybox', 'true early00', 10), // before the load window
    ];
    const achieved = [
      { name: 'processes', type: 'processes', exitCode: 0, achieved: { type: 'processes', spawned: 4, stub } },
    ];
    expect(processLossFor(achieved, signals, 500)).toEqual({ spawned: 4, received: 2, lossRatio: 0.5 });
  });

  it('falls back to the stub arguments for any other stub', () => {
    const m = workloadSignalMatcher(['/bin/busybox true']);
    expect(m(sig('/usr/bin/busybox', 'true Ab3dE5f'))).toBe(true);
    expect(m(sig('/usr/bin/busybox', 'true toolongarg'))).toBe(false);
    const bare = workloadSignalMatcher(['/opt/stub']);
    expect(bare(sig('/opt/stub', 'Ab3dE5f', 0, 'stub'))).toBe(true);
    expect(bare(sig('/usr/bin/other', 'Ab3dE5f', 0, 'other'))).toBe(false);
  });

  it('is null without a processes workload', () => {
    expect(
      processLossFor([{ name: 'e', type: 'endpoints', exitCode: 0, achieved: { type: 'endpoints' } }], [], 0),
    ).toBeNull();
  });
});

const root = process.getuid?.() === 0;

describe('a benchmark with the mock sensor (process runtime)', () => {
  it('records the canary latency and the workload processes spawned vs received', { timeout: 120_000 }, async () => {
    const [ready, metrics, grpc, http] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const config = ConfigSchema.parse({
      benchmark: 'canary-test',
      runtime: 'process',
      collector: {
        collectionMethod: root ? 'core_bpf' : 'procfs',
        readiness: {
          http: { url: `http://127.0.0.1:${ready}/ready`, status: 200, json: { status: 'ok' } },
          timeoutSeconds: 60,
        },
        metricsUrl: `http://127.0.0.1:${metrics}/metrics`,
        env: { REF_COLLECTOR_LOCAL_DRIVERS_DIR: '/nonexistent/x' },
      },
      run: {
        runs: 1,
        warmupRuns: 0,
        warmupSeconds: 0,
        loadSeconds: 5,
        rampSeconds: 1,
        workloads: ['workloads/processes.toml'],
      },
      sensor: { enabled: true, grpcAddress: `127.0.0.1:${grpc}`, httpAddress: `127.0.0.1:${http}` },
      out: join(dir, 'result.json'),
    });
    const { result } = await runBenchmark(config, {
      log: () => undefined,
      progress: { update: () => undefined, line: () => undefined, done: () => undefined },
      runtime: new ProcessRuntime(),
    });
    const run = result.runs[0];
    expect(run.invalidReason).toBeNull();
    expect(run.canaryLatencyMs).toBeGreaterThanOrEqual(0);
    expect(run.canaryLatencyMs).toBeLessThan(30_000);
    expect(run.processLoss!.spawned).toBeGreaterThan(0);
    expect(run.processLoss!.received).toBeLessThanOrEqual(run.processLoss!.spawned);
    if (root) expect(run.processLoss!.received).toBeGreaterThan(0); // core_bpf sees every exec (counted by a byte search, sensor-delivery.ts)
    expect(run.collectorMetrics).toHaveProperty('drops');
  });
});
