import { BalanceTable } from '../src/connector/balance-table.js';
import { Decimal } from '../src/core/decimal.js';
import { OrderBook } from '../src/core/book/order-book.js';
import { InFlightOrder } from '../src/core/orders/in-flight-order.js';
import { OrderType, TradeType } from '../src/core/types.js';
import {
  parseAccount,
  parseAccountPosition,
  parseBalanceUpdate,
  parseDepthSnapshot,
  parseDepthUpdate,
  parseExchangeInfo,
  parseExecutionReport,
  parseMyTrades,
  parseOrder,
  parseOrderAck,
  parsePublicTrade,
  parseStreamMessage,
  parseUserDataEvent,
  parseWsApiMessage,
} from '../src/exchanges/binance/parse.js';
import { mutateJson, mutateText } from './lib/mutate.js';
import { describe, heapMb, trapFatal, type Counts, type FuzzArgs } from './lib/report.js';
import { Rng } from './lib/rng.js';
import type { FuzzResult } from './simulator.js';

/**
 * The connector's receiving side fed hostile exchange data: valid Binance answers and events,
 * mutated (values made non-finite, negative, huge, deep, retyped; keys dropped or added; bytes
 * flipped), straight into the parsers, and what they accept into the balance table, an order book
 * and tracked orders, whose invariants are checked after every message. (The same mutations served
 * by a fake exchange to a running BinanceExchange are not built yet.)
 */

const SYMBOLS: ReadonlyMap<string, string> = new Map([
  ['BTCUSDT', 'BTC-USDT'],
  ['ETHUSDT', 'ETH-USDT'],
]);
const ORDER_ID = 'fz-order';
const EXCHANGE_ID = '4242';
const OTHER_ORDER_ID = 'fz-other';
const OTHER_EXCHANGE_ID = '777';

const levels = (base: number, step: number) => Array.from({ length: 5 }, (_, i) => [(base + i * step).toFixed(2), `${(i + 1) * 0.5}`]);
const executionReport = (x: string, X: string, l: string, t: number) => ({
  e: 'executionReport', E: 1_700_000_000_100, s: 'BTCUSDT', c: ORDER_ID, S: 'BUY', o: 'LIMIT', f: 'GTC', q: '1.00000000', p: '100.00000000',
  C: '', x, X, r: 'NONE', i: Number(EXCHANGE_ID), l, z: l, L: '100.00000000', n: '0.00100000', N: 'BTC', T: 1_700_000_000_100, t, I: 1, w: X === 'NEW', m: false,
  O: 1_700_000_000_000, Z: '100.00000000', Y: '100.00000000',
});

/** Valid answers and events as the simulator (and Binance) send them, each with the parser it goes to. */
const SAMPLES: { name: string; value: unknown }[] = [
  { name: 'account', value: { updateTime: 1_700_000_000_000, canTrade: true, commissionRates: { maker: '0.00100000', taker: '0.00100000' }, balances: [{ asset: 'BTC', free: '1.00000000', locked: '0.50000000' }, { asset: 'USDT', free: '10000.00000000', locked: '0.00000000' }] } },
  { name: 'position', value: { e: 'outboundAccountPosition', E: 1_700_000_000_200, u: 1_700_000_000_200, B: [{ a: 'BTC', f: '0.90000000', l: '0.50000000' }] } },
  { name: 'balanceUpdate', value: { e: 'balanceUpdate', E: 1_700_000_000_300, a: 'USDT', d: '-15.00000000', T: 1_700_000_000_300 } },
  { name: 'depth', value: { lastUpdateId: 1000, bids: levels(100, -0.5), asks: levels(101, 0.5) } },
  { name: 'depthUpdate', value: { e: 'depthUpdate', E: 1_700_000_000_400, s: 'BTCUSDT', U: 1001, u: 1003, b: [['100.50', '2.0'], ['99.00', '0']], a: [['101.00', '0'], ['101.20', '1.5']] } },
  { name: 'trade', value: { e: 'trade', E: 1_700_000_000_500, s: 'BTCUSDT', t: 12, p: '100.70', q: '0.1', T: 1_700_000_000_500, m: true, M: true } },
  { name: 'stream', value: { stream: 'btcusdt@depth@100ms', data: { e: 'depthUpdate', E: 1, s: 'BTCUSDT', U: 1, u: 2, b: [], a: [] } } },
  { name: 'executionReport', value: executionReport('TRADE', 'PARTIALLY_FILLED', '0.40000000', 501) },
  { name: 'executionReport', value: executionReport('NEW', 'NEW', '0.00000000', -1) },
  { name: 'order', value: { symbol: 'BTCUSDT', orderId: Number(EXCHANGE_ID), orderListId: -1, clientOrderId: ORDER_ID, price: '100.00000000', origQty: '1.00000000', executedQty: '0.40000000', cummulativeQuoteQty: '40.00000000', status: 'PARTIALLY_FILLED', timeInForce: 'GTC', type: 'LIMIT', side: 'BUY', stopPrice: '0.00000000', icebergQty: '0.00000000', time: 1_700_000_000_000, updateTime: 1_700_000_000_100, isWorking: true, workingTime: 1_700_000_000_000, origQuoteOrderQty: '0.00000000', selfTradePreventionMode: 'EXPIRE_MAKER' } },
  { name: 'orderAck', value: { symbol: 'BTCUSDT', orderId: Number(EXCHANGE_ID), orderListId: -1, clientOrderId: ORDER_ID, transactTime: 1_700_000_000_000 } },
  { name: 'myTrades', value: [{ symbol: 'BTCUSDT', id: 501, orderId: Number(EXCHANGE_ID), orderListId: -1, price: '100.00000000', qty: '0.40000000', quoteQty: '40.00000000', commission: '0.00040000', commissionAsset: 'BTC', time: 1_700_000_000_100, isBuyer: true, isMaker: false, isBestMatch: true }] },
  { name: 'exchangeInfo', value: { timezone: 'UTC', serverTime: 1_700_000_000_000, rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }], symbols: [{ symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT', baseAssetPrecision: 8, quoteAssetPrecision: 8, orderTypes: ['LIMIT', 'MARKET', 'LIMIT_MAKER'], isSpotTradingAllowed: true, permissions: [], permissionSets: [['SPOT']], filters: [{ filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' }, { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' }, { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 }] }] } },
  { name: 'wsApi', value: { id: 3, status: 200, result: { serverTime: 1_700_000_000_000 }, rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 2 }] } },
  { name: 'userData', value: { subscriptionId: 0, event: { e: 'balanceUpdate', E: 1_700_000_000_300, a: 'USDT', d: '5.00000000', T: 1_700_000_000_300 } } },
];

interface State {
  balances: BalanceTable;
  book: OrderBook;
  order: InFlightOrder;
  other: InFlightOrder;
  time: number;
}

function freshState(): State {
  const order = new InFlightOrder({ clientOrderId: ORDER_ID, tradingPair: 'BTC-USDT', orderType: OrderType.LIMIT, tradeType: TradeType.BUY, amount: new Decimal(1), price: new Decimal(100), creationTimestamp: 1_000 });
  order.updateWithOrderUpdate({ clientOrderId: ORDER_ID, exchangeOrderId: EXCHANGE_ID, tradingPair: 'BTC-USDT', newState: 'OPEN', updateTimestamp: 1_001 } as never);
  const other = new InFlightOrder({ clientOrderId: OTHER_ORDER_ID, tradingPair: 'BTC-USDT', orderType: OrderType.LIMIT, tradeType: TradeType.SELL, amount: new Decimal(1), price: new Decimal(200), creationTimestamp: 1_000 });
  other.updateWithOrderUpdate({ clientOrderId: OTHER_ORDER_ID, exchangeOrderId: OTHER_EXCHANGE_ID, tradingPair: 'BTC-USDT', newState: 'OPEN', updateTimestamp: 1_001 } as never);
  const balances = new BalanceTable();
  const account = parseAccount(SAMPLES[0]?.value);
  if (account.ok) balances.applySnapshot(account.value.balances, 0, balances.beginSnapshot());
  return { balances, book: new OrderBook(), order, other, time: 1 };
}

/** Feeds one (mutated) message to its parser and whatever it accepts to the state it changes. */
function apply(name: string, message: unknown, state: State): void {
  const t = ++state.time;
  switch (name) {
    case 'account': {
      const r = parseAccount(message);
      if (r.ok) state.balances.applySnapshot(r.value.balances, r.value.updateTime, state.balances.beginSnapshot());
      return;
    }
    case 'position': {
      const r = parseAccountPosition(message);
      if (r.ok) state.balances.applyPosition(r.value.balances, r.value.lastUpdateTime);
      return;
    }
    case 'balanceUpdate': {
      const r = parseBalanceUpdate(message);
      if (r.ok) state.balances.applyDelta(r.value.asset, r.value.delta, r.value.clearTime + t);
      return;
    }
    case 'depth': {
      const r = parseDepthSnapshot(message);
      if (r.ok) bookCall(() => state.book.applySnapshot(r.value.bids, r.value.asks, r.value.updateId));
      return;
    }
    case 'depthUpdate': {
      const r = parseDepthUpdate(message, SYMBOLS);
      if (r.ok) bookCall(() => state.book.applyDiff(r.value.diff.bids, r.value.diff.asks, r.value.diff.updateId));
      return;
    }
    case 'executionReport': {
      const r = parseExecutionReport(message, SYMBOLS);
      if (!r.ok) return;
      for (const order of [state.order, state.other]) {
        if (r.value.orderUpdate.clientOrderId !== order.clientOrderId) continue;
        order.updateWithOrderUpdate(r.value.orderUpdate);
        if (r.value.tradeUpdate !== undefined) {
          const before = order.executedAmountBase;
          const applied = order.updateWithTradeUpdate(r.value.tradeUpdate);
          const named = r.value.tradeUpdate.exchangeOrderId;
          if (applied && order.exchangeOrderId !== undefined && named !== order.exchangeOrderId && !order.executedAmountBase.eq(before)) {
            throw new ImpossibleState(`fill ${r.value.tradeUpdate.tradeId} for exchange order ${named} applied to ${order.clientOrderId} (exchange order ${order.exchangeOrderId})`);
          }
        }
      }
      return;
    }
    case 'trade': return void parsePublicTrade(message, SYMBOLS);
    case 'stream': return void parseStreamMessage(message);
    case 'order': return void parseOrder(message, SYMBOLS);
    case 'orderAck': return void parseOrderAck(message, SYMBOLS);
    case 'myTrades': return void parseMyTrades(message, SYMBOLS, { clientOrderIdOf: () => ORDER_ID } as never);
    case 'exchangeInfo': return void parseExchangeInfo(message);
    case 'wsApi': return void parseWsApiMessage(message);
    case 'userData': return void parseUserDataEvent(message, SYMBOLS);
  }
}

class ImpossibleState extends Error {}

/** An unreadable level is the book's documented refusal (BookDataError); anything else is not. */
function bookCall(body: () => void): void {
  try {
    body();
  } catch (error) {
    if ((error as Error).constructor.name !== 'BookDataError') throw error;
  }
}

/** The invariants no message may break; returns the first one broken. */
function check(state: State): string | null {
  for (const b of state.balances.entries()) {
    if (!b.total.isFinite() || !b.available.isFinite()) return `balance ${b.asset} is not finite (${b.total.toString()}, ${b.available.toString()})`;
    if (b.total.isNegative() || b.available.isNegative()) return `balance ${b.asset} is negative (${b.total.toString()}, ${b.available.toString()})`;
    if (b.asset.length === 0) return 'a balance with an empty asset name';
  }
  const { bids, asks } = state.book.snapshot();
  for (let i = 1; i < bids.length; i++) if (!new Decimal((bids[i - 1] as { price: string }).price).gt((bids[i] as { price: string }).price)) return 'bids not sorted strictly descending';
  for (let i = 1; i < asks.length; i++) if (!new Decimal((asks[i - 1] as { price: string }).price).lt((asks[i] as { price: string }).price)) return 'asks not sorted strictly ascending';
  const bid = bids[0] as { price: string } | undefined;
  const ask = asks[0] as { price: string } | undefined;
  if (bid !== undefined && ask !== undefined && !new Decimal(bid.price).lt(ask.price)) return `crossed book: bid ${bid.price} >= ask ${ask.price}`;
  for (const order of [state.order, state.other]) {
    const filled = order.executedAmountBase;
    if (!filled.isFinite() || filled.isNegative()) return `order ${order.clientOrderId} filled ${filled.toString()}`;
    if (filled.gt(order.amount) && !order.isOverfilled) return `order ${order.clientOrderId} filled ${filled.toString()} of ${order.amount.toString()} without the overfill flag`;
  }
  return null;
}

function mutated(value: unknown, rng: Rng): unknown {
  if (rng.chance(0.15)) {
    // Bytes on the wire: a mutated text that may no longer be JSON (then it is dropped, as the client would).
    const text = mutateText(JSON.stringify(value), rng);
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return mutateJson(value, rng);
}

export function runConnectorFuzz(args: FuzzArgs): FuzzResult {
  const counts: Counts = { crashes: 0, unhandledRejections: 0, parserThrows: 0, stateThrows: 0, impossibleStates: 0, heapGrowth: 0 };
  const examples: string[] = [];
  const untrap = trapFatal(counts, examples);
  const rng = new Rng(args.seed);
  const started = Date.now();
  let state = freshState();
  let baseline = 0;
  const byKind: Record<string, number> = {};
  // Each class of finding once, with the first message that showed it (rerun with the same seed to see it again).
  const classes = new Map<string, { count: number; first: string }>();
  const record = (kind: string, cls: string, text: string) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    const seen = classes.get(cls);
    if (seen) seen.count++;
    else classes.set(cls, { count: 1, first: text });
  };
  try {
    for (let i = 0; i < args.messages; i++) {
      // A fresh state now and then, so a corruption found early does not mask the ones after it.
      if (i % 1_000 === 0) state = freshState();
      const sample = rng.pick(SAMPLES);
      // A share of valid messages keeps the state moving, so the mutated ones meet a live book and order.
      const message = rng.chance(0.25) ? structuredClone(sample.value) : mutated(sample.value, rng);
      byKind[sample.name] = (byKind[sample.name] ?? 0) + 1;
      try {
        apply(sample.name, message, state);
      } catch (error) {
        const inParser = (error as Error).stack?.includes('/parse/') === true || (error as Error).stack?.includes('core/json') === true;
        // The order's own update checks refusing a value (a non-finite amount the parser let through) are
        // its documented defence, reached only because the parser passed the value on: counted, not failed.
        const refused = !inParser && (error as Error).stack?.includes('check-updates') === true;
        const kind = error instanceof ImpossibleState ? 'impossibleStates' : inParser ? 'parserThrows' : refused ? 'refusedByOrderChecks' : 'stateThrows';
        const text = describe(error);
        record(kind, `${sample.name}: ${(text.split('\n')[0] ?? '').replace(/-?[0-9][0-9.e+-]*|Infinity|NaN/g, 'N').slice(0, 100)}`, `message ${i}: ${text}`);
        state = freshState();
        continue;
      }
      const broken = check(state);
      if (broken !== null) {
        record('impossibleStates', `${sample.name}: ${broken.replace(/^balance \S+/, 'balance X').replace(/order \S+/g, 'order X').replace(/-?[0-9][0-9.e+-]*|Infinity|NaN/g, 'N')}`, `message ${i}: ${broken}`);
        state = freshState();
      }
      if (i === Math.min(args.messages - 1, 20_000)) baseline = heapMb();
    }
    for (const [cls, { count, first }] of classes) examples.push(`${count} x ${cls.slice(0, 160)}\n    first: ${first.slice(0, 400).split('\n').join('\n    ')}`);
    const final = heapMb();
    if (baseline > 0 && final - baseline > args.heapLimitMb) {
      counts.heapGrowth = 1;
      examples.push(`heap grew from ${baseline.toFixed(1)} MiB to ${final.toFixed(1)} MiB`);
    }
    const refusedByOrderChecks = counts.refusedByOrderChecks ?? 0;
    delete counts.refusedByOrderChecks;
    return { counts, figures: { refusedByOrderChecks, heapBaselineMb: Math.round(baseline), heapFinalMb: Math.round(final), seconds: Math.round((Date.now() - started) / 100) / 10 }, examples };
  } finally {
    untrap();
  }
}
