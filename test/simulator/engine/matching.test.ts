import { describe, expect, it } from 'vitest';
import { BTC, PAIR, testEngine, USDT } from './support.js';

describe('matching', () => {
  it('rests a limit order and locks price x quantity of the quote asset', () => {
    const t = testEngine();
    const order = t.place(t.a, { side: 'BUY', type: 'LIMIT', price: '60000', quantity: '0.5' });
    expect(order.status).toBe('NEW');
    expect(t.balance(t.a, 'USDT')).toEqual({ free: 970_000 * USDT, locked: 30_000 * USDT });
    const depth = t.engine.depth(PAIR, 10)!;
    expect(depth.bids).toEqual([{ price: 6_000_000, lots: 50_000 }]);
    expect(depth.asks).toEqual([]);
  });

  it('fills at the maker price in price-time priority, partially, with commission from what each side receives', () => {
    const t = testEngine();
    const first = t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.3' });
    t.tick();
    const second = t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.3' });
    const better = t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '59990', quantity: '0.1' });
    const r = t.engine.submitOrder({ accountId: t.b, pair: PAIR, side: 'BUY', type: 'LIMIT', price: '60010', quantity: '0.5', stp: 'NONE' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { order, trades } = r.value;
    // Best price first, then the oldest order at the next price, then the younger one.
    expect(trades.map((x) => [x.sellOrderId, x.price, x.lots])).toEqual([
      [better.id, 5_999_000, 10_000],
      [first.id, 6_000_000, 30_000],
      [second.id, 6_000_000, 10_000],
    ]);
    expect(order.status).toBe('FILLED');
    expect(first.status).toBe('FILLED');
    expect(second.status).toBe('PARTIALLY_FILLED');
    expect(second.remainingLots).toBe(20_000);
    // Buyer (taker, 0.2%) paid 5999 + 18000 + 6000 USDT and got 0.5 BTC less 0.001 BTC.
    const paid = (5999 + 18000 + 6000) * USDT;
    expect(order.cumQuote).toBe(paid);
    expect(t.balance(t.b, 'USDT')).toEqual({ free: 1_000_000 * USDT - paid, locked: 0 });
    expect(t.balance(t.b, 'BTC').free).toBe(10 * BTC + 0.5 * BTC - 0.001 * BTC);
    // Seller (maker, 0.1%) received the quote less 0.1%, and still locks 0.2 BTC for the rest.
    expect(t.balance(t.a, 'USDT').free).toBe(1_000_000 * USDT + paid - paid / 1000);
    expect(t.balance(t.a, 'BTC')).toEqual({ free: 10 * BTC - 0.7 * BTC, locked: 0.2 * BTC });
    expect(trades[0]?.buyerCommission).toBe(0.0002 * BTC);
  });

  it('releases the unused lock when a buy fills below its limit and then rests', () => {
    const t = testEngine();
    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '50000', quantity: '0.1' });
    const buy = t.place(t.b, { side: 'BUY', type: 'LIMIT', price: '60000', quantity: '0.3' });
    expect(buy.status).toBe('PARTIALLY_FILLED');
    // Paid 5,000 for the fill; keeps 0.2 x 60,000 locked for the resting rest.
    expect(t.balance(t.b, 'USDT')).toEqual({ free: (1_000_000 - 5_000 - 12_000) * USDT, locked: 12_000 * USDT });
    t.engine.cancelOrder({ accountId: t.b, pair: PAIR, orderId: buy.id });
    expect(t.balance(t.b, 'USDT')).toEqual({ free: (1_000_000 - 5_000) * USDT, locked: 0 });
  });

  it('IOC fills what it can and expires the rest; FOK fills in full or not at all', () => {
    const t = testEngine();
    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.2' });
    const ioc = t.place(t.b, { side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', price: '60000', quantity: '0.5' });
    expect(ioc.status).toBe('EXPIRED');
    expect(ioc.executedLots).toBe(20_000);
    expect(ioc.expiryReason).toBe('UNFILLED_IOC_QUANTITY_EXPIRED');
    expect(t.balance(t.b, 'USDT').locked).toBe(0);

    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.2' });
    const fokMiss = t.place(t.b, { side: 'BUY', type: 'LIMIT', timeInForce: 'FOK', price: '60000', quantity: '0.3' });
    expect(fokMiss.status).toBe('EXPIRED');
    expect(fokMiss.executedLots).toBe(0);
    expect(fokMiss.expiryReason).toBe('UNFILLED_FOK_ORDER_EXPIRED');
    const fokHit = t.place(t.b, { side: 'BUY', type: 'LIMIT', timeInForce: 'FOK', price: '60000', quantity: '0.2' });
    expect(fokHit.status).toBe('FILLED');
  });

  it('rejects a LIMIT_MAKER that would take and rests one that would not', () => {
    const t = testEngine();
    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.2' });
    const r = t.engine.submitOrder({ accountId: t.b, pair: PAIR, side: 'BUY', type: 'LIMIT_MAKER', price: '60000', quantity: '0.1' });
    expect(r).toEqual({ ok: false, rejection: { reason: 'WOULD_TAKE' } });
    const ok = t.place(t.b, { side: 'BUY', type: 'LIMIT_MAKER', price: '59999.99', quantity: '0.1' });
    expect(ok.status).toBe('NEW');
    expect(ok.timeInForce).toBe('GTC');
  });

  it('a market order by quantity walks the book and expires what liquidity cannot fill', () => {
    const t = testEngine();
    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.1' });
    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '61000', quantity: '0.1' });
    const m = t.place(t.b, { side: 'BUY', type: 'MARKET', quantity: '0.3' });
    expect(m.status).toBe('EXPIRED');
    expect(m.expiryReason).toBe('INSUFFICIENT_LIQUIDITY');
    expect(m.executedLots).toBe(20_000);
    expect(m.cumQuote).toBe(12_100 * USDT);
    expect(m.priceTicks).toBe(0);
    expect(t.balance(t.b, 'USDT')).toEqual({ free: (1_000_000 - 12_100) * USDT, locked: 0 });
  });

  it('a market order by quote amount spends (buy) or raises (sell) at most that amount, in whole lots', () => {
    const t = testEngine();
    t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '1' });
    const buy = t.place(t.b, { side: 'BUY', type: 'MARKET', quoteOrderQty: '1000' });
    // 1000 / 60000 = 0.016666.. -> 0.01666 BTC for 999.60 USDT.
    expect(buy.executedLots).toBe(1_666);
    expect(buy.cumQuote).toBe(999.6 * USDT);
    expect(buy.status).toBe('FILLED');
    expect(buy.origLots).toBe(1_666);
    expect(buy.origQuoteUnits).toBe(1000 * USDT);
    expect(t.balance(t.b, 'USDT')).toEqual({ free: (1_000_000 - 999.6) * USDT, locked: 0 });

    t.place(t.a, { side: 'BUY', type: 'LIMIT', price: '59000', quantity: '1' });
    const sell = t.place(t.b, { side: 'SELL', type: 'MARKET', quoteOrderQty: '590' });
    expect(sell.executedLots).toBe(1_000);
    expect(sell.cumQuote).toBe(590 * USDT);
  });

  it('refuses a quote-amount market order on an empty side', () => {
    const t = testEngine();
    const r = t.engine.submitOrder({ accountId: t.b, pair: PAIR, side: 'BUY', type: 'MARKET', quoteOrderQty: '100' });
    expect(r).toEqual({ ok: false, rejection: { reason: 'NO_LIQUIDITY' } });
  });

  it('cancels by order id or client id, and all open orders at once', () => {
    const t = testEngine();
    const o1 = t.place(t.a, { side: 'BUY', type: 'LIMIT', price: '50000', quantity: '0.1', clientOrderId: 'mine-1' });
    const o2 = t.place(t.a, { side: 'BUY', type: 'LIMIT', price: '50001', quantity: '0.1' });
    const o3 = t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '70000', quantity: '0.1' });
    const byClient = t.engine.cancelOrder({ accountId: t.a, pair: PAIR, clientOrderId: 'mine-1', cancelClientOrderId: 'cxl-1' });
    expect(byClient.ok && byClient.value.order).toBe(o1);
    expect(byClient.ok && byClient.value.cancelClientOrderId).toBe('cxl-1');
    // A generated client id finds its order too.
    const byGenerated = t.engine.findOrder(t.a, PAIR, { clientOrderId: o2.clientOrderId });
    expect(byGenerated).toBe(o2);
    expect(t.engine.cancelOrder({ accountId: t.a, pair: PAIR, orderId: o1.id })).toEqual({ ok: false, rejection: { reason: 'UNKNOWN_ORDER' } });
    expect(t.engine.cancelOrder({ accountId: t.b, pair: PAIR, orderId: o2.id })).toEqual({ ok: false, rejection: { reason: 'UNKNOWN_ORDER' } });
    expect(t.engine.cancelOrder({ accountId: t.a, pair: PAIR, orderId: o2.id, clientOrderId: 'other' })).toEqual({
      ok: false,
      rejection: { reason: 'CLIENT_ID_MISMATCH' },
    });
    const all = t.engine.cancelAllOrders(t.a, PAIR);
    expect(all.ok && all.value.map((c) => c.order.id)).toEqual([o2.id, o3.id]);
    expect(t.engine.cancelAllOrders(t.a, PAIR)).toEqual({ ok: false, rejection: { reason: 'UNKNOWN_ORDER' } });
    expect(t.balance(t.a, 'USDT')).toEqual({ free: 1_000_000 * USDT, locked: 0 });
    expect(t.balance(t.a, 'BTC')).toEqual({ free: 10 * BTC, locked: 0 });
    expect(t.engine.depth(PAIR, 5)).toMatchObject({ bids: [], asks: [] });
  });

  it('honours cancel restrictions', () => {
    const t = testEngine();
    const o = t.place(t.a, { side: 'BUY', type: 'LIMIT', price: '50000', quantity: '0.1' });
    expect(t.engine.cancelOrder({ accountId: t.a, pair: PAIR, orderId: o.id, restriction: 'ONLY_PARTIALLY_FILLED' })).toEqual({
      ok: false,
      rejection: { reason: 'CANCEL_RESTRICTED' },
    });
    expect(t.engine.cancelOrder({ accountId: t.a, pair: PAIR, orderId: o.id, restriction: 'ONLY_NEW' }).ok).toBe(true);
  });
});

describe('self-trade prevention', () => {
  it('EXPIRE_MAKER (the default) expires the resting order and lets the taker go on', () => {
    const t = testEngine();
    const own = t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.1' });
    const other = t.place(t.b, { side: 'SELL', type: 'LIMIT', price: '60001', quantity: '0.1' });
    const r = t.engine.submitOrder({ accountId: t.a, pair: PAIR, side: 'BUY', type: 'LIMIT', price: '60001', quantity: '0.1' });
    if (!r.ok) throw new Error('rejected');
    expect(own.status).toBe('EXPIRED_IN_MATCH');
    expect(own.preventedLots).toBe(10_000);
    expect(own.preventedMatchId).toBe(0);
    expect(r.value.prevented).toEqual([
      { preventedMatchId: 0, makerOrderId: own.id, price: 6_000_000, makerPreventedLots: 10_000, takerPreventedLots: 0 },
    ]);
    expect(r.value.order.status).toBe('FILLED');
    expect(other.status).toBe('FILLED');
    expect(t.balance(t.a, 'BTC').locked).toBe(0);
    const events = t.txs.at(-1)!.orders.map((e) => [e.order.id, e.execution, e.status]);
    expect(events).toEqual([
      [r.value.order.id, 'NEW', 'NEW'],
      [own.id, 'TRADE_PREVENTION', 'EXPIRED_IN_MATCH'],
      [r.value.order.id, 'TRADE', 'FILLED'],
      [other.id, 'TRADE', 'FILLED'],
    ]);
  });

  it('EXPIRE_TAKER expires the incoming order; NONE lets the account trade with itself', () => {
    const t = testEngine();
    const own = t.place(t.a, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.1' });
    const taker = t.place(t.a, { side: 'BUY', type: 'LIMIT', price: '60000', quantity: '0.1', stp: 'EXPIRE_TAKER' });
    expect(taker.status).toBe('EXPIRED_IN_MATCH');
    expect(own.status).toBe('NEW');
    const self = t.place(t.a, { side: 'BUY', type: 'LIMIT', price: '60000', quantity: '0.1', stp: 'NONE' });
    expect(self.status).toBe('FILLED');
    const trades = t.engine.accountTrades(t.a, PAIR);
    expect(trades.map((x) => [x.isBuyer, x.isMaker])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('refuses an STP mode the market does not allow', () => {
    const t = testEngine();
    t.market().allowedStp = ['NONE', 'EXPIRE_MAKER'];
    const r = t.engine.submitOrder({ accountId: t.a, pair: PAIR, side: 'BUY', type: 'LIMIT', price: '1', quantity: '10', stp: 'EXPIRE_BOTH' });
    expect(r).toEqual({ ok: false, rejection: { reason: 'STP_MODE_NOT_ALLOWED' } });
  });
});
