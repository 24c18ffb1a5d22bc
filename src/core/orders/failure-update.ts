import type { ReadonlyInFlightOrder } from './in-flight-order.js';
import type { OrderUpdate } from './updates.js';
import { OrderState } from '../types.js';

/**
 * The FAILED update for an order whose create was refused (a trading rule broken before sending,
 * or a definite refusal from the exchange): the error's class name is the error type, its message
 * the message. The tracker scrubs secrets from the message before saving it.
 */
export function failureUpdate(order: ReadonlyInFlightOrder, error: unknown, timestamp: number): OrderUpdate {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    clientOrderId: order.clientOrderId,
    tradingPair: order.tradingPair,
    newState: OrderState.FAILED,
    updateTimestamp: timestamp,
    errorType: err.name,
    errorMessage: err.message,
  };
}
