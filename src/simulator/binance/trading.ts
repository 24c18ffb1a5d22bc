import { isRejection, type CancelRequest, type CancelRestriction, type Market, type NewOrder, type OrderKind, type Side, type StpMode, type TimeInForce } from '../engine/index.js';
import { recheckRecvWindow, type Authenticated } from './auth.js';
import type { DialectContext } from './context.js';
import { errors, orderRejection } from './errors.js';
import { cancelJson, newOrderResponse, orderJson, type Json, type OrderResponseType } from './format.js';
import type { Params } from './params.js';

const SIDES: readonly Side[] = ['BUY', 'SELL'];
const ALL_TYPES = ['LIMIT', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT', 'LIMIT_MAKER'] as const;
const TIFS: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
const RESPONSE_TYPES: readonly OrderResponseType[] = ['ACK', 'RESULT', 'FULL'];
/** Binance's full list: the engine refuses the last two with -1013, as a symbol that does not allow them. */
const STP_NAMES = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT', 'TRANSFER'] as const;
const CLIENT_ID = /^[a-zA-Z0-9-_]{1,36}$/;
const CLIENT_ID_RANGE = '^[a-zA-Z0-9-_]{1,36}$';
/** Binance reserves strategyType values below this. */
const MIN_STRATEGY_TYPE = 1_000_000;

/** Types Binance has that the simulator does not execute, with the message Binance gives a symbol without them. */
const UNSUPPORTED_TYPES: Record<string, string> = {
  STOP_LOSS: 'Stop loss orders are not supported for this symbol.',
  STOP_LOSS_LIMIT: 'Stop loss limit orders are not supported for this symbol.',
  TAKE_PROFIT: 'Take profit orders are not supported for this symbol.',
  TAKE_PROFIT_LIMIT: 'Take profit limit orders are not supported for this symbol.',
};

interface ReadOrder {
  readonly market: Market;
  readonly request: NewOrder;
  readonly responseType: OrderResponseType;
}

/** Reads and checks the parameters of POST /api/v3/order (and order/test, and the WebSocket API's order.place). */
export function readNewOrder(ctx: DialectContext, params: Params, accountId: number): ReadOrder {
  const symbol = params.required('symbol');
  const side = params.oneOf('side', SIDES, errors.invalidSide);
  if (side === undefined) throw errors.mandatory('side');
  const type = params.oneOf('type', ALL_TYPES, errors.invalidOrderType);
  if (type === undefined) throw errors.mandatory('type');
  const market = ctx.symbols.require(symbol);
  const unsupported = UNSUPPORTED_TYPES[type];
  if (unsupported !== undefined) throw errors.rejected(unsupported);
  const kind = type as OrderKind;

  const timeInForce = params.oneOf('timeInForce', TIFS, errors.invalidTif);
  const quantity = params.decimal('quantity');
  const quoteOrderQty = params.decimal('quoteOrderQty');
  const price = params.decimal('price');
  if (params.has('icebergQty')) throw errors.rejected('Iceberg orders are not supported for this symbol.');
  if (params.has('trailingDelta')) throw errors.rejected('Trailing stop orders are not supported for this symbol.');
  if (params.has('stopPrice')) throw errors.notRequired('stopPrice');
  if (kind === 'LIMIT') {
    if (timeInForce === undefined) throw errors.mandatory('timeInForce');
  } else if (timeInForce !== undefined) {
    throw errors.notRequired('timeInForce');
  }
  if (kind === 'MARKET') {
    if (price !== undefined) throw errors.notRequired('price');
    if (quantity === undefined && quoteOrderQty === undefined) throw errors.eitherParam('quantity', 'quoteOrderQty');
    if (quantity !== undefined && quoteOrderQty !== undefined) throw errors.notRequired('quoteOrderQty');
  } else {
    if (quoteOrderQty !== undefined) throw errors.notRequired('quoteOrderQty');
    if (quantity === undefined) throw errors.mandatory('quantity');
    if (price === undefined) throw errors.mandatory('price');
  }
  const clientOrderId = params.optional('newClientOrderId');
  if (clientOrderId !== undefined && !CLIENT_ID.test(clientOrderId)) throw errors.illegalChars('newClientOrderId', CLIENT_ID_RANGE);
  const responseType = params.oneOf('newOrderRespType', RESPONSE_TYPES) ?? (kind === 'LIMIT_MAKER' ? 'ACK' : 'FULL');
  const stpName = params.oneOf('selfTradePreventionMode', STP_NAMES);
  if (stpName === 'DECREMENT' || stpName === 'TRANSFER') throw errors.stpNotAllowed();
  const strategyId = params.integer('strategyId');
  const strategyType = params.integer('strategyType');
  if (strategyType !== undefined && strategyType < MIN_STRATEGY_TYPE) throw errors.strategyTypeTooLow();

  const request: NewOrder = { accountId, pair: market.pair, side, type: kind };
  if (timeInForce !== undefined) request.timeInForce = timeInForce;
  if (price !== undefined) request.price = price;
  if (quantity !== undefined) request.quantity = quantity;
  if (quoteOrderQty !== undefined) request.quoteOrderQty = quoteOrderQty;
  if (clientOrderId !== undefined) request.clientOrderId = clientOrderId;
  if (stpName !== undefined) request.stp = stpName as StpMode;
  if (strategyId !== undefined) request.strategyId = strategyId;
  if (strategyType !== undefined) request.strategyType = strategyType;
  return { market, request, responseType };
}

/** POST /api/v3/order */
export function placeOrder(ctx: DialectContext, params: Params, auth: Authenticated | null): Json {
  const account = requireAuth(auth);
  const { market, request, responseType } = readNewOrder(ctx, params, account.account.id);
  params.assertAllRead();
  recheckRecvWindow(account, ctx.now());
  const result = ctx.engine.submitOrder(request);
  if (!result.ok) throw orderRejection(result.rejection);
  return newOrderResponse(market, result.value, responseType);
}

/** POST /api/v3/order/test: every check short of the engine; commission rates on request. */
export function testOrder(ctx: DialectContext, params: Params, auth: Authenticated | null): Json {
  const account = requireAuth(auth);
  const { request } = readNewOrder(ctx, params, account.account.id);
  const withRates = params.boolean('computeCommissionRates') ?? false;
  params.assertAllRead();
  const checked = ctx.engine.checkOrder(request);
  if (isRejection(checked)) throw orderRejection(checked);
  if (!withRates) return {};
  const a = account.account;
  const zero = rate(0);
  return {
    standardCommissionForOrder: { maker: rate(a.makerRate), taker: rate(a.takerRate) },
    specialCommissionForOrder: { maker: zero, taker: zero },
    taxCommissionForOrder: { maker: zero, taker: zero },
    discount: { enabledForAccount: false, enabledForSymbol: false, discountAsset: 'BNB', discount: '0.00000000' },
  };
}

/** An engine commission rate (hundred-millionths) as Binance prints rates. */
export function rate(units: number): string {
  return (units / 1e8).toFixed(8);
}

function readOrderRef(params: Params): { orderId?: number; clientOrderId?: string } {
  const orderId = params.integer('orderId', { min: 0 });
  const clientOrderId = params.optional('origClientOrderId');
  if (orderId === undefined && clientOrderId === undefined) throw errors.eitherParam('orderId', 'origClientOrderId');
  const ref: { orderId?: number; clientOrderId?: string } = {};
  if (orderId !== undefined) ref.orderId = orderId;
  if (clientOrderId !== undefined) ref.clientOrderId = clientOrderId;
  return ref;
}

/** DELETE /api/v3/order */
export function cancelOrder(ctx: DialectContext, params: Params, auth: Authenticated | null): Json {
  const account = requireAuth(auth);
  const market = ctx.symbols.require(params.required('symbol'));
  const ref = readOrderRef(params);
  const cancelClientOrderId = params.optional('newClientOrderId');
  if (cancelClientOrderId !== undefined && !CLIENT_ID.test(cancelClientOrderId)) throw errors.illegalChars('newClientOrderId', CLIENT_ID_RANGE);
  const restriction = params.oneOf<CancelRestriction>('cancelRestrictions', ['ONLY_NEW', 'ONLY_PARTIALLY_FILLED'], errors.invalidCancelRestrictions);
  params.assertAllRead();
  recheckRecvWindow(account, ctx.now());
  const request: CancelRequest = { accountId: account.account.id, pair: market.pair };
  if (ref.orderId !== undefined) request.orderId = ref.orderId;
  if (ref.clientOrderId !== undefined) request.clientOrderId = ref.clientOrderId;
  if (cancelClientOrderId !== undefined) request.cancelClientOrderId = cancelClientOrderId;
  if (restriction !== undefined) request.restriction = restriction;
  const result = ctx.engine.cancelOrder(request);
  if (!result.ok) throw orderRejection(result.rejection);
  return cancelJson(market, result.value.order, result.value.cancelClientOrderId, result.value.order.updateTime);
}

/** DELETE /api/v3/openOrders */
export function cancelOpenOrders(ctx: DialectContext, params: Params, auth: Authenticated | null): Json {
  const account = requireAuth(auth);
  const market = ctx.symbols.require(params.required('symbol'));
  params.assertAllRead();
  recheckRecvWindow(account, ctx.now());
  const result = ctx.engine.cancelAllOrders(account.account.id, market.pair);
  if (!result.ok) throw orderRejection(result.rejection);
  return result.value.map((c) => cancelJson(market, c.order, c.cancelClientOrderId, c.order.updateTime));
}

/** GET /api/v3/order */
export function queryOrder(ctx: DialectContext, params: Params, auth: Authenticated | null): Json {
  const account = requireAuth(auth);
  const market = ctx.symbols.require(params.required('symbol'));
  const ref = readOrderRef(params);
  params.assertAllRead();
  const id = account.account.id;
  const order = ctx.engine.findOrder(id, market.pair, ref.orderId !== undefined ? { orderId: ref.orderId } : ref);
  if (order === undefined) throw errors.noSuchOrder();
  if (ref.orderId !== undefined && ref.clientOrderId !== undefined && order.clientOrderId !== ref.clientOrderId) throw errors.clientIdMismatch();
  return orderJson(market, order);
}

/** GET /api/v3/openOrders (one symbol, or all) */
export function openOrders(ctx: DialectContext, params: Params, auth: Authenticated | null): Json {
  const account = requireAuth(auth);
  const symbol = params.optional('symbol');
  params.assertAllRead();
  const markets = symbol === undefined ? ctx.symbols.all() : [ctx.symbols.require(symbol)];
  return markets.flatMap((m) => ctx.engine.openOrders(account.account.id, m.pair).map((o) => orderJson(m, o)));
}

/** GET /api/v3/allOrders */
export function allOrders(ctx: DialectContext, params: Params, auth: Authenticated | null): Json {
  const account = requireAuth(auth);
  const market = ctx.symbols.require(params.required('symbol'));
  const fromId = params.integer('orderId', { min: 0 });
  const window = readTimeWindow(params);
  const limit = params.integer('limit', { min: 1, max: 1000 }) ?? 500;
  params.assertAllRead();
  let orders = ctx.engine.accountOrders(account.account.id, market.pair);
  if (fromId !== undefined) orders = orders.filter((o) => o.id >= fromId);
  orders = orders.filter((o) => o.time >= window.start && o.time <= window.end);
  const picked = fromId !== undefined || window.fromStart ? orders.slice(0, limit) : orders.slice(-limit);
  return picked.map((o) => orderJson(market, o));
}

/** startTime/endTime with Binance's 24-hour cap; `fromStart` when the oldest items are wanted. */
export function readTimeWindow(params: Params): { start: number; end: number; fromStart: boolean } {
  const start = params.integer('startTime', { min: 0 });
  const end = params.integer('endTime', { min: 0 });
  if (start !== undefined && end !== undefined && end - start > 24 * 3_600_000) throw errors.tooManyHours(24);
  return { start: start ?? 0, end: end ?? Number.MAX_SAFE_INTEGER, fromStart: start !== undefined };
}

export function requireAuth(auth: Authenticated | null): Authenticated {
  if (auth === null) throw errors.rejectedKey();
  return auth;
}

