import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metric, startCollector, waitFor, type RunningCollector } from './run-collector.js';

describe('reference collector, procfs method, as a local process', () => {
  let rc: RunningCollector;

  beforeAll(async () => {
    rc = await startCollector({
      COLLECTION_METHOD: 'procfs',
      REF_COLLECTOR_SENSOR: 'off',
      REF_COLLECTOR_POLL_MS: '100',
    });
  });
  afterAll(async () => {
    if (rc) await rc.stop('SIGKILL');
  });

  it('answers /ready with {"status":"ok"} once collecting', async () => {
    const r = await rc.get('/ready');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
  });

  it('logs in the collector format [LEVEL YYYY/MM/DD HH:MM:SS] after the banner', () => {
    const logLines = rc.lines.filter((l) => l.startsWith('['));
    expect(logLines.length).toBeGreaterThan(3);
    for (const l of logLines)
      expect(l).toMatch(/^\[(DEBUG|INFO|WARNING|ERROR|FATAL) \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\]( |$)/);
    expect(rc.lines[0]).toMatch(/^Collector Version: /);
  });

  it('serves Prometheus text with HELP/TYPE and the rox_collector_* families', async () => {
    const res = await fetch(`http://127.0.0.1:${rc.metricsPort}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = await rc.metrics();
    for (const t of ['kernel', 'drops', 'processSent', 'processSendFailures'])
      expect(metric(m, 'rox_collector_events', t)).toBeGreaterThanOrEqual(0);
    for (const t of ['net_conn_updates', 'net_cep_updates', 'net_conn_inactive', 'net_cep_inactive'])
      expect(metric(m, 'rox_collector_counters', t)).toBeGreaterThanOrEqual(0);
  });

  it('counts a process event per new pid and reports it under /state/processes', async () => {
    const before = metric(await rc.metrics(), 'rox_collector_events', 'kernel');
    // Each child lives 1 s (several polls), so none can slip between two polls.
    const kids = Array.from({ length: 5 }, () => spawn('sleep', ['1'], { stdio: 'ignore' }));
    const pids = kids.map((k) => k.pid!);
    // Filter by pid: other processes on a shared machine may also be named sleep.
    const seenPid = async (pid: number) =>
      JSON.parse((await rc.get(`/state/processes?pid=${pid}`)).body) as Array<{
        pid: number;
        comm: string;
        exePath: string;
        args: string;
      }>;
    await waitFor(async () => (await Promise.all(pids.map(seenPid))).every((l) => l.length > 0), 10_000, rc);
    const ours = (await seenPid(pids[0]))[0];
    expect(ours.comm).toBe('sleep');
    expect(ours.exePath).toMatch(/sleep$/);
    expect(ours.args).toBe('1');
    const after = metric(await rc.metrics(), 'rox_collector_events', 'kernel');
    expect(after - before).toBeGreaterThanOrEqual(5);
    await Promise.all(kids.map((k) => new Promise((r) => (k.exitCode !== null ? r(null) : k.once('exit', r)))));
  });

  it('counts a new listening socket as an endpoint update and its close as inactive', async () => {
    const m0 = await rc.metrics();
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    await waitFor(
      async () => {
        const eps = JSON.parse((await rc.get('/state/network/endpoint')).body) as Array<{
          local: string;
          state: string;
        }>;
        return eps.some((e) => e.local === `127.0.0.1:${port}` && e.state === 'LISTEN');
      },
      10_000,
      rc,
    );
    const m1 = await rc.metrics();
    expect(metric(m1, 'rox_collector_counters', 'net_cep_updates')).toBeGreaterThan(
      metric(m0, 'rox_collector_counters', 'net_cep_updates'),
    );
    expect(metric(m1, 'rox_collector_events', 'kernel')).toBeGreaterThan(metric(m0, 'rox_collector_events', 'kernel'));

    // A connection to it shows up as connection updates.
    const client = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', () => r()));
    await waitFor(
      async () => {
        const conns = JSON.parse((await rc.get('/state/network/connection')).body) as Array<{
          local: string;
          remote: string;
          state: string;
        }>;
        return conns.some((c) => c.remote === `127.0.0.1:${port}` && c.state === 'ESTABLISHED');
      },
      10_000,
      rc,
    );
    expect(metric(await rc.metrics(), 'rox_collector_counters', 'net_conn_updates')).toBeGreaterThan(
      metric(m1, 'rox_collector_counters', 'net_conn_updates'),
    );

    client.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    await waitFor(
      async () => {
        const eps = JSON.parse((await rc.get('/state/network/endpoint')).body) as Array<{ local: string }>;
        return !eps.some((e) => e.local === `127.0.0.1:${port}`);
      },
      10_000,
      rc,
    );
    expect(metric(await rc.metrics(), 'rox_collector_counters', 'net_cep_inactive')).toBeGreaterThan(
      metric(m1, 'rox_collector_counters', 'net_cep_inactive'),
    );
  });
});

describe('reference collector shutdown', () => {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${sig} and says so`, async () => {
      const rc = await startCollector({ COLLECTION_METHOD: 'procfs', REF_COLLECTOR_SENSOR: 'off' });
      const code = await rc.stop(sig);
      expect(code).toBe(0);
      expect(rc.output()).toContain(`Received ${sig}, shutting down`);
    });
  }

  it('exits 1 with a FATAL line naming the variable when the configuration is invalid', async () => {
    const rc = await startCollector({ COLLECTION_METHOD: 'kmod', REF_COLLECTOR_SENSOR: 'off' }, { waitReady: false });
    expect(await rc.exit).toBe(1);
    expect(rc.output()).toMatch(
      /^\[FATAL [^\]]+\] environment: key "COLLECTION_METHOD" has value "kmod"; allowed: procfs \| core_bpf$/m,
    );
  });
});
