import { formatScaled, type BalanceSnapshot, type BalanceTransfer, type Market, type OrderEvent } from '../../engine/index.js';
import { binanceSymbol } from '../symbols.js';

/**
 * The JSON of user data stream events (§7), as text. Every field of executionReport is there: `c`
 * is the cancel request's own id on a cancel, with the order's id in `C` (empty otherwise), `I` the
 * engine's execution id, `w` whether the order is on the book (true on NEW, as Binance sends it).
 */
export function executionReportJson(market: Market, time: number, e: OrderEvent, precisionOf: (asset: string) => number): string {
  const o = e.order;
  const symbol = binanceSymbol(market);
  const cancelled = e.execution === 'CANCELED';
  const trade = e.trade;
  const commissionAsset = e.commissionAsset;
  const precision = commissionAsset === null ? 0 : precisionOf(commissionAsset);
  const report: Record<string, string | number | boolean | null> = {
    e: 'executionReport',
    E: time,
    s: symbol,
    c: cancelled ? (e.cancelClientOrderId ?? o.clientOrderId) : o.clientOrderId,
    S: o.side,
    o: o.kind,
    f: o.timeInForce,
    q: market.formatQty(o.origLots),
    p: market.formatPrice(o.priceTicks),
    P: market.formatPrice(0),
    F: market.formatQty(0),
    g: -1,
    C: cancelled ? o.clientOrderId : '',
    x: e.execution,
    X: e.status,
    r: 'NONE',
    i: o.id,
    l: market.formatQty(trade === null ? 0 : trade.lots),
    z: market.formatQty(e.executedLots),
    L: market.formatPrice(trade === null ? 0 : trade.price),
    n: commissionAsset === null ? '0' : formatScaled(e.commission, precision, precision),
    N: commissionAsset,
    T: time,
    t: trade === null ? -1 : trade.id,
    I: e.executionId,
    w: e.working,
    m: e.isMaker,
    M: trade !== null,
    O: o.time,
    Z: market.formatQuote(e.cumQuote),
    Y: market.formatQuote(trade === null ? 0 : trade.quote),
    Q: market.formatQuote(o.origQuoteUnits),
  };
  if (o.strategyId !== null) report.j = o.strategyId;
  if (o.strategyType !== null) report.J = o.strategyType;
  if (e.workingTime >= 0) report.W = e.workingTime;
  report.V = o.stp;
  if (e.execution === 'TRADE_PREVENTION') {
    report.v = e.preventedMatchId;
    report.A = market.formatQty(e.preventedLots);
    report.B = market.formatQty(e.lastPreventedLots);
    report.U = e.counterOrderId;
    report.Cs = symbol;
    report.pl = market.formatQty(e.preventedExecutionLots);
    report.pL = market.formatPrice(e.preventedExecutionPrice);
    report.pY = market.formatQuote(market.rules.notionalFloor(e.preventedExecutionPrice, e.preventedExecutionLots));
  }
  if (e.expiryReason !== null && (e.status === 'EXPIRED' || e.status === 'EXPIRED_IN_MATCH')) report.eR = e.expiryReason;
  return JSON.stringify(report);
}

/** The free and locked amounts of the assets one transaction changed for one account. */
export function accountPositionJson(time: number, balances: readonly BalanceSnapshot[]): string {
  const B = balances.map((b) => ({ a: b.asset, f: formatScaled(b.free, b.precision, b.precision), l: formatScaled(b.locked, b.precision, b.precision) }));
  return JSON.stringify({ e: 'outboundAccountPosition', E: time, u: time, B });
}

/** A deposit or withdrawal: `d` is the signed change of the free balance. */
export function balanceUpdateJson(time: number, t: BalanceTransfer): string {
  return JSON.stringify({ e: 'balanceUpdate', E: time, a: t.asset, d: formatScaled(t.delta, t.precision, t.precision), T: time });
}

export function eventStreamTerminatedJson(time: number): string {
  return `{"e":"eventStreamTerminated","E":${time}}`;
}

/** Sent on the WebSocket API before a planned disconnect (no subscription id: it concerns the connection). */
export function wsApiShutdownJson(time: number): string {
  return `{"event":{"e":"serverShutdown","E":${time}}}`;
}
