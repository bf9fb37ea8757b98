import { spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { parseSensorArgs } from '../../src/sensor/sensor-process.js';
import { connectClients, pushNetworkInfos, pushSignals } from './client.js';

const MAIN = fileURLToPath(new URL('../../src/sensor/main.ts', import.meta.url));

describe('parseSensorArgs', () => {
  it('reads addresses, objects folder and the driver mode with its parameters', () => {
    expect(
      parseSensorArgs([
        '--grpc',
        '127.0.0.1:9999',
        '--http',
        '[::1]:0',
        '--objects',
        '/tmp/o',
        '--mode',
        'error5xxThenServe',
        '--failures',
        '4',
      ]),
    ).toEqual({
      grpcHost: '127.0.0.1',
      grpcPort: 9999,
      httpHost: '::1',
      httpPort: 0,
      objectsDir: '/tmp/o',
      driverBehaviour: { mode: 'error5xxThenServe', failures: 4, status: 503 },
    });
    expect(parseSensorArgs(['--mode', 'slow', '--delay-ms', '250', '--http', 'off'])).toEqual({
      http: false,
      driverBehaviour: { mode: 'slow', delayMs: 250 },
    });
  });

  it('rejects a non-loopback address, an unknown mode, a missing parameter and unknown flags', () => {
    expect(() => parseSensorArgs(['--grpc', '0.0.0.0:9999'])).toThrow(
      /key "--grpc" has value "0.0.0.0"; allowed: a loopback host/,
    );
    expect(() => parseSensorArgs(['--grpc', '127.0.0.1'])).toThrow(/host:port/);
    expect(() => parseSensorArgs(['--mode', 'fast'])).toThrow(/key "mode" has value "fast"/);
    expect(() => parseSensorArgs(['--mode', 'slow'])).toThrow(/key "delayMs" has value \(missing\)/);
    expect(() => parseSensorArgs(['--mode', 'error5xxThenServe', '--failures', 'two'])).toThrow(
      /key "--failures" has value "two"/,
    );
    expect(() => parseSensorArgs(['--bogus'])).toThrow(InvalidInputError);
  });
});

describe('src/sensor/main.ts as a separate process', () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('prints its addresses when ready and its counts as JSON on SIGTERM, then exits 0', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN, '--grpc', '127.0.0.1:0', '--http', '127.0.0.1:0', '--mode', 'notFound'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const first = await lines.next();
    expect(first.done, stderr).toBe(false);
    const ready = JSON.parse(first.value as string);
    expect(ready).toMatchObject({
      event: 'ready',
      grpc: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      http: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });

    const clients = connectClients(ready.grpc);
    await pushSignals(clients, [{ name: 'a' }, { name: 'b' }, { name: 'collector-bench-canary-proc' }]);
    await pushNetworkInfos(clients, [{ connections: 2, endpoints: 1 }]);
    clients.close();
    const [host, port] = (ready.http as string).split(':');
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get({ host, port: Number(port), path: '/kernel-objects/1.0/x.ko.gz', agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(404);

    child.kill('SIGTERM');
    const countsLine = await lines.next();
    const counts = JSON.parse(countsLine.value as string);

    expect(counts).toMatchObject({
      event: 'counts',
      processSignals: 3,
      networkConnections: 2,
      networkEndpoints: 1,
      streamsOpened: 2,
      kernelObjectRequests: { '/kernel-objects/1.0/x.ko.gz': { total: 1, byStatus: { '404': 1 } } },
    });
    expect(await exited).toBe(0);
  });

  it('exits non-zero with a message naming the bad argument', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--grpc', '192.168.1.1:9999'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));

    expect(code).toBe(2);
    expect(stderr).toMatch(/--grpc.*192\.168\.1\.1.*loopback/);
  });
});
