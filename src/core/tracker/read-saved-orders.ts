import { InvalidArgumentError } from '../errors.js';
import { InFlightOrder } from '../orders/in-flight-order.js';
import type { TrackingStatus } from '../persistence/tracking-store.js';
import { LOST_ORDER_ERROR_TYPE } from './options.js';

export interface SavedOrders {
  readonly orders: { order: InFlightOrder; tracking: TrackingStatus }[];
  readonly skipped: { key: string; error: Error }[];
}

/**
 * Reads saved tracking states (client id → order JSON). Open orders come back active, orders
 * declared lost come back lost, others as done. An entry that cannot be read is set aside with its
 * key and the error naming the bad field; it does not stop the others.
 */
export function readSavedOrders(saved: Record<string, unknown>): SavedOrders {
  const orders: SavedOrders['orders'] = [];
  const skipped: SavedOrders['skipped'] = [];
  for (const [key, data] of Object.entries(saved ?? {})) {
    try {
      const order = InFlightOrder.fromJSON(data);
      if (order.clientOrderId !== key) throw new InvalidArgumentError(`saved order under key ${key} is order ${order.clientOrderId}`, 'clientOrderId');
      const lost = order.isFailure && order.failure?.type === LOST_ORDER_ERROR_TYPE;
      orders.push({ order, tracking: lost ? 'lost' : order.isDone ? 'done' : 'active' });
    } catch (err) {
      skipped.push({ key, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  return { orders, skipped };
}
