import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../src/core/book/order-book.js';
import type { BookEntry } from '../../../src/core/book/types.js';
import { Decimal } from '../../../src/core/decimal.js';
import { runs, yieldToWorker } from '../../support/soak.js';
import { ReferenceBook } from './reference-book.js';

/**
 * Prices on a 0.01 grid from 0.01 to 2.00, printed in several ways ("1.5", "1.50", "1.50000000"),
 * so the same price can arrive with different strings; bid and ask ranges overlap, so crossed
 * books happen often. Amounts include several spellings of zero.
 */
const priceString = fc
  .tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom(2, 3, 8, 0))
  .map(([cents, decimals]) => {
    if (decimals === 0) return new Decimal(cents).div(100).toString();
    return new Decimal(cents).div(100).toFixed(decimals);
  });
const amountString = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('0', '0.00000000', '0.0', '00.000') },
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 5_000_000 }), fc.constantFrom(0, 3, 8))
      .map(([units, decimals]) => new Decimal(units).div(1000).toFixed(decimals)),
  },
);
const entry: fc.Arbitrary<BookEntry> = fc.tuple(priceString, amountString);
const entries = (max: number): fc.Arbitrary<BookEntry[]> => fc.array(entry, { maxLength: max });

type Op = { kind: 'snapshot' | 'diff'; bids: BookEntry[]; asks: BookEntry[] };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), bids: entries(40), asks: entries(40) }) },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('diff' as const), bids: entries(6), asks: entries(6) }) },
);
const quantity = fc
  .tuple(fc.integer({ min: 1, max: 20_000_000 }), fc.constantFrom(0, 3, 6))
  .map(([units, decimals]) => new Decimal(units).div(10 ** decimals));
const queryPrice = fc.integer({ min: 1, max: 210 }).map((cents) => new Decimal(cents).div(100));

function expectSameResult(
  got: { value: Decimal | undefined; covered: Decimal },
  want: { value: Decimal | undefined; covered: Decimal },
  what: string,
): void {
  expect(got.value?.toString(), what).toBe(want.value?.toString());
  expect(got.covered.eq(want.covered), `${what} covered ${got.covered.toString()} vs ${want.covered.toString()}`).toBe(true);
}

function expectSameBook(book: OrderBook, model: ReferenceBook, volume: Decimal, quote: Decimal, price: Decimal): void {
  const bids = model.levels(true);
  const asks = model.levels(false);
  expect(book.snapshot()).toEqual({ updateId: model.updateId, bids, asks });
  expect([...book.bidEntries()]).toEqual(bids);
  expect([...book.askEntries()]).toEqual(asks);
  expect(book.topBids(3)).toEqual(bids.slice(0, 3));
  expect(book.topAsks(3)).toEqual(asks.slice(0, 3));
  expect(book.bestBid()).toEqual(bids[0]);
  expect(book.bestAsk()).toEqual(asks[0]);
  expect(book.bidCount).toBe(bids.length);
  expect(book.askCount).toBe(asks.length);
  expect(book.updateId).toBe(model.updateId);
  expect(book.crossedCount).toBe(model.crossedCount);
  expect(book.crossedLevelsRemoved).toBe(model.crossedLevelsRemoved);
  expect(book.midPrice()?.toString()).toBe(model.midPrice()?.toString());
  expect(book.spread()?.toString()).toBe(model.spread()?.toString());
  for (const isBuy of [true, false]) {
    const side = isBuy ? 'buy' : 'sell';
    expect(book.getPrice(isBuy)?.toString()).toBe(model.getPrice(isBuy)?.toString());
    expectSameResult(book.getPriceForVolume(isBuy, volume), model.getPriceForVolume(isBuy, volume), `${side} price for ${volume}`);
    expectSameResult(book.getVwapForVolume(isBuy, volume), model.getVwapForVolume(isBuy, volume), `${side} vwap for ${volume}`);
    expectSameResult(
      book.getQuoteVolumeForBaseAmount(isBuy, volume),
      model.getQuoteVolumeForBaseAmount(isBuy, volume),
      `${side} quote for ${volume}`,
    );
    expectSameResult(book.getPriceForQuoteVolume(isBuy, quote), model.getPriceForQuoteVolume(isBuy, quote), `${side} price for quote ${quote}`);
    expect(book.getVolumeForPrice(isBuy, price).toString()).toBe(model.getVolumeForPrice(isBuy, price).toString());
    expect(book.getQuoteVolumeForPrice(isBuy, price).toString()).toBe(model.getVolumeForPrice(isBuy, price, true).toString());
  }
}

describe('OrderBook against the reference model', () => {
  it('equals the model after any sequence of snapshots and diffs, and answers every query as the model does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(op, quantity, quantity, queryPrice), { minLength: 1, maxLength: 25 }), async (steps) => {
        await yieldToWorker();
        const book = new OrderBook('BTC-USDT');
        const model = new ReferenceBook();
        let updateId = 100;
        for (const [{ kind, bids, asks }, volume, quote, price] of steps) {
          updateId += 1 + bids.length + asks.length;
          if (kind === 'snapshot') {
            book.applySnapshot(bids, asks, updateId);
            model.applySnapshot(bids, asks, updateId);
          } else {
            book.applyDiff(bids, asks, updateId);
            model.applyDiff(bids, asks, updateId);
          }
          expectSameBook(book, model, volume, quote, price);
        }
      }),
      { numRuns: runs(300, 20_000) },
    );
  });

  it('keeps deep books right when changes land anywhere (the galloping search and long moves)', async () => {
    // A wide price grid, so sides hold hundreds of levels and changes land far from the top.
    const wideEntry: fc.Arbitrary<BookEntry> = fc.tuple(
      fc.integer({ min: 1, max: 3000 }).map((t) => new Decimal(t).div(10).toFixed(1)),
      fc.oneof(fc.constant('0'), fc.integer({ min: 1, max: 999 }).map(String)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(wideEntry, { minLength: 200, maxLength: 600 }),
        fc.array(fc.array(wideEntry, { maxLength: 30 }), { maxLength: 40 }),
        async (bids, diffs) => {
          await yieldToWorker();
          // bids only: no crossing, so every level survives and positions are exercised in depth
          const book = new OrderBook();
          const model = new ReferenceBook();
          book.applySnapshot(bids, [], 1);
          model.applySnapshot(bids, [], 1);
          diffs.forEach((diff, i) => {
            book.applyDiff(diff, [], i + 2);
            model.applyDiff(diff, [], i + 2);
          });
          expect(book.snapshot().bids).toEqual(model.levels(true));
        },
      ),
      { numRuns: runs(100, 5_000) },
    );
  });
});
