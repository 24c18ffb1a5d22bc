import { accountInfo, commission, myTrades } from './account.js';
import type { Security } from './auth.js';
import type { Operation } from './context.js';
import { aggTrades, avgPrice, bookTicker, depth, depthWeight, exchangeInfo, ping, recentTrades, ticker24h, tickerPrice, time } from './market-data.js';
import type { Params } from './params.js';
import { allOrders, cancelOpenOrders, cancelOrder, openOrders, placeOrder, queryOrder, testOrder } from './trading.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One REST endpoint: what it does and what it costs (request weight, order count) for rate limiting. */
export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  /** A stable name (the WebSocket API's method name where there is one), for faults and limits per endpoint. */
  readonly name: string;
  readonly security: Security;
  /** Request weight as Binance documents it, which may depend on the parameters. */
  readonly weight: (params: Params) => number;
  /** Weight charged when the call succeeds, where Binance charges less then (order endpoints since 2026-04). */
  readonly successWeight?: number;
  /** Counts toward the ORDERS limits (a new order). */
  readonly placesOrder: boolean;
  readonly operation: Operation;
}

const w = (n: number) => () => n;
const bySymbols = (one: number, none: number) => (p: Params) => (p.has('symbol') ? one : none);

function tickerWeight(p: Params): number {
  if (p.has('symbol')) return 2;
  let symbols = Infinity;
  try {
    if (p.has('symbols')) symbols = (JSON.parse(p.optional('symbols') ?? '[]') as unknown[]).length;
  } catch {
    // Malformed: the endpoint itself answers -1135; charge the no-symbol weight.
  }
  if (symbols <= 20) return 2;
  if (symbols <= 100) return 40;
  return 80;
}

function route(method: HttpMethod, path: string, name: string, security: Security, weight: (p: Params) => number, operation: Operation, extra: Partial<Route> = {}): Route {
  return { method, path, name, security, weight, operation, placesOrder: false, ...extra };
}

/** Every REST endpoint the simulator serves, under /api/v3. */
export const ROUTES: readonly Route[] = [
  route('GET', '/api/v3/ping', 'ping', 'NONE', w(1), ping),
  route('GET', '/api/v3/time', 'time', 'NONE', w(1), time),
  route('GET', '/api/v3/exchangeInfo', 'exchangeInfo', 'NONE', w(20), exchangeInfo),
  route('GET', '/api/v3/depth', 'depth', 'NONE', depthWeight, depth),
  route('GET', '/api/v3/trades', 'trades.recent', 'NONE', w(25), recentTrades),
  route('GET', '/api/v3/aggTrades', 'trades.aggregate', 'NONE', w(4), aggTrades),
  route('GET', '/api/v3/ticker/bookTicker', 'ticker.book', 'NONE', bySymbols(2, 4), bookTicker),
  route('GET', '/api/v3/ticker/24hr', 'ticker.24hr', 'NONE', tickerWeight, ticker24h),
  route('GET', '/api/v3/ticker/price', 'ticker.price', 'NONE', bySymbols(2, 4), tickerPrice),
  route('GET', '/api/v3/avgPrice', 'avgPrice', 'NONE', w(2), avgPrice),
  route('POST', '/api/v3/order', 'order.place', 'TRADE', w(1), placeOrder, { successWeight: 0, placesOrder: true }),
  route('POST', '/api/v3/order/test', 'order.test', 'TRADE', (p) => (p.optional('computeCommissionRates') === 'true' ? 20 : 1), testOrder),
  route('DELETE', '/api/v3/order', 'order.cancel', 'TRADE', w(1), cancelOrder, { successWeight: 0 }),
  route('GET', '/api/v3/order', 'order.status', 'USER_DATA', w(4), queryOrder),
  route('DELETE', '/api/v3/openOrders', 'openOrders.cancelAll', 'TRADE', w(1), cancelOpenOrders, { successWeight: 0 }),
  route('GET', '/api/v3/openOrders', 'openOrders.status', 'USER_DATA', bySymbols(6, 80), openOrders),
  route('GET', '/api/v3/allOrders', 'allOrders', 'USER_DATA', w(20), allOrders),
  route('GET', '/api/v3/account', 'account.status', 'USER_DATA', w(20), accountInfo),
  route('GET', '/api/v3/myTrades', 'myTrades', 'USER_DATA', (p) => (p.has('orderId') ? 5 : 20), myTrades),
  route('GET', '/api/v3/account/commission', 'account.commission', 'USER_DATA', w(20), commission),
];
