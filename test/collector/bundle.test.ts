import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleEntry } from '../../src/runtime/bundle.js';
import { MockSensor } from '../../src/sensor/mock-sensor.js';
import { COLLECTOR_MAIN, freePort, waitFor } from './run-collector.js';

describe('the esbuild bundle of the reference collector', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'collector-bundle-test-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('runs from another directory with no node_modules and streams process signals to the Sensor', async () => {
    const outfile = path.join(work, 'collector.mjs');
    await bundleEntry(COLLECTOR_MAIN, outfile);
    const sensor = new MockSensor({ grpcPort: 0, http: false });
    const addr = await sensor.start();
    const readyPort = await freePort();
    const child = spawn(process.execPath, [outfile], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        COLLECTION_METHOD: 'procfs',
        GRPC_SERVER: addr.grpc,
        REF_COLLECTOR_READY_PORT: String(readyPort),
        REF_COLLECTOR_METRICS_PORT: String(readyPort),
        REF_COLLECTOR_POLL_MS: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exit = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    try {
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${readyPort}/ready`).catch(() => null))?.status === 200,
        30_000,
      );
      const sleeper = spawn('sleep', ['1'], { stdio: 'ignore' });
      const got = await sensor.waitForSignal(({ signal }) => signal.pid === sleeper.pid, 10_000);
      expect(got.signal.name).toBe('sleep');
      // One port for both surfaces: /metrics answers on the ready port too.
      expect(await (await fetch(`http://127.0.0.1:${readyPort}/metrics`)).text()).toMatch(
        /^rox_collector_events\{type="processSent"\} [1-9]/m,
      );
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } catch (e) {
      child.kill('SIGKILL');
      throw new Error(`${(e as Error).message}\ncollector output:\n${out}`);
    } finally {
      await sensor.stop();
    }
  });
});
