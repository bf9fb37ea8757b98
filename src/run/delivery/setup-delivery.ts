/**
 * The one entry point of event-delivery checking: from the config, the mock sensor when it is
 * enabled (the reference collector downloads its driver from it whatever the delivery), the
 * workload stub, and the run hooks of the delivery kind the config selects (resolve-delivery.ts).
 * Everything it starts is stopped by `stop()`, or on Ctrl-C.
 */
import { rmSync } from 'node:fs';
import type { Config } from '../../config/schema.js';
import { onCleanup } from '../../runtime/cleanup.js';
import type { Runtime } from '../../runtime/types.js';
import type { MockSensor } from '../../sensor/mock-sensor.js';
import { startBenchSensor, type BenchSensor } from './bench-sensor.js';
import type { DeliveryHooks } from './delivery-kind.js';
import { deliveryHooks, deliveryRecord, resolveDelivery, type DeliveryRecord } from './resolve-delivery.js';
import { prepareWorkloadStub, type WorkloadStub } from './workload-stub.js';

export interface DeliverySetup {
  hooks: DeliveryHooks;
  delivery: DeliveryRecord;
  /** The running mock sensor, null while `sensor.enabled` is false (scenarios steer its driver answers). */
  sensor: MockSensor | null;
  /** The workload stub the hooks count by (a duet's other arms share it: one workload, one stub). */
  stub: WorkloadStub | null;
  stop(): Promise<void>;
}

export async function setupDelivery(
  ctx: { runtime: Runtime; config: Config },
  opts: { canaryTimeoutMs?: number; sharedStub?: WorkloadStub | null } = {},
): Promise<DeliverySetup> {
  const { config } = ctx;
  const delivery = resolveDelivery(config);
  const bench: BenchSensor | null = config.sensor.enabled ? await startBenchSensor(config) : null;
  // A shared stub belongs to the setup that made it, which removes it.
  const own = opts.sharedStub === undefined;
  const stub = delivery.via === 'none' ? null : (opts.sharedStub ?? (own ? await prepareWorkloadStub() : null));
  const stop = async () => {
    unregister();
    await bench?.stop();
    if (stub && own) rmSync(stub.dir, { recursive: true, force: true });
  };
  // Ctrl-C or a timeout's SIGTERM must not leave the temp folders (or the ports) behind.
  const unregister = onCleanup(stop);
  const sensor = bench?.sensor ?? null;
  // Only the sensor check reads what the agent streams; for the others the mock sensor is the
  // agent's peer (and driver server) and need not decode it: it counts, and its CPU (the
  // harness's, on the agent's cores) stays small.
  if (sensor && delivery.via !== 'sensor') sensor.setIntake({ kind: 'count' });
  const hooks = deliveryHooks(delivery, { config, sensor, stub, canaryTimeoutMs: opts.canaryTimeoutMs });
  return { hooks, delivery: deliveryRecord(delivery), sensor, stub, stop };
}
