import type { Decimal } from '../decimal.js';
import type { OrderState } from '../types.js';
import type { TradeFee } from '../fees/trade-fee.js';

/**
 * What a connector learned about an order's state. Connectors build these from exchange messages
 * (pure parsing) and hand them to the order tracker, which alone applies them.
 */
export interface OrderUpdate {
  readonly clientOrderId: string;
  readonly tradingPair: string;
  readonly newState: OrderState;
  /** Exchange time of the update, in milliseconds. */
  readonly updateTimestamp: number;
  readonly exchangeOrderId?: string;
  /**
   * Cumulative executed base amount the exchange reports with this status, when it gives one.
   * When it exceeds the fills the tracker knows, the connector fetches the missing trades.
   */
  readonly cumulativeFilledAmount?: Decimal;
  /** Why the order failed, for FAILED updates. */
  readonly errorType?: string;
  readonly errorMessage?: string;
}

/** One fill (trade) of an order. `tradeId` is the exchange's id, unique per trading pair. */
export interface TradeUpdate {
  readonly tradeId: string;
  readonly clientOrderId: string;
  readonly exchangeOrderId: string;
  readonly tradingPair: string;
  readonly fillTimestamp: number;
  readonly fillPrice: Decimal;
  readonly fillBaseAmount: Decimal;
  readonly fillQuoteAmount: Decimal;
  readonly fee: TradeFee;
  /** Whether this side of the trade was the maker, when the exchange says. */
  readonly isMaker?: boolean;
  /**
   * True when venuekit computed `fillQuoteAmount` (price × qty) rather than read the exchange's own
   * figure: a later authoritative amount for the same trade id corrects it (OrderFillCorrected).
   */
  readonly quoteAmountDerived?: boolean;
}

/** A balance as the exchange reports it: `total` = free + locked. */
export interface BalanceEntry {
  readonly asset: string;
  readonly total: Decimal;
  readonly available: Decimal;
}
