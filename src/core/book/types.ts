import type { Decimal } from '../decimal.js';

/** One price level as the exchange sends it: `[price, amount]`, both the exchange's own strings. */
export type BookEntry = readonly [price: string, amount: string];

/** A level as the book returns it: the exchange's strings, exactly as received (no float round trip). */
export interface BookLevel {
  readonly price: string;
  readonly amount: string;
}

/** A full book, such as Binance's `GET /api/v3/depth`: `updateId` is its `lastUpdateId`. */
export interface BookSnapshot {
  readonly updateId: number;
  readonly bids: readonly BookEntry[];
  readonly asks: readonly BookEntry[];
}

/**
 * A change to some levels, with absolute amounts (an amount of zero removes the level). It covers
 * the exchange's update ids `firstUpdateId..updateId` (Binance's `U..u`); after it is applied the
 * book is at `updateId`. Exchanges with other sequencing fields extend this type and give the
 * synchronizer a `SequencingRule` that reads them.
 */
export interface BookDiff {
  readonly firstUpdateId: number;
  readonly updateId: number;
  readonly bids: readonly BookEntry[];
  readonly asks: readonly BookEntry[];
}

/** A public trade on the pair (Binance's `@trade` stream). */
export interface BookTrade {
  readonly tradeId: string;
  readonly price: string;
  readonly amount: string;
  /** Exchange time in milliseconds. */
  readonly timestamp: number;
  /** True when the buyer was the maker, i.e. the taker sold. */
  readonly buyerIsMaker?: boolean;
}

/**
 * The answer to a depth query. `value` is undefined when the side holds less than the query asks
 * for: the book never answers with a partial or guessed price. `covered` says how much of the
 * query the side can serve, in the query's own unit (the whole query whenever `value` is defined).
 */
export interface BookQueryResult {
  readonly value: Decimal | undefined;
  readonly covered: Decimal;
}

/** Levels on both sides, best first, as returned by `OrderBook.snapshot`. */
export interface BookLevels {
  readonly updateId: number;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}
