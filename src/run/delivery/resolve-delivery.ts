/**
 * Which delivery check a benchmark uses, and how the results file records it. Unset means the mock
 * sensor while it is enabled (what keeps a collector that silently stopped sending from looking
 * cheaper) and no check when it is disabled.
 */
import type { Config, Delivery } from '../../config/schema.js';
import type { DeliveryRecord } from '../../contracts/result.js';
import type { DeliveryContext, DeliveryHooks } from './delivery-kind.js';
import { logDelivery } from './log-delivery.js';
import { metricsDelivery } from './metrics-delivery.js';
import { noDelivery } from './none-delivery.js';
import { sensorDelivery } from './sensor-delivery.js';

export function resolveDelivery(config: Config): Delivery {
  return config.collector.delivery ?? (config.sensor.enabled ? { via: 'sensor' } : { via: 'none' });
}

/** The run hooks of the kind `d` selects: adding a kind is one file (a DeliveryKind) and one case here. */
export function deliveryHooks(d: Delivery, ctx: DeliveryContext): DeliveryHooks {
  switch (d.via) {
    case 'sensor':
      return sensorDelivery(d, ctx);
    case 'log':
      return logDelivery(d, ctx);
    case 'metrics':
      return metricsDelivery(d, ctx);
    case 'none':
      return noDelivery(d, ctx);
  }
}

export type { DeliveryRecord };

export function deliveryRecord(d: Delivery): DeliveryRecord {
  switch (d.via) {
    case 'sensor':
      return { via: 'sensor', verified: true, detail: 'canary and workload process signals at the mock sensor' };
    case 'log':
      return { via: 'log', verified: true, detail: `agent log lines matching /${d.regex}/` };
    case 'metrics':
      return { via: 'metrics', verified: true, detail: `Prometheus counter ${d.counter}` };
    case 'none':
      return { via: 'none', verified: false, detail: 'event delivery was not verified (collector.delivery: none)' };
  }
}
