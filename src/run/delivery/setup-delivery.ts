/**
 * The per-benchmark setup behind `collector-bench run`: the mock sensor when it is enabled (the
 * reference collector downloads its driver from it whatever the delivery), and the run hooks of the
 * delivery check the config asks for (resolve-delivery.ts).
 */
import { rmSync } from 'node:fs';
import type { Config } from '../../config/schema.js';
import { onCleanup } from '../../runtime/cleanup.js';
import type { Runtime } from '../../runtime/types.js';
import type { MockSensor } from '../../sensor/mock-sensor.js';
import type { RunHooks } from '../run-once.js';
import { prepareWorkloadStub, setupSensor } from '../sensor-hooks.js';
import { logDeliveryHooks } from './log-delivery.js';
import { metricsDeliveryHooks } from './metrics-delivery.js';
import { deliveryRecord, resolveDelivery, type DeliveryRecord } from './resolve-delivery.js';

export interface DeliverySetup {
  hooks?: RunHooks;
  delivery: DeliveryRecord;
  /** The mock sensor when it runs (scenarios steer its driver downloads). */
  sensor?: MockSensor;
  stop(): Promise<void>;
}

export async function setupDelivery(
  ctx: { runtime: Runtime; config: Config },
  opts: { canaryTimeoutMs?: number } = {},
): Promise<DeliverySetup> {
  const delivery = resolveDelivery(ctx.config);
  const record = deliveryRecord(delivery);
  const sensor = await setupSensor(ctx);
  if (delivery.via === 'sensor')
    return { hooks: sensor!.hooks, delivery: record, sensor: sensor!.sensor, stop: () => sensor!.stop() };

  const stub = delivery.via === 'none' ? null : await prepareWorkloadStub();
  const stop = async () => {
    unregister();
    if (stub) rmSync(stub.dir, { recursive: true, force: true });
    await sensor?.stop();
  };
  const unregister = onCleanup(stop);
  const common = { stub, canaryTimeoutMs: opts.canaryTimeoutMs };
  const hooks =
    delivery.via === 'log'
      ? logDeliveryHooks({ ...common, regex: delivery.regex })
      : delivery.via === 'metrics'
        ? metricsDeliveryHooks({ ...common, counter: delivery.counter, metricsUrl: ctx.config.collector.metricsUrl! })
        : undefined;
  return { hooks, delivery: record, sensor: sensor?.sensor, stop };
}
