import type {
  OrderCreatedEvent,
  OrderEvent,
  OrderFilledEvent,
} from '../events/order-events.js';
import type { ReadonlyInFlightOrder } from '../orders/in-flight-order.js';
import type { TradeUpdate } from '../orders/updates.js';
import { OrderState } from '../types.js';

/** Builds the tracker's events from the order as it is after the change. Frozen: listeners share them. */

function base(order: ReadonlyInFlightOrder, now: number) {
  return {
    timestamp: now,
    clientOrderId: order.clientOrderId,
    ...(order.exchangeOrderId !== undefined && { exchangeOrderId: order.exchangeOrderId }),
    tradingPair: order.tradingPair,
    orderType: order.orderType,
    side: order.tradeType,
  };
}

export function orderCreatedEvent(order: ReadonlyInFlightOrder, now: number): OrderCreatedEvent {
  return Object.freeze({
    type: 'OrderCreated',
    ...base(order, now),
    amount: order.amount,
    ...(order.price !== undefined && { price: order.price }),
    creationTimestamp: order.creationTimestamp,
  });
}

export function orderFilledEvent(order: ReadonlyInFlightOrder, trade: TradeUpdate, now: number): OrderFilledEvent {
  return Object.freeze({
    type: 'OrderFilled',
    ...base(order, now),
    tradeId: trade.tradeId,
    price: trade.fillPrice,
    amount: trade.fillBaseAmount,
    quoteAmount: trade.fillQuoteAmount,
    fee: trade.fee,
    ...(trade.isMaker !== undefined && { isMaker: trade.isMaker }),
    fillTimestamp: trade.fillTimestamp,
    executedAmountBase: order.executedAmountBase,
    overfilled: order.isOverfilled,
  });
}

/** The event that announces the order's end, for whichever terminal state it reached. */
export function orderEndEvent(order: ReadonlyInFlightOrder, now: number): OrderEvent {
  const b = base(order, now);
  switch (order.currentState) {
    case OrderState.FILLED: {
      const avg = order.averageExecutedPrice;
      return Object.freeze({
        type: 'OrderCompleted',
        ...b,
        baseAsset: order.baseAsset,
        quoteAsset: order.quoteAsset,
        executedAmountBase: order.executedAmountBase,
        executedAmountQuote: order.executedAmountQuote,
        ...(avg !== undefined && { averagePrice: avg }),
        fillsComplete: order.isFilled,
      });
    }
    case OrderState.CANCELED:
      return Object.freeze({ type: 'OrderCancelled', ...b, executedAmountBase: order.executedAmountBase });
    case OrderState.EXPIRED:
      return Object.freeze({ type: 'OrderExpired', ...b, executedAmountBase: order.executedAmountBase });
    case OrderState.FAILED:
      return Object.freeze({
        type: 'OrderFailed',
        ...b,
        errorType: order.failure?.type ?? 'unknown',
        errorMessage: order.failure?.message ?? '',
      });
    default:
      throw new Error(`orderEndEvent: ${order.clientOrderId} is ${order.currentState}, not in a terminal state`);
  }
}
