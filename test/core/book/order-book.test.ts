import { describe, expect, it } from 'vitest';
import { BookDataError } from '../../../src/core/book/level-parse.js';
import { OrderBook } from '../../../src/core/book/order-book.js';
import { InvalidArgumentError } from '../../../src/core/errors.js';

function book(): OrderBook {
  const b = new OrderBook('BTC-USDT');
  b.applySnapshot(
    [
      ['0.10000000', '1.00000000'],
      ['0.20000000', '2.00000000'],
      ['0.09000000', '3.00000000'],
    ],
    [
      ['0.30000000', '1.50000000'],
      ['0.40000000', '0.50000000'],
    ],
    10,
  );
  return b;
}

describe('OrderBook', () => {
  it('returns the exchange strings exactly, and computes exact decimals (no 0.30000000000000004)', () => {
    const b = book();
    expect(b.bestBid()).toEqual({ price: '0.20000000', amount: '2.00000000' });
    expect(b.bestAsk()).toEqual({ price: '0.30000000', amount: '1.50000000' });
    expect(b.topBids(5).map((l) => l.price)).toEqual(['0.20000000', '0.10000000', '0.09000000']);
    expect(b.spread()?.toString()).toBe('0.1');
    expect(b.midPrice()?.toString()).toBe('0.25');
    // 0.1 + 0.2 in floats is 0.30000000000000004; taking both bids sums them exactly
    expect(b.getQuoteVolumeForPrice(false, '0.1').toString()).toBe('0.5');
    expect(b.getQuoteVolumeForBaseAmount(false, '3').value?.toString()).toBe('0.5');
    expect(b.getVwapForVolume(false, '3').value?.toSignificantDigits(10).toString()).toBe('0.1666666667');
  });

  it('walks each side best first', () => {
    const b = book();
    expect([...b.askEntries()]).toEqual([
      { price: '0.30000000', amount: '1.50000000' },
      { price: '0.40000000', amount: '0.50000000' },
    ]);
    expect(b.snapshot(1)).toEqual({ updateId: 10, bids: [{ price: '0.20000000', amount: '2.00000000' }], asks: [{ price: '0.30000000', amount: '1.50000000' }] });
  });

  it('applies diffs: absolute amounts, zero removes, removing an unknown level is harmless', () => {
    const b = book();
    b.applyDiff(
      [
        ['0.20000000', '0.00000000'],
        ['0.15000000', '4.00000000'],
        ['0.05000000', '0'],
      ],
      [['0.40000000', '9.00000000']],
      11,
    );
    expect(b.topBids(3)).toEqual([
      { price: '0.15000000', amount: '4.00000000' },
      { price: '0.10000000', amount: '1.00000000' },
      { price: '0.09000000', amount: '3.00000000' },
    ]);
    expect(b.topAsks(2)[1]).toEqual({ price: '0.40000000', amount: '9.00000000' });
    expect(b.updateId).toBe(11);
    expect(b.snapshotUpdateId).toBe(10);
  });

  describe('insufficient depth: value undefined, covered = what the side holds', () => {
    it('price and VWAP for a volume beyond the side', () => {
      const b = book();
      expect(b.getPriceForVolume(true, '1.5')).toEqual({ value: b.getPrice(true), covered: expect.anything() });
      expect(b.getPriceForVolume(true, '1.6').value?.toString()).toBe('0.4');
      const tooMuch = b.getPriceForVolume(true, '2.01');
      expect(tooMuch.value).toBeUndefined();
      expect(tooMuch.covered.toString()).toBe('2');
      expect(b.getVwapForVolume(true, '2.01').value).toBeUndefined();
      expect(b.getQuoteVolumeForBaseAmount(true, '2.01')).toMatchObject({ value: undefined });
      expect(b.getQuoteVolumeForBaseAmount(true, '2').value?.toString()).toBe('0.65');
      expect(b.getPriceForQuoteVolume(true, '0.66').covered.toString()).toBe('0.65');
    });

    it('an empty side has no price, mid or spread', () => {
      const b = new OrderBook();
      b.applySnapshot([['1', '1']], [], 1);
      expect(b.getPrice(true)).toBeUndefined();
      expect(b.midPrice()).toBeUndefined();
      expect(b.spread()).toBeUndefined();
      expect(b.bestAsk()).toBeUndefined();
      expect(b.getVolumeForPrice(true, '100').toString()).toBe('0');
      expect(b.getPriceForVolume(true, '1')).toMatchObject({ value: undefined });
    });
  });

  it('volume up to a price counts levels at that price or better', () => {
    const b = book();
    expect(b.getVolumeForPrice(true, '0.3').toString()).toBe('1.5');
    expect(b.getVolumeForPrice(true, '0.29').toString()).toBe('0');
    expect(b.getVolumeForPrice(false, '0.1').toString()).toBe('3');
    expect(b.getQuoteVolumeForPrice(true, '1').toString()).toBe('0.65');
  });

  it('refuses queries that are not positive decimals, and floats that lost their exact value', () => {
    const b = book();
    expect(() => b.getPriceForVolume(true, '0')).toThrow(InvalidArgumentError);
    expect(() => b.getVwapForVolume(true, '-1')).toThrow(InvalidArgumentError);
    expect(() => b.getVolumeForPrice(true, 'abc')).toThrow(InvalidArgumentError);
    expect(() => b.getPriceForVolume(true, 0.1)).toThrow(InvalidArgumentError);
    expect(b.getPriceForVolume(true, 1).value?.toString()).toBe('0.3');
  });

  describe('crossed book', () => {
    it('removes the older side when a diff crosses the book, and counts it', () => {
      const b = book();
      b.applyDiff([['0.35000000', '1.00000000']], [], 11); // a new bid above the best ask (set at 10)
      expect(b.bestBid()).toEqual({ price: '0.35000000', amount: '1.00000000' });
      expect(b.bestAsk()).toEqual({ price: '0.40000000', amount: '0.50000000' });
      expect(b.crossedCount).toBe(1);
      expect(b.crossedLevelsRemoved).toBe(1);
      b.applyDiff([], [['0.10000000', '1.00000000']], 12); // a new ask under three bids
      expect(b.bestAsk()?.price).toBe('0.10000000');
      expect(b.bestBid()?.price).toBe('0.09000000');
      expect(b.crossedCount).toBe(2);
      expect(b.crossedLevelsRemoved).toBe(4);
    });

    it('treats bid = ask as crossed, and removes the bid when both came in the same update', () => {
      const b = new OrderBook();
      b.applySnapshot([['1.0', '1']], [['1.00', '1'], ['2', '1']], 5);
      expect(b.bestBid()).toBeUndefined();
      expect(b.bestAsk()?.price).toBe('1.00');
      expect(b.crossedCount).toBe(1);
    });
  });

  it('treats differently written prices of the same value as one level', () => {
    const b = new OrderBook();
    b.applySnapshot([['1.5', '1']], [], 1);
    b.applyDiff([['1.50000000', '2']], [], 2);
    expect(b.bidCount).toBe(1);
    expect(b.bestBid()?.amount).toBe('2');
    b.applyDiff([['01.500', '0.000']], [], 3);
    expect(b.bidCount).toBe(0);
  });

  it.each([
    ['a price that is not a decimal', ['abc', '1']],
    ['a number instead of a string', [1.5, '1']],
    ['a zero price', ['0.000', '1']],
    ['a negative amount', ['1.5', '-1']],
    ['an empty amount', ['1.5', '']],
    ['an exponent', ['1e3', '1']],
    ['a price a double cannot keep apart', ['1.0000000000000001', '1']],
    ['a missing level', null],
  ])('rejects %s with BookDataError: a snapshot is not loaded, a diff stops there without moving updateId', (_what, level) => {
    const b = book();
    const before = b.snapshot();
    const levels = [['0.25000000', '1.00000000'], level] as unknown as [string, string][];
    expect(() => b.applySnapshot([], levels, 11)).toThrow(BookDataError);
    expect(b.snapshot()).toEqual(before);
    expect(() => b.applyDiff([], levels, 11)).toThrow(BookDataError);
    expect(b.updateId).toBe(10);
  });

  it('accepts long prices whose extra digits are zeros', () => {
    const b = new OrderBook();
    b.applySnapshot([['12345678.12000000', '1'], ['0000000000000001.5', '1']], [], 1);
    expect(b.topBids(2).map((l) => l.price)).toEqual(['12345678.12000000', '0000000000000001.5']);
  });

  it('keeps deep sides sorted as they grow past their first allocation', () => {
    const b = new OrderBook();
    const n = 300;
    for (let i = 1; i <= n; i++) b.applyDiff([[`${i}.00`, '1']], [[`${1000 + i}.00`, '1']], i);
    expect(b.bidCount).toBe(n);
    expect(b.bestBid()?.price).toBe(`${n}.00`);
    expect(b.bestAsk()?.price).toBe('1001.00');
    for (let i = 1; i <= n; i += 2) b.applyDiff([[`${i}.00`, '0']], [], n + i);
    expect(b.bidCount).toBe(n / 2);
    expect([...b.bidEntries()].map((l) => Number(l.price))).toEqual(Array.from({ length: n / 2 }, (_, k) => n - 2 * k));
  });
});
