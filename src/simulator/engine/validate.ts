import type { Account } from './account.js';
import { MALFORMED, OFF_UNIT, OVERFLOW, parseScaled, parseScaledBig, toSafeNumber, TOO_PRECISE } from './fixed.js';
import type { Market } from './market.js';
import type { FilterName, OrderKind, OrderParam, Rejection, Side, StpMode, TimeInForce } from './types.js';

/** A new order as a client states it: amounts are decimal strings, exactly as received. */
export interface NewOrder {
  accountId: number;
  /** `BASE-QUOTE` */
  pair: string;
  side: Side;
  type: OrderKind;
  /** LIMIT only; GTC when left out. */
  timeInForce?: TimeInForce;
  /** LIMIT and LIMIT_MAKER. */
  price?: string;
  /** Base quantity; a MARKET order gives this or `quoteOrderQty`. */
  quantity?: string;
  /** MARKET only: the quote amount to spend (BUY) or receive (SELL). */
  quoteOrderQty?: string;
  clientOrderId?: string;
  /** Self-trade prevention; the market's default when left out. */
  stp?: StpMode;
  /** The client's own tags, echoed in every answer and event about the order (Binance's strategyId, strategyType). */
  strategyId?: number;
  strategyType?: number;
}

/** A new order read into the market's integers and checked against its filters. */
export interface CheckedOrder {
  readonly request: NewOrder;
  readonly market: Market;
  readonly account: Account;
  readonly price: number;
  /** 0 for a market order by quote amount. */
  readonly lots: number;
  readonly quoteUnits: number;
  readonly stp: StpMode;
  readonly timeInForce: TimeInForce;
}

/**
 * Everything that can be decided about an order without touching balances or the book: number
 * formats, precision, filters, open-order count and self-trade mode (Binance's -1111 and -1013
 * group, checked before the order reaches the matching engine).
 */
export function checkOrder(
  request: NewOrder,
  market: Market | undefined,
  account: Account | undefined,
  now: number,
): CheckedOrder | Rejection {
  if (market === undefined) return { reason: 'UNKNOWN_SYMBOL' };
  if (account === undefined) return { reason: 'UNKNOWN_ACCOUNT' };
  if (!account.canTrade) return { reason: 'TRADING_DISABLED' };
  if (market.status !== 'TRADING') return { reason: 'MARKET_CLOSED' };
  const rules = market.rules;
  const isMarket = request.type === 'MARKET';
  let price = 0;
  if (!isMarket) {
    price = parseScaled(request.price ?? '', rules.priceScale, market.quotePrecision);
    if (price < 0) return numberFailure(price, 'price', 'PRICE_FILTER');
    const f = rules.checkPrice(price);
    if (f) return filter(f);
  }
  let lots = 0;
  let quoteUnits = 0;
  if (request.quantity !== undefined) {
    lots = parseScaled(request.quantity, rules.qtyScale, market.basePrecision);
    if (lots < 0) return numberFailure(lots, 'quantity', 'LOT_SIZE');
    const f = rules.checkQuantity(lots, isMarket);
    if (f) return filter(f);
  } else if (isMarket && request.quoteOrderQty !== undefined) {
    if (!market.quoteOrderQtyMarketAllowed) return { reason: 'QUOTE_ORDER_QTY_NOT_ALLOWED' };
    const q = parseScaledBig(request.quoteOrderQty, market.quotePrecision, market.quotePrecision);
    if (typeof q !== 'bigint') return numberFailure(q, 'quoteOrderQty', notionalName(market));
    // Beyond 2^53 units no balance could cover it; the cap keeps the arithmetic exact.
    quoteUnits = q > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(q);
  } else {
    return { reason: 'MALFORMED', param: 'quantity' };
  }
  const notional = isMarket ? marketNotional(market, lots, quoteUnits, request.side, now) : rules.notionalFloor(price, lots);
  if (notional !== null) {
    const f = rules.checkNotional(notional, isMarket);
    if (f) return filter(f);
  }
  const maxOrders = rules.source.maxNumOrders;
  if (maxOrders > 0 && (market.peekAccountState(account.id)?.open.size ?? 0) >= maxOrders) return filter('MAX_NUM_ORDERS');
  const stp = request.stp ?? market.defaultStp;
  if (!market.allowedStp.includes(stp)) return { reason: 'STP_MODE_NOT_ALLOWED' };
  return { request, market, account, price, lots, quoteUnits, stp, timeInForce: request.timeInForce ?? 'GTC' };
}

export function isRejection(value: object): value is Rejection {
  return 'reason' in value;
}

function filter(name: FilterName): Rejection {
  return { reason: 'FILTER', filter: name };
}

function notionalName(market: Market): FilterName {
  return market.rules.source.notionalFilter;
}

function numberFailure(code: number, param: OrderParam, filterName: FilterName): Rejection {
  if (code === MALFORMED) return { reason: 'MALFORMED', param };
  if (code === TOO_PRECISE) return { reason: 'BAD_PRECISION', param };
  if (code === OFF_UNIT || code === OVERFLOW) return filter(filterName);
  return { reason: 'MALFORMED', param };
}

/**
 * The notional a market order is checked with: its quote amount, or its quantity at the average
 * price of the last `avgPriceMins` minutes, else the last trade, else the best opposite price.
 * Null (no check) on a market that has neither traded nor any opposite order.
 */
function marketNotional(market: Market, lots: number, quoteUnits: number, side: Side, now: number): number | null {
  if (lots === 0) return quoteUnits;
  const rules = market.rules;
  const avg = market.stats.average(now, rules.source.avgPriceMins);
  if (avg !== null) return toSafeNumber((avg.quote * BigInt(lots)) / BigInt(avg.lots));
  if (market.stats.lastPrice > 0) return rules.notionalFloor(market.stats.lastPrice, lots);
  const best = (side === 'BUY' ? market.book.asks : market.book.bids).best();
  return best ? rules.notionalFloor(best.price, lots) : null;
}
