import type { LevelQuantity, Market, Trade } from '../../engine/index.js';
import { binanceSymbol } from '../symbols.js';

/**
 * The JSON of market stream events (§5), built as text once per event and shared by every
 * subscriber. Prices and quantities print exactly, zero-padded like the REST answers.
 */

function levelsJson(market: Market, levels: readonly LevelQuantity[]): string {
  let out = '[';
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i] as LevelQuantity;
    if (i > 0) out += ',';
    out += `["${market.formatPrice(l.price)}","${market.formatQty(l.lots)}"]`;
  }
  return `${out}]`;
}

/** `depthUpdate`: U/u the first and last update id covered, b/a each touched level's quantity now ("0" = gone). */
export function depthUpdateJson(market: Market, time: number, first: number, last: number, bids: readonly LevelQuantity[], asks: readonly LevelQuantity[]): string {
  return `{"e":"depthUpdate","E":${time},"s":${JSON.stringify(binanceSymbol(market))},"U":${first},"u":${last},"b":${levelsJson(market, bids)},"a":${levelsJson(market, asks)}}`;
}

/** Partial depth `<s>@depth<N>`: the top levels, with no event type, time or symbol (as on spot). */
export function partialDepthJson(market: Market, lastUpdateId: number, bids: readonly LevelQuantity[], asks: readonly LevelQuantity[]): string {
  return `{"lastUpdateId":${lastUpdateId},"bids":${levelsJson(market, bids)},"asks":${levelsJson(market, asks)}}`;
}

export function tradeJson(market: Market, time: number, t: Trade): string {
  return JSON.stringify({
    e: 'trade',
    E: time,
    s: binanceSymbol(market),
    t: t.id,
    p: market.formatPrice(t.price),
    q: market.formatQty(t.lots),
    T: t.time,
    m: t.buyerIsMaker,
    M: true,
  });
}

/** One aggregate trade: consecutive trades of one taker at one price, all inside one transaction. */
export function aggTradeJson(market: Market, time: number, trades: readonly Trade[]): string {
  const first = trades[0] as Trade;
  const last = trades[trades.length - 1] as Trade;
  let lots = 0;
  for (const t of trades) lots += t.lots;
  return JSON.stringify({
    e: 'aggTrade',
    E: time,
    s: binanceSymbol(market),
    a: first.aggId,
    p: market.formatPrice(first.price),
    q: market.formatQty(lots),
    f: first.id,
    l: last.id,
    T: first.time,
    m: first.buyerIsMaker,
    M: true,
  });
}

export interface Top {
  bidPrice: number;
  bidLots: number;
  askPrice: number;
  askLots: number;
}

/** `bookTicker` (no e/E on spot): u is the update id of the change that moved the top of the book. */
export function bookTickerJson(market: Market, updateId: number, top: Top): string {
  return JSON.stringify({
    u: updateId,
    s: binanceSymbol(market),
    b: market.formatPrice(top.bidPrice),
    B: market.formatQty(top.bidLots),
    a: market.formatPrice(top.askPrice),
    A: market.formatQty(top.askLots),
  });
}

/** Sent before a planned disconnect; the combined form wraps it as the `!serverShutdown` stream. */
export function serverShutdownJson(time: number, combined: boolean): string {
  const event = `{"e":"serverShutdown","E":${time}}`;
  return combined ? `{"stream":"!serverShutdown","data":${event}}` : event;
}
