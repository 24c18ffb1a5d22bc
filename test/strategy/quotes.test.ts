import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/decimal.js';
import { tradingRule } from '../../src/core/rules/trading-rule.js';
import { checkOrderAgainstRule } from '../../src/core/rules/validate-order.js';
import { OrderType, TradeType } from '../../src/core/types.js';
import { computeQuotes, marketTop, type QuoteInput } from '../../src/strategy/market-making/quotes.js';
import { runs } from '../support/soak.js';

const d = (s: string | number) => new Decimal(s);
const rule = tradingRule({
  tradingPair: 'BTC-USDT',
  minOrderSize: d('0.00001'),
  minBaseAmountIncrement: d('0.00001'),
  minPriceIncrement: d('0.01'),
  minNotionalSize: d('5'),
});
const input = (over: Partial<QuoteInput> = {}): QuoteInput => ({
  mid: d('65000.005'),
  spread: d('0.0001'),
  orderAmount: d('0.001'),
  position: d('0'),
  maxPosition: d('0.01'),
  skew: d('1'),
  orderType: OrderType.LIMIT_MAKER,
  rule,
  available: { base: d('10'), quote: d('1000000') },
  ...over,
});

describe('computeQuotes', () => {
  it('quotes both sides around mid at the spread, the bid rounded down and the ask up to the tick', () => {
    const plan = computeQuotes(input());
    // half spread 0.00005 × 65000.005 = 3.25000025
    expect(plan.bid?.price.toString()).toBe('64996.75');
    expect(plan.ask?.price.toString()).toBe('65003.26');
    expect(plan.bid?.amount.toString()).toBe('0.001');
    expect(plan.ask?.amount.toString()).toBe('0.001');
    expect(plan.skipped).toEqual([]);
  });

  it('leans against a long position: both quotes lower, the bid smaller', () => {
    const flat = computeQuotes(input());
    const long = computeQuotes(input({ position: d('0.005') }));
    expect(long.inventoryRatio.toString()).toBe('0.5');
    expect(long.bid!.price.lt(flat.bid!.price)).toBe(true);
    expect(long.ask!.price.lt(flat.ask!.price)).toBe(true);
    expect(long.bid!.amount.toString()).toBe('0.0005');
    expect(long.ask!.amount.toString()).toBe('0.001');
  });

  it('stops quoting the side that would grow a position at its limit', () => {
    const long = computeQuotes(input({ position: d('0.02') }));
    expect(long.bid).toBeUndefined();
    expect(long.ask).toBeDefined();
    expect(long.skipped[0]).toMatchObject({ side: TradeType.BUY });
    expect(long.skipped[0]!.reason).toMatch(/at the limit/);
    const short = computeQuotes(input({ position: d('-0.01') }));
    expect(short.ask).toBeUndefined();
    expect(short.bid?.amount.toString()).toBe('0.001');
  });

  it('shrinks a quote to the balance, and skips it when that is below the minimum notional', () => {
    const plan = computeQuotes(input({ available: { base: d('0.0004'), quote: d('3') } }));
    expect(plan.ask?.amount.toString()).toBe('0.0004');
    expect(plan.bid).toBeUndefined();
    expect(plan.skipped[0]!.reason).toMatch(/notional .* below the minimum 5 .*available 3 quote/);
  });

  it('never crosses itself when the spread is below a tick', () => {
    const plan = computeQuotes(input({ mid: d('65000'), spread: d('0.0000000001') }));
    expect(plan.bid?.price.toString()).toBe('64999.99');
    expect(plan.ask?.price.toString()).toBe('65000.01');
  });

  it('property: quotes are on the steps, pass the rule, bid < mid < ask for any inventory', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100_000, max: 10_000_000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: -300, max: 300 }),
        fc.integer({ min: 0, max: 100 }),
        (midCents, spreadBp, positionMilli, skewPct) => {
          const mid = d(midCents).div(100);
          const plan = computeQuotes(input({ mid, spread: d(spreadBp).div(10_000), position: d(positionMilli).div(10_000), skew: d(skewPct).div(100) }));
          for (const q of [plan.bid, plan.ask]) {
            if (!q) continue;
            expect(checkOrderAgainstRule(rule, { orderType: OrderType.LIMIT_MAKER, tradeType: q.side, amount: q.amount, price: q.price })).toBeUndefined();
            expect(q.amount.lte(d('0.001'))).toBe(true);
          }
          if (plan.bid) expect(plan.bid.price.lte(mid)).toBe(true);
          if (plan.ask) expect(plan.ask.price.gte(mid)).toBe(true);
          if (plan.bid && plan.ask) expect(plan.bid.price.lt(plan.ask.price)).toBe(true);
        },
      ),
      { numRuns: runs(300, 10_000) },
    );
  });
});

describe('marketTop', () => {
  const levels = (...l: [string, string][]) => l.map(([price, amount]) => ({ price, amount }));

  it('takes the strategy’s own orders out of the book', () => {
    const bids = levels(['100.5', '1'], ['100', '3']);
    const asks = levels(['101', '2'], ['102', '1']);
    const own = [
      { side: TradeType.BUY, price: d('100.5'), remaining: d('1') },
      { side: TradeType.SELL, price: d('101'), remaining: d('0.5') },
    ];
    const top = marketTop(bids, asks, own);
    expect(top.bid?.toString()).toBe('100');
    expect(top.ask?.toString()).toBe('101');
    expect(top.mid?.toString()).toBe('100.5');
  });

  it('has no mid while a side is only the strategy’s', () => {
    const top = marketTop(levels(['100', '1']), levels(['101', '1']), [{ side: TradeType.SELL, price: d('101'), remaining: d('1') }]);
    expect(top.bid?.toString()).toBe('100');
    expect(top.ask).toBeUndefined();
    expect(top.mid).toBeUndefined();
  });
});
