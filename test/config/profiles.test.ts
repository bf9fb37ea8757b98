/**
 * The agent profiles under collectors/: each is a config file the schema accepts as it stands, says
 * where its settings come from and which version it was written against, and checks delivery the
 * way that agent can show it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { fillDeliveryRegex } from '../../src/config/delivery-regex.js';
import { planScenarios } from '../../src/scenarios/profile-plan.js';
import { loadScenarios } from '../../src/scenarios/schema.js';

const REPO = join(import.meta.dirname, '../..');
const DIR = join(REPO, 'collectors');
const profiles = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const load = (name: string) => loadConfig({}, join(DIR, name), {}, REPO).config;

describe('agent profiles (collectors/*.yaml)', () => {
  it('are the four the README lists', () => {
    expect(profiles.sort()).toEqual([
      'falco-modern-ebpf.yaml',
      'libbpf-execsnoop.yaml',
      'stackrox-collector.yaml',
      'tetragon.yaml',
    ]);
  });

  it.each(profiles)('%s validates, names its sources and version, and checks delivery', (name) => {
    const config = load(name);
    const text = readFileSync(join(DIR, name), 'utf8');
    expect(text).toMatch(/Sources?\b/);
    expect(text).toMatch(/[Ww]ritten against .*\d+\.\d+|bookworm: \d+\.\d+/);
    expect(config.collector.delivery).not.toBeNull();
    expect(config.collector.delivery!.via).not.toBe('none');
    expect(config.benchmark).toBe(name.replace(/\.yaml$/, ''));
    // Every scenario is run or skipped with a reason the profile gives.
    const planned = planScenarios(loadScenarios(), config.scenarios, name);
    for (const p of planned) if (p.skip !== null) expect(p.skip.length).toBeGreaterThan(10);
    for (const m of config.collector.mounts)
      if (!m.source.startsWith('/')) expect(existsSync(resolve(REPO, m.source)), m.source).toBe(true);
  });

  it('holds the StackRox collector to its DaemonSet: core_bpf, host mounts, :8080/ready, :9090/metrics, the mock sensor', () => {
    const c = load('stackrox-collector.yaml');
    expect(c.collector.env.COLLECTION_METHOD).toBe('CORE_BPF');
    expect(c.collector.privileged).toBe(true);
    expect(c.collector.mounts.map((m) => m.target)).toEqual([
      '/host/proc',
      '/host/etc',
      '/host/usr/lib',
      '/host/sys',
      '/host/dev',
    ]);
    expect(c.collector.readiness.http?.url).toBe('http://127.0.0.1:8080/ready');
    expect(c.collector.metricsUrl).toBe('http://127.0.0.1:9090/metrics');
    expect(c.collector.delivery).toEqual({ via: 'sensor' });
    expect(c.collector.env.GRPC_SERVER).toBe(c.sensor.grpcAddress);
  });

  it("finds the canary and the stub in lines shaped like Falco's JSON alerts from the profile's rule", () => {
    const c = load('falco-modern-ebpf.yaml');
    const regex = (c.collector.delivery as { regex: string }).regex;
    const alert = (cmdline: string, exe: string) =>
      JSON.stringify({
        hostname: 'node-1',
        output: `12:00:00.000000000: Notice collector-bench exec exe=${exe} cmdline=${cmdline}`,
        priority: 'Notice',
        rule: 'collector-bench exec',
        source: 'syscall',
        time: '2026-12-01T12:00:00.000000000Z',
      });
    const marker = 'collector-bench-canary-0a1b2c3d4e5f';
    const stub = '/tmp/collector-bench-stub-Ab12Cd/collector-bench-stub';
    expect(
      fillDeliveryRegex(regex, { canary: marker, stub: null }).test(
        alert(`sh -c sleep 1; true # ${marker}`, '/bin/busybox'),
      ),
    ).toBe(true);
    expect(fillDeliveryRegex(regex, { canary: null, stub }).test(alert('collector-bench-stub aB3dE5f', stub))).toBe(
      true,
    );
    // Another rule's alert about the same process is not a delivery of this check.
    expect(
      fillDeliveryRegex(regex, { canary: marker, stub: null }).test(
        alert(marker, '/bin/busybox').replace('"rule":"collector-bench exec"', '"rule":"Terminal shell in container"'),
      ),
    ).toBe(false);
  });
});
