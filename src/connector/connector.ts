import type { BookDiff } from '../core/book/types.js';
import type { OrderBookTrackerDataSource } from '../core/book/data-source.js';
import type { ClientOrderIdRules } from '../core/client-order-id.js';
import type { Clock } from '../core/clock.js';
import type { Decimal } from '../core/decimal.js';
import type { TradeFeeSchema } from '../core/fees/fee-schema.js';
import type { Logger } from '../core/logger.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import type { OpenOrder } from '../core/orders/open-order.js';
import type { BalanceEntry, OrderUpdate, TradeUpdate } from '../core/orders/updates.js';
import type { TradingRule } from '../core/rules/trading-rule.js';
import type { OrderType, TradeType } from '../core/types.js';
import type { PoolUsage } from '../net/rate-limiter.js';
import type { RestClient } from '../net/rest-client.js';
import type { RestRequest } from '../net/rest-types.js';
import type { TradingPairSymbols } from './symbol-map.js';
import type { UserStreamDataSource } from './user-stream-source.js';

/**
 * What one exchange supplies to the exchange base (its `exchange` file). Everything generic —
 * order tracking, the unknown-outcome rules, polling, balances, cancel-all, reconciliation — lives
 * once in ExchangeBase; a connector only says how to talk to its venue.
 *
 * Error classification: every method throws venuekit's error taxonomy (src/core/errors.ts), mapped
 * from the exchange's codes by the connector's ErrorMapper. The base relies on it:
 * - `OrderNotFoundError` only for a definite "no such order" from the exchange;
 * - a transport failure, a timeout or a 5xx (`isOutcomeUnknown`) when the outcome is unknown;
 * - any other error for a definite refusal.
 */
export interface ExchangeConnector {
  /** Identifies the exchange across venuekit (fee overrides, stored orders): `binance`. */
  readonly name: string;
  readonly clientOrderIdRules: ClientOrderIdRules;
  /** The venue's default fees, before the user's overrides. */
  readonly defaultFeeSchema: TradeFeeSchema;
  /**
   * How long after its timestamp the exchange may still execute a signed request (Binance's
   * recvWindow). A create whose outcome is unknown cannot execute once the exchange's clock is past
   * its timestamp plus this window.
   */
  readonly recvWindowMs: number;
  /** The one HTTP client for this exchange (rate limiter, signing, error mapping): the spec's `_http_client`. */
  readonly httpClient: RestClient<string>;
  /** A light public request for `checkNetwork` (Binance: GET /api/v3/ping). */
  readonly networkCheckRequest: RestRequest<string>;
  /** The market list the trading rules come from (Binance: GET /api/v3/exchangeInfo). */
  readonly tradingRulesRequest: RestRequest<string>;
  /** The rate limiter every request goes through, if the connector has one: `health()` reports its use. */
  readonly limiter?: RequestBudget;

  /** The exchange's clock (synchronized), epoch milliseconds. */
  serverTime(): number;
  /** Starts what the connector needs before any request (time synchronization). Throws if the exchange is unreachable. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Releases connections for good. */
  close(): Promise<void>;

  /** The market list answer → trading rules and the symbol map (pure). */
  formatTradingRules(body: unknown): FormattedTradingRules;
  /** Order types this exchange accepts; the mapping to its own names is the connector's business. */
  supportedOrderTypes(): readonly OrderType[];

  /** Places an order under its client id. Resolves with the exchange's acknowledgement. */
  placeOrder(request: PlaceOrderRequest): Promise<PlacedOrder>;
  /** Cancels an order by its client id. */
  cancelOrder(order: ReadonlyInFlightOrder): Promise<CancelledOrder>;
  /** The order's state by its client id; `OrderNotFoundError` when the exchange does not know it. */
  queryOrder(order: ReadonlyInFlightOrder): Promise<OrderUpdate>;
  /** Every fill of the order (its trades), by its exchange id; empty while it has none. */
  queryFills(order: ReadonlyInFlightOrder, exchangeOrderId: string): Promise<readonly TradeUpdate[]>;
  /**
   * The account's trades on one pair, oldest first, one page: after `afterTradeId` when given, else
   * from `startTime` (exchange ms). Optional: without it the trade backfill does not run.
   */
  fetchAccountTrades?(tradingPair: string, since: { readonly afterTradeId?: string; readonly startTime?: number }): Promise<AccountTradesPage>;
  /** An order's client id by its exchange id (one order lookup), undefined when the exchange does not know it. */
  lookupClientOrderId?(tradingPair: string, exchangeOrderId: string): Promise<string | undefined>;
  /** The whole balance table. */
  fetchBalances(): Promise<BalanceSnapshot>;
  /** Every open order of the account on the exchange, this bot's or not. */
  fetchOpenOrders(): Promise<readonly OpenOrder[]>;

  createOrderBookDataSource(): OrderBookTrackerDataSource<BookDiff>;
  /** The private stream of order, fill and balance events. */
  createUserStreamDataSource(): UserStreamDataSource;
}

/** What `health()` reads of a connector's rate limiter (src/net's RateLimiter has it). */
export interface RequestBudget {
  usage(): readonly PoolUsage[];
  /** Requests waiting for a slot. */
  readonly queued: number;
}

/** What the base shares with the connector it is built with. */
export interface ConnectorContext {
  /** Filled by the base from `formatTradingRules` on every refresh; live for the connector's lifetime. */
  readonly symbols: TradingPairSymbols;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Builds a connector once the base exists (it needs the base's symbol map, clock and logger). */
export type ConnectorFactory<C extends ExchangeConnector = ExchangeConnector> = (context: ConnectorContext) => C;

export interface FormattedTradingRules {
  /** Trading rules by pair. */
  readonly rules: ReadonlyMap<string, TradingRule>;
  /** Exchange symbol → pair. */
  readonly symbolToPair: ReadonlyMap<string, string>;
  /** Markets that could not be read, already described (the base logs them). */
  readonly skipped?: readonly string[];
}

/** An order as it is sent: quantized already, under the client id it is tracked by. */
export interface PlaceOrderRequest {
  readonly clientOrderId: string;
  readonly tradingPair: string;
  readonly tradeType: TradeType;
  readonly orderType: OrderType;
  readonly amount: Decimal;
  /** Absent for market orders. */
  readonly price?: Decimal;
}

/** The exchange accepted the order. */
export interface PlacedOrder {
  readonly exchangeOrderId: string;
  /** Exchange time of acceptance, ms. */
  readonly timestamp: number;
  /** The order's state as the answer gives it, when it does (an order can fill at once). */
  readonly orderUpdate?: OrderUpdate;
  /** Fills the answer carries (an order that took liquidity at once). */
  readonly tradeUpdates?: readonly TradeUpdate[];
}

/** The exchange cancelled the order: its final state (CANCELED) with the fills it says it had. */
export interface CancelledOrder {
  readonly orderUpdate: OrderUpdate;
}

/** The balance table at one exchange time. */
export interface BalanceSnapshot {
  readonly balances: readonly BalanceEntry[];
  /** Exchange time of the last change the table includes, ms. */
  readonly updateTime: number;
}

/** One page of an account's trades (`fetchAccountTrades`). */
export interface AccountTradesPage {
  readonly trades: readonly {
    readonly tradeId: string;
    readonly exchangeOrderId: string;
    /** The trade as a fill of the order with this client id. */
    toUpdate(clientOrderId: string): TradeUpdate;
  }[];
  /** The page was full: more may follow. */
  readonly full: boolean;
}
