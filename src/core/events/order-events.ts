import type { Decimal } from '../decimal.js';
import type { TradeFee } from '../fees/trade-fee.js';
import type { OrderType, TradeType } from '../types.js';

/**
 * Order events, past tense, emitted only by the order tracker, each after the change it announces
 * is saved. Each fires at most once per order (OrderFilled at most once per trade id), also across
 * restarts. `timestamp` is the tracker's clock when it processed the change (milliseconds); the
 * exchange's own times are in the order and fill fields.
 */
interface OrderEventBase {
  readonly timestamp: number;
  readonly clientOrderId: string;
  readonly exchangeOrderId?: string;
  readonly tradingPair: string;
  readonly orderType: OrderType;
  readonly side: TradeType;
}

/** The exchange has the order (acknowledged, or seen live or filled). */
export interface OrderCreatedEvent extends OrderEventBase {
  readonly type: 'OrderCreated';
  readonly amount: Decimal;
  readonly price?: Decimal;
  readonly creationTimestamp: number;
}

/** One fill, once per trade id, including fills that arrive after the order ended. */
export interface OrderFilledEvent extends OrderEventBase {
  readonly type: 'OrderFilled';
  readonly tradeId: string;
  readonly price: Decimal;
  readonly amount: Decimal;
  readonly quoteAmount: Decimal;
  readonly fee: TradeFee;
  readonly isMaker?: boolean;
  readonly fillTimestamp: number;
  /** The order's executed base amount after this fill. */
  readonly executedAmountBase: Decimal;
  /** The fills now exceed the order's amount. */
  readonly overfilled: boolean;
}

/**
 * The order is FILLED. `fillsComplete` is false when the fill barrier timed out: the fills known
 * did not add up to the amount, and the missing ones will follow as OrderFilled events.
 */
export interface OrderCompletedEvent extends OrderEventBase {
  readonly type: 'OrderCompleted';
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly executedAmountBase: Decimal;
  readonly executedAmountQuote: Decimal;
  readonly averagePrice?: Decimal;
  readonly fillsComplete: boolean;
}

export interface OrderCancelledEvent extends OrderEventBase {
  readonly type: 'OrderCancelled';
  readonly executedAmountBase: Decimal;
}

/** The exchange ended the order (IOC or market remainder, self-trade prevention). It may carry fills; it is not a failure. */
export interface OrderExpiredEvent extends OrderEventBase {
  readonly type: 'OrderExpired';
  readonly executedAmountBase: Decimal;
}

export interface OrderFailedEvent extends OrderEventBase {
  readonly type: 'OrderFailed';
  readonly errorType: string;
  readonly errorMessage: string;
}

export type OrderEvent =
  | OrderCreatedEvent
  | OrderFilledEvent
  | OrderCompletedEvent
  | OrderCancelledEvent
  | OrderExpiredEvent
  | OrderFailedEvent;

export type OrderEventType = OrderEvent['type'];

/** Event name → event, for TypedEmitter. */
export type OrderEventMap = { [E in OrderEvent as E['type']]: E };

export const ORDER_EVENT_TYPES: readonly OrderEventType[] = [
  'OrderCreated',
  'OrderFilled',
  'OrderCompleted',
  'OrderCancelled',
  'OrderExpired',
  'OrderFailed',
];

/**
 * Identifies an event for exactly-once checks: one OrderCreated per order, one OrderFilled per
 * trade id, and one end per order (whichever of Completed, Cancelled, Expired or Failed it is).
 */
export function orderEventKey(event: OrderEvent): string {
  if (event.type === 'OrderFilled') return `${event.clientOrderId}|fill|${event.tradeId}`;
  if (event.type === 'OrderCreated') return `${event.clientOrderId}|created`;
  return `${event.clientOrderId}|end`;
}
