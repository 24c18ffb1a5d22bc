import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, ZERO } from '../../src/core/decimal.js';
import type { TradeFee } from '../../src/core/fees/trade-fee.js';
import { TradeType } from '../../src/core/types.js';
import { PnlTracker, type PnlFill } from '../../src/strategy/pnl.js';
import { runs } from '../support/soak.js';

const d = (s: string) => new Decimal(s);
const flat = (token: string, amount: string): TradeFee => ({ percent: ZERO, flatFees: [{ token, amount: d(amount) }], kind: 'deducted_from_returns' });
const fill = (side: TradeType, amount: string, price: string, fee: TradeFee = flat('USDT', '0')): PnlFill => ({ tradingPair: 'BTC-USDT', side, amount: d(amount), price: d(price), fee });

describe('PnlTracker', () => {
  it('realizes first in, first out and marks the rest', () => {
    const pnl = new PnlTracker();
    pnl.apply(fill(TradeType.BUY, '1', '100'));
    pnl.apply(fill(TradeType.BUY, '1', '110'));
    pnl.apply(fill(TradeType.SELL, '1.5', '120'));
    const p = pnl.pair('BTC-USDT', d('130'));
    // 1 @100 closed at 120 (+20), 0.5 @110 closed at 120 (+5); 0.5 @110 left, marked at 130 (+10)
    expect(p.realized.toString()).toBe('25');
    expect(p.position.toString()).toBe('0.5');
    expect(p.openCost.toString()).toBe('55');
    expect(p.averageEntryPrice?.toString()).toBe('110');
    expect(p.unrealized.toString()).toBe('10');
    expect(p.net.toString()).toBe('35');
    expect(p.volumeBase.toString()).toBe('3.5');
    expect(p.volumeQuote.toString()).toBe('390');
  });

  it('goes short through zero and closes the short at a loss', () => {
    const pnl = new PnlTracker();
    pnl.apply(fill(TradeType.BUY, '1', '100'));
    pnl.apply(fill(TradeType.SELL, '3', '90')); // -10 realized, short 2 @ 90
    expect(pnl.pair('BTC-USDT', d('95')).position.toString()).toBe('-2');
    expect(pnl.pair('BTC-USDT', d('95')).unrealized.toString()).toBe('-10');
    pnl.apply(fill(TradeType.BUY, '2', '80')); // short closed at +20
    const p = pnl.pair('BTC-USDT', d('95'));
    expect(p.realized.toString()).toBe('10');
    expect(p.position.toString()).toBe('0');
    expect(p.unrealized.toString()).toBe('0');
    expect(p.averageEntryPrice).toBeUndefined();
  });

  it('values base fees at the fill price, keeps other tokens apart, and subtracts fees from net', () => {
    const pnl = new PnlTracker();
    pnl.apply(fill(TradeType.BUY, '0.001', '65000.5', flat('BTC', '0.000001')));
    pnl.apply(fill(TradeType.SELL, '0.001', '65010.5', flat('USDT', '0.0650105')));
    pnl.apply(fill(TradeType.SELL, '0.001', '65000', flat('BNB', '0.0001')));
    const p = pnl.pair('BTC-USDT', d('65000'));
    expect(p.fees.toString()).toBe('0.130011'); // 0.000001 BTC at 65000.5 + 0.0650105 USDT
    expect(p.otherFees).toEqual({ BNB: d('0.0001') });
    expect(p.realized.toString()).toBe('0.01');
    expect(p.net.toString()).toBe(p.realized.plus(p.unrealized).minus(p.fees).toString());
    expect(p.fills).toBe(3);
  });

  it('an unknown mark leaves unrealized at zero; an unknown pair is all zeros', () => {
    const pnl = new PnlTracker();
    pnl.apply(fill(TradeType.BUY, '1', '100'));
    expect(pnl.pair('BTC-USDT').unrealized.isZero()).toBe(true);
    expect(pnl.pair('ETH-USDT').fills).toBe(0);
    expect(pnl.tradingPairs).toEqual(['BTC-USDT']);
  });

  it('refuses a fill without a positive amount or price', () => {
    expect(() => new PnlTracker().apply(fill(TradeType.BUY, '0', '100'))).toThrow(/positive amount/);
  });

  it('property: realized + unrealized is the cash flow plus the position at the mark, exactly', () => {
    const decimal = (max: number, scale: number) => fc.integer({ min: 1, max }).map((n) => new Decimal(n).div(10 ** scale));
    const fills = fc.array(fc.record({ buy: fc.boolean(), amount: decimal(10_000, 3), price: decimal(1_000_000, 2) }), { maxLength: 60 });
    fc.assert(
      fc.property(fills, decimal(1_000_000, 2), (list, mark) => {
        const pnl = new PnlTracker();
        let cash = ZERO;
        let position = ZERO;
        for (const f of list) {
          pnl.apply({ tradingPair: 'BTC-USDT', side: f.buy ? TradeType.BUY : TradeType.SELL, amount: f.amount, price: f.price, fee: flat('USDT', '0') });
          cash = f.buy ? cash.minus(f.amount.mul(f.price)) : cash.plus(f.amount.mul(f.price));
          position = f.buy ? position.plus(f.amount) : position.minus(f.amount);
        }
        const p = pnl.pair('BTC-USDT', mark);
        expect(p.position.eq(position)).toBe(true);
        expect(p.realized.plus(p.unrealized).eq(cash.plus(position.mul(mark)))).toBe(true);
      }),
      { numRuns: runs(200, 5000) },
    );
  });
});
