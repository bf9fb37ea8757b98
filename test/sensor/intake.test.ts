/**
 * The mock sensor decodes only where a check needs the payload (SensorIntake): counting the
 * messages and bytes of a real gRPC stream without decoding gives the decoding path's count, a
 * byte search for the per-benchmark stub's unique path counts exactly the signals the decoding
 * matcher attributes to the workload, and the delivery setup picks the intake by itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { deliveryHooks } from '../../src/run/delivery/resolve-delivery.js';
import { setupDelivery, type DeliverySetup } from '../../src/run/delivery/setup-delivery.js';
import { processLossFor } from '../../src/run/delivery/signal-matcher.js';
import { ProcessRuntime } from '../../src/runtime/process-runtime.js';
import { freePort } from '../../src/runtime/free-port.js';
import { MockSensor } from '../../src/sensor/mock-sensor.js';
import { connectClients, pushNetworkInfos, pushSignals, type TestProcessSignal } from './client.js';

const toStop: Array<{ stop(): Promise<void> }> = [];
const toClose: Array<{ close(): void }> = [];
afterEach(async () => {
  for (const c of toClose.splice(0)) c.close();
  for (const s of toStop.splice(0)) await s.stop();
});

async function started(): Promise<{ sensor: MockSensor; clients: ReturnType<typeof connectClients> }> {
  const sensor = new MockSensor({ grpcPort: 0, http: false });
  toStop.push(sensor);
  await sensor.start();
  const clients = connectClients(sensor.addresses.grpc);
  toClose.push(clients);
  return { sensor, clients };
}

const STUB = '/tmp/collector-bench-stub-Q7r2Zk/collector-bench-stub';

/** What a host streams during a load window: the stub's execs among everything else it runs. */
function hostSignals(): TestProcessSignal[] {
  const out: TestProcessSignal[] = [];
  for (let i = 0; i < 300; i++) {
    const arg = (1_000_000 + i).toString(36).padStart(7, 'a').slice(-7);
    if (i % 3 !== 2) out.push({ name: 'collector-bench-stub', execFilePath: STUB, args: arg, pid: 5000 + i });
    else if (i % 9 === 2)
      // Another benchmark's stub on the same host: a different unique folder.
      out.push({
        name: 'collector-bench-stub',
        execFilePath: '/tmp/collector-bench-stub-Ab9x0P/collector-bench-stub',
        args: arg,
        pid: 5000 + i,
      });
    else
      out.push({
        name: `proc-${i}`,
        execFilePath: `/usr/bin/proc-${i}`,
        args: `--flag ${i}`,
        pid: 5000 + i,
        lineageInfo: [{ parentUid: 0, parentExecFilePath: '/usr/bin/node' }],
      });
  }
  return out;
}

const processes = (spawned: number) => [
  { name: 'processes', type: 'processes', exitCode: 0, achieved: { type: 'processes', spawned, stub: STUB } },
];

describe('counting without decoding', () => {
  it('counts as many messages and bytes as the decoding path on the same stream content', async () => {
    const { sensor, clients } = await started();
    const sent = hostSignals();

    await pushSignals(clients, sent);
    await pushNetworkInfos(clients, [
      { connections: 3, endpoints: 1 },
      { connections: 0, endpoints: 2 },
    ]);
    const decoded = sensor.counts();
    expect(decoded.registrations + decoded.processSignals + decoded.unknownMessages).toBe(sent.length + 2);
    expect(decoded.signalMessages).toBe(sent.length + 1);
    expect(decoded.networkMessages).toBe(1 + decoded.networkInfos);

    sensor.reset();
    sensor.setIntake({ kind: 'count' });
    await pushSignals(clients, sent);
    await pushNetworkInfos(clients, [
      { connections: 3, endpoints: 1 },
      { connections: 0, endpoints: 2 },
    ]);
    const counted = sensor.counts();
    expect(counted).toMatchObject({
      signalMessages: decoded.signalMessages,
      signalBytes: decoded.signalBytes,
      networkMessages: decoded.networkMessages,
      networkBytes: decoded.networkBytes,
    });
    expect(counted.signalBytes).toBeGreaterThan(sent.length * 20);
    // Nothing was decoded: no signals kept, no per-kind counts.
    expect(counted).toMatchObject({ processSignals: 0, registrations: 0, networkInfos: 0 });
    expect(sensor.signals()).toEqual([]);
  });

  it('a byte search for the stub’s unique path counts what the decoding matcher attributes to the workload', async () => {
    const { sensor, clients } = await started();
    const sent = hostSignals();

    await pushSignals(clients, sent);
    const viaDecoding = processLossFor(processes(210), sensor.signals(), 0)!;
    expect(viaDecoding.received).toBe(200);

    sensor.reset();
    sensor.setIntake({ kind: 'search', needle: STUB });
    await pushSignals(clients, sent);
    expect(sensor.counts().matchedMessages).toBe(viaDecoding.received);
    expect(sensor.signals()).toEqual([]);
    // Setting an intake starts a search afresh.
    sensor.setIntake({ kind: 'search', needle: STUB });
    expect(sensor.counts().matchedMessages).toBe(0);
    expect(() => sensor.setIntake({ kind: 'search', needle: '' })).toThrow(/non-empty needle/);
  });
});

describe('the intake the delivery check chooses', () => {
  async function setup(delivery: Record<string, unknown> | null): Promise<DeliverySetup> {
    const [grpc, http] = [await freePort(), await freePort()];
    const config = ConfigSchema.parse({
      runtime: 'process',
      collector: { delivery },
      sensor: { enabled: true, grpcAddress: `127.0.0.1:${grpc}`, httpAddress: `127.0.0.1:${http}` },
    });
    const d = await setupDelivery({ runtime: new ProcessRuntime(), config });
    toStop.push(d);
    return d;
  }

  it('counts only when the check reads nothing the agent streams (log, none)', async () => {
    expect((await setup({ via: 'none' })).sensor!.intake).toEqual({ kind: 'count' });
    expect((await setup({ via: 'log', regex: '{canary}' })).sensor!.intake).toEqual({ kind: 'count' });
  });

  it('via the sensor: decodes for the canary, searches for the stub over the load window, and its loss matches the decoding path', async () => {
    const d = await setup({ via: 'sensor' });
    const sensor = d.sensor!;
    expect(sensor.intake).toEqual({ kind: 'decode' });
    const stub = { dir: '/tmp/collector-bench-stub-Q7r2Zk', path: STUB, kind: 'stub' as const };
    const config = ConfigSchema.parse({ runtime: 'process', collector: { delivery: { via: 'sensor' } } });
    const hooks = deliveryHooks({ via: 'sensor' }, { config, sensor, stub });
    hooks.beforeLoad!();
    expect(sensor.intake).toEqual({ kind: 'search', needle: STUB });
    const clients = connectClients(sensor.addresses.grpc);
    toClose.push(clients);
    await pushSignals(clients, hostSignals());
    const after = await hooks.afterLoad!(processes(210));
    expect(after!.processLoss).toEqual({ spawned: 210, received: 200, lossRatio: 1 - 200 / 210 });
    // A workload that exec'd something other than the stub was not searched for: no loss rather than a wrong one.
    hooks.beforeLoad!();
    const other = [{ ...processes(5)[0], achieved: { type: 'processes', spawned: 5, stub: '/bin/busybox sleep' } }];
    expect((await hooks.afterLoad!(other))!.processLoss).toBeNull();
  });
});
