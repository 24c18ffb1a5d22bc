import type { OrderBookPairStatus } from '../core/book/tracker.js';
import type { Decimal } from '../core/decimal.js';
import type { OrderState } from '../core/types.js';
import type { NetworkStatus } from '../core/network-iterator.js';
import type { OpenOrder } from '../core/orders/open-order.js';

/** Events of the exchange base beside the order events (which are on `events`). */
export interface ExchangeStatusEvents extends Record<string, unknown> {
  /** Open orders on the exchange with this bot's client id prefix that nothing here tracks (found on reconciliation). */
  UntrackedOrdersFound: { readonly orders: readonly OpenOrder[] };
}

/** The spec's `status_dict`: each component of the connector and whether it is ready. */
export interface ExchangeStatus {
  readonly symbolMap: boolean;
  readonly orderBooks: boolean;
  readonly balances: boolean;
  readonly tradingRules: boolean;
  /** The user stream is subscribed, or it is down and the status poll covers for it (see `ready`). */
  readonly userStream: boolean;
}

/** What reconciliation found. */
export interface ReconciliationReport {
  /** Tracked orders queried. */
  readonly queried: number;
  /** Open orders with this bot's prefix that are not tracked. */
  readonly untrackedOpenOrders: readonly OpenOrder[];
}

export interface SubmitOrderOptions {
  /** Give up waiting after this long (RequestTimeoutError). The order stays tracked. Default: no limit. */
  timeoutMs?: number;
}

export interface CancelOrderOptions {
  /** Stop waiting after this long: the result then says whether the order ended cancelled by then. Default: `cancelAllTimeoutMs`. */
  timeoutMs?: number;
}

/** The user stream as `health()` reports it. */
export interface UserStreamHealth {
  /** The subscription is live now. */
  readonly subscribed: boolean;
  /** Subscribed and received something within `userStreamSilenceMs`. */
  readonly live: boolean;
  /** When it last received anything (an event, a response, a pong), ms on the connector's clock; 0 while disconnected. */
  readonly lastRecvTime: number;
  /** Subscriptions after the first (each follows a drop, a silence or a network restart). */
  readonly reconnects: number;
  /** The status poll covers for a stream that is down or silent (see `statusDict`). */
  readonly pollingCovers: boolean;
}

/** One pool of the connector's rate limiter. */
export interface RateLimitHealth {
  readonly pool: string;
  /** Weight counted now (this process's requests and usage the exchange reported beyond them). */
  readonly used: number;
  readonly limit: number;
}

/**
 * A read-only picture of the connector for dashboards and status commands: what `ready` is made
 * of, the user stream, each tracked order book, and the rate limiter. Built on each call.
 */
export interface ExchangeHealth {
  readonly network: NetworkStatus;
  readonly ready: boolean;
  readonly status: ExchangeStatus;
  /** Undefined for a market-data-only connector (`tradingRequired: false`). */
  readonly userStream: UserStreamHealth | undefined;
  /** Each tracked pair's book: readiness, sync state and counters (resyncs, gaps...), in tracking order. */
  readonly orderBooks: readonly OrderBookPairStatus[];
  /** Every pool of the rate limiter; empty when the connector has none. */
  readonly rateLimits: readonly RateLimitHealth[];
  /** Requests waiting for a rate limit slot. */
  readonly queuedRequests: number;
  /** Orders whose fills are incomplete (saved: a restart goes on fetching them), oldest first. */
  readonly fillsOwed: readonly FillsOwedHealth[];
  /** Trades of orders with this connector's client id prefix that no store here tracks (trade backfill): not applied. */
  readonly untrackedTrades: readonly { readonly tradingPair: string; readonly tradeId: string; readonly exchangeOrderId: string; readonly clientOrderId: string }[];
  /** Orders declared lost (FAILED, still watched): never-confirmed creates, and acknowledged orders the exchange forgot; `reason` says which. */
  readonly lostOrders: readonly { readonly clientOrderId: string; readonly tradingPair: string; readonly errorType: string; readonly reason: string }[];
}

/** An order the exchange reports more executed than its recorded fills add up to. */
export interface FillsOwedHealth {
  readonly clientOrderId: string;
  readonly tradingPair: string;
  readonly state: OrderState;
  /** What the recorded fills add up to. */
  readonly executedAmountBase: Decimal;
  /** What the exchange reported executed. */
  readonly reportedExecuted: Decimal;
  /** Since when (the connector's clock, ms). */
  readonly since: number;
  /** Fetches tried by this process. */
  readonly attempts: number;
}
