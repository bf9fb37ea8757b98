/**
 * Scenarios for any agent: a profile (collectors/<agent>.yaml) says which scenarios apply and what
 * each expects; the others are reported as skipped with the profile's reason, never as passed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ProcessRuntime } from '../../src/runtime/process-runtime.js';
import { planScenarios } from '../../src/scenarios/profile-plan.js';
import { ScenariosFileSchema } from '../../src/scenarios/result.js';
import { runScenarios } from '../../src/scenarios/run-scenarios.js';
import { loadScenarios } from '../../src/scenarios/schema.js';
import { invalidInputOf } from '../support/errors.js';

const PROFILE = join(import.meta.dirname, '../../collectors/libbpf-execsnoop.yaml');

describe("a profile's scenario plan", () => {
  const { config } = loadConfig({}, PROFILE);

  it('holds an applicable scenario to the agent’s own log and skips the rest with the profile’s reason', () => {
    const planned = planScenarios(loadScenarios(), config.scenarios, PROFILE);
    const success = planned.find((p) => p.scenario.name === 'success')!;
    expect(success.skip).toBeNull();
    // The file's expectations (the reference collector's diagnostics block, its sensor canary) are replaced.
    expect(success.scenario.expect).toEqual({
      outcome: 'ready',
      maxSeconds: 60,
      canary: false,
      fatal: null,
      logRegex: '^PCOMM\\s+PID\\s+PPID\\s+RET\\s+ARGS',
    });
    expect(planned.find((p) => p.scenario.name === 'driver-404')!.skip).toMatch(/downloads no driver/);
    expect(planned.filter((p) => p.skip === null).map((p) => p.scenario.name)).toEqual(['success']);
  });

  it('skips unlisted scenarios only when the profile says so', () => {
    const scenarios = loadScenarios();
    const all = planScenarios(scenarios, { unlisted: 'run', expect: {}, skip: {} }, 'p.yaml');
    expect(all.every((p) => p.skip === null && p.scenario === scenarios[all.indexOf(p)])).toBe(true);
    const none = planScenarios(scenarios, { unlisted: 'skip', expect: {}, skip: {} }, 'p.yaml');
    expect(none.every((p) => p.skip === 'not declared applicable by the profile (scenarios.unlisted: skip)')).toBe(
      true,
    );
  });

  it('rejects a scenario name that is not a scenario file, naming the key and the names allowed', () => {
    const e = invalidInputOf(() =>
      planScenarios(loadScenarios(), { unlisted: 'run', expect: {}, skip: { 'driver-gone': 'x' } }, 'p.yaml'),
    );
    expect(e.message).toContain('p.yaml: key "scenarios.skip.driver-gone"');
    expect(e.message).toContain('success');
  });

  it('rejects a log expectation that does not compile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-plan-'));
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, 'scenarios:\n  expect:\n    success: { logRegex: "ready (" }\n');
    const e = invalidInputOf(() => loadConfig({}, file));
    expect(e.message).toContain('"scenarios.expect.success.logRegex" has value "ready ("');
  });

  it('reports scenarios that do not apply as skipped, never passed, and they fail nothing', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'cb-plan-run-'));
    // Only skipped scenarios: nothing is started, so any runtime will do.
    const out = await runScenarios({
      only: ['driver-404', 'sensor-unreachable'],
      runtimeInstance: new ProcessRuntime(),
      outDir,
      profile: { file: PROFILE, plan: config.scenarios, collector: config.collector },
      log: () => undefined,
    });
    expect(out.exitCode).toBe(0);
    expect(out.results.map((r) => [r.name, r.passed, r.skipped])).toEqual([
      ['driver-404', false, 'execsnoop carries its own CO-RE programs; it downloads no driver from a sensor'],
      ['sensor-unreachable', false, 'execsnoop has no sensor link to lose'],
    ]);
    expect(out.table).toMatch(/driver-404 .* not run .* skip/);
    expect(out.table).toContain('sensor-unreachable: skipped: execsnoop has no sensor link to lose');
    const { readFileSync } = await import('node:fs');
    const file = ScenariosFileSchema.parse(JSON.parse(readFileSync(out.file, 'utf8')));
    expect(file).toMatchObject({ passed: 0, failed: 0, skipped: 2, profile: PROFILE });
  });
});
