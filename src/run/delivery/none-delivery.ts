/**
 * No delivery check (collector.delivery `{ via: none }`): no canary, no loss. The results file records
 * `verified: false` and every report says that lower figures may mean an agent that stopped collecting.
 */
import type { DeliveryKind } from './delivery-kind.js';

export const noDelivery: DeliveryKind<'none'> = () => ({});
