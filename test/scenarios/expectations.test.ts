import { describe, expect, it } from 'vitest';
import { parseStartupLog } from '../../src/diagnostics/parse-startup.js';
import { checkExpectations } from '../../src/scenarios/expectations.js';
import type { Observed } from '../../src/scenarios/result.js';
import { loadScenarios } from '../../src/scenarios/schema.js';

const driver404 = loadScenarios(undefined, ['driver-404'])[0];
const LOG_404 = `[INFO 2026/01/01 00:00:00] Sensor configured at address: 127.0.0.1:1
[WARNING 2026/01/01 00:00:00] [Throttled] Unexpected HTTP request failure (HTTP 404)
[WARNING 2026/01/01 00:00:00] [Throttled] Unexpected HTTP request failure (HTTP 404)
[WARNING 2026/01/01 00:00:00] [Throttled] Unexpected HTTP request failure (HTTP 404)
[WARNING 2026/01/01 00:00:01] Attempted to download collector-k.bt.gz 3 time(s)
[INFO 2026/01/01 00:00:01] == Collector Startup Diagnostics: ==
[INFO 2026/01/01 00:00:01] Connected to Sensor? true
[INFO 2026/01/01 00:00:01] Kernel driver candidates:
[INFO 2026/01/01 00:00:01]   core_bpf (unavailable)
[INFO 2026/01/01 00:00:01] ====================================
[FATAL 2026/01/01 00:00:01] No suitable kernel object downloaded for kernel k`;

const observed = (over: Partial<Observed> = {}): Observed => ({
  outcome: 'exit',
  exitCode: 1,
  seconds: 1.2,
  diagnostics: parseStartupLog(LOG_404),
  sensorRequests: 3,
  canaryLatencyMs: null,
  run: null,
  ...over,
});

describe('checkExpectations (driver-404)', () => {
  it('passes every check on the observation the scenario describes', () => {
    const checks = checkExpectations(driver404, observed());
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'outcome',
        'exit code',
        'seconds',
        'FATAL line',
        'diagnostics.connected',
        'diagnostics.candidates',
        'download attempts',
        'HTTP 404 warnings',
        'sensor kernel-object requests',
      ]),
    );
  });

  it('fails the checks that differ and says what was observed', () => {
    const checks = checkExpectations(
      driver404,
      observed({ outcome: 'ready', exitCode: null, seconds: 99, sensorRequests: 1, diagnostics: parseStartupLog('') }),
    );
    const failed = Object.fromEntries(checks.filter((c) => !c.ok).map((c) => [c.name, c.observed]));
    expect(failed).toMatchObject({
      outcome: 'ready',
      'exit code': 'null',
      seconds: '99',
      'FATAL line': 'none',
      'sensor kernel-object requests': '1',
      'download attempts': 'null',
    });
  });
});
