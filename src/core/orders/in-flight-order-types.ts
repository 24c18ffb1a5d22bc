import type { Decimal } from '../decimal.js';
import type { OrderState, OrderType, TradeType } from '../types.js';
import type { TransitionKind } from './order-state.js';
import type { TradeUpdate } from './updates.js';

/** Why an order failed: the error class or exchange code, and the message. */
export interface OrderFailure {
  readonly type: string;
  readonly message: string;
}

/** Everything an order is made of. New orders give the first block; a restored order gives the rest too. */
export interface InFlightOrderInit {
  readonly clientOrderId: string;
  readonly tradingPair: string;
  readonly orderType: OrderType;
  readonly tradeType: TradeType;
  readonly amount: Decimal;
  /** Absent for market orders. */
  readonly price?: Decimal;
  /** Milliseconds. */
  readonly creationTimestamp: number;
  readonly exchangeOrderId?: string;
  readonly initialState?: OrderState;
  readonly lastUpdateTimestamp?: number;
  /** When the exchange first showed it knows the order (an ack, a live state or a fill). */
  readonly acknowledgedTimestamp?: number;
  readonly failure?: OrderFailure;
  readonly fills?: readonly TradeUpdate[];
  /** Executed totals as saved: checked against the fills (plus executedBeforeFills); without fills, kept as executed before them. */
  readonly executedAmountBase?: Decimal;
  readonly executedAmountQuote?: Decimal;
  /** Executed amounts no recorded fill accounts for. */
  readonly executedBeforeFills?: { readonly base: Decimal; readonly quote: Decimal };
}

/** See InFlightOrder.memento(). */
export interface InFlightOrderMemento {
  readonly exchangeId: string | undefined;
  readonly state: OrderState;
  readonly lastUpdate: number;
  readonly ackedAt: number | undefined;
  readonly failureInfo: OrderFailure | undefined;
  readonly executedBase: Decimal;
  readonly executedQuote: Decimal;
  readonly fillCount: number;
}

/** What an order update did to the order. */
export interface OrderUpdateResult {
  /** False when the update names another order: nothing else was looked at. */
  readonly matched: boolean;
  /** Whether anything about the order changed (state, exchange id, acknowledgement). */
  readonly changed: boolean;
  readonly previousState: OrderState;
  readonly transition: TransitionKind;
  readonly exchangeOrderIdAdopted: boolean;
  /** The update carried a different exchange id than the one the order already has; it was kept. */
  readonly exchangeOrderIdConflict: boolean;
  /** This update is the first sign that the exchange knows the order. */
  readonly acknowledged: boolean;
}

/** What a trade update did to the order. */
export interface TradeUpdateResult {
  readonly kind: 'applied' | 'duplicate' | 'other_order';
  /** A duplicate trade id whose amounts differ from the recorded fill: the first one was kept. */
  readonly conflicting: boolean;
  readonly exchangeOrderIdAdopted: boolean;
  readonly acknowledged: boolean;
}
