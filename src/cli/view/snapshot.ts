import type { ExchangeHealth } from '../../connector/exchange-types.js';
import type { BookLevel } from '../../core/book/types.js';
import type { Decimal } from '../../core/decimal.js';
import type { BalanceEntry } from '../../core/orders/updates.js';
import type { OrderState, TradeType } from '../../core/types.js';
import type { PairPnl } from '../../strategy/pnl.js';

/** One of the bot's open orders. */
export interface ViewOrder {
  readonly clientOrderId: string;
  readonly side: TradeType;
  readonly price: Decimal | undefined;
  readonly amount: Decimal;
  readonly executed: Decimal;
  readonly state: OrderState;
  readonly createdAt: number;
}

/** One fill of the bot's. */
export interface ViewFill {
  readonly time: number;
  readonly clientOrderId: string;
  readonly side: TradeType;
  readonly price: Decimal;
  readonly amount: Decimal;
  /** The fee as charged, such as `0.000001 BTC`. */
  readonly fee: string;
  readonly isMaker: boolean | undefined;
}

export interface ViewRateLimit {
  readonly pool: string;
  readonly used: number;
  readonly limit: number;
}

/** The connector's health. */
export interface ViewConnector {
  readonly network: string;
  readonly ready: boolean;
  /** Each `statusDict` entry. */
  readonly status: readonly (readonly [name: string, ready: boolean])[];
  readonly userStreamSubscribed: boolean;
  /** Subscriptions of the user stream after the first. */
  readonly userStreamReconnects: number;
  /** Order book rebuilds after the first sync (gaps, reconnections). */
  readonly bookResyncs: number;
  readonly rateLimits: readonly ViewRateLimit[];
  /** Requests waiting for a rate limit slot. */
  readonly queuedRequests: number;
}

/**
 * What the view shows of the connector's health: the `statusDict` entries in order, book resyncs
 * over every pair, and the rate limit pools in use (the request weight always).
 */
export function viewConnector(health: ExchangeHealth): ViewConnector {
  return {
    network: health.network,
    ready: health.ready,
    status: Object.entries(health.status),
    userStreamSubscribed: health.userStream?.subscribed ?? false,
    userStreamReconnects: health.userStream?.reconnects ?? 0,
    bookResyncs: health.orderBooks.reduce((sum, book) => sum + book.resyncs, 0),
    rateLimits: health.rateLimits.filter((p) => p.used > 0 || p.pool === 'REQUEST_WEIGHT'),
    queuedRequests: health.queuedRequests,
  };
}

export interface ViewCounts {
  readonly placed: number;
  readonly fills: number;
  readonly cancelled: number;
  readonly failed: number;
}

/** Everything the terminal view shows, at one moment. The renderer is a pure function of it. */
export interface ViewSnapshot {
  readonly now: number;
  readonly startedAt: number;
  readonly strategy: string;
  readonly tradingPair: string;
  /** Where the bot trades, such as `embedded simulator (synthetic market, not real market data)`. */
  readonly venue: string;
  /** The account behind the key, such as `uid 1, SPOT, can trade: yes, API key Vrls…vK88`. */
  readonly account: string;
  /** running, stopping... */
  readonly state: string;
  /** Best first; absent until the book is synchronized. */
  readonly book: { readonly bids: readonly BookLevel[]; readonly asks: readonly BookLevel[] } | undefined;
  readonly marketMid: Decimal | undefined;
  readonly quotedMid: Decimal | undefined;
  readonly orders: readonly ViewOrder[];
  readonly balances: readonly BalanceEntry[];
  /** Newest first. */
  readonly fills: readonly ViewFill[];
  readonly pnl: PairPnl;
  /** Decimal places PnL amounts are shown with (see BotSession.pnlPlaces). */
  readonly pnlPlaces: number;
  readonly counts: ViewCounts;
  readonly connector: ViewConnector;
  /** What the strategy wants the user to know (sides it does not quote, and why). */
  readonly notes: readonly string[];
}
