/**
 * No delivery check (collector.delivery `{ via: none }`): no canary, no loss, no count of delivered
 * events (so no CPU per event). The results file records `verified: false` and every report says
 * that lower figures may mean an agent that stopped collecting.
 */
import type { DeliveryKind } from './delivery-kind.js';

export const noDelivery: DeliveryKind<'none'> = () => ({
  deliveredEvents: async () => ({
    events: null,
    reason: 'delivery not checked (collector.delivery: none): nothing counted the events the agent delivered',
  }),
});
