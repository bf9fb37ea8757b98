import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { ProcessRuntime } from '../../src/runtime/process-runtime.js';
import { runScenarios } from '../../src/scenarios/run-scenarios.js';

const outDir = mkdtempSync(join(tmpdir(), 'cb-scenarios-process-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const root = process.getuid?.() === 0;

describe.skipIf(!root)('collector-bench scenarios as local processes (root: core_bpf needs bpftrace)', () => {
  it(
    'passes success, driver-404 and driver-load-fails with the bundled reference collector',
    { timeout: 120_000 },
    async () => {
      const runtime = new ProcessRuntime();
      const out = await runScenarios({
        runtimeInstance: runtime,
        outDir,
        only: ['success', 'driver-404', 'driver-load-fails'],
        log: () => undefined,
      });
      for (const r of out.results)
        expect({ name: r.name, failed: r.checks.filter((c) => !c.ok), error: r.error }).toEqual({
          name: r.name,
          failed: [],
          error: null,
        });
      expect(out.results.map((r) => r.runtime)).toEqual(['process', 'process', 'process']);
      expect(out.results[0].observed).toMatchObject({ outcome: 'ready', diagnostics: { driverLoaded: 'core_bpf' } });
      expect(out.results[1].observed).toMatchObject({ outcome: 'exit', exitCode: 1, sensorRequests: 3 });
      expect(out.exitCode).toBe(0);
      expect(runtime.active()).toEqual([]);
    },
  );

  it(
    'fails a scenario whose expectation is wrong, and bundles this start and the previous one',
    { timeout: 120_000 },
    async () => {
      // A team's scenario that expects the collector to survive a missing driver: it must FAIL, with a bundle.
      const dir = join(outDir, 'custom');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'expects-ready-on-404.yaml'),
        `name: expects-ready-on-404
description: wrong on purpose
sensor: { driver: { mode: notFound } }
collector:
  env: { REF_COLLECTOR_DOWNLOAD_RETRIES: "2", REF_COLLECTOR_DOWNLOAD_INTERVAL_MS: "100", REF_COLLECTOR_LOCAL_DRIVERS_DIR: /nonexistent/x }
expect: { outcome: ready, maxSeconds: 20 }
`,
      );
      const runtime = new ProcessRuntime();
      const first = await runScenarios({ runtimeInstance: runtime, outDir, scenariosDir: dir, log: () => undefined });
      const second = await runScenarios({ runtimeInstance: runtime, outDir, scenariosDir: dir, log: () => undefined });
      expect(first.exitCode).toBe(1);
      const r = second.results[0];
      expect(r.passed).toBe(false);
      expect(r.checks.find((c) => c.name === 'outcome')).toMatchObject({
        expected: 'ready',
        observed: 'exit',
        ok: false,
      });
      expect(second.table).toMatch(/expects-ready-on-404 .* FAIL/);
      expect(second.table).toContain('outcome: expected ready, observed exit');
      expect(r.bundle && existsSync(r.bundle)).toBe(true);

      const x = mkdtempSync(join(outDir, 'x-'));
      await tar.x({ file: r.bundle!, cwd: x });
      const b = join(x, 'scenario-expects-ready-on-404-process');
      expect(readFileSync(join(b, 'collector.log'), 'utf8')).toContain('No suitable kernel object downloaded');
      // The previous start is the first invocation's collector.
      expect(readFileSync(join(b, 'collector.previous.log'), 'utf8')).toContain('No suitable kernel object downloaded');
      expect(JSON.parse(readFileSync(join(b, 'container-state.json'), 'utf8'))).toMatchObject({
        running: false,
        exitCode: 1,
      });
      expect(JSON.parse(readFileSync(join(b, 'diagnostics.json'), 'utf8'))).toMatchObject({
        connected: true,
        driverAvailable: false,
        downloadAttempts: 2,
      });
      expect(JSON.parse(readFileSync(join(b, 'config.json'), 'utf8')).scenario.name).toBe('expects-ready-on-404');
      expect(readFileSync(join(b, 'README.txt'), 'utf8')).toContain('outcome: expected ready, observed exit');
    },
  );
});
