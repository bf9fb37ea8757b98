/**
 * Whether two instances of an agent can run at once (a duet), and the ports the second gets: the
 * reference collector is moved through the config's URLs; a user's agent only where its env names
 * the port; otherwise the session runs interleaved and says why.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { fixedPortReason, placeDuetArms, sessionDesign } from '../../src/run/duet.js';
import { duetPlan, seedSchedule } from '../../src/run/plans.js';
import { ProcessRuntime } from '../../src/runtime/process-runtime.js';

const runtime = new ProcessRuntime();
const port = (url: string) => new URL(url).port;

describe('the reference collector in a duet', () => {
  it('keeps the first arm as configured and gives the second free ports of its own for readiness, metrics and its sensor', async () => {
    const config = ConfigSchema.parse({ collector: { env: { REF_COLLECTOR_READY_PORT: '8080', KNOB: '1' } } });
    const placed = await placeDuetArms([config, config], runtime);
    expect(placed.design).toBe('duet');
    if (placed.design !== 'duet') return;
    const [a, b] = placed.arms;
    expect(a).toBe(config);
    const ports = (c: typeof a) => [
      port(c.collector.readiness.http!.url),
      port(c.collector.metricsUrl!),
      c.sensor.grpcAddress.split(':')[1],
      c.sensor.httpAddress.split(':')[1],
    ];
    expect(ports(a)).toEqual(['8080', '9090', '9999', '9998']);
    for (const p of ports(b)) expect(ports(a)).not.toContain(p);
    expect(new Set(ports(b)).size).toBe(4);
    expect(b.sensor.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    // Its ports follow the moved URLs (collector-target.ts derives the env from them); other env stays.
    expect(b.collector.env).toEqual({ KNOB: '1' });
  });
});

describe("a user's agent in a duet", () => {
  const agent = (collector: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
    ConfigSchema.parse({ collector: { command: ['/usr/bin/agent'], ...collector }, ...rest });

  it('cannot have a second instance when it binds a port no env value names (host network)', () => {
    expect(fixedPortReason(agent({}), true)).toBe(
      "the agent's port 8080 (collector.readiness.http.url) is in no collector.env value, so two instances on the host network would collide",
    );
    expect(fixedPortReason(agent({ readiness: { http: null, logRegex: 'up' } }), true)).toMatch(
      /port 9090 \(collector\.metricsUrl\)/,
    );
  });

  it('cannot stream to a sensor of its own unless its env names the sensor address', () => {
    const c = agent({ readiness: { http: null, logRegex: 'up' }, metricsUrl: null });
    expect(fixedPortReason(c, true)).toMatch(/sensor address \(port 9999, sensor\.grpcAddress\).*one mock sensor/);
    expect(
      fixedPortReason(
        agent({ readiness: { http: null, logRegex: 'up' }, metricsUrl: null, delivery: { via: 'none' } }),
        true,
      ),
    ).toBeNull();
  });

  it('in a network of its own binds nothing the other instance binds', () => {
    const c = agent({ network: 'none', env: { SENSOR: '127.0.0.1:9999' } });
    expect(fixedPortReason(c, false)).toBeNull();
  });

  it('is moved where its env carries the ports: each value gets the same new port its URL gets', async () => {
    const c = agent({ env: { READY_PORT: '8080', METRICS: '127.0.0.1:9090', SENSOR: '127.0.0.1:9999', OTHER: '8' } });
    const placed = await placeDuetArms([c, c], runtime);
    expect(placed.design).toBe('duet');
    if (placed.design !== 'duet') return;
    const b = placed.arms[1];
    expect(b.collector.env.READY_PORT).toBe(port(b.collector.readiness.http!.url));
    expect(b.collector.env.METRICS).toBe(`127.0.0.1:${port(b.collector.metricsUrl!)}`);
    expect(b.collector.env.SENSOR).toBe(b.sensor.grpcAddress);
    expect(b.collector.env.OTHER).toBe('8');
    expect(b.collector.env.READY_PORT).not.toBe('8080');
  });

  it('the StackRox collector profile (ports 8080 and 9090 fixed in the image) cannot run twice on the host network', () => {
    const profile = join(import.meta.dirname, '../../collectors/stackrox-collector.yaml');
    const { config } = loadConfig({ collectorImage: 'collector:x' }, profile, {});
    expect(fixedPortReason(config, true)).toMatch(/^the agent's port 8080 \(collector\.readiness\.http\.url\)/);
  });

  it('with fixed ports turns the duet plan into the interleaved plan, with the reason', async () => {
    const seeds = seedSchedule(1);
    const c = agent({});
    const design = await sessionDesign([c, c], duetPlan({ pairs: 2, warmupRuns: 0, seeds }), runtime);
    expect(design.design).toBe('interleaved');
    expect(design.reason).toMatch(/^arm 2 cannot run beside arm 1: the agent's port 8080/);
    expect(design.plan.order).toBe('ABBA');
    expect(design.plan.slots.every((s) => s.kind === 'measured')).toBe(true);
  });
});
