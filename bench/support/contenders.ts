import ccxt from 'ccxt';
import { OrderBook } from '../../src/core/book/order-book.js';
import type { DepthUpdate, GeneratedStream, WireLevel } from './book-stream.js';

/**
 * The two books the benchmark compares. Each gets the same freshly JSON-parsed diffs (wire
 * strings), checks the U/u continuity as a handler must, applies them, and answers best bid/ask
 * and the top N once per chunk (the benchmark's chunks are `queryEvery` diffs long), handing the
 * answers to `onQuery`: a checksum when timed, the reference comparison when verifying.
 */
export interface Contender<L> {
  readonly name: string;
  /** A fresh book loaded with the stream's snapshot (outside the timed part). */
  prepare(stream: GeneratedStream): void;
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

/** venuekit's OrderBook, fed the wire strings as they come. */
export class VenuekitContender implements Contender<VenuekitLevel> {
  readonly name = 'venuekit OrderBook';
  private book = new OrderBook('BTC-USDT');

  prepare(stream: GeneratedStream): void {
    this.book = new OrderBook('BTC-USDT');
    this.book.applySnapshot(stream.snapshot.bids, stream.snapshot.asks, stream.snapshot.lastUpdateId);
  }

  applyChunk(diffs: readonly DepthUpdate[], topN: number, onQuery: QuerySink<VenuekitLevel>): void {
    const book = this.book;
    for (let i = 0; i < diffs.length; i++) {
      const m = diffs[i]!;
      if (m.U !== book.updateId + 1) throw new SequenceError(`gap before update ${m.U}`);
      book.applyDiff(m.b, m.a, m.u);
    }
    onQuery(book.bestBid(), book.bestAsk(), book.topBids(topN), book.topAsks(topN));
  }

  level(level: VenuekitLevel): readonly [number, number] {
    return [Number(level.price), Number(level.amount)];
  }

  exact(level: VenuekitLevel, expected: WireLevel): boolean {
    return level.price === expected[0] && level.amount === expected[1];
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
/** The part of ccxt's pro.binance the benchmark calls: its own order book factory and delta handler. */
interface CcxtBinance {
  orderBook(snapshot: object): unknown;
  handleDeltas(bookside: CcxtSide, deltas: unknown[]): void;
}

/**
 * ccxt's websocket OrderBook, created by `exchange.orderBook()` and fed by pro.binance's own
 * `handleDeltas` (asks, then bids, as its handleOrderBookMessage does): each `[price, amount]`
 * goes through handleDelta, i.e. `bookside.store(safeFloat(delta, 0), safeFloat(delta, 1))`,
 * parseFloat inside. The continuity check is the one its handleOrderBook applies (`U - 1 ===
 * nonce`). The snapshot is loaded with `reset`, as its subscription handler does after
 * fetchOrderBook.
 */
export class CcxtContender implements Contender<CcxtLevel> {
  readonly name = `ccxt ${ccxt.version} ws OrderBook (pro.binance handleDeltas)`;
  private readonly exchange = new ccxt.pro.binance() as unknown as CcxtBinance;
  private book = this.exchange.orderBook({}) as CcxtBook;

  prepare(stream: GeneratedStream): void {
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
    for (let i = 0; i < diffs.length; i++) {
      const m = diffs[i]!;
      if (m.U - 1 !== book.nonce) throw new SequenceError(`gap before update ${m.U}`);
      exchange.handleDeltas(book.asks, m.a);
      exchange.handleDeltas(book.bids, m.b);
      book.nonce = m.u;
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
