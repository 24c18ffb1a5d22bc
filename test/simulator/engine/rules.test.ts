import { describe, expect, it } from 'vitest';
import { Engine, InvalidMarketError, type NewOrder } from '../../../src/simulator/engine/index.js';
import { PAIR, testEngine } from './support.js';

function reject(t: ReturnType<typeof testEngine>, order: Omit<NewOrder, 'accountId' | 'pair'>, accountId = t.a) {
  const r = t.engine.submitOrder({ accountId, pair: PAIR, ...order });
  return r.ok ? 'accepted' : r.rejection;
}

const limitBuy = (price: string, quantity: string) => ({ side: 'BUY', type: 'LIMIT', price, quantity }) as const;

describe('filters', () => {
  it('PRICE_FILTER: tick, minimum and maximum', () => {
    const t = testEngine();
    expect(reject(t, limitBuy('60000.001', '0.1'))).toEqual({ reason: 'FILTER', filter: 'PRICE_FILTER' });
    expect(reject(t, limitBuy('0.001', '10000'))).toEqual({ reason: 'FILTER', filter: 'PRICE_FILTER' });
    expect(reject(t, limitBuy('0', '0.1'))).toEqual({ reason: 'FILTER', filter: 'PRICE_FILTER' });
    expect(reject(t, limitBuy('1000000.01', '0.1'))).toEqual({ reason: 'FILTER', filter: 'PRICE_FILTER' });
    expect(reject(t, limitBuy('60000.00', '0.1'))).toBe('accepted');
  });

  it('a tick that is not a power of ten is enforced too', () => {
    const t = testEngine({ rules: { tickSize: '0.05', minPrice: '0.05' } });
    expect(reject(t, limitBuy('100.03', '0.1'))).toEqual({ reason: 'FILTER', filter: 'PRICE_FILTER' });
    expect(reject(t, limitBuy('100.05', '0.1'))).toBe('accepted');
  });

  it('LOT_SIZE and MARKET_LOT_SIZE', () => {
    const t = testEngine({ rules: { minQty: '0.001', marketMaxQty: '1' } });
    expect(reject(t, limitBuy('60000', '0.0005'))).toEqual({ reason: 'FILTER', filter: 'LOT_SIZE' });
    expect(reject(t, limitBuy('60000', '0.000001'))).toEqual({ reason: 'FILTER', filter: 'LOT_SIZE' });
    expect(reject(t, limitBuy('1', '9001'))).toEqual({ reason: 'FILTER', filter: 'LOT_SIZE' });
    expect(reject(t, { side: 'SELL', type: 'MARKET', quantity: '2' })).toEqual({ reason: 'FILTER', filter: 'MARKET_LOT_SIZE' });
  });

  it('NOTIONAL (with its market flags) and the older MIN_NOTIONAL', () => {
    const t = testEngine();
    expect(reject(t, limitBuy('60000', '0.00008'))).toEqual({ reason: 'FILTER', filter: 'NOTIONAL' });
    expect(reject(t, limitBuy('10000', '1000'))).toEqual({ reason: 'FILTER', filter: 'NOTIONAL' }); // above maxNotional
    expect(reject(t, { side: 'BUY', type: 'MARKET', quoteOrderQty: '4.99' })).toEqual({ reason: 'FILTER', filter: 'NOTIONAL' });
    const old = testEngine({ rules: { notionalFilter: 'MIN_NOTIONAL', minNotional: '10', applyMinToMarket: false } });
    expect(reject(old, limitBuy('60000', '0.0001'))).toEqual({ reason: 'FILTER', filter: 'MIN_NOTIONAL' });
    old.place(old.b, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '1' });
    expect(reject(old, { side: 'BUY', type: 'MARKET', quantity: '0.0001' })).toBe('accepted');
  });

  it('MAX_NUM_ORDERS counts the account’s open orders on the market', () => {
    const t = testEngine({ rules: { maxNumOrders: 2 } });
    expect(reject(t, limitBuy('50000', '0.1'))).toBe('accepted');
    expect(reject(t, limitBuy('50000', '0.1'))).toBe('accepted');
    expect(reject(t, limitBuy('50000', '0.1'))).toEqual({ reason: 'FILTER', filter: 'MAX_NUM_ORDERS' });
    expect(reject(t, limitBuy('50000', '0.1'), t.b)).toBe('accepted');
  });

  it('precision, malformed numbers, balances, duplicates, unknown markets', () => {
    const t = testEngine();
    expect(reject(t, limitBuy('60000.000000001', '0.1'))).toEqual({ reason: 'BAD_PRECISION', param: 'price' });
    expect(reject(t, limitBuy('60000', '0.123456789'))).toEqual({ reason: 'BAD_PRECISION', param: 'quantity' });
    expect(reject(t, limitBuy('-1', '0.1'))).toEqual({ reason: 'MALFORMED', param: 'price' });
    expect(reject(t, limitBuy('60000', '1e-3'))).toEqual({ reason: 'MALFORMED', param: 'quantity' });
    expect(reject(t, limitBuy('60000', '100'))).toEqual({ reason: 'INSUFFICIENT_BALANCE' });
    expect(reject(t, { side: 'SELL', type: 'LIMIT', price: '60000', quantity: '10.00001' })).toEqual({ reason: 'INSUFFICIENT_BALANCE' });
    expect(reject(t, { ...limitBuy('50000', '0.1'), clientOrderId: 'x' })).toBe('accepted');
    expect(reject(t, { ...limitBuy('50000', '0.1'), clientOrderId: 'x' })).toEqual({ reason: 'DUPLICATE_ORDER' });
    expect(t.engine.submitOrder({ accountId: t.a, pair: 'DOGE-USDT', ...limitBuy('1', '1') })).toEqual({
      ok: false,
      rejection: { reason: 'UNKNOWN_SYMBOL' },
    });
    t.engine.account(t.b)!.canTrade = false;
    expect(reject(t, limitBuy('50000', '0.1'), t.b)).toEqual({ reason: 'TRADING_DISABLED' });
    t.engine.setMarketStatus(PAIR, 'HALT');
    expect(reject(t, limitBuy('50000', '0.1'))).toEqual({ reason: 'MARKET_CLOSED' });
  });

  it('a rejected order changes nothing and gets no id', () => {
    const t = testEngine();
    const before = t.market().nextOrderId;
    const txs = t.txs.length;
    reject(t, limitBuy('60000', '100'));
    expect(t.market().nextOrderId).toBe(before);
    expect(t.txs.length).toBe(txs);
  });
});

describe('markets and balances', () => {
  it('refuses rules it cannot represent and keeps asset precision consistent', () => {
    const engine = new Engine();
    expect(() => engine.addMarket({ pair: 'BTC-USDT', rules: { tickSize: '0.000000001' } })).toThrow(InvalidMarketError);
    expect(() => engine.addMarket({ pair: 'btc-usdt' })).toThrow(InvalidMarketError);
    engine.addMarket({ pair: 'BTC-USDT' });
    expect(() => engine.addMarket({ pair: 'ETH-BTC', quotePrecision: 6 })).toThrow(/BTC has 8 decimals/);
  });

  it('changes rules in place, and unit-changing rules only on an empty book', () => {
    const t = testEngine();
    t.place(t.a, limitBuy('50000', '0.1'));
    t.engine.setMarketRules(PAIR, { minNotional: '100' });
    expect(reject(t, limitBuy('50000', '0.001'))).toEqual({ reason: 'FILTER', filter: 'NOTIONAL' });
    expect(() => t.engine.setMarketRules(PAIR, { tickSize: '0.001', minPrice: '0.001' })).toThrow(/cancel the open orders/);
    t.engine.cancelAllOrders(t.a, PAIR);
    t.engine.setMarketRules(PAIR, { tickSize: '0.001', minPrice: '0.001' });
    expect(reject(t, limitBuy('50000.001', '0.1'))).toBe('accepted');
  });

  it('keeps the total supply of an asset within the exact range', () => {
    const engine = new Engine();
    engine.addMarket({ pair: 'BTC-USDT' });
    const id = engine.createAccount().id;
    engine.setBalance(id, 'USDT', '90000000');
    expect(() => engine.adjustBalance(id, 'USDT', '100000')).toThrow(/exceed/);
    expect(() => engine.adjustBalance(id, 'USDT', '-90000001')).toThrow(/negative/);
    engine.adjustBalance(id, 'USDT', '-1.5');
    expect(engine.account(id)?.balances.get('USDT')?.free).toBe(89_999_998.5 * 1e8);
    expect(engine.supplyOf('USDT')).toBe(89_999_998.5 * 1e8);
  });
});
