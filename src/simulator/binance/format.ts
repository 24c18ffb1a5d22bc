import type { AccountTrade, AggTrade, Execution, Market, Order, Trade } from '../engine/index.js';
import { binanceSymbol } from './symbols.js';

/**
 * The JSON shapes of the Binance spot API, built from engine values. Every decimal is a string
 * zero-padded to its asset's precision, as Binance prints them.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type OrderResponseType = 'ACK' | 'RESULT' | 'FULL';

/** The fields Binance adds to an order's answers only when they apply. */
function conditional(market: Market, o: Order, out: JsonObject): JsonObject {
  if (o.strategyId !== null) out.strategyId = o.strategyId;
  if (o.strategyType !== null) out.strategyType = o.strategyType;
  if (o.preventedLots > 0) {
    out.preventedMatchId = o.preventedMatchId;
    out.preventedQuantity = market.formatQty(o.preventedLots);
  }
  if (o.expiryReason !== null && (o.status === 'EXPIRED' || o.status === 'EXPIRED_IN_MATCH')) out.expiryReason = o.expiryReason;
  return out;
}

/** The order's terms and state, as every order answer shows them (written into `out`: no spread on the REST hot path). */
function orderState(market: Market, o: Order, out: JsonObject): JsonObject {
  out.price = market.formatPrice(o.priceTicks);
  out.origQty = market.formatQty(o.origLots);
  out.executedQty = market.formatQty(o.executedLots);
  out.origQuoteOrderQty = market.formatQuote(o.origQuoteUnits);
  out.cummulativeQuoteQty = market.formatQuote(o.cumQuote);
  out.status = o.status;
  out.timeInForce = o.timeInForce;
  out.type = o.kind;
  out.side = o.side;
  return out;
}

/** POST /api/v3/order in the requested response type. */
export function newOrderResponse(market: Market, exec: Execution, type: OrderResponseType): JsonObject {
  const o = exec.order;
  const result: JsonObject = { symbol: binanceSymbol(market), orderId: o.id, orderListId: -1, clientOrderId: o.clientOrderId, transactTime: o.time };
  if (type === 'ACK') return result;
  orderState(market, o, result);
  result.workingTime = o.workingTime;
  conditional(market, o, result);
  if (type === 'FULL') {
    const takerBuys = o.side === 'BUY';
    result.fills = exec.trades.map((t) => ({
      price: market.formatPrice(t.price),
      qty: market.formatQty(t.lots),
      commission: takerBuys ? market.formatBase(t.buyerCommission) : market.formatQuote(t.sellerCommission),
      commissionAsset: takerBuys ? market.base : market.quote,
      tradeId: t.id,
    }));
    if (exec.prevented.length > 0) {
      result.preventedMatches = exec.prevented.map((p) => {
        const entry: JsonObject = { preventedMatchId: p.preventedMatchId, makerOrderId: p.makerOrderId, price: market.formatPrice(p.price) };
        if (p.makerPreventedLots > 0) entry.makerPreventedQuantity = market.formatQty(p.makerPreventedLots);
        if (p.takerPreventedLots > 0) entry.takerPreventedQuantity = market.formatQty(p.takerPreventedLots);
        return entry;
      });
    }
  }
  result.selfTradePreventionMode = o.stp;
  return result;
}

/** GET /api/v3/order, openOrders, allOrders. */
export function orderJson(market: Market, o: Order): JsonObject {
  const out = orderState(market, o, { symbol: binanceSymbol(market), orderId: o.id, orderListId: -1, clientOrderId: o.clientOrderId });
  out.stopPrice = market.formatPrice(0);
  out.icebergQty = market.formatQty(0);
  out.time = o.time;
  out.updateTime = o.updateTime;
  out.isWorking = true;
  out.workingTime = o.workingTime;
  out.selfTradePreventionMode = o.stp;
  return conditional(market, o, out);
}

/** DELETE /api/v3/order: `clientOrderId` is the cancel's own id, `origClientOrderId` the order's. */
export function cancelJson(market: Market, o: Order, cancelClientOrderId: string, transactTime: number): JsonObject {
  const out = orderState(market, o, {
    symbol: binanceSymbol(market),
    origClientOrderId: o.clientOrderId,
    orderId: o.id,
    orderListId: -1,
    clientOrderId: cancelClientOrderId,
    transactTime,
  });
  out.selfTradePreventionMode = o.stp;
  return conditional(market, o, out);
}

/** GET /api/v3/trades */
export function publicTradeJson(market: Market, t: Trade): JsonObject {
  return {
    id: t.id,
    price: market.formatPrice(t.price),
    qty: market.formatQty(t.lots),
    quoteQty: market.formatQuote(t.quote),
    time: t.time,
    isBuyerMaker: t.buyerIsMaker,
    isBestMatch: true,
  };
}

/** GET /api/v3/aggTrades */
export function aggTradeJson(market: Market, a: AggTrade): JsonObject {
  return {
    a: a.id,
    p: market.formatPrice(a.price),
    q: market.formatQty(a.lots),
    f: a.firstTradeId,
    l: a.lastTradeId,
    T: a.time,
    m: a.buyerIsMaker,
    M: true,
  };
}

/** GET /api/v3/myTrades */
export function myTradeJson(market: Market, t: AccountTrade): JsonObject {
  return {
    symbol: binanceSymbol(market),
    id: t.trade.id,
    orderId: t.orderId,
    orderListId: -1,
    price: market.formatPrice(t.trade.price),
    qty: market.formatQty(t.trade.lots),
    quoteQty: market.formatQuote(t.trade.quote),
    commission: t.isBuyer ? market.formatBase(t.commission) : market.formatQuote(t.commission),
    commissionAsset: t.commissionAsset,
    time: t.trade.time,
    isBuyer: t.isBuyer,
    isMaker: t.isMaker,
    isBestMatch: true,
  };
}
