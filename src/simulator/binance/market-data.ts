import { Decimal } from '../../core/decimal.js';
import type { Market, Trade } from '../engine/index.js';
import type { Authenticated } from './auth.js';
import type { DialectContext } from './context.js';
import { errors } from './errors.js';
import { symbolInfo } from './exchange-info.js';
import { aggTradeJson, publicTradeJson, type Json, type JsonObject } from './format.js';
import type { Params } from './params.js';
import { binanceSymbol } from './symbols.js';

const DAY = 24 * 3_600_000;
const STATUSES = ['TRADING', 'HALT', 'BREAK', 'END_OF_DAY', 'CANCEL_ONLY'] as const;

export function ping(_ctx: DialectContext, params: Params, _auth: Authenticated | null): Json {
  params.assertAllRead();
  return {};
}

export function time(ctx: DialectContext, params: Params, _auth: Authenticated | null): Json {
  params.assertAllRead();
  return { serverTime: ctx.now() };
}

/** The markets a request names with `symbol` or `symbols`, or all of them. */
function selectMarkets(ctx: DialectContext, params: Params): { markets: Market[]; single: boolean } {
  const symbol = params.optional('symbol');
  const symbols = params.stringArray('symbols');
  if (symbol !== undefined && symbols !== undefined) throw errors.badCombination();
  if (symbol !== undefined) return { markets: [ctx.symbols.require(symbol)], single: true };
  if (symbols !== undefined) return { markets: symbols.map((s) => ctx.symbols.require(s)), single: false };
  return { markets: ctx.symbols.all(), single: false };
}

export function exchangeInfo(ctx: DialectContext, params: Params, _auth: Authenticated | null): Json {
  const { markets } = selectMarkets(ctx, params);
  const permissions = params.optional('permissions');
  params.boolean('showPermissionSets');
  const status = params.oneOf('symbolStatus', STATUSES, errors.invalidSymbolStatus);
  if ((permissions !== undefined || status !== undefined) && (params.has('symbol') || params.has('symbols'))) throw errors.badCombination();
  params.assertAllRead();
  const spot = permissions === undefined || permissions.includes('SPOT');
  return {
    timezone: 'UTC',
    serverTime: ctx.now(),
    rateLimits: ctx.rateLimits().map((r) => ({ ...r })),
    exchangeFilters: [],
    symbols: markets.filter((m) => spot && (status === undefined || m.status === status)).map(symbolInfo),
  };
}

export function depth(ctx: DialectContext, params: Params, _auth: Authenticated | null): Json {
  const market = ctx.symbols.require(params.required('symbol'));
  const limit = Math.min(params.integer('limit', { min: 1 }) ?? 100, 5000);
  checkSymbolStatus(params, market);
  params.assertAllRead();
  const book = ctx.engine.depth(market.pair, limit);
  if (book === undefined) throw errors.badSymbol();
  return {
    lastUpdateId: book.lastUpdateId,
    bids: book.bids.map((l) => [market.formatPrice(l.price), market.formatQty(l.lots)]),
    asks: book.asks.map((l) => [market.formatPrice(l.price), market.formatQty(l.lots)]),
  };
}

/** Weight of a depth request (part 2's rate limiter reads it). */
export function depthWeight(params: Params): number {
  const limit = Number(params.optional('limit') ?? 100);
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

function checkSymbolStatus(params: Params, market: Market): void {
  const status = params.oneOf('symbolStatus', STATUSES, errors.invalidSymbolStatus);
  if (status !== undefined && status !== market.status) throw errors.symbolStatusMismatch();
}

export function recentTrades(ctx: DialectContext, params: Params, _auth: Authenticated | null): Json {
  const market = ctx.symbols.require(params.required('symbol'));
  const limit = Math.min(params.integer('limit', { min: 1 }) ?? 500, 1000);
  params.assertAllRead();
  const tape = market.trades;
  const out: Json[] = [];
  for (let i = Math.max(0, tape.size - limit); i < tape.size; i++) out.push(publicTradeJson(market, tape.at(i) as Trade));
  return out;
}

export function aggTrades(ctx: DialectContext, params: Params, _auth: Authenticated | null): Json {
  const market = ctx.symbols.require(params.required('symbol'));
  const fromId = params.integer('fromId', { min: 0 });
  const start = params.integer('startTime', { min: 0 });
  const end = params.integer('endTime', { min: 0 });
  const limit = Math.min(params.integer('limit', { min: 1 }) ?? 500, 1000);
  params.assertAllRead();
  if (start !== undefined && end !== undefined && end - start > 3_600_000) throw errors.tooManyHours(1);
  let aggs = market.aggTrades();
  if (fromId !== undefined) aggs = aggs.filter((a) => a.id >= fromId);
  if (start !== undefined) aggs = aggs.filter((a) => a.time >= start);
  if (end !== undefined) aggs = aggs.filter((a) => a.time <= end);
  const picked = fromId !== undefined || start !== undefined ? aggs.slice(0, limit) : aggs.slice(-limit);
  return picked.map((a) => aggTradeJson(market, a));
}

function bookTickerOf(market: Market): JsonObject {
  const bid = market.book.bids.best();
  const ask = market.book.asks.best();
  return {
    symbol: binanceSymbol(market),
    bidPrice: market.formatPrice(bid?.price ?? 0),
    bidQty: market.formatQty(bid?.lots ?? 0),
    askPrice: market.formatPrice(ask?.price ?? 0),
    askQty: market.formatQty(ask?.lots ?? 0),
  };
}

export function bookTicker(ctx: DialectContext, params: Params, _auth: Authenticated | null): Json {
  const { markets, single } = selectMarkets(ctx, params);
  params.assertAllRead();
  return single ? bookTickerOf(markets[0] as Market) : markets.map(bookTickerOf);
}

/** GET /api/v3/ticker/price: the last trade's price ("0.00000000" before the first trade). */
export function tickerPrice(ctx: DialectContext, params: Params, _auth: Authenticated | null): Json {
  const { markets, single } = selectMarkets(ctx, params);
  params.assertAllRead();
  const out = markets.map((m) => ({ symbol: binanceSymbol(m), price: m.formatPrice(m.stats.lastPrice) }));
  return single ? (out[0] as JsonObject) : out;
}

/**
 * GET /api/v3/avgPrice: the volume-weighted price of the symbol's last `avgPriceMins` minutes, or
 * the last trade's price when nothing traded in them; `closeTime` is the last trade's time.
 */
export function avgPrice(ctx: DialectContext, params: Params, _auth: Authenticated | null): Json {
  const market = ctx.symbols.require(params.required('symbol'));
  params.assertAllRead();
  const mins = market.rules.source.avgPriceMins;
  const avg = market.stats.average(ctx.now(), mins);
  const price = avg === null
    ? market.formatPrice(market.stats.lastPrice)
    : new Decimal(avg.quote.toString()).div(new Decimal(10).pow(market.quotePrecision)).div(market.formatQty(avg.lots)).toFixed(market.quotePrecision);
  return { mins, price, closeTime: market.stats.lastTime };
}

function ticker24hOf(market: Market, now: number, mini: boolean): JsonObject {
  const w = market.stats.window(now);
  const p = market.quotePrecision;
  const traded = w.count > 0;
  const last = traded ? w.last : 0;
  const open = traded ? w.open : 0;
  const volume = new Decimal(market.formatQty(w.volumeLots));
  const quoteVolume = new Decimal(w.quoteVolume.toString()).div(new Decimal(10).pow(p));
  const base: JsonObject = {
    symbol: binanceSymbol(market),
    openPrice: market.formatPrice(open),
    highPrice: market.formatPrice(traded ? w.high : 0),
    lowPrice: market.formatPrice(traded ? w.low : 0),
    lastPrice: market.formatPrice(last),
    volume: volume.toFixed(market.basePrecision),
    quoteVolume: quoteVolume.toFixed(p),
    openTime: now - DAY,
    closeTime: now,
    firstId: traded ? w.firstId : -1,
    lastId: traded ? w.lastId : -1,
    count: w.count,
  };
  if (mini) return base;
  const change = new Decimal(market.formatPrice(last)).minus(market.formatPrice(open));
  const percent = open > 0 ? change.div(market.formatPrice(open)).times(100) : new Decimal(0);
  const book = bookTickerOf(market);
  return {
    symbol: base.symbol as string,
    priceChange: change.toFixed(p),
    priceChangePercent: percent.toFixed(3),
    weightedAvgPrice: (volume.isZero() ? new Decimal(0) : quoteVolume.div(volume)).toFixed(p),
    prevClosePrice: market.formatPrice(w.prevClose),
    lastPrice: base.lastPrice as string,
    lastQty: market.formatQty(traded ? w.lastLots : 0),
    bidPrice: book.bidPrice as string,
    bidQty: book.bidQty as string,
    askPrice: book.askPrice as string,
    askQty: book.askQty as string,
    openPrice: base.openPrice as string,
    highPrice: base.highPrice as string,
    lowPrice: base.lowPrice as string,
    volume: base.volume as string,
    quoteVolume: base.quoteVolume as string,
    openTime: base.openTime as number,
    closeTime: base.closeTime as number,
    firstId: base.firstId as number,
    lastId: base.lastId as number,
    count: base.count as number,
  };
}

export function ticker24h(ctx: DialectContext, params: Params, _auth: Authenticated | null): Json {
  const { markets, single } = selectMarkets(ctx, params);
  const type = params.oneOf('type', ['FULL', 'MINI'] as const, errors.invalidTickerType) ?? 'FULL';
  checkSymbolStatusAll(params);
  params.assertAllRead();
  const now = ctx.now();
  const out = markets.map((m) => ticker24hOf(m, now, type === 'MINI'));
  return single ? (out[0] as JsonObject) : out;
}

function checkSymbolStatusAll(params: Params): void {
  params.oneOf('symbolStatus', STATUSES, errors.invalidSymbolStatus);
}
