import type { ClientOrderIdRules } from '../../core/client-order-id.js';
import { Decimal } from '../../core/decimal.js';
import { tradeFeeSchema, type TradeFeeSchema } from '../../core/fees/fee-schema.js';
import { OrderState, OrderType } from '../../core/types.js';
import type { RateLimitConfig } from '../../net/rate-limits.js';

/**
 * Binance spot: everything about the venue that is data rather than logic. Sources: the Binance spot
 * API as of 2026-07 (`/work/shared/reference/binance-spot-api.md`); section numbers below refer to it.
 */

export const EXCHANGE_NAME = 'binance';

// ---------------------------------------------------------------------------------------------
// Base URLs (§0)

/** Where one Binance deployment lives. */
export interface BinanceUrls {
  /** REST base, without a path: `/api/v3/...` is appended. */
  readonly restUrl: string;
  /** WebSocket API endpoint (requests, user data stream subscription). */
  readonly wsApiUrl: string;
  /** Raw market stream endpoint (`/ws`); streams are added with SUBSCRIBE. */
  readonly streamUrl: string;
}

export const PRODUCTION_URLS: BinanceUrls = Object.freeze({
  restUrl: 'https://api.binance.com',
  wsApiUrl: 'wss://ws-api.binance.com:443/ws-api/v3',
  streamUrl: 'wss://stream.binance.com:9443/ws',
});

/** The spot testnet: same API, play money, reset from time to time; it serves no `/sapi`. */
export const TESTNET_URLS: BinanceUrls = Object.freeze({
  restUrl: 'https://testnet.binance.vision',
  wsApiUrl: 'wss://ws-api.testnet.binance.vision/ws-api/v3',
  streamUrl: 'wss://stream.testnet.binance.vision/ws',
});

/** The endpoints a running simulator announces. */
export interface SimulatorEndpoints {
  /** REST base, such as `http://127.0.0.1:40123`. */
  readonly restUrl: string;
  /**
   * Market streams: either the stream endpoint itself (a path ending in `/ws`) or the server root,
   * to which `/ws` is appended.
   */
  readonly wsUrl: string;
  /** WebSocket API endpoint, such as `ws://127.0.0.1:40123/ws-api/v3`. */
  readonly wsApiUrl: string;
}

export function simulatorUrls(sim: SimulatorEndpoints): BinanceUrls {
  const ws = new URL(sim.wsUrl);
  if (!/\/ws\/?$/.test(ws.pathname)) ws.pathname = `${ws.pathname.replace(/\/+$/, '')}/ws`;
  return Object.freeze({
    restUrl: sim.restUrl.replace(/\/+$/, ''),
    wsApiUrl: sim.wsApiUrl,
    streamUrl: ws.toString().replace(/\/+$/, ''),
  });
}

export type BinanceEnvironment = 'production' | 'testnet';

export function urlsFor(environment: BinanceEnvironment): BinanceUrls {
  return environment === 'production' ? PRODUCTION_URLS : TESTNET_URLS;
}

// ---------------------------------------------------------------------------------------------
// REST paths (§2), WebSocket API methods (§8) and market streams (§5)

export const PATHS = Object.freeze({
  ping: '/api/v3/ping',
  time: '/api/v3/time',
  exchangeInfo: '/api/v3/exchangeInfo',
  depth: '/api/v3/depth',
  trades: '/api/v3/trades',
  ticker24hr: '/api/v3/ticker/24hr',
  bookTicker: '/api/v3/ticker/bookTicker',
  order: '/api/v3/order',
  openOrders: '/api/v3/openOrders',
  allOrders: '/api/v3/allOrders',
  account: '/api/v3/account',
  myTrades: '/api/v3/myTrades',
  accountCommission: '/api/v3/account/commission',
});

export const WS_API_METHODS = Object.freeze({
  ping: 'ping',
  time: 'time',
  /** Subscribes this connection to the account's user data stream, signed (any key type). */
  userDataStreamSubscribeSignature: 'userDataStream.subscribe.signature',
  userDataStreamUnsubscribe: 'userDataStream.unsubscribe',
  sessionSubscriptions: 'session.subscriptions',
});

/** Diff depth stream, every 100 ms. Stream names are lower case; symbols inside payloads are not. */
export function depthStream(symbol: string): string {
  return `${symbol.toLowerCase()}@depth@100ms`;
}

export function tradeStream(symbol: string): string {
  return `${symbol.toLowerCase()}@trade`;
}

/** Snapshot size for book synchronization: weight 50 (§2.4) and deep enough for a 100 ms diff stream. */
export const DEPTH_SNAPSHOT_LIMIT = 1000;

// ---------------------------------------------------------------------------------------------
// Rate limits (§1.6 and each endpoint's weight in §2)

export const RATE_POOLS = Object.freeze({
  /** Per IP. */
  requestWeight: 'REQUEST_WEIGHT',
  /** Unfilled orders placed, per account. */
  orders10s: 'ORDERS_10S',
  orders1d: 'ORDERS_1D',
  /** Per IP: every REST request counts 1. */
  rawRequests: 'RAW_REQUESTS',
  /** WebSocket connection attempts, per IP (market streams and WebSocket API alike). */
  connections: 'WS_CONNECTIONS',
});

/**
 * The limit id of every request the connector may send. GET, POST and DELETE on one path weigh
 * differently, so ids name the method. `DELETE /api/v3/openOrders` is deliberately absent: it
 * cancels every order on the symbol, other bots' included, and the limiter refuses ids it does not
 * know.
 */
export const LIMIT_IDS = Object.freeze({
  ping: 'GET /api/v3/ping',
  time: 'GET /api/v3/time',
  exchangeInfo: 'GET /api/v3/exchangeInfo',
  depth100: 'GET /api/v3/depth limit<=100',
  depth500: 'GET /api/v3/depth limit<=500',
  depth1000: 'GET /api/v3/depth limit<=1000',
  depth5000: 'GET /api/v3/depth limit<=5000',
  trades: 'GET /api/v3/trades',
  ticker24hr: 'GET /api/v3/ticker/24hr',
  bookTicker: 'GET /api/v3/ticker/bookTicker',
  createOrder: 'POST /api/v3/order',
  cancelOrder: 'DELETE /api/v3/order',
  queryOrder: 'GET /api/v3/order',
  openOrders: 'GET /api/v3/openOrders',
  openOrdersAllSymbols: 'GET /api/v3/openOrders all symbols',
  allOrders: 'GET /api/v3/allOrders',
  account: 'GET /api/v3/account',
  myTrades: 'GET /api/v3/myTrades',
  myTradesForOrder: 'GET /api/v3/myTrades orderId',
  accountCommission: 'GET /api/v3/account/commission',
  wsApiConnect: 'WS-API connect',
  wsApiPing: 'WS-API ping',
  wsApiUserDataSubscribe: 'WS-API userDataStream.subscribe.signature',
  wsApiUserDataUnsubscribe: 'WS-API userDataStream.unsubscribe',
  wsApiSessionSubscriptions: 'WS-API session.subscriptions',
  streamConnect: 'WS-STREAM connect',
});

export type BinanceLimitId = (typeof LIMIT_IDS)[keyof typeof LIMIT_IDS];

/** The depth limit id for a snapshot of `limit` levels (Binance clamps above 5000). */
export function depthLimitId(limit: number): BinanceLimitId {
  if (limit <= 100) return LIMIT_IDS.depth100;
  if (limit <= 500) return LIMIT_IDS.depth500;
  if (limit <= 1000) return LIMIT_IDS.depth1000;
  return LIMIT_IDS.depth5000;
}

const MINUTE = 60_000;

/** A REST request: its weight on REQUEST_WEIGHT, and one raw request. */
function rest(weight: number): Readonly<Record<string, number>> {
  return { [RATE_POOLS.requestWeight]: weight, [RATE_POOLS.rawRequests]: 1 };
}

/**
 * Binance spot's limits in the limiter's format. Since 2026-04-02 a *successful* order or cancel
 * costs weight 0 and only a failed one is charged (1); the limiter charges before the answer is
 * known, so it charges 1, and the exchange's reported usage (X-MBX-USED-WEIGHT-1M) corrects the
 * count. WebSocket API requests are charged their documented weight on the shared REQUEST_WEIGHT
 * pool (weight is per IP across REST and WebSocket API).
 */
export const RATE_LIMITS: RateLimitConfig<BinanceLimitId> = Object.freeze({
  pools: [
    { id: RATE_POOLS.requestWeight, limit: 6000, intervalMs: MINUTE },
    { id: RATE_POOLS.orders10s, limit: 100, intervalMs: 10_000 },
    { id: RATE_POOLS.orders1d, limit: 200_000, intervalMs: 24 * 60 * MINUTE },
    { id: RATE_POOLS.rawRequests, limit: 300_000, intervalMs: 5 * MINUTE },
    { id: RATE_POOLS.connections, limit: 300, intervalMs: 5 * MINUTE },
  ],
  endpoints: {
    [LIMIT_IDS.ping]: rest(1),
    [LIMIT_IDS.time]: rest(1),
    [LIMIT_IDS.exchangeInfo]: rest(20),
    [LIMIT_IDS.depth100]: rest(5),
    [LIMIT_IDS.depth500]: rest(25),
    [LIMIT_IDS.depth1000]: rest(50),
    [LIMIT_IDS.depth5000]: rest(250),
    [LIMIT_IDS.trades]: rest(25),
    // 2 with one symbol, 80 for all: the connector only asks for one; 4 covers bookTicker without a symbol.
    [LIMIT_IDS.ticker24hr]: rest(2),
    [LIMIT_IDS.bookTicker]: rest(4),
    [LIMIT_IDS.createOrder]: { ...rest(1), [RATE_POOLS.orders10s]: 1, [RATE_POOLS.orders1d]: 1 },
    [LIMIT_IDS.cancelOrder]: rest(1),
    [LIMIT_IDS.queryOrder]: rest(4),
    [LIMIT_IDS.openOrders]: rest(6),
    [LIMIT_IDS.openOrdersAllSymbols]: rest(80),
    [LIMIT_IDS.allOrders]: rest(20),
    [LIMIT_IDS.account]: rest(20),
    [LIMIT_IDS.myTrades]: rest(20),
    [LIMIT_IDS.myTradesForOrder]: rest(5),
    [LIMIT_IDS.accountCommission]: rest(20),
    [LIMIT_IDS.wsApiConnect]: { [RATE_POOLS.requestWeight]: 2, [RATE_POOLS.connections]: 1 },
    [LIMIT_IDS.wsApiPing]: { [RATE_POOLS.requestWeight]: 1 },
    [LIMIT_IDS.wsApiUserDataSubscribe]: { [RATE_POOLS.requestWeight]: 2 },
    [LIMIT_IDS.wsApiUserDataUnsubscribe]: { [RATE_POOLS.requestWeight]: 2 },
    [LIMIT_IDS.wsApiSessionSubscriptions]: { [RATE_POOLS.requestWeight]: 2 },
    [LIMIT_IDS.streamConnect]: { [RATE_POOLS.connections]: 1 },
  },
});

/** Response headers carrying the exchange's own counts (lower case, as Node delivers them). */
export const USAGE_HEADERS = Object.freeze({
  /** The IP's weight used in the current minute. */
  usedWeight1m: 'x-mbx-used-weight-1m',
  /** The account's unfilled order count, on successful order placements only. */
  orderCount10s: 'x-mbx-order-count-10s',
  orderCount1d: 'x-mbx-order-count-1d',
});

/** Header → pool, for src/net's `usageFromHeaders`. */
export const USAGE_HEADER_POOLS: Readonly<Record<string, string>> = Object.freeze({
  [USAGE_HEADERS.usedWeight1m]: RATE_POOLS.requestWeight,
  [USAGE_HEADERS.orderCount10s]: RATE_POOLS.orders10s,
  [USAGE_HEADERS.orderCount1d]: RATE_POOLS.orders1d,
});

/** The API key header on every signed REST request. */
export const API_KEY_HEADER = 'x-mbx-apikey';

// ---------------------------------------------------------------------------------------------
// Signing and timing (§1.3, §1.4)

/** Binance's own default; the docs advise 5000 or less. The maximum is 60000. */
export const DEFAULT_RECV_WINDOW_MS = 5000;
export const MAX_RECV_WINDOW_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Client order ids (§2.8 newClientOrderId)

export const CLIENT_ORDER_ID_MAX_LENGTH = 36;
export const CLIENT_ORDER_ID_PATTERN = /^[a-zA-Z0-9-_]{1,36}$/;
/** Marks venuekit's orders on the account, so reconciliation can tell them from other bots' orders. */
export const DEFAULT_CLIENT_ORDER_ID_PREFIX = 'vk-';

export function clientOrderIdRules(prefix: string = DEFAULT_CLIENT_ORDER_ID_PREFIX): ClientOrderIdRules {
  return { prefix, maxLength: CLIENT_ORDER_ID_MAX_LENGTH, pattern: CLIENT_ORDER_ID_PATTERN };
}

// ---------------------------------------------------------------------------------------------
// Orders (§2.8, §3)

export type BinanceOrderType = 'LIMIT' | 'LIMIT_MAKER' | 'MARKET' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type BinanceTimeInForce = 'GTC' | 'IOC' | 'FOK';

/** How a venuekit order type is sent. LIMIT_MAKER and MARKET must not carry timeInForce (-1106). */
export interface BinanceOrderTypeParams {
  readonly type: BinanceOrderType;
  readonly timeInForce?: BinanceTimeInForce;
}

const ORDER_TYPE_PARAMS: Readonly<Record<OrderType, BinanceOrderTypeParams>> = Object.freeze({
  [OrderType.LIMIT]: Object.freeze({ type: 'LIMIT', timeInForce: 'GTC' }),
  [OrderType.LIMIT_MAKER]: Object.freeze({ type: 'LIMIT_MAKER' }),
  [OrderType.MARKET]: Object.freeze({ type: 'MARKET' }),
});

export function toBinanceOrderType(orderType: OrderType): BinanceOrderTypeParams {
  return ORDER_TYPE_PARAMS[orderType];
}

/** The venuekit order type of a Binance `type`; undefined for the types venuekit does not trade (stops, take-profits). */
export function fromBinanceOrderType(type: string): OrderType | undefined {
  switch (type) {
    case 'LIMIT':
      return OrderType.LIMIT;
    case 'LIMIT_MAKER':
      return OrderType.LIMIT_MAKER;
    case 'MARKET':
      return OrderType.MARKET;
    default:
      return undefined;
  }
}

export type BinanceOrderStatus =
  | 'NEW'
  | 'PENDING_NEW'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'PENDING_CANCEL'
  | 'REJECTED'
  | 'EXPIRED'
  | 'EXPIRED_IN_MATCH';

/**
 * Binance order status → venuekit state. EXPIRED (IOC/FOK/market remainder, exchange action) and
 * EXPIRED_IN_MATCH (self-trade prevention) are EXPIRED, not FAILED: such an order may have fills and
 * was never refused. PENDING_NEW (an order-list leg waiting for its trigger) already exists on the
 * exchange, so it counts as OPEN.
 */
export const ORDER_STATE: Readonly<Record<BinanceOrderStatus, OrderState>> = Object.freeze({
  NEW: OrderState.OPEN,
  PENDING_NEW: OrderState.OPEN,
  PARTIALLY_FILLED: OrderState.PARTIALLY_FILLED,
  FILLED: OrderState.FILLED,
  CANCELED: OrderState.CANCELED,
  PENDING_CANCEL: OrderState.PENDING_CANCEL,
  REJECTED: OrderState.FAILED,
  EXPIRED: OrderState.EXPIRED,
  EXPIRED_IN_MATCH: OrderState.EXPIRED,
});

export const BINANCE_ORDER_STATUSES = Object.freeze(Object.keys(ORDER_STATE) as BinanceOrderStatus[]);

// ---------------------------------------------------------------------------------------------
// Fees (§2.17): commission comes out of the asset received, 0.1 % maker and taker by default.

export const DEFAULT_FEE_SCHEMA: TradeFeeSchema = tradeFeeSchema({
  makerPercentFeeDecimal: new Decimal('0.001'),
  takerPercentFeeDecimal: new Decimal('0.001'),
  buyPercentFeeDeductedFromReturns: true,
});
