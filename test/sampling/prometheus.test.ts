import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterDeltas, parsePrometheusText, scrapePrometheus, selectValue } from '../../src/sampling/prometheus.js';
import { RuntimeError } from '../../src/errors.js';

const SCRAPE_1 = `# HELP rox_collector_events Collector events
# TYPE rox_collector_events gauge
rox_collector_events{type="kernel"} 1000
rox_collector_events{type="drops"} 3
rox_collector_events{type="ringbufferDrops"} 1
rox_collector_events{type="processSent"} 40
rox_collector_timers_us_total{name="net_scrape_read"} 123.5 1700000000000
`;
const SCRAPE_2 = `rox_collector_events{type="kernel"} 25000
rox_collector_events{type="drops"} 3
rox_collector_events{type="ringbufferDrops"} 0
rox_collector_events{type="processSent"} 440
`;

describe('parsePrometheusText', () => {
  it('reads names, labels and values, skipping HELP and TYPE comments and keeping timestamps out of the value', () => {
    const { samples, badLines } = parsePrometheusText(SCRAPE_1);
    expect(badLines).toEqual([]);
    expect(samples).toHaveLength(5);
    expect(samples[0]).toEqual({ name: 'rox_collector_events', labels: { type: 'kernel' }, value: 1000 });
    expect(samples[4]).toEqual({
      name: 'rox_collector_timers_us_total',
      labels: { name: 'net_scrape_read' },
      value: 123.5,
    });
  });

  it('unescapes \\\\, \\" and \\n in label values and allows commas, braces and spaces inside them', () => {
    const text = String.raw`rox_collector_event_times_us_total{event_dir="<",event_type="a\"b",path="C:\\dir",msg="x\ny, {z}"} 45994`;
    const { samples } = parsePrometheusText(text);
    expect(samples[0].labels).toEqual({ event_dir: '<', event_type: 'a"b', path: 'C:\\dir', msg: 'x\ny, {z}' });
    expect(samples[0].value).toBe(45994);
  });

  it('accepts metrics without labels, empty label sets, a trailing comma, and special values', () => {
    const { samples, badLines } = parsePrometheusText('up 1\nx{} 2\ny{a="1",} 3\nz +Inf\nw -Inf\nv NaN\nu 1e3\n');
    expect(badLines).toEqual([]);
    expect(samples.map((s) => s.value)).toEqual([1, 2, 3, Infinity, -Infinity, NaN, 1000]);
    expect(samples[2].labels).toEqual({ a: '1' });
  });

  it('reports malformed lines by number instead of throwing', () => {
    const { samples, badLines } = parsePrometheusText('ok 1\nbroken{a="1" 2\nnovalue\nbad value\nok2 2\n');
    expect(samples.map((s) => s.name)).toEqual(['ok', 'ok2']);
    expect(badLines).toEqual([2, 3, 4]);
  });
});

describe('counterDeltas', () => {
  const a = parsePrometheusText(SCRAPE_1).samples;
  const b = parsePrometheusText(SCRAPE_2).samples;

  it('maps rox_collector_events{type="kernel"} to events and {type="drops"} to drops', () => {
    expect(counterDeltas(a, b)).toEqual({ events: 24000, drops: 0, ringbufferDrops: 0, processSent: 400 });
  });

  it('treats a decrease as a counter reset and counts from zero', () => {
    // ringbufferDrops went 1 -> 0: a restart, so the later value (0) is what was counted since
    expect(counterDeltas(a, b, { rb: { name: 'rox_collector_events', labels: { type: 'ringbufferDrops' } } })).toEqual({
      rb: 0,
    });
    expect(counterDeltas(b, a, { events: { name: 'rox_collector_events', labels: { type: 'kernel' } } })).toEqual({
      events: 1000,
    });
  });

  it('leaves out figures missing from either scrape (threadCacheDrops here)', () => {
    expect(counterDeltas(a, b)).not.toHaveProperty('threadCacheDrops');
  });

  it('sums every series a selector matches', () => {
    expect(selectValue(a, { name: 'rox_collector_events' })).toBe(1044);
    expect(selectValue(a, { name: 'nope' })).toBeNull();
  });
});

describe('scrapePrometheus', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(SCRAPE_1);
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late 1\n'), 2000);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('fetches and parses an endpoint', async () => {
    const samples = await scrapePrometheus(`${base}/metrics`);
    expect(selectValue(samples, { name: 'rox_collector_events', labels: { type: 'kernel' } })).toBe(1000);
  });

  it('fails with RuntimeError naming the URL on HTTP errors and on timeout', async () => {
    await expect(scrapePrometheus(`${base}/missing`)).rejects.toThrow(/missing returned HTTP 404/);
    await expect(scrapePrometheus(`${base}/slow`, 200)).rejects.toBeInstanceOf(RuntimeError);
    await expect(scrapePrometheus(`${base}/slow`, 200)).rejects.toThrow(/slow failed within 200 ms/);
  });
});
