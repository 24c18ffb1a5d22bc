import ccxt from 'ccxt';
import { binanceSequencing } from '../../src/core/book/sequencing.js';
import { BookSynchronizer } from '../../src/core/book/synchronizer.js';
import type { BookDiff } from '../../src/core/book/types.js';
import type { DepthUpdate, GeneratedStream, WireLevel } from './book-stream.js';

/**
 * The two books the benchmark compares, each fed by its library's own per-message path, from a
 * JSON-parsed `depthUpdate` to an updated book: the sequence check, then every level's strings
 * parsed and applied. Both get the same freshly parsed messages and answer best bid/ask and the
 * top N once per chunk (the benchmark's chunks are `queryEvery` diffs long), handing the answers
 * to `onQuery`: a checksum when timed, the reference comparison when verifying.
 */
export interface Contender<L> {
  readonly name: string;
  /** A fresh, synchronized book loaded with the stream's snapshot (outside the timed part). */
  prepare(stream: GeneratedStream): Promise<void>;
  /** Applies a chunk of diffs, then answers the queries once. */
  applyChunk(diffs: readonly DepthUpdate[], topN: number, onQuery: QuerySink<L>): void;
  /** A returned level as [price, amount] numbers, for comparison with the reference. */
  level(level: L): readonly [number, number];
  /** Whether a returned level is exactly the reference's wire strings (only a string-keeping book can be). */
  exact(level: L, expected: WireLevel): boolean;
}

export type QuerySink<L> = (bestBid: L | undefined, bestAsk: L | undefined, bids: readonly L[], asks: readonly L[]) => void;

class SequenceError extends Error {}

type VenuekitLevel = { price: string; amount: string };

/**
 * How much of each library's path the benchmark times:
 * - `handler` (default): the per-message path a live connection runs. venuekit: a live
 *   BookSynchronizer (Binance's U/u rule) over an OrderBook, each message turned into the
 *   `BookDiff` the Binance data source hands over (the wire arrays, no copy) and given to `onDiff`.
 *   ccxt: pro.binance's `handleOrderBookMessage` (see CcxtContender).
 * - `book`: the books alone. venuekit: `OrderBook.applyDiff`; ccxt: `handleDeltas` for asks and
 *   bids and the nonce. Each with the same inline U/u check.
 */
export type FeedLevel = 'handler' | 'book';

export class VenuekitContender implements Contender<VenuekitLevel> {
  readonly name: string;
  private sync = this.synchronizer({ lastUpdateId: 0, bids: [], asks: [] });

  constructor(private readonly feed: FeedLevel = 'handler') {
    this.name = feed === 'handler' ? 'venuekit OrderBook (BookSynchronizer.onDiff)' : 'venuekit OrderBook (applyDiff)';
  }

  async prepare(stream: GeneratedStream): Promise<void> {
    this.sync = this.synchronizer(stream.snapshot);
    this.sync.start();
    await new Promise((resolve) => setImmediate(resolve));
    if (!this.sync.ready) throw new Error('the synchronizer did not load the snapshot');
  }

  applyChunk(diffs: readonly DepthUpdate[], topN: number, onQuery: QuerySink<VenuekitLevel>): void {
    const sync = this.sync;
    const book = sync.book;
    if (this.feed === 'handler') {
      for (let i = 0; i < diffs.length; i++) {
        const m = diffs[i]!;
        const diff: BookDiff = { firstUpdateId: m.U, updateId: m.u, bids: m.b, asks: m.a };
        sync.onDiff(diff);
      }
      if (!sync.ready) throw new SequenceError('the book left sync');
    } else {
      for (let i = 0; i < diffs.length; i++) {
        const m = diffs[i]!;
        if (m.U !== book.updateId + 1) throw new SequenceError(`gap before update ${m.U}`);
        book.applyDiff(m.b, m.a, m.u);
      }
    }
    onQuery(book.bestBid(), book.bestAsk(), book.topBids(topN), book.topAsks(topN));
  }

  level(level: VenuekitLevel): readonly [number, number] {
    return [Number(level.price), Number(level.amount)];
  }

  exact(level: VenuekitLevel, expected: WireLevel): boolean {
    return level.price === expected[0] && level.amount === expected[1];
  }

  private synchronizer(snapshot: GeneratedStream['snapshot']): BookSynchronizer {
    return new BookSynchronizer({
      tradingPair: 'BTC-USDT',
      rule: binanceSequencing,
      fetchSnapshot: async () => ({ updateId: snapshot.lastUpdateId, bids: snapshot.bids, asks: snapshot.asks }),
    });
  }
}

type CcxtLevel = number[];
interface CcxtSide {
  readonly length: number;
  [index: number]: CcxtLevel;
}
interface CcxtBook {
  bids: CcxtSide;
  asks: CcxtSide;
  nonce: number | undefined;
  reset(snapshot: object): unknown;
}
/** The part of ccxt's pro.binance the benchmark calls: its order book factory and per-message book update. */
interface CcxtBinance {
  orderBook(snapshot: object): unknown;
  handleOrderBookMessage(client: unknown, message: DepthUpdate, orderbook: CcxtBook): unknown;
  handleDeltas(bookside: CcxtSide, deltas: unknown[]): void;
}

/**
 * ccxt's websocket OrderBook, created by `exchange.orderBook()` and fed by pro.binance's own
 * `handleOrderBookMessage`, the method its handleOrderBook calls for each message once the book
 * is live: `handleDeltas` for asks then bids (each `[price, amount]` through handleDelta, i.e.
 * `bookside.store(safeFloat(delta, 0), safeFloat(delta, 1))`, parseFloat inside), then the nonce
 * and the message timestamp. The continuity check before it is handleOrderBook's own
 * (`U - 1 === nonce`); the subscription routing and future resolution around it are left out. The
 * snapshot is loaded with `reset`, as its subscription handler does after fetchOrderBook.
 */
export class CcxtContender implements Contender<CcxtLevel> {
  readonly name: string;
  private readonly exchange = new ccxt.pro.binance() as unknown as CcxtBinance;
  private book = this.exchange.orderBook({}) as CcxtBook;

  constructor(private readonly feed: FeedLevel = 'handler') {
    this.name = `ccxt ${ccxt.version} ws OrderBook (pro.binance ${feed === 'handler' ? 'handleOrderBookMessage' : 'handleDeltas'})`;
  }

  async prepare(stream: GeneratedStream): Promise<void> {
    const floats = (levels: WireLevel[]): number[][] => levels.map(([p, q]) => [parseFloat(p), parseFloat(q)]);
    this.book = this.exchange.orderBook({}) as CcxtBook;
    this.book.reset({
      bids: floats(stream.snapshot.bids),
      asks: floats(stream.snapshot.asks),
      nonce: stream.snapshot.lastUpdateId,
    });
  }

  applyChunk(diffs: readonly DepthUpdate[], topN: number, onQuery: QuerySink<CcxtLevel>): void {
    const book = this.book;
    const exchange = this.exchange;
    const handler = this.feed === 'handler';
    for (let i = 0; i < diffs.length; i++) {
      const m = diffs[i]!;
      if (m.U - 1 !== book.nonce) throw new SequenceError(`gap before update ${m.U}`);
      if (handler) {
        exchange.handleOrderBookMessage(undefined, m, book);
      } else {
        exchange.handleDeltas(book.asks, m.a);
        exchange.handleDeltas(book.bids, m.b);
        book.nonce = m.u;
      }
    }
    onQuery(book.bids[0], book.asks[0], topRows(book.bids, topN), topRows(book.asks, topN));
  }

  level(level: CcxtLevel): readonly [number, number] {
    return [level[0]!, level[1]!];
  }

  exact(): boolean {
    return false;
  }
}

/** What a ccxt user reads as the top N: the side's own row arrays (no copy of each row). */
function topRows(side: CcxtSide, n: number): CcxtLevel[] {
  const count = Math.min(n, side.length);
  const out: CcxtLevel[] = [];
  for (let i = 0; i < count; i++) out.push(side[i]!);
  return out;
}
