/**
 * CPU per 1,000 delivered events on a real run (issue 18): the reference collector as a local
 * process with the mock sensor, a short load. After the window the sampler runs on until the
 * collector is idle again; its CPU from load start to drained is the kernel's own CPU counter over
 * that span, and the events are every process signal the sensor received over it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultFileSchema, type Sample } from '../../src/contracts/result.js';
import { DRAIN } from '../../src/run/drain.js';
import { freePort } from '../../src/runtime/free-port.js';
import { TINY_PROCESS_RUN, runCli } from '../support/cli.js';

/**
 * Ports of its own for the mock sensor and the collector's endpoints, so the test runs beside other
 * benchmarks on the same host (the defaults, 9999/9998/8080/9090, may be taken). Drawn by the one
 * free-port helper, so they can never be a port that helper hands another test.
 */
async function ownPorts(): Promise<string> {
  const [grpc, http, ready, metrics] = [await freePort(), await freePort(), await freePort(), await freePort()];
  return [
    'collector:',
    '  env:',
    `    GRPC_SERVER: "127.0.0.1:${grpc}"`,
    `    REF_COLLECTOR_SENSOR_HTTP: "127.0.0.1:${http}"`,
    `    REF_COLLECTOR_READY_PORT: "${ready}"`,
    `    REF_COLLECTOR_METRICS_PORT: "${metrics}"`,
    `  readiness: { http: { url: "http://127.0.0.1:${ready}/ready", status: 200, json: { status: ok } } }`,
    `  metricsUrl: "http://127.0.0.1:${metrics}/metrics"`,
    `sensor: { grpcAddress: "127.0.0.1:${grpc}", httpAddress: "127.0.0.1:${http}" }`,
    '',
  ].join('\n');
}

/** The collector's cumulative CPU (ns) at `t`, linear between the two readings around it. */
function cpuNsAt(samples: readonly Sample[], t: number): number {
  const after = samples.findIndex((s) => s.t >= t);
  const [a, b] = [samples[after - 1], samples[after]];
  if (b.t === t || !a) return b.cpuNs!;
  return a.cpuNs! + ((b.cpuNs! - a.cpuNs!) * (t - a.t)) / (b.t - a.t);
}

describe('CPU per 1,000 delivered events, load start to drained', () => {
  it('counts the collector CPU until it is idle again, per process signal the sensor received', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-event-cost-'));
    const out = join(dir, 'result.json');
    const config = join(dir, 'bench.config.yaml');
    writeFileSync(config, await ownPorts());
    const r = await runCli(['run', '--config', config, ...TINY_PROCESS_RUN, '--no-compare', '--out', out], {}, 240_000);
    expect(r.code, r.stderr).toBe(0);
    const run = ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8'))).runs[0];
    expect(run.valid, run.invalidReason ?? '').toBe(true);
    const cost = run.eventCost!;
    expect(cost.basis).toBe('sensor process signals');
    expect(cost.reason).toBeNull();

    // The span starts with the load window and runs past its end to drained, within the cap.
    const loadMs = run.loadWindow.endMs - run.loadWindow.startMs;
    expect(cost.spanMs).toBeGreaterThanOrEqual(loadMs - 1000);
    expect(cost.drainMs).toBeLessThanOrEqual(DRAIN.capSeconds * 1000);
    expect(cost.window.toMs - cost.window.fromMs).toBeCloseTo(cost.spanMs, 6);
    // The sampler kept reading after the window: samples cover the drained point.
    expect(run.samples.at(-1)!.t).toBeGreaterThanOrEqual(cost.window.toMs);

    // Its CPU is the kernel's counter over the span (the samples' cumulative readings).
    const counter = (cpuNsAt(run.samples, cost.window.toMs) - cpuNsAt(run.samples, cost.window.fromMs)) / 1e6;
    expect(cost.cpuMs).toBeGreaterThan(0);
    expect(Math.abs(cost.cpuMs - counter) / counter).toBeLessThan(0.02);

    // Every signal counts, the workload stub's among them.
    expect(cost.events).toBeGreaterThanOrEqual(run.processLoss!.received);
    expect(cost.events).toBeGreaterThan(0);
    expect(cost.cpuMsPer1000Events).toBeCloseTo((cost.cpuMs / cost.events!) * 1000, 9);
    if (!cost.drained) expect(r.stderr + r.stdout).toMatch(/still busy .* after the load window/);
    // The run table shows it beside CPU %.
    expect(r.stdout + r.stderr).toContain('CPU per 1k events');
  }, 300_000);
});
