import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, type BookSide, type Execution, type Market, type NewOrder, type Order } from '../../../src/simulator/engine/index.js';
import { runs } from '../../support/soak.js';

const PAIR = 'ABC-USDT';
const ACCOUNTS = 3;

type Op =
  | { kind: 'limit'; account: number; side: 'BUY' | 'SELL'; price: number; lots: number; tif: 'GTC' | 'IOC' | 'FOK'; maker: boolean; stp: NewOrder['stp'] }
  | { kind: 'market'; account: number; side: 'BUY' | 'SELL'; lots: number; quote: number; stp: NewOrder['stp'] }
  | { kind: 'cancel'; account: number; pick: number }
  | { kind: 'cancelAll'; account: number };

const stp = fc.constantFrom<NewOrder['stp']>('NONE', 'EXPIRE_MAKER', 'EXPIRE_TAKER', 'EXPIRE_BOTH', undefined);
const account = fc.integer({ min: 0, max: ACCOUNTS - 1 });
const side = fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('limit' as const), account, side, price: fc.integer({ min: 9_996, max: 10_004 }), lots: fc.integer({ min: 1, max: 60 }), tif: fc.constantFrom<'GTC' | 'IOC' | 'FOK'>('GTC', 'GTC', 'IOC', 'FOK'), maker: fc.boolean(), stp }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('market' as const), account, side, lots: fc.integer({ min: 0, max: 80 }), quote: fc.integer({ min: 1, max: 8_000 }), stp }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), account, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelAll' as const), account }) },
);

function setup() {
  let clock = 1_700_000_000_000;
  const engine = new Engine({ now: () => clock++ });
  // Price 100.00 with a 0.01 tick, quantity in 0.001 steps, no notional minimum so most orders go in.
  engine.addMarket({ pair: PAIR, rules: { tickSize: '0.01', minPrice: '0.01', stepSize: '0.001', minQty: '0.001', minNotional: '0', marketMaxQty: '0' } });
  const ids: number[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const id = engine.createAccount({ makerRate: ['0.001', '0', '0.00075'][i], takerRate: ['0.002', '0', '0.001'][i] }).id;
    engine.setBalance(id, 'USDT', '5000');
    engine.setBalance(id, 'ABC', '50');
    ids.push(id);
  }
  return { engine, ids, market: engine.market(PAIR) as Market };
}

function restingOrders(side: BookSide): Order[] {
  const out: Order[] = [];
  for (let i = 0; ; i++) {
    const level = side.levelAt(i);
    if (level === undefined) return out;
    for (let o = level.head; o !== null; o = o.next) out.push(o);
  }
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`invariant broken: ${what}`);
}

/** Invariants that hold after every transaction (plain checks: this runs thousands of times). */
function checkInvariants(engine: Engine, market: Market, ids: number[]): void {
  // Conservation: what accounts hold plus fees is what was deposited.
  const fees = engine.fees();
  for (const asset of ['USDT', 'ABC']) {
    let held = 0;
    for (const id of ids) {
      const free = engine.account(id)?.balances.get(asset)?.free ?? 0;
      const locked = engine.account(id)?.balances.get(asset)?.locked ?? 0;
      check(free >= 0 && locked >= 0, `non-negative ${asset} balance of ${id}`);
      held += free + locked;
    }
    check(held + (fees.get(asset) ?? 0) === engine.supplyOf(asset), `${asset} conserved`);
  }
  // The book is never crossed; levels are ordered and add up; each level is FIFO by arrival (= id).
  const bestBid = market.book.bids.best();
  const bestAsk = market.book.asks.best();
  if (bestBid && bestAsk) check(bestBid.price < bestAsk.price, 'book not crossed');
  const locked = new Map<string, number>();
  const openCount = new Map<number, number>();
  for (const [side, book] of [['BUY', market.book.bids], ['SELL', market.book.asks]] as const) {
    let previous = side === 'BUY' ? Infinity : -Infinity;
    for (let i = 0; ; i++) {
      const level = book.levelAt(i);
      if (level === undefined) break;
      check(side === 'BUY' ? level.price < previous : level.price > previous, 'levels sorted best first');
      previous = level.price;
      let lots = 0;
      let lastId = 0;
      for (let o = level.head; o !== null; o = o.next) {
        check(o.side === side && o.priceTicks === level.price, 'order on its own side and level');
        check(o.isOpen && o.remainingLots > 0, 'resting orders are open with quantity left');
        check(o.id > lastId, 'time priority within a level');
        lastId = o.id;
        lots += o.remainingLots;
        const key = `${o.accountId}:${side === 'BUY' ? 'USDT' : 'ABC'}`;
        locked.set(key, (locked.get(key) ?? 0) + o.lockedUnits);
        openCount.set(o.accountId, (openCount.get(o.accountId) ?? 0) + 1);
        const needs = side === 'BUY' ? market.rules.notionalCeil(o.priceTicks, o.remainingLots) : market.rules.baseUnits(o.remainingLots);
        check(o.lockedUnits === needs, 'a resting order locks exactly what it needs');
      }
      check(level.lots === lots, 'level quantity is the sum of its orders');
    }
  }
  // Locked balances are exactly what resting orders hold; open orders are exactly the resting ones.
  for (const id of ids) {
    for (const asset of ['USDT', 'ABC']) {
      check((engine.account(id)?.balances.get(asset)?.locked ?? 0) === (locked.get(`${id}:${asset}`) ?? 0), `locked ${asset} of ${id}`);
    }
    check(engine.openOrders(id, PAIR).length === (openCount.get(id) ?? 0), `open orders of ${id}`);
  }
}

/**
 * Price-time priority: the makers a taker traded with must be, in order, the opposite side's resting
 * orders sorted by price then arrival, skipping only own orders that STP expired, and every maker but
 * the last must have been used up.
 */
function checkPriority(before: Order[], before_remaining: Map<number, number>, exec: Execution): void {
  const taker = exec.order;
  const isBuy = taker.side === 'BUY';
  const queue = before
    .filter((o) => o.side !== taker.side)
    .sort((x, y) => (x.priceTicks === y.priceTicks ? x.id - y.id : isBuy ? x.priceTicks - y.priceTicks : y.priceTicks - x.priceTicks));
  const expired = new Set(exec.prevented.filter((p) => p.makerPreventedLots > 0).map((p) => p.makerOrderId));
  let q = 0;
  exec.trades.forEach((trade, i) => {
    const makerId = isBuy ? trade.sellOrderId : trade.buyOrderId;
    while (q < queue.length && expired.has(queue[q]!.id)) q++;
    const expected = queue[q];
    expect(makerId).toBe(expected?.id);
    expect(trade.price).toBe(expected?.priceTicks);
    if (taker.kind !== 'MARKET') expect(isBuy ? trade.price <= taker.priceTicks : trade.price >= taker.priceTicks).toBe(true);
    if (i < exec.trades.length - 1) expect(trade.lots).toBe(before_remaining.get(makerId));
    q++;
  });
}

function apply(engine: Engine, ids: number[], market: Market, step: Op): void {
  const accountId = ids[step.account] as number;
  const before = [...restingOrders(market.book.bids), ...restingOrders(market.book.asks)];
  const remaining = new Map(before.map((o) => [o.id, o.remainingLots]));
  let request: NewOrder | null = null;
  if (step.kind === 'limit') {
    request = {
      accountId,
      pair: PAIR,
      side: step.side,
      type: step.maker ? 'LIMIT_MAKER' : 'LIMIT',
      timeInForce: step.maker ? undefined : step.tif,
      price: (step.price / 100).toFixed(2),
      quantity: (step.lots / 1000).toFixed(3),
      stp: step.stp,
    };
  } else if (step.kind === 'market') {
    request = { accountId, pair: PAIR, side: step.side, type: 'MARKET', stp: step.stp };
    if (step.lots > 0) request.quantity = (step.lots / 1000).toFixed(3);
    else request.quoteOrderQty = (step.quote / 100).toFixed(2);
  } else if (step.kind === 'cancel') {
    const open = engine.openOrders(accountId, PAIR);
    if (open.length > 0) expect(engine.cancelOrder({ accountId, pair: PAIR, orderId: open[step.pick % open.length]!.id }).ok).toBe(true);
  } else {
    engine.cancelAllOrders(accountId, PAIR);
  }
  if (request !== null) {
    const result = engine.submitOrder(request);
    if (result.ok) {
      checkPriority(before, remaining, result.value);
      const o = result.value.order;
      expect(o.executedLots + o.preventedLots).toBeLessThanOrEqual(o.origLots);
      if (o.kind === 'LIMIT' && o.timeInForce === 'FOK') expect(o.executedLots === 0 || o.status === 'FILLED').toBe(true);
      if (o.kind === 'LIMIT_MAKER') expect(result.value.trades).toHaveLength(0);
    }
  }
}

describe('engine properties', () => {
  it('conserves balances, never crosses the book, matches in price-time priority', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 100, size: 'max' }), (ops) => {
        const { engine, ids, market } = setup();
        let lastUpdateId = market.updateId;
        let updates = 0;
        engine.subscribe((tx) => {
          if (tx.book) {
            // The depth counter is one gapless chain across transactions.
            expect(tx.book.firstUpdateId).toBe(lastUpdateId + 1);
            lastUpdateId = tx.book.lastUpdateId;
            updates++;
          }
        });
        for (const step of ops) {
          apply(engine, ids, market, step);
          checkInvariants(engine, market, ids);
        }
        expect(market.updateId).toBe(lastUpdateId);
        return updates >= 0;
      }),
      { numRuns: runs(100, 3000) },
    );
  });
});
