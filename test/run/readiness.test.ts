import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForReady } from '../../src/run/readiness.js';
import { ProcessRuntime } from '../../src/runtime/process-runtime.js';

const runtime = new ProcessRuntime();
const servers: Server[] = [];

afterAll(async () => {
  for (const h of runtime.active()) await h.remove();
  for (const s of servers) s.close();
});

/** A loopback /ready endpoint answering `status` with `body`. */
async function readyEndpoint(status: number, body: unknown): Promise<string> {
  const server = createServer((_req, res) => res.writeHead(status).end(JSON.stringify(body)));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/ready`;
}

const sleeper = () =>
  runtime.start({ name: 'sleeper', role: 'test', argv: ['/bin/sh', '-c', 'echo booting; sleep 30'] });

describe('readiness is an outcome, not an exception', () => {
  it('is ready when the probe answers the status and JSON asked for and the log line appeared', async () => {
    const url = await readyEndpoint(200, { status: 'ok', extra: 1 });
    const h = await sleeper();
    const r = await waitForReady(
      h,
      { http: { url, status: 200, json: { status: 'ok' } }, logRegex: 'boot', timeoutSeconds: 5 },
      Date.now(),
    );
    expect(r).toMatchObject({ ready: true });
    expect(r.ms).toBeGreaterThanOrEqual(0);
    await h.remove();
  });

  it('is not ready, with the exit and how it ended, when the collector exits while we wait', async () => {
    const h = await runtime.start({ name: 'crasher', role: 'test', argv: ['/bin/sh', '-c', 'exit 7'] });
    const r = await waitForReady(h, { http: null, logRegex: 'never printed', timeoutSeconds: 5 }, Date.now());
    expect(r).toMatchObject({ ready: false, reason: 'exited', exit: { exitCode: 7 } });
    expect(r.ready === false && r.message).toBe('crasher exited with code 7 before it was ready');
    await h.remove();
  });

  it('is not ready after the timeout, saying what it waited for', async () => {
    const url = await readyEndpoint(503, { status: 'starting' });
    const h = await sleeper();
    const r = await waitForReady(
      h,
      { http: { url, status: 200, json: null }, logRegex: null, timeoutSeconds: 0.5 },
      Date.now(),
    );
    expect(r).toMatchObject({ ready: false, reason: 'timeout', exit: null });
    expect(r.ready === false && r.message).toBe(`sleeper was not ready within 0.5 s (waited for ${url} answering 200)`);
    await h.remove();
  });
});
