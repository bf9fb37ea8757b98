import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DRIVER_READY_MARKER } from '../../src/collector/bpf/driver-events.js';
import { writeDriverForSensor } from '../../src/collector/driver-files.js';
import { MockSensor, signalMentions } from '../../src/sensor/mock-sensor.js';
import { freePort, metric, REPO, startCollector, waitFor, type RunningCollector } from './run-collector.js';

const KERNEL = os.release();
/** The load handshake every driver needs (see src/collector/driver/collector.bt). */
const READY_BEGIN = `BEGIN { printf("${DRIVER_READY_MARKER}\\n"); }\n`;
const WRAPPER_WITHOUT_CAPS = path.join(REPO, 'scenarios/bin/bpftrace-without-caps.sh');
const MODULE_VERSION = '1.0.0';

function canRunBpftrace(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync(process.execPath, [path.join(REPO, 'scripts/ensure-tracefs.mjs')], { stdio: 'ignore' });
    execFileSync('bpftrace', ['--version'], { stdio: 'ignore' });
    return fs.existsSync('/sys/kernel/tracing/events/sched/sched_process_exec');
  } catch {
    return false;
  }
}
const bpf = canRunBpftrace();
if (!bpf) console.warn('core_bpf success paths need root, bpftrace and tracefs: those tests are skipped here');

/** Log lines without their `[LEVEL date time] ` prefix, so sequences can be compared. */
function messages(rc: RunningCollector): string[] {
  return rc.lines.map((l) => l.replace(/^\[[A-Z]+ \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\] ?/, ''));
}

function expectInOrder(lines: string[], expected: Array<string | RegExp>): void {
  let at = 0;
  for (const e of expected) {
    const i = lines.findIndex((l, k) => k >= at && (typeof e === 'string' ? l === e : e.test(l)));
    if (i === -1) throw new Error(`expected ${String(e)} after line ${at}; lines:\n${lines.join('\n')}`);
    at = i + 1;
  }
}

const running: RunningCollector[] = [];
const sensors: MockSensor[] = [];
const tmpDirs: string[] = [];

async function sensorWith(
  opts: { driverText?: string; objects?: boolean } = {},
): Promise<{ sensor: MockSensor; grpc: string; http: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collector-test-objects-'));
  tmpDirs.push(dir);
  if (opts.objects !== false)
    writeDriverForSensor(dir, MODULE_VERSION, KERNEL, opts.driverText ? { text: opts.driverText } : undefined);
  const sensor = new MockSensor({ grpcPort: 0, httpPort: 0, objectsDir: dir });
  sensors.push(sensor);
  const a = await sensor.start();
  return { sensor, grpc: a.grpc, http: a.http! };
}

async function collector(env: Record<string, string>, waitReady = true): Promise<RunningCollector> {
  const rc = await startCollector(
    { REF_COLLECTOR_LOCAL_DRIVERS_DIR: '/nonexistent-driver-store', REF_COLLECTOR_DOWNLOAD_INTERVAL_MS: '100', ...env },
    { waitReady },
  );
  running.push(rc);
  return rc;
}

afterEach(async () => {
  // SIGTERM, not SIGKILL: the collector then stops its bpftrace child instead of orphaning it.
  await Promise.all(running.splice(0).map((rc) => rc.stop('SIGTERM')));
  await Promise.all(sensors.splice(0).map((s) => s.stop()));
});
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('startup protocol: Sensor unreachable', () => {
  it('prints the banner, the old-format diagnostics with Connected to Sensor? false, FATAL Unable to connect, exit 1', async () => {
    const port = await freePort();
    const rc = await collector(
      {
        COLLECTION_METHOD: 'core_bpf',
        GRPC_SERVER: `127.0.0.1:${port}`,
        REF_COLLECTOR_CONNECT_TIMEOUT_S: '1',
        REF_COLLECTOR_DIAGNOSTICS_FORMAT: 'old',
      },
      false,
    );
    expect(await rc.exit).toBe(1);
    expect(rc.lines.slice(0, 4)).toEqual([
      expect.stringMatching(/^Collector Version: \S+/),
      expect.stringMatching(/^OS: .+/),
      `Kernel Version: ${KERNEL}`,
      'Starting StackRox Collector...',
    ]);
    expectInOrder(messages(rc), [
      /^Hostname: '.+'$/,
      `Sensor configured at address: 127.0.0.1:${port}`,
      'Attempting to connect to Sensor',
      '== Collector Startup Diagnostics: ==',
      'Connected to Sensor? false',
      'Kernel driver available? false',
      'Driver loaded into kernel? false',
      '====================================',
      'Unable to connect to Sensor.',
    ]);
    expect(rc.lines.at(-1)).toMatch(/^\[FATAL \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\] Unable to connect to Sensor\.$/);
  });

  it('answers /ready with 503 {"status":"starting"} while connecting, then 200 once the Sensor appears', async () => {
    const grpcPort = await freePort();
    const rc = await collector(
      { COLLECTION_METHOD: 'procfs', GRPC_SERVER: `127.0.0.1:${grpcPort}`, REF_COLLECTOR_CONNECT_TIMEOUT_S: '60' },
      false,
    );
    await waitFor(async () => (await rc.get('/ready').catch(() => ({ status: 0 }))).status !== 0, 30_000, rc);
    const early = await rc.get('/ready');
    expect(early.status).toBe(503);
    expect(JSON.parse(early.body)).toEqual({ status: 'starting' });
    const sensor = new MockSensor({ grpcPort, http: false });
    sensors.push(sensor);
    await sensor.start();
    await waitFor(async () => (await rc.get('/ready')).status === 200, 40_000, rc);
    expect(JSON.parse((await rc.get('/ready')).body)).toEqual({ status: 'ok' });
    expect(messages(rc)).toContain('Successfully connected to Sensor.');
  });
});

describe('startup protocol: interrupted', () => {
  it('exits 0 when SIGTERM arrives while it is still connecting to the Sensor', async () => {
    const port = await freePort();
    const rc = await collector(
      { COLLECTION_METHOD: 'procfs', GRPC_SERVER: `127.0.0.1:${port}`, REF_COLLECTOR_CONNECT_TIMEOUT_S: '120' },
      false,
    );
    await rc.waitForLine(/Attempting to connect to Sensor/);
    expect(await rc.stop('SIGTERM')).toBe(0);
    expect(rc.lines.some((l) => l.startsWith('[FATAL'))).toBe(false);
  });
});

describe('startup protocol: kernel driver not available (HTTP 404)', () => {
  it('retries, throttles the 404 warnings, reports the attempts and exits 1 with No suitable kernel object', async () => {
    const { sensor, grpc, http } = await sensorWith({ objects: false });
    const rc = await collector(
      {
        COLLECTION_METHOD: 'core_bpf',
        GRPC_SERVER: grpc,
        REF_COLLECTOR_SENSOR_HTTP: http,
        REF_COLLECTOR_DOWNLOAD_RETRIES: '4',
        REF_COLLECTOR_LOG_THROTTLE_S: '60',
      },
      false,
    );
    expect(await rc.exit).toBe(1);
    const name = `collector-${KERNEL}.bt`;
    const msgs = messages(rc);
    expectInOrder(msgs, [
      'Successfully connected to Sensor.',
      `Module version: ${MODULE_VERSION}`,
      'Attempting to find kernel module - Candidate kernel versions:',
      KERNEL,
      `Local storage does not contain ${name}`,
      `Attempting to download kernel object from http://${http}/kernel-objects/${MODULE_VERSION}/${name}.gz`,
      '[Throttled] Unexpected HTTP request failure (HTTP 404)',
      `Attempted to download ${name}.gz 4 time(s)`,
      `Error getting kernel object: ${name}`,
      '== Collector Startup Diagnostics: ==',
      'Connected to Sensor? true',
      'Kernel driver candidates:',
      '  core_bpf (unavailable)',
      '====================================',
      `No suitable kernel object downloaded for kernel ${KERNEL}`,
    ]);
    // Four requests, one warning: the rest fell inside the throttle interval.
    expect(msgs.filter((m) => m.startsWith('[Throttled]'))).toHaveLength(1);
    expect(msgs.some((m) => m.startsWith('Driver loaded into kernel'))).toBe(false);
    expect(rc.lines.find((l) => l.includes('[Throttled]'))).toMatch(/^\[WARNING /);
    expect(rc.lines.at(-1)).toMatch(/^\[FATAL [^\]]+\] No suitable kernel object downloaded for kernel /);
    const reqs = sensor.counts().kernelObjectRequests[`/kernel-objects/${MODULE_VERSION}/${name}.gz`];
    expect(reqs.total).toBe(4);
  });
});

describe('startup protocol: driver fails to load', () => {
  it("logs bpftrace's own error text as ERROR lines and exits 1 with Failed to initialize collector kernel components", async () => {
    const { grpc, http } = await sensorWith({
      driverText: `${READY_BEGIN}tracepoint:sched:sched_process_exec { printf("%d\\n", pid) `,
    });
    const rc = await collector(
      { COLLECTION_METHOD: 'core_bpf', GRPC_SERVER: grpc, REF_COLLECTOR_SENSOR_HTTP: http },
      false,
    );
    expect(await rc.exit).toBe(1);
    const errors = rc.lines.filter((l) => l.startsWith('[ERROR '));
    // bpftrace's parser reports the missing brace; the collector must pass that text on.
    expect(errors.join('\n')).toMatch(/syntax error|unexpected end of file/i);
    expectInOrder(messages(rc), [
      /^Successfully downloaded and decompressed /,
      'Connected to Sensor? true',
      '  core_bpf (available)',
      '====================================',
      'Failed to initialize collector kernel components.',
    ]);
    expect(messages(rc).some((m) => m.startsWith('Driver loaded into kernel'))).toBe(false);
  });

  it('refuses a driver without the ready marker before starting bpftrace, with an ERROR naming the marker', async () => {
    const { grpc, http } = await sensorWith({
      driverText: 'tracepoint:sched:sched_process_exec { printf("E\\t%d\\t%d\\t%s\\t%s\\n", pid, 0, comm, "x"); }',
    });
    // A bpftrace that cannot start proves the refusal comes first: its ENOENT must not appear.
    const rc = await collector(
      {
        COLLECTION_METHOD: 'core_bpf',
        GRPC_SERVER: grpc,
        REF_COLLECTOR_SENSOR_HTTP: http,
        REF_COLLECTOR_BPFTRACE: '/nonexistent/bpftrace',
      },
      false,
    );
    expect(await rc.exit).toBe(1);
    const errors = rc.lines.filter((l) => l.startsWith('[ERROR ')).join('\n');
    expect(errors).toContain(`does not print the ready marker "${DRIVER_READY_MARKER}"`);
    expect(errors).not.toContain('Unable to start');
    expect(messages(rc).some((m) => m.startsWith('Driver loaded into kernel'))).toBe(false);
    expect(rc.lines.at(-1)).toMatch(/^\[FATAL [^\]]+\] Failed to initialize collector kernel components\.$/);
  });

  it('reports a missing bpftrace executable the same way', async () => {
    const { grpc, http } = await sensorWith();
    const rc = await collector(
      {
        COLLECTION_METHOD: 'core_bpf',
        GRPC_SERVER: grpc,
        REF_COLLECTOR_SENSOR_HTTP: http,
        REF_COLLECTOR_BPFTRACE: '/nonexistent/bpftrace',
      },
      false,
    );
    expect(await rc.exit).toBe(1);
    expect(rc.lines.filter((l) => l.startsWith('[ERROR ')).join('\n')).toContain(
      'Unable to start /nonexistent/bpftrace: spawn /nonexistent/bpftrace ENOENT',
    );
    expect(rc.lines.at(-1)).toMatch(/^\[FATAL [^\]]+\] Failed to initialize collector kernel components\.$/);
  });
});

describe.runIf(bpf)('startup protocol: driver whose maps cannot be created (root, bpftrace)', () => {
  // bpftrace 0.17 prints attached_probes before creating its maps: the collector used to take that
  // line as "loaded", print the diagnostics, become ready, then exit 1 when bpftrace failed.
  it('is not ready: logs "failed to create map" as ERROR and exits 1 with the FATAL line', async () => {
    const { grpc, http } = await sensorWith({
      driverText: `${READY_BEGIN}tracepoint:sched:sched_process_exec { printf("E\\t%d\\t%d\\t%s\\t%s\\n", pid, 0, comm, "x"); }`,
    });
    const rc = await collector(
      {
        COLLECTION_METHOD: 'core_bpf',
        GRPC_SERVER: grpc,
        REF_COLLECTOR_SENSOR_HTTP: http,
        REF_COLLECTOR_BPFTRACE: WRAPPER_WITHOUT_CAPS,
      },
      false,
    );
    expect(await rc.exit).toBe(1);
    const errors = rc.lines.filter((l) => l.startsWith('[ERROR ')).join('\n');
    expect(errors).toMatch(/failed to create\s+map: Operation not permitted/);
    expect(messages(rc).some((m) => m.startsWith('Driver loaded into kernel'))).toBe(false);
    expect(messages(rc)).not.toContain('Collector is ready: collecting events');
    expect(rc.lines.at(-1)).toMatch(/^\[FATAL [^\]]+\] Failed to initialize collector kernel components\.$/);
  });
});

describe('Sensor stream after startup', () => {
  it('keeps collecting when the Sensor goes away, counting processSendFailures, and exits 0 on SIGTERM', async () => {
    const { sensor, grpc } = await sensorWith({ objects: false });
    const rc = await collector({
      COLLECTION_METHOD: 'procfs',
      GRPC_SERVER: grpc,
      REF_COLLECTOR_POLL_MS: '100',
      REF_COLLECTOR_SCRAPE_NETWORK: 'false',
    });
    const { spawn } = await import('node:child_process');
    const burst = async (n: number): Promise<void> => {
      const kids = Array.from({ length: n }, () => spawn('sleep', ['0.5'], { stdio: 'ignore' }));
      await Promise.all(kids.map((k) => new Promise((r) => k.once('exit', r))));
    };
    await burst(3);
    await waitFor(() => sensor.counts().processSignals >= 3, 10_000, rc);
    await sensor.stop();
    await burst(3);
    await waitFor(
      async () => metric(await rc.metrics(), 'rox_collector_events', 'processSendFailures') >= 1,
      15_000,
      rc,
    );
    expect((await rc.get('/ready')).status).toBe(200);
    expect(await rc.stop('SIGTERM')).toBe(0);
  });
});

describe.runIf(bpf)('startup protocol: success with core_bpf (root, bpftrace)', () => {
  it('downloads and loads the driver, prints the new diagnostics block, becomes ready and streams exec signals to the Sensor', async () => {
    const { sensor, grpc, http } = await sensorWith();
    const rc = await collector({ COLLECTION_METHOD: 'core_bpf', GRPC_SERVER: grpc, REF_COLLECTOR_SENSOR_HTTP: http });
    expectInOrder(messages(rc), [
      'Successfully connected to Sensor.',
      `Local storage does not contain collector-${KERNEL}.bt`,
      /^Successfully downloaded and decompressed /,
      /^bpftrace attached \d+ probe\(s\)/,
      '== Collector Startup Diagnostics: ==',
      'Connected to Sensor? true',
      'Kernel driver candidates:',
      '  core_bpf (available)',
      'Driver loaded into kernel: core_bpf',
      '====================================',
    ]);
    expect(rc.lines.some((l) => l.startsWith('[FATAL'))).toBe(false);

    const before = metric(await rc.metrics(), 'rox_collector_events', 'kernel');
    const nonce = `canary${Date.now().toString(36)}`;
    for (let i = 0; i < 3; i++) execFileSync('/bin/echo', [nonce, String(i)], { stdio: 'ignore' });
    const got = await sensor.waitForSignal(signalMentions(nonce), 15_000);
    expect(got.signal.execFilePath).toBe('/bin/echo');
    expect(got.signal.name).toBe('echo');
    expect(got.signal.args).toMatch(new RegExp(`^${nonce} \\d$`));
    await waitFor(async () => metric(await rc.metrics(), 'rox_collector_events', 'processSent') >= 3, 10_000, rc);
    expect(metric(await rc.metrics(), 'rox_collector_events', 'kernel') - before).toBeGreaterThanOrEqual(3);
    expect(await rc.stop('SIGTERM')).toBe(0);
  });

  it('uses a driver from local storage without downloading, and sees a listening socket as an endpoint', async () => {
    const { sensor, grpc, http } = await sensorWith({ objects: false });
    const local = fs.mkdtempSync(path.join(os.tmpdir(), 'collector-test-local-'));
    tmpDirs.push(local);
    fs.copyFileSync(path.join(REPO, 'src/collector/driver/collector.bt'), path.join(local, `collector-${KERNEL}.bt`));
    const rc = await collector({
      COLLECTION_METHOD: 'core_bpf',
      GRPC_SERVER: grpc,
      REF_COLLECTOR_SENSOR_HTTP: http,
      REF_COLLECTOR_LOCAL_DRIVERS_DIR: local,
    });
    expect(messages(rc)).toContain(
      `Found kernel object in local storage: ${path.join(local, `collector-${KERNEL}.bt`)}`,
    );
    expect(Object.keys(sensor.counts().kernelObjectRequests)).toHaveLength(0);

    const net = await import('node:net');
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    await waitFor(
      async () => {
        const eps = JSON.parse((await rc.get('/state/network/endpoint')).body) as Array<{ local: string }>;
        return eps.some((e) => e.local === `127.0.0.1:${port}`);
      },
      10_000,
      rc,
    );
    await new Promise<void>((r) => server.close(() => r()));
    await waitFor(
      async () => metric(await rc.metrics(), 'rox_collector_counters', 'net_cep_inactive') >= 1,
      10_000,
      rc,
    );
  });

  it('exits 1 with an ERROR line when bpftrace dies after startup', async () => {
    const { grpc, http } = await sensorWith();
    const rc = await collector({ COLLECTION_METHOD: 'core_bpf', GRPC_SERVER: grpc, REF_COLLECTOR_SENSOR_HTTP: http });
    const bpftracePid = Number(
      fs.readFileSync(`/proc/${rc.child.pid}/task/${rc.child.pid}/children`, 'utf8').trim().split(/\s+/)[0],
    );
    expect(fs.readFileSync(`/proc/${bpftracePid}/comm`, 'utf8').trim()).toBe('bpftrace');
    process.kill(bpftracePid, 'SIGKILL');
    expect(await rc.exit).toBe(1);
    expect(rc.lines.at(-1)).toMatch(
      /^\[ERROR [^\]]+\] Collection stopped unexpectedly: bpftrace exited with signal SIGKILL$/,
    );
  });
});
