/**
 * The chaos soak's verdict: venuekit's history and balances (what the last trader wrote) against
 * the simulator's truth, exactly — decimals compared as decimals, nothing rounded, nothing skipped.
 */
import { Decimal } from '../src/core/decimal.js';
import { OrderState } from '../src/core/types.js';
import { ORDER_STATE, type BinanceOrderStatus } from '../src/exchanges/binance/constants.js';

interface StoredFill {
  clientOrderId: string;
  trade: { tradeId: string; exchangeOrderId: string; tradingPair: string; fillPrice: string; fillBaseAmount: string; fillQuoteAmount: string; fee: { flatFees: { token: string; amount: string }[] } };
}
interface StoredOrder {
  clientOrderId: string;
  exchangeOrderId?: string;
  tradingPair: string;
  state: OrderState;
  tracking: string;
  executedAmountBase: string;
}
export interface Snapshot {
  quiet: boolean;
  history: { orders: StoredOrder[]; fills: StoredFill[] };
  balances: { asset: string; total: string; available: string }[];
  lost: string[];
}
export interface Truth {
  orders: { pair: string; orderId: string; clientOrderId: string; status: BinanceOrderStatus; executedQty: string }[];
  fills: { pair: string; tradeId: string; orderId: string; price: string; qty: string; quoteQty: string; commission: string; commissionAsset: string }[];
  balances: Record<string, { free: string; locked: string }>;
}

export interface Report {
  discrepancies: number;
  lines: string[];
  examples: string[];
}

const eq = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && new Decimal(a).eq(b);
const ACTIVE = new Set([OrderState.PENDING_CREATE, OrderState.OPEN, OrderState.PARTIALLY_FILLED, OrderState.PENDING_CANCEL]);

export function compare(snapshot: Snapshot, truth: Truth): Report {
  const examples: string[] = [];
  const counts: Record<string, number> = {};
  const bad = (kind: string, example: string) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    if ((counts[kind] ?? 0) <= 5) examples.push(`${kind}: ${example}`);
  };

  // ---- fills: every exchange trade exactly once, identical; nothing the exchange lacks ----
  const storedByTrade = new Map<string, StoredFill[]>();
  for (const f of snapshot.history.fills) {
    const key = `${f.trade.tradingPair}/${f.trade.tradeId}`;
    storedByTrade.set(key, [...(storedByTrade.get(key) ?? []), f]);
  }
  const truthTrades = new Set<string>();
  for (const t of truth.fills) {
    const key = `${t.pair}/${t.tradeId}`;
    truthTrades.add(key);
    const stored = storedByTrade.get(key) ?? [];
    if (stored.length === 0) {
      bad('missing fill', `${key} (order ${t.orderId}, ${t.qty} @ ${t.price})`);
      continue;
    }
    if (stored.length > 1) bad('doubled fill', `${key} recorded ${stored.length} times`);
    const s = stored[0]!.trade;
    const fee = s.fee.flatFees;
    if (!eq(s.fillPrice, t.price)) bad('fill price differs', `${key}: ${s.fillPrice} vs the exchange's ${t.price}`);
    if (!eq(s.fillBaseAmount, t.qty)) bad('fill amount differs', `${key}: ${s.fillBaseAmount} vs ${t.qty}`);
    if (!eq(s.fillQuoteAmount, t.quoteQty)) bad('fill quote amount differs', `${key}: ${s.fillQuoteAmount} vs ${t.quoteQty}`);
    const feeOk = new Decimal(t.commission).isZero() ? fee.every((x) => new Decimal(x.amount).isZero()) : fee.length === 1 && fee[0]!.token === t.commissionAsset && eq(fee[0]!.amount, t.commission);
    if (!feeOk) bad('fill fee differs', `${key}: ${JSON.stringify(fee)} vs ${t.commission} ${t.commissionAsset}`);
    if (s.exchangeOrderId !== t.orderId) bad('fill on another order', `${key}: order ${s.exchangeOrderId} vs ${t.orderId}`);
  }
  for (const key of storedByTrade.keys()) if (!truthTrades.has(key)) bad('fill the exchange lacks', key);

  // ---- orders: the same end (or the same open state) and executed amount ----
  const truthByClient = new Map(truth.orders.map((o) => [o.clientOrderId, o]));
  const truthById = new Map(truth.orders.map((o) => [`${o.pair}/${o.orderId}`, o]));
  const tracked = new Set<string>();
  let terminalSame = 0;
  for (const o of snapshot.history.orders) {
    const t = (o.exchangeOrderId !== undefined ? truthById.get(`${o.tradingPair}/${o.exchangeOrderId}`) : undefined) ?? truthByClient.get(o.clientOrderId);
    if (t === undefined) {
      // Never on the exchange: it must have failed (refused, or never sent).
      if (o.state !== OrderState.FAILED) bad('order the exchange lacks', `${o.clientOrderId} ${o.state}`);
      continue;
    }
    tracked.add(`${t.pair}/${t.orderId}`);
    const expected = ORDER_STATE[t.status];
    if (o.state !== expected) bad('order state differs', `${o.clientOrderId} (${t.orderId}): ${o.state} vs the exchange's ${t.status}`);
    else if (!ACTIVE.has(expected)) terminalSame++;
    if (!eq(o.executedAmountBase, t.executedQty)) bad('executed amount differs', `${o.clientOrderId}: ${o.executedAmountBase} vs ${t.executedQty}`);
  }
  const open = truth.orders.filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED');
  for (const o of truth.orders) {
    if (tracked.has(`${o.pair}/${o.orderId}`)) continue;
    bad(open.includes(o) ? 'open order untracked' : 'exchange order untracked', `${o.pair} ${o.orderId} ${o.clientOrderId} ${o.status}`);
  }

  // ---- balances: total and available, exactly ----
  const mine = new Map(snapshot.balances.map((b) => [b.asset, b]));
  let balanceAssets = 0;
  for (const [asset, b] of Object.entries(truth.balances)) {
    const total = new Decimal(b.free).plus(b.locked);
    if (total.isZero() && !mine.has(asset)) continue;
    balanceAssets++;
    const m = mine.get(asset);
    if (m === undefined || !total.eq(m.total)) bad('total balance differs', `${asset}: ${m?.total ?? 'none'} vs the exchange's ${total.toFixed()}`);
    if (m === undefined || !new Decimal(b.free).eq(m.available)) bad('available balance differs', `${asset}: ${m?.available ?? 'none'} vs the exchange's ${b.free}`);
  }
  if (!snapshot.quiet) bad('never quiet', 'the last trader did not settle within its time');
  for (const id of snapshot.lost) bad('order still lost', id);

  const discrepancies = Object.values(counts).reduce((a, b) => a + b, 0);
  const lines = [
    `exchange: ${truth.orders.length} orders (${open.length} open), ${truth.fills.length} trades; venuekit: ${snapshot.history.orders.length} orders, ${snapshot.history.fills.length} fills`,
    `fills: ${truth.fills.length - (counts['missing fill'] ?? 0)} of ${truth.fills.length} exchange trades recorded, missing ${counts['missing fill'] ?? 0}, doubled ${counts['doubled fill'] ?? 0}, fields differing ${(counts['fill price differs'] ?? 0) + (counts['fill amount differs'] ?? 0) + (counts['fill quote amount differs'] ?? 0) + (counts['fill fee differs'] ?? 0)}, not on the exchange ${counts['fill the exchange lacks'] ?? 0}`,
    `orders: ${terminalSame} in the same terminal state, state differing ${counts['order state differs'] ?? 0}, executed amount differing ${counts['executed amount differs'] ?? 0}, open untracked ${counts['open order untracked'] ?? 0}, other untracked ${counts['exchange order untracked'] ?? 0}, tracked but absent ${counts['order the exchange lacks'] ?? 0}`,
    `balances: ${balanceAssets} assets, total differing ${counts['total balance differs'] ?? 0}, available differing ${counts['available balance differs'] ?? 0}`,
  ];
  return { discrepancies, lines, examples };
}
