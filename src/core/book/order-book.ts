import { Decimal, type DecimalInput } from '../decimal.js';
import { BookSide } from './book-side.js';
import {
  positiveQuery,
  priceForQuoteVolume,
  priceForVolume,
  quoteVolumeForBaseAmount,
  volumeUpToPrice,
  vwapForVolume,
} from './book-queries.js';
import { AMOUNT_INVALID, AMOUNT_ZERO, amountKind, invalidLevel, priceKey } from './level-parse.js';
import type { BookEntry, BookLevel, BookLevels, BookQueryResult } from './types.js';

/**
 * An L2 order book for one trading pair: price levels on two sides, loaded from snapshots and
 * changed by diffs of absolute amounts (zero removes a level).
 *
 * - Levels come back with the exchange's own strings; computed answers (mid, spread, VWAP,
 *   volumes) are exact Decimals. Prices are kept as doubles only to sort the levels.
 * - An unreadable level throws `BookDataError`: a snapshot is then not loaded at all; a diff stops
 *   there (see `applyDiff`).
 * - Crossed book: after each snapshot and diff, while the best bid ≥ the best ask, the one of the
 *   two set by the older update is removed (the bid on a tie); `crossedLevelsRemoved` counts them.
 * - Depth queries answer `value: undefined` when the side is too thin (see `BookQueryResult`);
 *   `isBuy` true walks the asks (what a buyer takes), false the bids.
 *
 * The book does not check update ids: `BookSynchronizer` applies the exchange's sequencing rule.
 * Reading is synchronous; iterate (`bidEntries`, `askEntries`) without awaiting in between.
 */
export class OrderBook {
  private readonly bids = new BookSide();
  private readonly asks = new BookSide();
  private lastUpdateId = -1;
  private snapshotId = -1;
  private crossedEvents = 0;
  private crossedRemoved = 0;

  constructor(readonly tradingPair = '') {}

  /** Update id of the last snapshot or diff applied (−1 before any). */
  get updateId(): number {
    return this.lastUpdateId;
  }

  get snapshotUpdateId(): number {
    return this.snapshotId;
  }

  get bidCount(): number {
    return this.bids.length;
  }

  get askCount(): number {
    return this.asks.length;
  }

  /** How many updates left the book crossed (bid ≥ ask) before it was resolved. */
  get crossedCount(): number {
    return this.crossedEvents;
  }

  /** Levels removed to uncross the book. */
  get crossedLevelsRemoved(): number {
    return this.crossedRemoved;
  }

  /** Replaces the whole book. Levels may come in any order; on a repeated price the last entry counts; a zero amount leaves no level. */
  applySnapshot(bids: readonly BookEntry[], asks: readonly BookEntry[], updateId: number): void {
    const bidLevels = sortedLevels(bids, 1, 'bid');
    const askLevels = sortedLevels(asks, -1, 'ask');
    this.bids.load(bidLevels.keys, bidLevels.prices, bidLevels.amounts, updateId);
    this.asks.load(askLevels.keys, askLevels.prices, askLevels.amounts, updateId);
    this.lastUpdateId = updateId;
    this.snapshotId = updateId;
    this.uncross();
  }

  /**
   * Applies one diff: each `[price, amount]` sets that level's amount, or removes it when the
   * amount is zero. A level that cannot be read throws `BookDataError`; the levels before it stay
   * applied and `updateId` does not move, so the next diff shows a gap. The book is then out of
   * sync, as it would be whatever was done with a diff whose changes cannot all be known: reload it
   * from a snapshot (BookSynchronizer does). Validating every level first would keep the book
   * unchanged but no more correct, for about a tenth of the diff throughput.
   */
  applyDiff(bids: readonly BookEntry[], asks: readonly BookEntry[], updateId: number): void {
    applyLevels(this.bids, bids, 1, updateId, 'bid');
    applyLevels(this.asks, asks, -1, updateId, 'ask');
    this.lastUpdateId = updateId;
    this.uncross();
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
    this.lastUpdateId = -1;
    this.snapshotId = -1;
  }

  bestBid(): BookLevel | undefined {
    return this.bids.length > 0 ? { price: this.bids.priceAt(0), amount: this.bids.amountAt(0) } : undefined;
  }

  bestAsk(): BookLevel | undefined {
    return this.asks.length > 0 ? { price: this.asks.priceAt(0), amount: this.asks.amountAt(0) } : undefined;
  }

  /** The best `n` bids, best first (fewer when the side has fewer). */
  topBids(n: number): BookLevel[] {
    return top(this.bids, n);
  }

  topAsks(n: number): BookLevel[] {
    return top(this.asks, n);
  }

  /** Both sides to `depth` levels each (all levels by default), best first. */
  snapshot(depth = Infinity): BookLevels {
    return { updateId: this.lastUpdateId, bids: top(this.bids, depth), asks: top(this.asks, depth) };
  }

  /** Walks the bids, best first. */
  *bidEntries(): IterableIterator<BookLevel> {
    yield* walk(this.bids);
  }

  /** Walks the asks, best first. */
  *askEntries(): IterableIterator<BookLevel> {
    yield* walk(this.asks);
  }

  /** Best ask for a buy, best bid for a sell; undefined when that side is empty. */
  getPrice(isBuy: boolean): Decimal | undefined {
    const side = isBuy ? this.asks : this.bids;
    return side.length > 0 ? new Decimal(side.priceAt(0)) : undefined;
  }

  /** (best bid + best ask) / 2; undefined unless both sides have a level. */
  midPrice(): Decimal | undefined {
    if (this.bids.length === 0 || this.asks.length === 0) return undefined;
    return new Decimal(this.bids.priceAt(0)).plus(this.asks.priceAt(0)).div(2);
  }

  /** best ask − best bid; undefined unless both sides have a level. */
  spread(): Decimal | undefined {
    if (this.bids.length === 0 || this.asks.length === 0) return undefined;
    return new Decimal(this.asks.priceAt(0)).minus(this.bids.priceAt(0));
  }

  /** Worst price touched when taking `volume` (base). `value` undefined when the side holds less. */
  getPriceForVolume(isBuy: boolean, volume: DecimalInput): BookQueryResult {
    return priceForVolume(this.side(isBuy), positiveQuery(volume, 'volume'));
  }

  /** Worst price touched when taking `quoteVolume` worth of quote. */
  getPriceForQuoteVolume(isBuy: boolean, quoteVolume: DecimalInput): BookQueryResult {
    return priceForQuoteVolume(this.side(isBuy), positiveQuery(quoteVolume, 'quoteVolume'));
  }

  /** Volume-weighted average price of taking exactly `volume` (base). */
  getVwapForVolume(isBuy: boolean, volume: DecimalInput): BookQueryResult {
    return vwapForVolume(this.side(isBuy), positiveQuery(volume, 'volume'));
  }

  /** Quote amount paid (buy) or received (sell) for `baseAmount`; `covered` is in base units. */
  getQuoteVolumeForBaseAmount(isBuy: boolean, baseAmount: DecimalInput): BookQueryResult {
    return quoteVolumeForBaseAmount(this.side(isBuy), positiveQuery(baseAmount, 'baseAmount'));
  }

  /** Base amount available at `price` or better (asks ≤ price for a buy, bids ≥ price for a sell). */
  getVolumeForPrice(isBuy: boolean, price: DecimalInput): Decimal {
    return volumeUpToPrice(this.side(isBuy), isBuy, positiveQuery(price, 'price'), false);
  }

  /** Quote amount (Σ price × amount) available at `price` or better. */
  getQuoteVolumeForPrice(isBuy: boolean, price: DecimalInput): Decimal {
    return volumeUpToPrice(this.side(isBuy), isBuy, positiveQuery(price, 'price'), true);
  }

  private side(isBuy: boolean): BookSide {
    return isBuy ? this.asks : this.bids;
  }

  private uncross(): void {
    const bids = this.bids;
    const asks = this.asks;
    // ask keys are −price: crossed when bid ≥ ask, i.e. bidKey + askKey ≥ 0
    if (bids.length === 0 || asks.length === 0 || bids.bestKey < -asks.bestKey) return;
    this.crossedEvents++;
    while (bids.length > 0 && asks.length > 0 && bids.bestKey >= -asks.bestKey) {
      if (asks.bestUpdateId < bids.bestUpdateId) asks.removeBest();
      else bids.removeBest();
      this.crossedRemoved++;
    }
  }
}

/** The diff hot path: read each level (one scan per string) and apply it; key = sign × price. */
function applyLevels(side: BookSide, entries: readonly BookEntry[], sign: number, updateId: number, name: string): void {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const key = entry === null || entry === undefined ? NaN : priceKey(entry[0]);
    const kind = key === key ? amountKind(entry[1]) : AMOUNT_INVALID;
    if (kind === AMOUNT_INVALID) throw invalidLevel(name, entry);
    side.update(sign * key, entry[0], entry[1], kind === AMOUNT_ZERO, updateId);
  }
}

function top(side: BookSide, n: number): BookLevel[] {
  const count = Math.min(n, side.length);
  const out: BookLevel[] = [];
  for (let r = 0; r < count; r++) out.push({ price: side.priceAt(r), amount: side.amountAt(r) });
  return out;
}

function* walk(side: BookSide): IterableIterator<BookLevel> {
  for (let r = 0; r < side.length; r++) yield { price: side.priceAt(r), amount: side.amountAt(r) };
}

interface SortedLevels {
  keys: Float64Array;
  prices: string[];
  amounts: string[];
}

/**
 * Validates, sorts ascending by key (sign +1 for bids, −1 for asks) and de-duplicates a snapshot
 * side: on a repeated price the later entry counts, and a zero amount leaves no level.
 */
function sortedLevels(entries: readonly BookEntry[], sign: number, name: string): SortedLevels {
  const parsed: { key: number; index: number; zero: boolean }[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const key = entry === null || entry === undefined ? NaN : priceKey(entry[0]);
    const kind = key === key ? amountKind(entry[1]) : AMOUNT_INVALID;
    if (kind === AMOUNT_INVALID) throw invalidLevel(name, entry);
    parsed.push({ key: sign * key, index: i, zero: kind === AMOUNT_ZERO });
  }
  // stable sort, so among equal keys the later entry comes last
  parsed.sort((a, b) => a.key - b.key);
  const keys: number[] = [];
  const prices: string[] = [];
  const amounts: string[] = [];
  for (let i = 0; i < parsed.length; i++) {
    const { key, index, zero } = parsed[i]!;
    if (zero || (i + 1 < parsed.length && parsed[i + 1]!.key === key)) continue;
    const entry = entries[index]!;
    keys.push(key);
    prices.push(entry[0]);
    amounts.push(entry[1]);
  }
  return { keys: Float64Array.from(keys), prices, amounts };
}
