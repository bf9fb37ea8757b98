import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { invalidInputOf } from '../support/errors.js';

function dirWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cb-delivery-'));
  writeFileSync(join(dir, 'bench.config.yaml'), yaml);
  return dir;
}

describe('collector.delivery: where the harness looks for the events an agent delivered', () => {
  it('is unset by default (the sensor while it is enabled) and read from the file', () => {
    expect(loadConfig({}, undefined, {}, dirWith('')).config.collector.delivery).toBeNull();
    const dir = dirWith('collector:\n  delivery: { via: log, regex: "exec .*{canary}" }\n');
    expect(loadConfig({}, undefined, {}, dir).config.collector.delivery).toEqual({
      via: 'log',
      regex: 'exec .*{canary}',
    });
  });

  it('takes --delivery and COLLECTOR_BENCH_DELIVERY as via[:argument] or a YAML mapping; the flag wins', () => {
    const dir = dirWith('');
    const load = (flags: Record<string, unknown>, env: Record<string, string> = {}) =>
      loadConfig(flags, undefined, env, dir).config.collector.delivery;
    expect(load({ delivery: 'none' })).toEqual({ via: 'none' });
    expect(load({ delivery: 'log:^\\S+ .*{canary}' })).toEqual({ via: 'log', regex: '^\\S+ .*{canary}' });
    expect(load({ delivery: 'metrics:rox_collector_events{type="kernel"}' })).toEqual({
      via: 'metrics',
      counter: 'rox_collector_events{type="kernel"}',
    });
    expect(load({ delivery: '{via: metrics, counter: falcosecurity_falco_events_total}' })).toEqual({
      via: 'metrics',
      counter: 'falcosecurity_falco_events_total',
    });
    expect(load({}, { COLLECTOR_BENCH_DELIVERY: 'none' })).toEqual({ via: 'none' });
    expect(load({ delivery: 'sensor' }, { COLLECTOR_BENCH_DELIVERY: 'none' })).toEqual({ via: 'sensor' });
  });

  it('rejects an unknown via, naming the key, the value and the allowed ones', () => {
    const e = invalidInputOf(() => loadConfig({ delivery: 'grpc' }, undefined, {}, dirWith('')));
    expect(e.message).toContain('flag --delivery');
    expect(e.message).toContain('"collector.delivery.via"');
    expect(e.message).toContain('"grpc"');
    expect(e.message).toContain('"sensor", "log", "metrics", "none"');

    const inFile = dirWith('collector:\n  delivery: { via: stdout }\n');
    const f = invalidInputOf(() => loadConfig({}, undefined, {}, inFile));
    expect(f.message).toContain(join(inFile, 'bench.config.yaml'));
    expect(f.message).toContain('"collector.delivery.via" has value "stdout"');
  });

  it('rejects a log regex that does not compile, with the engine’s reason', () => {
    const e = invalidInputOf(() =>
      loadConfig({}, undefined, { COLLECTOR_BENCH_DELIVERY: 'log:exec ({canary}' }, dirWith('')),
    );
    expect(e.message).toContain('environment variable COLLECTOR_BENCH_DELIVERY');
    expect(e.message).toContain('"collector.delivery.regex" has value "exec ({canary}"');
    expect(e.message).toMatch(/a JavaScript regular expression that compiles \(.*Unterminated group/);
  });

  it('rejects a log regex without {canary}: the canary could never be recognised', () => {
    const e = invalidInputOf(() => loadConfig({ delivery: 'log:{stub}' }, undefined, {}, dirWith('')));
    expect(e.message).toContain('"collector.delivery.regex" has value "{stub}"');
    expect(e.message).toContain('containing {canary}');
  });

  it('rejects a log delivery without a regex and a metrics delivery whose counter is not a series', () => {
    expect(invalidInputOf(() => loadConfig({ delivery: 'log' }, undefined, {}, dirWith(''))).message).toContain(
      '"collector.delivery.regex" has value (missing); allowed: string',
    );
    const e = invalidInputOf(() => loadConfig({ delivery: 'metrics:events total' }, undefined, {}, dirWith('')));
    expect(e.message).toContain('"collector.delivery.counter" has value "events total"');
    expect(e.message).toContain('a Prometheus series');
  });

  it('rejects delivery via the sensor while the sensor is disabled', () => {
    const dir = dirWith('sensor:\n  enabled: false\n');
    const e = invalidInputOf(() => loadConfig({ delivery: 'sensor' }, undefined, {}, dir));
    expect(e.message).toContain('flag --delivery');
    expect(e.message).toContain('"collector.delivery.via" has value "sensor"');
    expect(e.message).toContain('while sensor.enabled is false');
    expect(loadConfig({ delivery: 'none' }, undefined, {}, dir).config.collector.delivery).toEqual({ via: 'none' });
  });

  it('rejects delivery via metrics when there is no metrics URL to scrape', () => {
    const dir = dirWith('collector:\n  metricsUrl: null\n  delivery: { via: metrics, counter: events_total }\n');
    const e = invalidInputOf(() => loadConfig({}, undefined, {}, dir));
    expect(e.message).toContain('"collector.delivery.via" has value "metrics"');
    expect(e.message).toContain('while collector.metricsUrl is null');
  });

  it('rejects a log regex that matches without the canary: any line would be taken for it', () => {
    const e = invalidInputOf(() => loadConfig({ delivery: 'log:exec|{canary}|.*' }, undefined, {}, dirWith('')));
    expect(e.message).toContain('"collector.delivery.regex" has value "exec|{canary}|.*"');
    expect(e.message).toContain('matches an empty line without them');
    expect(
      loadConfig({ delivery: 'log:^exec .*{canary}' }, undefined, {}, dirWith('')).config.collector.delivery,
    ).toEqual({ via: 'log', regex: '^exec .*{canary}' });
  });
});

describe('collector.readiness.logRegex: checked when the config loads, not when the collector is up', () => {
  it('rejects a readiness regex that does not compile, naming the file, the key and the engine’s reason', () => {
    const dir = dirWith('collector:\n  readiness: { http: null, logRegex: "^(ready" }\n');
    const e = invalidInputOf(() => loadConfig({}, undefined, {}, dir));
    expect(e.message).toContain(join(dir, 'bench.config.yaml'));
    expect(e.message).toContain('"collector.readiness.logRegex" has value "^(ready"');
    expect(e.message).toMatch(/a JavaScript regular expression that compiles \(.*Unterminated group/);
  });

  it('takes one that compiles, and none', () => {
    const ok = dirWith('collector:\n  readiness: { http: null, logRegex: "^PCOMM\\\\s+PID" }\n');
    expect(loadConfig({}, undefined, {}, ok).config.collector.readiness.logRegex).toBe('^PCOMM\\s+PID');
    expect(loadConfig({}, undefined, {}, dirWith('')).config.collector.readiness.logRegex).toBeNull();
  });
});
