import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/decimal.js';
import { InvalidArgumentError, InvalidOrderError } from '../../src/core/errors.js';
import { tradingRule } from '../../src/core/rules/trading-rule.js';
import { TradingRuleViolation } from '../../src/core/rules/validate-order.js';
import { OrderType, TradeType } from '../../src/core/types.js';
import { quantizeOrderArgs, readOrderArgs, ruleViolation } from '../../src/connector/order-args.js';

const ALL = [OrderType.LIMIT, OrderType.LIMIT_MAKER, OrderType.MARKET];
const rule = tradingRule({
  tradingPair: 'BTC-USDT',
  minOrderSize: new Decimal('0.00001'),
  minPriceIncrement: new Decimal('0.01'),
  minBaseAmountIncrement: new Decimal('0.00001'),
  minNotionalSize: new Decimal('5'),
});

describe('order arguments', () => {
  it('reads exact decimals from strings and Decimals; a LIMIT order needs a price', () => {
    const args = readOrderArgs({ tradingPair: 'BTC-USDT', amount: '0.5', price: new Decimal('60000.5') }, TradeType.BUY, ALL);
    expect(args).toMatchObject({ tradingPair: 'BTC-USDT', tradeType: TradeType.BUY, orderType: OrderType.LIMIT });
    expect(args.amount.toString()).toBe('0.5');
    expect(() => readOrderArgs({ tradingPair: 'BTC-USDT', amount: '0.5' }, TradeType.BUY, ALL)).toThrow(/price is required/);
  });

  it('refuses floats, non-positive amounts, malformed pairs and unsupported types, naming the field', () => {
    const bad = (request: Parameters<typeof readOrderArgs>[0], supported = ALL) => {
      try {
        readOrderArgs(request, TradeType.SELL, supported);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidArgumentError);
        return (err as InvalidArgumentError).field;
      }
      throw new Error('accepted');
    };
    expect(bad({ tradingPair: 'BTC-USDT', amount: 0.1 as unknown as string, price: '1' })).toBe('amount');
    expect(bad({ tradingPair: 'BTC-USDT', amount: '0', price: '1' })).toBe('amount');
    expect(bad({ tradingPair: 'BTC-USDT', amount: '1', price: '-2' })).toBe('price');
    expect(bad({ tradingPair: 'BTCUSDT', amount: '1', price: '1' })).toBe('tradingPair');
    expect(bad({ tradingPair: 'BTC-USDT', amount: '1', orderType: OrderType.MARKET }, [OrderType.LIMIT])).toBe('orderType');
  });

  it('a market order keeps its price only as a reference', () => {
    const args = readOrderArgs({ tradingPair: 'BTC-USDT', amount: '1', orderType: OrderType.MARKET, price: '100' }, TradeType.BUY, ALL);
    expect(args.price).toBeUndefined();
    expect(args.referencePrice?.toString()).toBe('100');
  });

  it('quantizing floors to the steps; an amount that would floor to zero is left for the rule check to refuse', () => {
    const q = quantizeOrderArgs(readOrderArgs({ tradingPair: 'BTC-USDT', amount: '0.123456789', price: '60000.019' }, TradeType.BUY, ALL), rule);
    expect([q.amount.toString(), q.price?.toString()]).toEqual(['0.12345', '60000.01']);
    const tiny = quantizeOrderArgs(readOrderArgs({ tradingPair: 'BTC-USDT', amount: '0.000001', price: '60000' }, TradeType.BUY, ALL), rule);
    expect(tiny.amount.toString()).toBe('0.000001');
    expect(ruleViolation(new Map([['BTC-USDT', rule]]), tiny, () => undefined)).toMatchObject({ rule: 'min_order_size' });
  });

  it('the rule check: no rule, a violation naming the rule, a market order checked at its reference price', () => {
    const rules = new Map([['BTC-USDT', rule]]);
    const market = readOrderArgs({ tradingPair: 'BTC-USDT', amount: '0.00001', orderType: OrderType.MARKET }, TradeType.BUY, ALL);
    expect(ruleViolation(rules, market, () => new Decimal('60000'))).toBeInstanceOf(TradingRuleViolation);
    expect(ruleViolation(rules, market, () => undefined)).toBeUndefined();
    const elsewhere = readOrderArgs({ tradingPair: 'ETH-USDT', amount: '1', price: '1' }, TradeType.BUY, ALL);
    const none = ruleViolation(rules, elsewhere, () => undefined);
    expect(none).toBeInstanceOf(InvalidOrderError);
    expect(none?.message).toMatch(/does not list this pair/);
    expect(ruleViolation(new Map(), elsewhere, () => undefined)?.message).toMatch(/not loaded yet/);
  });
});
