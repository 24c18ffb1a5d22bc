import type { Market } from './market.js';
import type { Order } from './order.js';
import type { ExecutionType, ExpiryReason, OrderStatus } from './types.js';

/**
 * What the engine announces. Every public operation is one transaction, emitted once, after it is
 * complete, with everything it changed: the part-2 streams (depth diffs, trades, executionReport,
 * outboundAccountPosition, balanceUpdate) are each a projection of this one value.
 *
 * Values are the engine's integers; `market.format*` and the asset precision print them exactly.
 */
export interface EngineTransaction {
  /** Increases by one per emitted transaction. */
  readonly id: number;
  /** Transaction time in ms: every event of one transaction shares it (Binance's `E`/`T`). */
  readonly time: number;
  /** The market the transaction happened on; null for balance transfers. */
  readonly market: Market | null;
  /** Book levels changed, with their final quantity; null when the book did not change. */
  readonly book: BookUpdate | null;
  readonly trades: readonly Trade[];
  /** Order executions in the order they happened. */
  readonly orders: readonly OrderEvent[];
  /** Final free/locked of every (account, asset) the transaction changed, grouped by account in first-touch order. */
  readonly balances: readonly BalanceSnapshot[];
  /** Deposits, withdrawals and admin adjustments (Binance's balanceUpdate). */
  readonly transfers: readonly BalanceTransfer[];
}

export interface BookUpdate {
  /** The market's update id before this transaction plus one. */
  readonly firstUpdateId: number;
  /** The market's update id after it: the depth snapshot's `lastUpdateId` from now on. */
  readonly lastUpdateId: number;
  /** Every touched bid level, best first, with its total quantity now (0 = the level is gone). */
  readonly bids: readonly LevelQuantity[];
  readonly asks: readonly LevelQuantity[];
}

export interface LevelQuantity {
  readonly price: number;
  readonly lots: number;
}

/** One match between a taker and a maker, at the maker's price. */
export interface Trade {
  readonly id: number;
  readonly pair: string;
  readonly price: number;
  readonly lots: number;
  /** Quote units exchanged. */
  readonly quote: number;
  readonly time: number;
  readonly buyOrderId: number;
  readonly sellOrderId: number;
  readonly buyerAccountId: number;
  readonly sellerAccountId: number;
  readonly buyerIsMaker: boolean;
  /** Commission charged to the buyer, in base units (taken from what it received). */
  readonly buyerCommission: number;
  /** Commission charged to the seller, in quote units. */
  readonly sellerCommission: number;
  readonly takerOrderId: number;
  /** Consecutive trades of one taker order at one price share an aggregate trade id (Binance's aggTrade). */
  readonly aggId: number;
}

/** One execution of one order, with the order's state right after it (Binance's executionReport). */
export interface OrderEvent {
  /** Increases across the whole engine (Binance's `I`). */
  readonly executionId: number;
  readonly execution: ExecutionType;
  /** The order itself, for its fixed fields. Read the state of this event from the fields below. */
  readonly order: Order;
  readonly status: OrderStatus;
  readonly executedLots: number;
  readonly cumQuote: number;
  readonly preventedLots: number;
  /**
   * Binance's `w`, "is the order on the book?": true on NEW (as Binance sends it), then whether the
   * order rests on the book after this event. A taker's fills are false (it is not on the book while
   * it takes, and a market or IOC order never is); a resting maker's partial fill is true.
   */
  readonly working: boolean;
  readonly workingTime: number;
  /** The fill of a TRADE event. */
  readonly trade: Trade | null;
  readonly isMaker: boolean;
  /** Commission of this fill, in `commissionAsset` units. */
  readonly commission: number;
  readonly commissionAsset: string | null;
  /** For CANCELED: the cancel request's own client id (Binance's `c`, with the order's id in `C`). */
  readonly cancelClientOrderId: string | null;
  /** For TRADE_PREVENTION: the prevented match and the quantity it expired. */
  readonly preventedMatchId: number;
  readonly lastPreventedLots: number;
  readonly counterOrderId: number;
  /** For TRADE_PREVENTION: the match that did not happen, its lots and price (Binance's `pl`, `pL`). */
  readonly preventedExecutionLots: number;
  readonly preventedExecutionPrice: number;
  readonly expiryReason: ExpiryReason | null;
}

export interface BalanceSnapshot {
  readonly accountId: number;
  readonly asset: string;
  readonly free: number;
  readonly locked: number;
  /** Decimals of the asset: `free` counts units of 10^-precision. */
  readonly precision: number;
}

export interface BalanceTransfer {
  readonly accountId: number;
  readonly asset: string;
  /** Signed change of the free balance. */
  readonly delta: number;
  readonly precision: number;
}

export type EngineListener = (tx: EngineTransaction) => void;
