import type { Decimal } from '../decimal.js';
import { TradeType, type OrderState } from '../types.js';
import type { ReadonlyInFlightOrder } from './in-flight-order.js';

/** The spec's `LimitOrder`: an open limit order as strategies and the status view list them (`limitOrders`). */
export interface LimitOrder {
  readonly clientOrderId: string;
  readonly exchangeOrderId?: string;
  readonly tradingPair: string;
  readonly isBuy: boolean;
  readonly baseCurrency: string;
  readonly quoteCurrency: string;
  readonly price: Decimal;
  readonly quantity: Decimal;
  readonly filledQuantity: Decimal;
  /** Milliseconds. */
  readonly creationTimestamp: number;
  readonly status: OrderState;
}

/** A tracked order as a LimitOrder; undefined for an order without a price (a market order). */
export function toLimitOrder(order: ReadonlyInFlightOrder): LimitOrder | undefined {
  if (order.price === undefined) return undefined;
  return {
    clientOrderId: order.clientOrderId,
    ...(order.exchangeOrderId !== undefined && { exchangeOrderId: order.exchangeOrderId }),
    tradingPair: order.tradingPair,
    isBuy: order.tradeType === TradeType.BUY,
    baseCurrency: order.baseAsset,
    quoteCurrency: order.quoteAsset,
    price: order.price,
    quantity: order.amount,
    filledQuantity: order.executedAmountBase,
    creationTimestamp: order.creationTimestamp,
    status: order.currentState,
  };
}
