/**
 * The one interface every delivery check implements (sensor, log, metrics, none). A kind turns its
 * `collector.delivery` settings and what the entry point prepared (setup-delivery.ts: the mock
 * sensor, the workload stub) into run hooks:
 *  - `afterReady`: a canary, its latency, and a reason to invalidate the run when it never shows;
 *  - `workloadSpec`: the per-benchmark stub, so the workload's events can be counted exactly;
 *  - `beforeLoad` / `afterLoad`: the load window's loss, a closing check, and what the run records
 *    about how the agent's output arrived.
 * A kind never adjusts the collector's own spec: that seam (`collectorSpec`) belongs to scenarios.
 */
import type { Config, Delivery } from '../../config/schema.js';
import type { MockSensor } from '../../sensor/mock-sensor.js';
import type { RunHooks } from '../run-once.js';
import type { WorkloadStub } from './workload-stub.js';

export type DeliveryHooks = Omit<RunHooks, 'collectorSpec'>;

export interface DeliveryContext {
  config: Config;
  /** The mock sensor while `sensor.enabled` (whatever the delivery: the reference collector needs it for its driver). */
  sensor: MockSensor | null;
  /** The per-benchmark exec stub; null for `none` or when the host can build none. */
  stub: WorkloadStub | null;
  /** How long a canary may take (default CANARY_TIMEOUT_MS); tests shorten it. */
  canaryTimeoutMs?: number;
}

export type DeliveryKind<V extends Delivery['via']> = (
  settings: Extract<Delivery, { via: V }>,
  ctx: DeliveryContext,
) => DeliveryHooks;
