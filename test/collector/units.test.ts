import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { missingMarkerError } from '../../src/collector/bpf/bpftrace-driver.js';
import {
  DRIVER_READY_MARKER,
  DriverLineParser,
  networkEventFromTransition,
} from '../../src/collector/bpf/driver-events.js';
import { builtInDriverPath } from '../../src/collector/driver-files.js';
import { loadCollectorConfig } from '../../src/collector/config.js';
import { BoundedQueue } from '../../src/collector/event-queue.js';
import { doEventWork, RetainedMemory } from '../../src/collector/knobs.js';
import { createLogger, formatLogLine } from '../../src/collector/log.js';
import { CollectorMetrics, renderPrometheus } from '../../src/collector/metrics.js';
import { EventPipeline } from '../../src/collector/pipeline.js';
import { diagnosticsLines } from '../../src/collector/startup/diagnostics.js';
import { InvalidInputError } from '../../src/errors.js';
import { parsePrometheusText } from './run-collector.js';

describe('log format', () => {
  it('writes [LEVEL YYYY/MM/DD HH:MM:SS] message in UTC, and a bare prefix for an empty message', () => {
    const at = new Date(Date.UTC(2026, 10, 2, 3, 4, 5));
    expect(formatLogLine('INFO', 'hello', at)).toBe('[INFO 2026/11/02 03:04:05] hello');
    expect(formatLogLine('WARNING', '', at)).toBe('[WARNING 2026/11/02 03:04:05]');
  });

  it('throttles [Throttled] warnings per key to one per interval', () => {
    const out: string[] = [];
    let t = 0;
    const log = createLogger(
      (l) => out.push(l),
      () => new Date(t),
    );
    for (t = 0; t < 25_000; t += 1000) log.throttledWarn('k', 10, 'Unexpected HTTP request failure (HTTP 404)');
    expect(out).toHaveLength(3); // t = 0, 10 s, 20 s
    expect(out[0]).toBe('[WARNING 1970/01/01 00:00:00] [Throttled] Unexpected HTTP request failure (HTTP 404)');
  });
});

describe('startup diagnostics block', () => {
  it('old format: three true/false lines between the header and the closing rule', () => {
    expect(
      diagnosticsLines('old', {
        method: 'core_bpf',
        connectedToSensor: true,
        driverAvailable: true,
        driverLoaded: false,
      }),
    ).toEqual([
      '',
      '== Collector Startup Diagnostics: ==',
      'Connected to Sensor? true',
      'Kernel driver available? true',
      'Driver loaded into kernel? false',
      '====================================',
      '',
    ]);
  });

  it('new format: candidates with availability, and the loaded driver only on success', () => {
    expect(
      diagnosticsLines('new', {
        method: 'core_bpf',
        connectedToSensor: true,
        driverAvailable: true,
        driverLoaded: true,
      }).slice(2, 6),
    ).toEqual([
      'Connected to Sensor? true',
      'Kernel driver candidates:',
      '  core_bpf (available)',
      'Driver loaded into kernel: core_bpf',
    ]);
    const failed = diagnosticsLines('new', {
      method: 'core_bpf',
      connectedToSensor: true,
      driverAvailable: false,
      driverLoaded: false,
    });
    expect(failed).toContain('  core_bpf (unavailable)');
    expect(failed.some((l) => l.startsWith('Driver loaded'))).toBe(false);
  });
});

describe('Prometheus rendering', () => {
  it('emits HELP and TYPE before each family and one sample per type label', () => {
    const m = new CollectorMetrics();
    m.events.kernel = 42;
    m.counters.net_conn_updates = 7;
    const text = renderPrometheus(m);
    expect(text).toMatch(/^# HELP rox_collector_events .+\n# TYPE rox_collector_events counter\n/);
    const parsed = parsePrometheusText(text);
    expect(parsed.get('rox_collector_events{type="kernel"}')).toBe(42);
    expect(parsed.get('rox_collector_counters{type="net_conn_updates"}')).toBe(7);
    expect(parsed.get('rox_collector_timers{type="net_scrape_read_us_avg"}')).toBe(0);
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('BoundedQueue', () => {
  it('refuses items beyond its capacity and keeps FIFO order across wrap-around', async () => {
    const q = new BoundedQueue<number>(3);
    expect([q.push(1), q.push(2), q.push(3), q.push(4)]).toEqual([true, true, true, false]);
    expect(q.shift()).toBe(1);
    expect(q.push(5)).toBe(true);
    expect([q.shift(), q.shift(), q.shift(), q.shift()]).toEqual([2, 3, 5, undefined]);
    const waiting = q.whenNotEmpty();
    q.push(9);
    await waiting;
    expect(q.length).toBe(1);
  });
});

describe('EventPipeline', () => {
  const proc = (pid: number) => ({ kind: 'process' as const, pid, comm: 'x', exePath: '/x', args: '', timeMs: 0 });

  it('counts a drop when the queue to the Sensor is full', () => {
    const m = new CollectorMetrics();
    const p = new EventPipeline(m, { workFactor: 0, retainBytesPerEvent: 0, retainMaxBytes: 0 }, new BoundedQueue(2));
    for (let i = 0; i < 5; i++) p.onProcess(proc(i));
    expect(m.events.kernel).toBe(5);
    expect(m.events.drops).toBe(3);
    expect(m.counters.process_events_queued).toBe(2);
  });

  it('lists recent processes newest first and tracks open endpoints until closed', () => {
    const m = new CollectorMetrics();
    const p = new EventPipeline(
      m,
      { workFactor: 0, retainBytesPerEvent: 0, retainMaxBytes: 0, recentProcesses: 256 },
      null,
    );
    for (let i = 1; i <= 300; i++) p.onProcess(proc(i));
    const recent = p.recentProcessList();
    expect(recent).toHaveLength(256);
    expect(recent[0].pid).toBe(300);
    expect(recent[255].pid).toBe(45);
    const ep = {
      kind: 'network' as const,
      role: 'endpoint' as const,
      local: '127.0.0.1:80',
      remote: '0.0.0.0:0',
      state: 'LISTEN',
      pid: 0,
      timeMs: 0,
    };
    p.onNetwork({ ...ep, change: 'open' });
    p.refreshGauges();
    expect(m.knownEndpoints).toBe(1);
    p.onNetwork({ ...ep, change: 'close' });
    p.refreshGauges();
    expect(m.knownEndpoints).toBe(0);
    expect([m.counters.net_cep_updates, m.counters.net_cep_inactive]).toEqual([1, 1]);
  });

  it('retains the configured bytes per event up to the ceiling', () => {
    const m = new CollectorMetrics();
    const p = new EventPipeline(m, { workFactor: 0, retainBytesPerEvent: 1000, retainMaxBytes: 3500 }, null);
    for (let i = 0; i < 10; i++) p.onProcess(proc(i));
    expect(m.counters.retained_bytes).toBe(3000);
  });
});

describe('work knob', () => {
  it('is deterministic for the same key and rounds, and differs with the rounds', () => {
    expect(doEventWork(50, 'k')).toBe(doEventWork(50, 'k'));
    const byRounds = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((r) => doEventWork(r, 'k')));
    expect(byRounds.size).toBeGreaterThan(1);
    expect(doEventWork(0, 'k')).toBe(0);
  });

  it('RetainedMemory with 0 bytes per event keeps nothing', () => {
    const r = new RetainedMemory(0, 1 << 20);
    r.onEvent(1);
    expect(r.bytes).toBe(0);
  });
});

describe('bpftrace driver output', () => {
  it('recognises the ready marker printed from BEGIN, and nothing else that merely resembles it', () => {
    const p = new DriverLineParser();
    expect(p.parse(`{"type": "printf", "data": "${DRIVER_READY_MARKER}\\n"}`)).toEqual({ type: 'ready' });
    expect(p.parse(`{"type": "printf", "data": "${DRIVER_READY_MARKER}-not\\n"}`)?.type).toBe('other');
    expect(p.parse(`{"type": "attached_probes", "data": {"probes": 1}}`)?.type).toBe('attached');
  });

  it('accepts the built-in driver and refuses, naming the marker, a driver that does not print it', () => {
    expect(missingMarkerError(builtInDriverPath(), fs.readFileSync(builtInDriverPath(), 'utf8'))).toBeNull();
    const err = missingMarkerError('/x/collector.bt', 'tracepoint:sched:sched_process_exec { printf("E\\n"); }');
    expect(err).toContain('/x/collector.bt');
    expect(err).toContain(`ready marker "${DRIVER_READY_MARKER}"`);
  });

  it('joins execve arguments (A) to the exec (E) by the calling tid', () => {
    const p = new DriverLineParser();
    expect(p.parse('{"type": "attached_probes", "data": {"probes": 3}}')).toEqual({ type: 'attached', probes: 3 });
    expect(p.parse('{"type": "printf", "data": "A\\t4242\\tabc\\tcanary\\t\\n"}')).toBeNull();
    const e = p.parse('{"type": "printf", "data": "E\\t4242\\t4242\\techo\\t/bin/echo\\n"}', 5);
    expect(e).toEqual({
      type: 'process',
      event: { kind: 'process', pid: 4242, comm: 'echo', exePath: '/bin/echo', args: 'abc canary', timeMs: 5 },
    });
    // The arguments were consumed: a second exec of the same tid has none.
    const again = p.parse('{"type": "printf", "data": "E\\t4242\\t4242\\ttrue\\t/bin/true\\n"}');
    expect(again?.type === 'process' && again.event.args).toBe('');
  });

  it('counts bpftrace lost_events records and ignores unknown lines', () => {
    const p = new DriverLineParser();
    expect(p.parse('{"type": "lost_events", "data": {"events": 17}}')).toEqual({ type: 'lost', count: 17 });
    expect(p.parse('not json')).toEqual({ type: 'other', raw: 'not json' });
    expect(p.parse('')).toBeNull();
  });

  it('maps inet_sock_set_state transitions to endpoint/connection opens and closes', () => {
    const t = (o: number, n: number) =>
      networkEventFromTransition(['S', '1', '4', String(o), String(n), '127.0.0.1', '80', '0.0.0.0', '0'], 0)!;
    expect([t(7, 10).role, t(7, 10).change, t(7, 10).state]).toEqual(['endpoint', 'open', 'LISTEN']);
    expect([t(10, 7).role, t(10, 7).change]).toEqual(['endpoint', 'close']);
    expect([t(2, 1).role, t(2, 1).change, t(2, 1).state]).toEqual(['connection', 'open', 'ESTABLISHED']);
    expect([t(9, 7).role, t(9, 7).change]).toEqual(['connection', 'close']);
    const v6 = networkEventFromTransition(['S', '1', '6', '7', '10', '::1', '8080', '::', '0'], 0)!;
    expect(v6.local).toBe('[::1]:8080');
  });
});

describe('configuration from the environment', () => {
  it('has the documented defaults', () => {
    const c = loadCollectorConfig({});
    expect(c).toMatchObject({
      collectionMethod: 'procfs',
      readyPort: 8080,
      metricsPort: 9090,
      bind: '127.0.0.1',
      pollMs: 200,
      procRoot: '/proc',
      grpcServer: '127.0.0.1:9999',
      sensorHttp: '127.0.0.1:9998',
      diagnosticsFormat: 'new',
      workFactor: 0,
      retainBytesPerEvent: 0,
    });
  });

  it('switches the Sensor off and strips a trailing slash from PROC_ROOT', () => {
    const c = loadCollectorConfig({ REF_COLLECTOR_SENSOR: 'off', PROC_ROOT: '/host/proc/' });
    expect(c.grpcServer).toBeNull();
    expect(c.procRoot).toBe('/host/proc');
  });

  it('rejects bad values with an error naming the variable, the value and what is allowed', () => {
    expect(() => loadCollectorConfig({ REF_COLLECTOR_POLL_MS: 'fast' })).toThrow(InvalidInputError);
    expect(() => loadCollectorConfig({ REF_COLLECTOR_POLL_MS: 'fast' })).toThrow(
      'environment: key "REF_COLLECTOR_POLL_MS" has value "fast"; allowed: an integer from 10 to 60000',
    );
    expect(() => loadCollectorConfig({ GRPC_SERVER: 'sensor' })).toThrow(/GRPC_SERVER.*host:port/);
    expect(() => loadCollectorConfig({ REF_COLLECTOR_DIAGNOSTICS_FORMAT: 'fancy' })).toThrow(/allowed: new \| old/);
  });
});
