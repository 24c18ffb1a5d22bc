import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOrderError } from '../../../src/core/errors.js';
import { getOrderPriceQuantum, getOrderSizeQuantum, quantizeOrderAmount, quantizeOrderPrice } from '../../../src/core/rules/quantize.js';
import { tradingRule } from '../../../src/core/rules/trading-rule.js';
import { checkOrderAgainstRule, TradingRuleViolation, validateOrder } from '../../../src/core/rules/validate-order.js';
import { OrderType, TradeType } from '../../../src/core/types.js';
import { runs } from '../../support/soak.js';
import { d } from '../support/orders.js';

// BTCUSDT-like filters.
const rule = tradingRule({
  tradingPair: 'BTC-USDT',
  minOrderSize: d('0.00001'),
  maxOrderSize: d('9000'),
  minPriceIncrement: d('0.01'),
  minBaseAmountIncrement: d('0.00001'),
  minNotionalSize: d('5'),
  minPrice: d('0.01'),
  maxPrice: d('1000000'),
  marketSizeIncrement: d('0.001'),
  maxMarketOrderSize: d('100'),
  supportedOrderTypes: [OrderType.LIMIT, OrderType.LIMIT_MAKER, OrderType.MARKET],
});
const limit = (amount: string, price: string) => ({ orderType: OrderType.LIMIT, tradeType: TradeType.BUY, amount: d(amount), price: d(price) });

describe('quantization', () => {
  it('floors price and amount to their steps', () => {
    expect(quantizeOrderPrice(rule, d('27123.4567')).toString()).toBe('27123.45');
    expect(quantizeOrderAmount(rule, d('0.123456789')).toString()).toBe('0.12345');
    expect(quantizeOrderAmount(rule, d('0.123456789'), OrderType.MARKET).toString()).toBe('0.123');
    expect(getOrderPriceQuantum(rule, d('1')).toString()).toBe('0.01');
    expect(getOrderSizeQuantum(rule, d('1')).toString()).toBe('0.00001');
  });

  it('never rounds up and always lands on a step', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 10 }), (n, scale) => {
        const value = d(n.toString()).div(d(10).pow(scale));
        const q = quantizeOrderPrice(rule, value);
        expect(q.lte(value)).toBe(true);
        expect(value.minus(q).lt(rule.minPriceIncrement)).toBe(true);
        expect(q.mod(rule.minPriceIncrement).isZero()).toBe(true);
      }),
      { numRuns: runs(200, 5_000) },
    );
  });

  it('leaves values alone when the rule has no step', () => {
    const free = tradingRule({ tradingPair: 'ETH-BTC' });
    expect(quantizeOrderAmount(free, d('0.123456789123')).toString()).toBe('0.123456789123');
  });
});

describe('order validation', () => {
  it('accepts an order within every rule', () => {
    expect(checkOrderAgainstRule(rule, limit('0.001', '27000'))).toBeUndefined();
  });

  it('says which rule failed and by how much', () => {
    const cases: [ReturnType<typeof limit> | Record<string, unknown>, string, string, RegExp][] = [
      [limit('0.000001', '27000'), 'min_order_size', '0.000009', /below the minimum 0.00001 \(short by 0.000009\)/],
      [limit('9001', '1'), 'max_order_size', '1', /over by 1/],
      [limit('0.000015', '27000'), 'size_increment', '0.000005', /not a multiple of 0.00001/],
      [limit('0.001', '27000.005'), 'price_increment', '0.005', /price 27000.005/],
      [limit('0.0001', '27000'), 'min_notional', '2.3', /notional 2.7 is below the minimum 5 \(short by 2.3\)/],
      [limit('1', '2000000'), 'max_price', '1000000', /price/],
    ];
    for (const [order, name, by, message] of cases) {
      const v = checkOrderAgainstRule(rule, order as ReturnType<typeof limit>)!;
      expect(v).toBeInstanceOf(TradingRuleViolation);
      expect(v).toBeInstanceOf(InvalidOrderError);
      expect(v.retryable).toBe(false);
      expect(v.rule).toBe(name);
      expect(v.by!.toString()).toBe(by);
      expect(v.message).toMatch(message);
      expect(v.message).toMatch(/^BTC-USDT: /);
    }
  });

  it('refuses an amount quantized down to zero', () => {
    const v = checkOrderAgainstRule(rule, limit(quantizeOrderAmount(rule, d('0.000001')).toString(), '27000'))!;
    expect(v.rule).toBe('min_order_size');
    expect(v.message).toMatch(/not above zero/);
  });

  it('checks market orders with their own limits and a reference price when given', () => {
    const market = (amount: string, price?: string) => ({
      orderType: OrderType.MARKET,
      tradeType: TradeType.SELL,
      amount: d(amount),
      ...(price !== undefined && { price: d(price) }),
    });
    expect(checkOrderAgainstRule(rule, market('101'))?.rule).toBe('max_order_size');
    expect(checkOrderAgainstRule(rule, market('0.0015'))?.rule).toBe('size_increment');
    expect(checkOrderAgainstRule(rule, market('0.001'))).toBeUndefined();
    expect(checkOrderAgainstRule(rule, market('0.001', '1000'))?.rule).toBe('min_notional');
    const noMinForMarket = tradingRule({ ...rule, applyMinNotionalToMarket: false });
    expect(checkOrderAgainstRule(noMinForMarket, market('0.001', '1000'))).toBeUndefined();
  });

  it('checks the price floor and the notional ceiling, for market orders only when the rule says so', () => {
    const low = checkOrderAgainstRule(rule, limit('1', '0.001'))!;
    expect(low.rule).toBe('min_price');
    expect(low.by!.toString()).toBe('0.009');
    expect(low.message).toMatch(/price 0.001 is below the minimum 0.01 \(short by 0.009\)/);

    const capped = tradingRule({ ...rule, maxNotionalSize: d('100000') });
    expect(checkOrderAgainstRule(capped, limit('3.7', '27000'))).toBeUndefined();
    const big = checkOrderAgainstRule(capped, limit('4', '27000'))!;
    expect(big.rule).toBe('max_notional');
    expect([big.actual!.toString(), big.limit!.toString(), big.by!.toString()]).toEqual(['108000', '100000', '8000']);
    expect(big.message).toMatch(/notional 108000 is above the maximum 100000 \(over by 8000\)/);

    const market = { orderType: OrderType.MARKET, tradeType: TradeType.BUY, amount: d('4'), price: d('27000') };
    expect(checkOrderAgainstRule(capped, market)).toBeUndefined();
    expect(checkOrderAgainstRule(tradingRule({ ...capped, applyMaxNotionalToMarket: true }), market)?.rule).toBe('max_notional');
  });

  it('refuses unsupported order types and halted pairs', () => {
    const makerOnly = tradingRule({ tradingPair: 'BTC-USDT', supportedOrderTypes: [OrderType.LIMIT_MAKER] });
    expect(checkOrderAgainstRule(makerOnly, limit('1', '1'))?.rule).toBe('order_type');
    const halted = tradingRule({ tradingPair: 'BTC-USDT', tradingEnabled: false });
    expect(() => validateOrder(halted, limit('1', '1'))).toThrow(/trading is not enabled/);
  });

  it('refuses a rule with impossible limits, naming the field', () => {
    expect(() => tradingRule({ tradingPair: 'BTC-USDT', minOrderSize: d(-1) })).toThrow(/minOrderSize/);
    expect(() => tradingRule({ tradingPair: 'BTC-USDT', minPriceIncrement: d(NaN) })).toThrow(/minPriceIncrement/);
    expect(() => tradingRule({ tradingPair: 'BTCUSDT' })).toThrow(/tradingPair/);
  });
});
