import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { MockSensor } from '../../src/sensor/mock-sensor.js';
import type { DriverBehaviourInput } from '../../src/sensor/kernel-object-server.js';

let objectsDir: string;
const rawModule = randomBytes(64 * 1024);
const preGzipped = gzipSync(randomBytes(4096));
const flatModule = randomBytes(1000);

beforeAll(() => {
  objectsDir = mkdtempSync(join(tmpdir(), 'sensor-objects-'));
  mkdirSync(join(objectsDir, '2.2.0'));
  writeFileSync(join(objectsDir, '2.2.0', 'collector-5.10.0-virt.ko'), rawModule);
  writeFileSync(join(objectsDir, '2.2.0', 'collector-6.1.0.o.gz'), preGzipped);
  writeFileSync(join(objectsDir, 'collector-flat.ko'), flatModule);
});
afterAll(() => rmSync(objectsDir, { recursive: true, force: true }));

const sensors: MockSensor[] = [];
afterEach(async () => {
  await Promise.all(sensors.splice(0).map((s) => s.stop()));
});

async function startSensor(driverBehaviour?: DriverBehaviourInput): Promise<MockSensor> {
  const sensor = new MockSensor({ grpcPort: 0, httpPort: 0, objectsDir, driverBehaviour });
  sensors.push(sensor);
  await sensor.start();
  return sensor;
}

interface Reply {
  status: number;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
}

/** One request on a fresh connection (no keep-alive), so refused listeners show as ECONNREFUSED. */
function request(sensor: MockSensor, path: string, method = 'GET'): Promise<Reply> {
  const [host, port] = [sensor.addresses.http!.split(':')[0]!, Number(sensor.addresses.http!.split(':')[1])];
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const MODULE_PATH = '/kernel-objects/2.2.0/collector-5.10.0-virt.ko.gz';

describe('kernel-object server, mode serve', () => {
  it('gzips an uncompressed object on the fly; the body gunzips to the file', async () => {
    const sensor = await startSensor();
    const reply = await request(sensor, MODULE_PATH);

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/gzip');
    expect(Number(reply.headers['content-length'])).toBe(reply.body.length);
    expect(gunzipSync(reply.body).equals(rawModule)).toBe(true);
  });

  it('serves an existing .gz byte for byte', async () => {
    const sensor = await startSensor();
    const reply = await request(sensor, '/kernel-objects/2.2.0/collector-6.1.0.o.gz');

    expect(reply.status).toBe(200);
    expect(reply.body.equals(preGzipped)).toBe(true);
  });

  it('falls back to a file directly in the objects folder for any module version', async () => {
    const sensor = await startSensor();
    const reply = await request(sensor, '/kernel-objects/9.9.9/collector-flat.ko.gz');

    expect(gunzipSync(reply.body).equals(flatModule)).toBe(true);
  });

  it('answers 404 for a missing object, a path outside /kernel-objects and a traversal attempt; 405 for POST', async () => {
    const sensor = await startSensor();

    expect((await request(sensor, '/kernel-objects/2.2.0/collector-4.0.ko.gz')).status).toBe(404);
    expect((await request(sensor, '/metrics')).status).toBe(404);
    expect((await request(sensor, '/kernel-objects/..%2F..%2Fetc/passwd.gz')).status).toBe(404);
    expect((await request(sensor, '/kernel-objects/2.2.0/..%2F..%2Fcollector-flat.ko.gz')).status).toBe(404);
    expect((await request(sensor, MODULE_PATH, 'POST')).status).toBe(405);
  });

  it('answers HEAD with the headers only', async () => {
    const sensor = await startSensor();
    const reply = await request(sensor, '/kernel-objects/2.2.0/collector-6.1.0.o.gz', 'HEAD');

    expect(reply.status).toBe(200);
    expect(Number(reply.headers['content-length'])).toBe(preGzipped.length);
    expect(reply.body.length).toBe(0);
  });

  it('counts requests per path and status', async () => {
    const sensor = await startSensor();
    await request(sensor, MODULE_PATH);
    await request(sensor, MODULE_PATH);
    await request(sensor, '/kernel-objects/2.2.0/missing.ko.gz');

    expect(sensor.counts().kernelObjectRequests).toEqual({
      [MODULE_PATH]: { total: 2, byStatus: { '200': 2 } },
      '/kernel-objects/2.2.0/missing.ko.gz': { total: 1, byStatus: { '404': 1 } },
    });
    sensor.reset();
    expect(sensor.counts().kernelObjectRequests).toEqual({});
  });
});

describe('kernel-object server, scripted failures', () => {
  it('notFound answers 404 even for an object that exists', async () => {
    const sensor = await startSensor({ mode: 'notFound' });

    expect((await request(sensor, MODULE_PATH)).status).toBe(404);
  });

  it('error5xxThenServe fails k requests with the given status, then serves', async () => {
    const sensor = await startSensor();
    await sensor.setDriverBehaviour({ mode: 'error5xxThenServe', failures: 3, status: 502 });

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(sensor, MODULE_PATH)).status);

    expect(statuses).toEqual([502, 502, 502, 200, 200]);
    expect(sensor.counts().kernelObjectRequests[MODULE_PATH]).toEqual({ total: 5, byStatus: { '502': 3, '200': 2 } });
  });

  it('error5xxThenServe defaults to 503 and counts failures afresh on each setDriverBehaviour', async () => {
    const sensor = await startSensor({ mode: 'error5xxThenServe', failures: 1 });
    expect((await request(sensor, MODULE_PATH)).status).toBe(503);
    expect((await request(sensor, MODULE_PATH)).status).toBe(200);

    await sensor.setDriverBehaviour({ mode: 'error5xxThenServe', failures: 1 });

    expect((await request(sensor, MODULE_PATH)).status).toBe(503);
  });

  it('slow delays the response by at least delayMs and then serves the object', async () => {
    const sensor = await startSensor({ mode: 'slow', delayMs: 300 });
    const started = performance.now();
    const reply = await request(sensor, MODULE_PATH);
    const elapsed = performance.now() - started;

    expect(reply.status).toBe(200);
    expect(gunzipSync(reply.body).equals(rawModule)).toBe(true);
    // A lower bound only: timers never fire early, so this cannot flake on a busy machine.
    expect(elapsed).toBeGreaterThanOrEqual(295);
  });

  it('slow counts a request the client abandons during the delay as aborted', async () => {
    const sensor = await startSensor({ mode: 'slow', delayMs: 60_000 });
    const [host, port] = sensor.addresses.http!.split(':');
    await new Promise<void>((resolve) => {
      const req = http.get({ host, port: Number(port), path: MODULE_PATH, agent: false });
      req.on('error', () => resolve());
      setTimeout(() => req.destroy(), 100);
    });
    await expect
      .poll(() => sensor.counts().kernelObjectRequests[MODULE_PATH])
      .toEqual({ total: 1, byStatus: { aborted: 1 } });
  });

  it('refused closes the listener (ECONNREFUSED) and a later mode reopens it on the same port', async () => {
    const sensor = await startSensor();
    const address = sensor.addresses.http;
    expect((await request(sensor, MODULE_PATH)).status).toBe(200);

    await sensor.setDriverBehaviour({ mode: 'refused' });
    await expect(request(sensor, MODULE_PATH)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await sensor.setDriverBehaviour({ mode: 'serve' });
    expect(sensor.addresses.http).toBe(address);
    expect((await request(sensor, MODULE_PATH)).status).toBe(200);
  });

  it('refused from the start still reports a port, which refuses connections', async () => {
    const sensor = await startSensor({ mode: 'refused' });

    expect(sensor.addresses.http).toMatch(/^127\.0\.0\.1:\d+$/);
    await expect(request(sensor, MODULE_PATH)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects an invalid behaviour with an InvalidInputError naming the key', async () => {
    const sensor = await startSensor();

    await expect(sensor.setDriverBehaviour({ mode: 'slow' } as unknown as DriverBehaviourInput)).rejects.toThrow(
      InvalidInputError,
    );
    await expect(sensor.setDriverBehaviour({ mode: 'slow' } as unknown as DriverBehaviourInput)).rejects.toThrow(
      /key "delayMs"/,
    );
    await expect(sensor.setDriverBehaviour({ mode: 'explode' } as unknown as DriverBehaviourInput)).rejects.toThrow(
      /key "mode" has value "explode"/,
    );
    await expect(sensor.setDriverBehaviour({ mode: 'error5xxThenServe', failures: 1, status: 404 })).rejects.toThrow(
      /key "status" has value 404/,
    );
    expect(sensor.driverBehaviour).toEqual({ mode: 'serve' });
  });
});
