import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/simulator/engine/index.js';
import { BTC, PAIR, testEngine, USDT } from './support.js';

describe('engine events', () => {
  it('every book change advances the update id, and each transaction lists the levels it touched', () => {
    const t = testEngine();
    t.txs.length = 0;
    const start = t.market().updateId;
    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.1' });
    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60001', quantity: '0.2' });
    t.place(t.b, { side: 'BUY', type: 'LIMIT', price: '60001', quantity: '0.15' });
    const books = t.txs.map((tx) => tx.book);
    expect(books.map((b) => [b?.firstUpdateId, b?.lastUpdateId])).toEqual([
      [start + 1, start + 1],
      [start + 2, start + 2],
      [start + 3, start + 4],
    ]);
    // The taker consumed 60000 entirely and 0.05 of 60001.
    expect(books[2]?.asks).toEqual([
      { price: 6_000_000, lots: 0 },
      { price: 6_000_100, lots: 15_000 },
    ]);
    expect(books[2]?.bids).toEqual([]);
    expect(t.engine.depth(PAIR, 5)?.lastUpdateId).toBe(start + 4);
  });

  it('order events carry what an executionReport needs', () => {
    const t = testEngine();
    const maker = t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.1', clientOrderId: 'maker-1' });
    t.tick(5);
    t.txs.length = 0;
    const taker = t.place(t.b, { side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', price: '60000', quantity: '0.3' });
    const [tx] = t.txs;
    expect(tx?.time).toBe(taker.time);
    expect(tx?.orders.map((e) => [e.order.id, e.execution, e.status, e.executedLots, e.working])).toEqual([
      [taker.id, 'NEW', 'NEW', 0, true],
      // An IOC taker is never on the book (Binance's w), even while partly filled.
      [taker.id, 'TRADE', 'PARTIALLY_FILLED', 10_000, false],
      [maker.id, 'TRADE', 'FILLED', 10_000, false],
      [taker.id, 'EXPIRED', 'EXPIRED', 10_000, false],
    ]);
    const takerFill = tx!.orders[1]!;
    expect(takerFill.trade?.id).toBe(1);
    expect(takerFill.isMaker).toBe(false);
    expect(takerFill.commission).toBe(0.0002 * BTC);
    expect(takerFill.commissionAsset).toBe('BTC');
    expect(takerFill.cumQuote).toBe(6000 * USDT);
    const makerFill = tx!.orders[2]!;
    expect(makerFill.isMaker).toBe(true);
    expect(makerFill.commission).toBe(6 * USDT);
    expect(makerFill.commissionAsset).toBe('USDT');
    expect(tx!.orders[3]!.expiryReason).toBe('UNFILLED_IOC_QUANTITY_EXPIRED');
    const ids = tx!.orders.map((e) => e.executionId);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(tx?.trades.map((x) => x.id)).toEqual([1]);
    // Balances: one list per transaction, grouped by account, with their final values.
    expect(tx?.balances.map((b) => [b.accountId, b.asset])).toEqual([
      [t.b, 'USDT'],
      [t.b, 'BTC'],
      [t.a, 'BTC'],
      [t.a, 'USDT'],
    ]);
    expect(tx?.balances.find((b) => b.accountId === t.b && b.asset === 'USDT')).toMatchObject({ free: (1_000_000 - 6000) * USDT, locked: 0 });
  });

  it('a cancel event carries the cancel request’s client id and the resting order’s own id', () => {
    const t = testEngine();
    const o = t.place(t.a, { side: 'BUY', type: 'LIMIT', price: '50000', quantity: '0.1', clientOrderId: 'orig' });
    t.txs.length = 0;
    t.engine.cancelOrder({ accountId: t.a, pair: PAIR, orderId: o.id, cancelClientOrderId: 'cancel-req' });
    const e = t.txs[0]!.orders[0]!;
    expect([e.execution, e.status, e.cancelClientOrderId, e.order.clientOrderId]).toEqual(['CANCELED', 'CANCELED', 'cancel-req', 'orig']);
    expect(t.txs[0]!.balances).toEqual([{ accountId: t.a, asset: 'USDT', free: 1_000_000 * USDT, locked: 0, precision: 8 }]);
  });

  it('deposits are transfers; a throwing listener does not stop the engine or other listeners', () => {
    const errors: unknown[] = [];
    const engine = new Engine({ onListenerError: (e) => errors.push(e) });
    engine.addMarket({ pair: PAIR });
    const seen: number[] = [];
    engine.subscribe(() => {
      throw new Error('boom');
    });
    engine.subscribe((tx) => seen.push(...tx.transfers.map((x) => x.delta)));
    const id = engine.createAccount().id;
    engine.adjustBalance(id, 'USDT', '12.5');
    engine.adjustBalance(id, 'USDT', '-2.5');
    expect(seen).toEqual([12.5 * USDT, -2.5 * USDT]);
    expect(errors).toHaveLength(2);
  });

  it('nothing is built for events when nobody listens, but the update id still moves', () => {
    const engine = new Engine();
    engine.addMarket({ pair: PAIR });
    const id = engine.createAccount().id;
    engine.setBalance(id, 'USDT', '100000');
    engine.submitOrder({ accountId: id, pair: PAIR, side: 'BUY', type: 'LIMIT', price: '100', quantity: '1' });
    expect(engine.market(PAIR)?.updateId).toBe(1);
    const seen: unknown[] = [];
    const stop = engine.subscribe((tx) => seen.push(tx));
    engine.submitOrder({ accountId: id, pair: PAIR, side: 'BUY', type: 'LIMIT', price: '101', quantity: '1' });
    stop();
    engine.submitOrder({ accountId: id, pair: PAIR, side: 'BUY', type: 'LIMIT', price: '102', quantity: '1' });
    expect(seen).toHaveLength(1);
    expect(engine.market(PAIR)?.updateId).toBe(3);
  });
});

describe('bounded history', () => {
  it('keeps open orders and a window of closed orders and fills per account', () => {
    const t = testEngine({ history: 20 });
    const closed = [];
    for (let i = 0; i < 50; i++) {
      t.place(t.b, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.001' });
      closed.push(t.place(t.a, { side: 'BUY', type: 'LIMIT', price: '60000', quantity: '0.001', clientOrderId: `c${i}` }));
    }
    const open = t.place(t.a, { side: 'BUY', type: 'LIMIT', price: '50000', quantity: '0.001' });
    const orders = t.engine.accountOrders(t.a, PAIR);
    expect(orders).toHaveLength(21);
    expect(orders.at(-1)).toBe(open);
    expect(orders[0]?.id).toBe(closed[30]!.id);
    expect(t.engine.findOrder(t.a, PAIR, { orderId: closed[0]!.id })).toBeUndefined();
    const recent = t.engine.findOrder(t.a, PAIR, { clientOrderId: 'c49' });
    expect(recent).toMatchObject({ id: closed[49]!.id, status: 'FILLED', executedLots: 100, cumQuote: 60 * USDT, clientOrderId: 'c49' });
    const generated = closed[49]!.clientOrderId;
    expect(generated).toBe('c49');
    expect(t.engine.accountTrades(t.a, PAIR)).toHaveLength(20);
    expect(t.market().trades.size).toBe(50);
  });

  it('aggregates consecutive trades of one taker at one price', () => {
    const t = testEngine();
    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.1' });
    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.1' });
    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60001', quantity: '0.1' });
    t.place(t.b, { side: 'BUY', type: 'MARKET', quantity: '0.3' });
    expect(t.market().aggTrades().map((a) => [a.id, a.price, a.lots, a.firstTradeId, a.lastTradeId])).toEqual([
      [1, 6_000_000, 20_000, 1, 2],
      [2, 6_000_100, 10_000, 3, 3],
    ]);
  });
});
