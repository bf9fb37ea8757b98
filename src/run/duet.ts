/**
 * Whether the arms of a duet (plans.ts, duetPlan: both arms at once) can run side by side, and the
 * configs that let them. Two instances of an agent on one host collide wherever they bind the same
 * port (host networking, or local processes), and they must each stream to a mock sensor of their
 * own, or one sensor would hold both arms' signals and neither arm's delivery could be checked. The
 * first arm keeps its configured ports; every other arm gets free loopback ports of its own:
 * - the reference collector (or an image derived from it) takes them from the config's URLs
 *   (collector-target.ts turns readiness.http.url, metricsUrl and the sensor addresses into
 *   REF_COLLECTOR_READY_PORT, REF_COLLECTOR_METRICS_PORT, GRPC_SERVER, REF_COLLECTOR_SENSOR_HTTP);
 * - a user's agent can be moved only where its collector.env carries the port (a value equal to the
 *   port or ending in `:<port>`, e.g. READY_PORT=8080 or SENSOR=127.0.0.1:9999); a port it binds
 *   that no env value names is fixed, and the session runs interleaved instead, saying why.
 * Anything else two instances would share (a fixed output file, a lock) is beyond what the config
 * shows; such an agent fails its readiness or delivery check in a duet and reads as invalid runs.
 */
import type { Config } from '../config/schema.js';
import { freePort } from '../runtime/free-port.js';
import type { Runtime } from '../runtime/types.js';
import { isReferenceCollector } from './collector-target.js';
import { resolveDelivery } from './delivery/resolve-delivery.js';
import { interleavedPlan, type Plan } from './plans.js';

export type DuetPlacement = { design: 'duet'; arms: Config[] } | { design: 'interleaved'; reason: string };

/** The environment keys the harness sets for the reference collector from the config's URLs. */
const REFERENCE_PORT_ENV = [
  'REF_COLLECTOR_READY_PORT',
  'REF_COLLECTOR_METRICS_PORT',
  'GRPC_SERVER',
  'REF_COLLECTOR_SENSOR_HTTP',
];

const portOfUrl = (url: string): string => {
  const u = new URL(url);
  return u.port || (u.protocol === 'https:' ? '443' : '80');
};
const portOfAddress = (address: string): string => address.slice(address.lastIndexOf(':') + 1);
const withUrlPort = (url: string, port: number): string => {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
};
const withAddressPort = (address: string, port: number): string =>
  `${address.slice(0, address.lastIndexOf(':') + 1)}${port}`;

/** A port the agent binds or talks to, where the config names it, and how to name it in a reason. */
interface FixedPort {
  port: string;
  where: string;
  /** The agent only talks to it (the sensor): a shared one does not collide, it mixes the arms' signals. */
  connects: boolean;
}

function portsOf(config: Config): FixedPort[] {
  const c = config.collector;
  const ports: FixedPort[] = [];
  if (c.readiness.http)
    ports.push({ port: portOfUrl(c.readiness.http.url), where: 'collector.readiness.http.url', connects: false });
  if (c.metricsUrl) ports.push({ port: portOfUrl(c.metricsUrl), where: 'collector.metricsUrl', connects: false });
  if (config.sensor.enabled && resolveDelivery(config).via === 'sensor')
    ports.push({ port: portOfAddress(config.sensor.grpcAddress), where: 'sensor.grpcAddress', connects: true });
  return ports;
}

/** The env keys of a user's agent that carry `port`: a value equal to it or ending in `:<port>`. */
function envCarrying(env: Record<string, string>, port: string): string[] {
  return Object.entries(env)
    .filter(([, v]) => v === port || v.endsWith(`:${port}`))
    .map(([k]) => k);
}

/** Why a user's agent cannot have a second instance beside the first; null when every port it uses can be moved. */
export function fixedPortReason(config: Config, sharesHostNetwork: boolean): string | null {
  for (const p of portsOf(config)) {
    if (!p.connects && !sharesHostNetwork) continue;
    if (envCarrying(config.collector.env, p.port).length > 0) continue;
    return p.connects
      ? `the agent's sensor address (port ${p.port}, ${p.where}) is in no collector.env value, so both instances would stream to one mock sensor and neither arm's delivery could be checked`
      : `the agent's port ${p.port} (${p.where}) is in no collector.env value, so two instances on the host network would collide`;
  }
  return null;
}

/** Arm `config` moved to fresh loopback ports: the config's URLs and addresses, and the env values that carry them. */
async function moved(config: Config, reference: boolean): Promise<Config> {
  const c = config.collector;
  const moves = new Map<string, number>();
  const fresh = async (port: string) => {
    if (!moves.has(port)) moves.set(port, await freePort());
    return moves.get(port)!;
  };
  const readiness = c.readiness.http
    ? {
        ...c.readiness,
        http: {
          ...c.readiness.http,
          url: withUrlPort(c.readiness.http.url, await fresh(portOfUrl(c.readiness.http.url))),
        },
      }
    : c.readiness;
  const metricsUrl = c.metricsUrl ? withUrlPort(c.metricsUrl, await fresh(portOfUrl(c.metricsUrl))) : null;
  const sensor = {
    ...config.sensor,
    grpcAddress: withAddressPort(config.sensor.grpcAddress, await fresh(portOfAddress(config.sensor.grpcAddress))),
    httpAddress: withAddressPort(config.sensor.httpAddress, await fresh(portOfAddress(config.sensor.httpAddress))),
  };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.env)) {
    // The reference collector's ports follow the URLs above (collector-target.ts derives them).
    if (reference && REFERENCE_PORT_ENV.includes(k)) continue;
    const port = [...moves.keys()].find((p) => v === p || v.endsWith(`:${p}`));
    env[k] = port === undefined ? v : `${v.slice(0, v.length - port.length)}${moves.get(port)}`;
  }
  return { ...config, sensor, collector: { ...c, readiness, metricsUrl, env } };
}

/**
 * The arms' configs for a duet (the first unchanged, every other on ports of its own), or why the
 * arms cannot run at once.
 */
export async function placeDuetArms(arms: readonly Config[], runtime: Runtime): Promise<DuetPlacement> {
  const placed: Config[] = [arms[0]];
  for (const [i, config] of arms.entries()) {
    if (i === 0) continue;
    const reference = await isReferenceCollector(config, runtime);
    // Local processes always share the host's network; a container does with `network: host`.
    const sharesHostNetwork = runtime.kind === 'process' || config.collector.network === 'host';
    const reason = reference ? null : fixedPortReason(config, sharesHostNetwork);
    if (reason) return { design: 'interleaved', reason: `arm ${i + 1} cannot run beside arm 1: ${reason}` };
    placed.push(await moved(config, reference));
  }
  return { design: 'duet', arms: placed };
}

/** How a session runs its arms, decided once its runtime is known, and the arms' configs and plan for it. */
export interface SessionDesign {
  design: 'duet' | 'interleaved';
  /** Why a duet plan runs interleaved (two instances cannot coexist); null otherwise. */
  reason: string | null;
  arms: Config[];
  plan: Plan;
}

/**
 * A plan without duet slots runs as it is; a duet plan runs as a duet when its arms can coexist
 * (placeDuetArms), else one arm after the other in the same start order (interleavedPlan).
 */
export async function sessionDesign(arms: readonly Config[], plan: Plan, runtime: Runtime): Promise<SessionDesign> {
  if (!plan.duet && !plan.slots.some((s) => s.kind === 'duet'))
    return { design: 'interleaved', reason: null, arms: [...arms], plan };
  const placed = await placeDuetArms(arms, runtime);
  if (placed.design === 'duet') return { design: 'duet', reason: null, arms: placed.arms, plan };
  return { design: 'interleaved', reason: placed.reason, arms: [...arms], plan: interleavedPlan(plan) };
}

/** One line for the log: what each arm of a duet listens on, or why a duet runs interleaved; null for a plan that is no duet. */
export function describeDesign(d: SessionDesign): string | null {
  if (d.reason) return `duet not possible, running the arms interleaved instead: ${d.reason}`;
  if (d.design !== 'duet') return null;
  const ports = d.arms.map((c, i) => {
    const own = [
      c.sensor.enabled ? `sensor ${c.sensor.grpcAddress}` : null,
      c.collector.readiness.http ? `ready ${c.collector.readiness.http.url}` : null,
      c.collector.metricsUrl ? `metrics ${c.collector.metricsUrl}` : null,
    ].filter(Boolean);
    return `arm ${i + 1}: ${own.join(', ') || 'no ports'}`;
  });
  return `duet: both arms at once on one workload, each sampled on its own (cgroup or process tree), with its own delivery check and ports (${ports.join('; ')})`;
}
