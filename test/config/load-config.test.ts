import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { invalidInputOf } from '../support/errors.js';

function dirWith(yaml: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'cb-config-'));
  if (yaml !== null) writeFileSync(join(dir, 'bench.config.yaml'), yaml);
  return dir;
}

const errorOf = invalidInputOf;

describe('loading the benchmark config', () => {
  it('uses the documented defaults when there is no file', () => {
    const { config, file } = loadConfig({}, undefined, {}, dirWith(null));
    expect(file).toBeNull();
    expect(config.run).toMatchObject({
      runs: 5,
      warmupRuns: 1,
      sampleIntervalMs: 1000,
      workloads: ['workloads/processes.toml', 'workloads/endpoints.toml'],
    });
    expect(config.collector.readiness.http).toEqual({
      url: 'http://127.0.0.1:8080/ready',
      status: 200,
      json: { status: 'ok' },
    });
    expect(config.compare).toMatchObject({ baseline: 'baselines', alpha: 0.05, minRuns: 3 });
  });

  it('reads bench.config.yaml from the working directory', () => {
    const dir = dirWith('run:\n  runs: 7\n  loadSeconds: 30\n');
    const { config, file } = loadConfig({}, undefined, {}, dir);
    expect(file).toBe(join(dir, 'bench.config.yaml'));
    expect(config.run.runs).toBe(7);
    expect(config.run.loadSeconds).toBe(30);
  });

  it('lets COLLECTOR_BENCH_* variables override the file and flags override both', () => {
    const dir = dirWith('run:\n  runs: 7\n');
    expect(loadConfig({}, undefined, { COLLECTOR_BENCH_RUNS: '9' }, dir).config.run.runs).toBe(9);
    expect(loadConfig({ runs: '11' }, undefined, { COLLECTOR_BENCH_RUNS: '9' }, dir).config.run.runs).toBe(11);
    expect(loadConfig({ workloads: 'a.toml, b.toml' }, undefined, {}, dir).config.run.workloads).toEqual([
      'a.toml',
      'b.toml',
    ]);
    expect(loadConfig({ collectorImage: 'my/collector:pr-1' }, undefined, {}, dir).config.collector.image).toBe(
      'my/collector:pr-1',
    );
  });

  it('names the file, the key, the value and what is allowed for a bad value', () => {
    const dir = dirWith('runtime: kubernetes\n');
    const e = errorOf(() => loadConfig({}, undefined, {}, dir));
    expect(e.message).toContain(join(dir, 'bench.config.yaml'));
    expect(e.message).toContain('"runtime"');
    expect(e.message).toContain('"kubernetes"');
    expect(e.message).toContain('"auto", "docker", "process"');
  });

  it('keeps the ramp (default 3 s) short enough to leave a steady window, naming the flag', () => {
    const dir = dirWith(null);
    expect(loadConfig({}, undefined, {}, dir).config.run.rampSeconds).toBe(3);
    expect(loadConfig({ rampSeconds: '1', loadSeconds: '4' }, undefined, {}, dir).config.run.rampSeconds).toBe(1);
    const e = errorOf(() => loadConfig({ rampSeconds: '5', loadSeconds: '6' }, undefined, {}, dir));
    expect(e.message).toContain('flag --ramp-seconds');
    expect(e.message).toContain('"run.rampSeconds"');
    expect(e.message).toContain('at most 4');
  });

  it("pins nothing by default; --pin names roles, a role's CPU list may hold commas", () => {
    const dir = dirWith(null);
    expect(loadConfig({}, undefined, {}, dir).config.run.pin).toBeNull();
    expect(loadConfig({ pin: 'agent=0,workloads=0,harness=0' }, undefined, {}, dir).config.run.pin).toEqual({
      agent: '0',
      workloads: '0',
      harness: '0',
    });
    const fromFile = loadConfig({}, undefined, {}, dirWith('run:\n  pin:\n    agent: "0"\n'));
    expect(fromFile.config.run.pin).toEqual({ agent: '0' });
  });

  it('refuses a pin on a CPU this harness may not use, or a role it does not know, naming the key', () => {
    const dir = dirWith(null);
    const missing = errorOf(() => loadConfig({ pin: 'agent=4095' }, undefined, {}, dir));
    expect(missing.message).toContain('flag --pin: key "run.pin.agent" has value "4095"');
    expect(missing.message).toMatch(/CPUs this harness may use: \S+ \(CPU 4095 not among them\)/);
    expect(errorOf(() => loadConfig({ pin: 'sensor=0' }, undefined, {}, dir)).message).toContain('run.pin.sensor');
    expect(errorOf(() => loadConfig({ pin: 'agent=one' }, undefined, {}, dir)).message).toContain(
      'a CPU list such as 1, 0-1 or 0,2-3',
    );
  });

  it('names a misspelt key', () => {
    const e = errorOf(() => loadConfig({}, undefined, {}, dirWith('run:\n  rnus: 3\n')));
    expect(e.message).toContain('run.rnus');
    expect(e.message).toMatch(/no such key/);
  });

  it('blames the flag or variable that gave a bad value, not the file', () => {
    const dir = dirWith('');
    expect(errorOf(() => loadConfig({ sampleIntervalMs: '50' }, undefined, {}, dir)).message).toMatch(
      /flag --sample-interval-ms: key "run.sampleIntervalMs" has value 50; allowed: >= 100/,
    );
    expect(errorOf(() => loadConfig({}, undefined, { COLLECTOR_BENCH_RUNS: 'many' }, dir)).message).toMatch(
      /environment variable COLLECTOR_BENCH_RUNS: key "run.runs" has value "many"; allowed: number/,
    );
  });

  it('reports YAML syntax errors with their position', () => {
    const e = errorOf(() => loadConfig({}, undefined, {}, dirWith('run:\n  runs: [1, 2\n')));
    expect(e.message).toMatch(/valid YAML/);
    expect(e.message).toMatch(/line \d+, column \d+/);
  });

  it('refuses a sensor address outside loopback', () => {
    const e = errorOf(() => loadConfig({}, undefined, {}, dirWith('sensor:\n  grpcAddress: "10.0.0.5:9999"\n')));
    expect(e.message).toContain('sensor.grpcAddress');
    expect(e.message).toContain('loopback');
  });

  it('says when an explicit --config file does not exist', () => {
    const e = errorOf(() => loadConfig({}, 'nope.yaml', {}, dirWith(null)));
    expect(e.message).toContain('nope.yaml');
    expect(e.message).toContain('file not found');
  });
});
