import { describe, expect, it } from 'vitest';
import { expandEnv, loadScenarios, parseScenario } from '../../src/scenarios/schema.js';
import { invalidInputOf } from '../support/errors.js';

const minimal = (extra = '') => `name: demo
description: a demo
expect:
  outcome: exit
  exitCode: 1
  maxSeconds: 10
${extra}`;

const errorOf = invalidInputOf;

describe('scenario files', () => {
  it('validates the scenarios shipped in scenarios/', () => {
    const all = loadScenarios();
    expect(all.map((s) => s.name)).toEqual([
      'crash-during-load',
      'driver-404',
      'driver-5xx-then-ok',
      'driver-load-fails',
      'driver-refused',
      'driver-slow',
      'sensor-unreachable',
      'success',
    ]);
    expect(all.find((s) => s.name === 'driver-404')!.sensor.driver).toEqual({ mode: 'notFound' });
    expect(all.find((s) => s.name === 'driver-5xx-then-ok')!.sensor.driver).toEqual({
      mode: 'error5xxThenServe',
      failures: 2,
      status: 503,
    });
    expect(all.find((s) => s.name === 'driver-load-fails')!.collector.docker).toMatchObject({
      capabilities: [],
      tracefs: false,
    });
    expect(all.find((s) => s.name === 'crash-during-load')!.kind).toBe('benchmark');
  });

  it('fills the defaults: core_bpf, SYS_ADMIN with tracefs in docker, a serving sensor', () => {
    const s = parseScenario(minimal(), '/x/demo.yaml');
    expect(s.collector.collectionMethod).toBe('core_bpf');
    expect(s.collector.docker).toEqual({ capabilities: ['SYS_ADMIN'], tracefs: true, env: {} });
    expect(s.sensor).toEqual({ grpc: true, driver: { mode: 'serve' } });
    expect(s.kind).toBe('startup');
  });

  it('names the file, key, value and what is allowed for a bad driver mode', () => {
    const e = errorOf(() => parseScenario(minimal('sensor:\n  driver: { mode: explode }'), '/x/demo.yaml'));
    expect(e.message).toContain('/x/demo.yaml');
    expect(e.message).toContain('sensor.driver.mode');
    expect(e.message).toContain('"explode"');
    expect(e.message).toMatch(/serve.*notFound.*error5xxThenServe/);
  });

  it('rejects an unknown outcome and an unknown key', () => {
    const bad = errorOf(() => parseScenario(minimal().replace('outcome: exit', 'outcome: crash'), '/x/demo.yaml'));
    expect(bad.message).toContain('expect.outcome');
    expect(bad.message).toContain('"crash"');
    expect(bad.message).toContain('"ready"');
    const typo = errorOf(() => parseScenario(minimal('colector: {}'), '/x/demo.yaml'));
    expect(typo.message).toContain('colector');
  });

  it('requires the name to match the file name', () => {
    const e = errorOf(() => parseScenario(minimal(), '/x/other.yaml'));
    expect(e.message).toContain('key "name"');
    expect(e.message).toContain('"other"');
  });

  it('keeps benchmark outcomes for benchmark scenarios', () => {
    const e = errorOf(() => parseScenario(minimal().replace('outcome: exit', 'outcome: invalid-run'), '/x/demo.yaml'));
    expect(e.message).toContain('expect.outcome');
    expect(e.message).toContain('kind startup expects exit or ready');
  });

  it('rejects a --only name that has no file, listing the known ones', () => {
    const e = errorOf(() => loadScenarios(undefined, ['succes']));
    expect(e.message).toContain('"succes"');
    expect(e.message).toContain('success');
  });

  it('expands {scenarioDir} in env values', () => {
    expect(expandEnv({ A: '{scenarioDir}/bin/x.sh', B: 'plain' }, { file: '/repo/scenarios/a.yaml' })).toEqual({
      A: '/repo/scenarios/bin/x.sh',
      B: 'plain',
    });
  });
});
