import * as grpc from '@grpc/grpc-js';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/errors.js';
import { MockSensor, signalMentions } from '../../src/sensor/mock-sensor.js';
import { freePort } from '../../src/runtime/free-port.js';
import { connectClients, pushNetworkInfos, pushSignals, type TestProcessSignal } from './client.js';

const sensors: MockSensor[] = [];
const clientsToClose: { close(): void }[] = [];

async function startSensor(): Promise<MockSensor> {
  const sensor = new MockSensor({ grpcPort: 0, httpPort: 0 });
  sensors.push(sensor);
  await sensor.start();
  return sensor;
}

function clientsFor(sensor: MockSensor): ReturnType<typeof connectClients> {
  const c = connectClients(sensor.addresses.grpc);
  clientsToClose.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clientsToClose.splice(0)) c.close();
  await Promise.all(sensors.splice(0).map((s) => s.stop()));
});

function execSignal(i: number, extra: Partial<TestProcessSignal> = {}): TestProcessSignal {
  return {
    id: `id-${i}`,
    containerId: 'abcdef012345',
    time: { seconds: 1_700_000_000 + i, nanos: 500_000 },
    name: `proc-${i}`,
    args: `arg${i}`,
    execFilePath: `/usr/bin/proc-${i}`,
    pid: 1000 + i,
    uid: 0,
    gid: 0,
    lineageInfo: [{ parentUid: 0, parentExecFilePath: '/bin/sh' }],
    ...extra,
  };
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: '127.0.0.1', port }, () => s.close(() => resolve(true)));
  });
}

describe('MockSensor gRPC side', () => {
  it('counts every process signal streamed on PushSignals and keeps their fields', async () => {
    const sensor = await startSensor();
    const clients = clientsFor(sensor);
    const sent = Array.from({ length: 250 }, (_, i) => execSignal(i));

    const status = await pushSignals(clients, sent);

    expect(status.code).toBe(grpc.status.OK);
    const counts = sensor.counts();
    expect(counts.processSignals).toBe(250);
    expect(counts.registrations).toBe(1);
    expect(counts.signalStreamsOpened).toBe(1);
    expect(counts.streamsOpened).toBe(1);
    const got = sensor.signals();
    expect(got.map((s) => s.signal.name)).toEqual(sent.map((s) => s.name));
    expect(got[7]!.signal).toEqual({
      id: 'id-7',
      containerId: 'abcdef012345',
      timeMs: 1_700_000_007_000.5,
      name: 'proc-7',
      args: 'arg7',
      execFilePath: '/usr/bin/proc-7',
      pid: 1007,
      uid: 0,
      gid: 0,
      scraped: false,
      lineageInfo: [{ parentUid: 0, parentExecFilePath: '/bin/sh' }],
    });
  });

  it('timestamps each signal on receipt, in order, within the send window', async () => {
    const sensor = await startSensor();
    const clients = clientsFor(sensor);
    const before = Date.now();
    await pushSignals(clients, [execSignal(1), execSignal(2), execSignal(3)]);
    const after = Date.now();

    const times = sensor.signals().map((s) => s.receivedAtMs);
    expect(times).toHaveLength(3);
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(before - 1);
      expect(t).toBeLessThanOrEqual(after + 1);
    }
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('sums connections and endpoints over NetworkConnectionInfo messages and sends nothing back', async () => {
    const sensor = await startSensor();
    const clients = clientsFor(sensor);
    const infos = [
      { connections: 3, endpoints: 0 },
      { connections: 0, endpoints: 5 },
      { connections: 10, endpoints: 2 },
    ];

    const { status, received } = await pushNetworkInfos(clients, infos);

    expect(status.code).toBe(grpc.status.OK);
    expect(received).toEqual([]);
    expect(sensor.counts()).toMatchObject({
      networkInfos: 3,
      networkConnections: 13,
      networkEndpoints: 7,
      registrations: 1,
      networkStreamsOpened: 1,
      processSignals: 0,
    });
  });

  it('counts streams from several concurrent clients on both services', async () => {
    const sensor = await startSensor();
    const a = clientsFor(sensor);
    const b = clientsFor(sensor);

    await Promise.all([
      pushSignals(a, [execSignal(1), execSignal(2)]),
      pushSignals(b, [execSignal(3)]),
      pushNetworkInfos(a, [{ connections: 1, endpoints: 1 }]),
      pushNetworkInfos(b, [{ connections: 2, endpoints: 0 }]),
    ]);

    expect(sensor.counts()).toMatchObject({
      processSignals: 3,
      networkConnections: 3,
      networkEndpoints: 1,
      streamsOpened: 4,
      signalStreamsOpened: 2,
      networkStreamsOpened: 2,
      registrations: 4,
      streamsActive: 0,
    });
  });

  it('reset() zeroes the counts and forgets the kept signals', async () => {
    const sensor = await startSensor();
    const clients = clientsFor(sensor);
    await pushSignals(clients, [execSignal(1)]);
    await pushNetworkInfos(clients, [{ connections: 1, endpoints: 1 }]);

    sensor.reset();

    expect(sensor.counts()).toMatchObject({
      processSignals: 0,
      networkConnections: 0,
      networkEndpoints: 0,
      streamsOpened: 0,
    });
    expect(sensor.signals()).toEqual([]);
    await pushSignals(clients, [execSignal(2)]);
    expect(sensor.counts().processSignals).toBe(1);
  });

  it('keeps only the newest maxKeptSignals signals but counts them all', async () => {
    const sensor = new MockSensor({ grpcPort: 0, http: false, maxKeptSignals: 10 });
    sensors.push(sensor);
    await sensor.start();
    await pushSignals(
      clientsFor(sensor),
      Array.from({ length: 40 }, (_, i) => execSignal(i)),
    );

    expect(sensor.counts().processSignals).toBe(40);
    expect(sensor.signals().map((s) => s.signal.pid)).toEqual(Array.from({ length: 10 }, (_, i) => 1030 + i));
    expect(sensor.addresses.http).toBeNull();
  });
});

describe('MockSensor.waitForSignal', () => {
  it('finds the canary process signal that arrives after the wait started', async () => {
    const sensor = await startSensor();
    const clients = clientsFor(sensor);
    const canary = `collector-bench-canary-${Math.random().toString(36).slice(2, 10)}`;

    const waiting = sensor.waitForSignal((s) => s.signal.name === canary, 10_000);
    await pushSignals(clients, [
      execSignal(1),
      execSignal(2, { name: canary, execFilePath: `/tmp/${canary}` }),
      execSignal(3),
    ]);
    const found = await waiting;

    expect(found.signal.name).toBe(canary);
    expect(found.signal.pid).toBe(1002);
    expect(found.receivedAtMs).toBe(sensor.signals()[1]!.receivedAtMs);
  });

  it('finds a canary that was already received before the wait', async () => {
    const sensor = await startSensor();
    await pushSignals(clientsFor(sensor), [execSignal(1, { name: 'sh', args: '-c collector-bench-canary-early' })]);

    const found = await sensor.waitForSignal(signalMentions('collector-bench-canary-early'), 1_000);

    expect(found.signal.args).toBe('-c collector-bench-canary-early');
  });

  it('rejects with a RuntimeError naming the timeout when no signal matches', async () => {
    const sensor = await startSensor();
    await pushSignals(clientsFor(sensor), [execSignal(1)]);

    const err = await sensor.waitForSignal(signalMentions('never-sent'), 50).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch(/within 50 ms \(received 1 process signals on 1 streams\)/);
  });

  it('rejects pending waits when the sensor stops', async () => {
    const sensor = await startSensor();
    const waiting = sensor.waitForSignal(() => true, 60_000);
    await sensor.stop();
    await expect(waiting).rejects.toThrow(/sensor stopped/);
  });
});

describe('MockSensor lifecycle', () => {
  it('stop() frees both ports, even with a collector stream still open', async () => {
    const sensor = await startSensor();
    const clients = clientsFor(sensor);
    // A collector keeps its stream open for ever: open one and leave it.
    const call = clients.signals['PushSignals']!() as grpc.ClientDuplexStream<unknown, unknown>;
    const status = new Promise<grpc.StatusObject>((resolve) => {
      call.on('status', resolve);
      call.on('error', () => undefined);
    });
    call.write({ signal: { processSignal: execSignal(1) } });
    await sensor.waitForSignal(() => true, 10_000);
    expect(sensor.counts().streamsActive).toBe(1);
    const grpcPort = Number(sensor.addresses.grpc.split(':').pop());
    const httpPort = Number(sensor.addresses.http!.split(':').pop());
    expect(await canListen(grpcPort)).toBe(false);
    expect(await canListen(httpPort)).toBe(false);

    await sensor.stop();

    expect((await status).code).not.toBe(grpc.status.OK);
    expect(await canListen(grpcPort)).toBe(true);
    expect(await canListen(httpPort)).toBe(true);
  });

  it('listens on 127.0.0.1:9999 and :9998 by default', () => {
    // Only the configuration is checked: binding the fixed ports could clash with a real run.
    const sensor = new MockSensor();
    expect(() => sensor.addresses).toThrow(/after start/);
    return expect(import('../../src/sensor/mock-sensor.js')).resolves.toMatchObject({
      DEFAULT_GRPC_PORT: 9999,
      DEFAULT_HTTP_PORT: 9998,
      DEFAULT_HOST: '127.0.0.1',
    });
  });

  it('refuses a non-loopback listen address', () => {
    expect(() => new MockSensor({ grpcHost: '0.0.0.0' })).toThrow(/grpcHost\/grpcPort.*loopback/);
    expect(() => new MockSensor({ httpHost: '10.0.0.1', httpPort: 0 })).toThrow(/loopback/);
  });

  it('fails to start with a RuntimeError when the gRPC port is taken', async () => {
    const first = await startSensor();
    const grpcPort = Number(first.addresses.grpc.split(':').pop());
    const second = new MockSensor({ grpcPort, httpPort: 0 });

    await expect(second.start()).rejects.toThrow(RuntimeError);
  });

  it('releases the gRPC port again when the HTTP port is taken', async () => {
    const first = await startSensor();
    const httpPort = Number(first.addresses.http!.split(':').pop());
    const freeGrpcPort = await freePort();
    const second = new MockSensor({ grpcPort: freeGrpcPort, httpPort });

    await expect(second.start()).rejects.toThrow(/cannot listen for HTTP on 127\.0\.0\.1:\d+/);
    expect(await canListen(freeGrpcPort)).toBe(true);
  });
});
