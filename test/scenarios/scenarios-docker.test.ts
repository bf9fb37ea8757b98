import type Docker from 'dockerode';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../src/runtime/docker-runtime.js';
import { ScenariosFileSchema } from '../../src/scenarios/result.js';
import { runScenarios } from '../../src/scenarios/run-scenarios.js';
import { ensureDocker, TEST_LABELS } from '../support/docker.js';

const docker = await ensureDocker();
const outDir = mkdtempSync(join(tmpdir(), 'cb-scenarios-docker-'));

async function testContainers(d: Docker) {
  return d.listContainers({ all: true, filters: { label: ['collector-bench.test=1', 'collector-bench.scenario'] } });
}

describe.skipIf(!docker)('collector-bench scenarios in Docker, with the reference collector image', () => {
  afterAll(async () => {
    for (const c of await testContainers(docker as Docker))
      await (docker as Docker)
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    rmSync(outDir, { recursive: true, force: true });
  });

  it(
    'passes every shipped scenario end to end, writes the JSON results and leaves no container behind',
    { timeout: 300_000 },
    async () => {
      const logs: string[] = [];
      const runtime = new DockerRuntime(docker as Docker);
      const out = await runScenarios({
        runtimeInstance: runtime,
        outDir,
        labels: TEST_LABELS,
        log: (m) => logs.push(m),
      });
      const byName = Object.fromEntries(out.results.map((r) => [r.name, r]));
      for (const r of out.results)
        expect({ name: r.name, failed: r.checks.filter((c) => !c.ok), error: r.error }).toEqual({
          name: r.name,
          failed: [],
          error: null,
        });
      expect(out.exitCode).toBe(0);
      expect(Object.keys(byName).sort()).toEqual([
        'crash-during-load',
        'driver-404',
        'driver-5xx-then-ok',
        'driver-load-fails',
        'driver-refused',
        'driver-slow',
        'sensor-unreachable',
        'success',
      ]);

      // What each scenario saw, beyond pass/fail.
      expect(byName['sensor-unreachable'].observed.diagnostics).toMatchObject({ format: 'old', connected: false });
      expect(byName['driver-404'].observed.diagnostics?.downloadAttempts).toBe(3);
      expect(byName['driver-load-fails'].observed.exitCode).toBe(1);
      expect(byName['driver-5xx-then-ok'].observed.sensorRequests).toBe(3);
      expect(byName.success.observed.canaryLatencyMs).toBeGreaterThanOrEqual(0);
      const crash = byName['crash-during-load'].observed.run!;
      expect(crash.valid).toBe(false);
      expect(crash.invalidReason).toMatch(/collector exited during the run with code 137/);
      expect(crash.diagnosticBundle).toMatch(/\.tar\.gz$/);
      expect(logs.some((l) => l.includes('diagnostic bundle'))).toBe(true);

      const file = ScenariosFileSchema.parse(JSON.parse(readFileSync(out.file, 'utf8')));
      expect(file).toMatchObject({
        schema: 'collector-bench/scenarios@1',
        passed: 8,
        failed: 0,
        runtime: { kind: 'docker' },
      });
      expect(out.table).toMatch(/crash-during-load .* pass/);

      expect(await testContainers(docker as Docker)).toEqual([]);
      expect(runtime.active()).toEqual([]);
    },
  );
});
