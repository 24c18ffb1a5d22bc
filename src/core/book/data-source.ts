import type { SequencingRule } from './sequencing.js';
import type { BookDiff, BookSnapshot, BookTrade } from './types.js';

/**
 * Where a data source delivers what its streams carry. The OrderBookTracker implements it; a
 * data source calls it from its message handler, in the order messages arrived.
 */
export interface BookStreamListener<D extends BookDiff = BookDiff> {
  /** One diff for the pair, already parsed (prices and amounts stay the exchange's strings). */
  onDiff(tradingPair: string, diff: D): void;
  onTrade(tradingPair: string, trade: BookTrade): void;
  /**
   * The connection carrying these pairs is down (closed, or its ping/pong liveness check failed):
   * their books may miss changes from now on and stop being ready.
   */
  onDisconnected(tradingPairs: readonly string[]): void;
  /**
   * A new connection is up and these pairs are subscribed again (the WebSocket client's
   * `reconnected` signal): what happened in between is unknown, so their books resync.
   */
  onReconnected(tradingPairs: readonly string[]): void;
}

/**
 * What a connector provides for order books (its `order-book-source` file), independent of any
 * network client: venuekit's WebSocket and REST clients, or anything else, sit behind it.
 * Everything exchange-specific about books lives here (stream names, message parsing, the REST
 * depth call, the sequencing rule); the tracker and the synchronizer are generic.
 *
 * Contract:
 * - after `start(listener)` resolves, stream events go to `listener` until `stop()` resolves;
 * - `subscribe(pair)` resolves once the exchange confirmed the pair's diff and trade streams,
 *   so that a snapshot requested afterwards overlaps the stream (the tracker requests it then);
 * - diffs are delivered per pair in the order the exchange sent them, parsed into `D` with the
 *   exchange's own price and amount strings; malformed messages are logged and skipped by the
 *   data source (a skipped diff shows up as a gap and the book resyncs);
 * - a lost connection is reported with `onDisconnected`, the restored one (re-subscribed) with
 *   `onReconnected`; silence on a connection that answers its pings is not a failure.
 */
export interface OrderBookTrackerDataSource<D extends BookDiff = BookDiff> {
  /** The exchange's rule for ordering its diffs (Binance: `binanceSequencing`). */
  readonly sequencing: SequencingRule<D>;
  start(listener: BookStreamListener<D>): Promise<void>;
  stop(): Promise<void>;
  subscribe(tradingPair: string): Promise<void>;
  unsubscribe(tradingPair: string): Promise<void>;
  /** The full book now (Binance: `GET /api/v3/depth`, its `lastUpdateId` as `updateId`). */
  fetchSnapshot(tradingPair: string): Promise<BookSnapshot>;
  /** Last traded prices over REST, as the exchange's strings: a pair has a price before its first trade. */
  fetchLastTradedPrices?(tradingPairs: readonly string[]): Promise<ReadonlyMap<string, string>>;
}
