/**
 * Which delivery check a benchmark uses, and how the results file records it. Unset means the mock
 * sensor while it is enabled (today's behaviour, and what keeps a collector that silently stopped
 * sending from looking cheaper) and no check when it is disabled.
 */
import type { Config, Delivery } from '../../config/schema.js';
import type { DeliveryRecord } from '../../contracts/result.js';

export function resolveDelivery(config: Config): Delivery {
  return config.collector.delivery ?? (config.sensor.enabled ? { via: 'sensor' } : { via: 'none' });
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
