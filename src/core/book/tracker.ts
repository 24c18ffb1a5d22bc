import { RealTimeClock, type Clock } from '../clock.js';
import { Decimal } from '../decimal.js';
import { InvalidArgumentError } from '../errors.js';
import { TypedEmitter, type Unsubscribe } from '../events/typed-emitter.js';
import { silentLogger, type Logger } from '../logger.js';
import { InvalidTradingPairError, isTradingPair } from '../trading-pair.js';
import type { BookStreamListener, OrderBookTrackerDataSource } from './data-source.js';
import { amountKind, AMOUNT_POSITIVE, priceKey } from './level-parse.js';
import type { OrderBook } from './order-book.js';
import { RequestGate } from './request-gate.js';
import { BookSynchronizer, type BookSyncCounters, type BookSyncOptions, type BookSyncReason, type BookSyncState } from './synchronizer.js';
import type { BookDiff, BookTrade } from './types.js';

export interface OrderBookTrackerOptions {
  /** Resync timing for every pair (see BookSyncOptions). */
  sync?: Partial<BookSyncOptions>;
  /** Snapshot requests in flight at once across all pairs. Default 2. */
  maxConcurrentSnapshots?: number;
  clock?: Pick<Clock, 'now' | 'schedule'>;
  logger?: Logger;
}

export interface OrderBookTradeReceivedEvent {
  readonly tradingPair: string;
  readonly trade: BookTrade;
}

export interface OrderBookStateChangedEvent {
  readonly tradingPair: string;
  readonly state: BookSyncState;
  readonly reason: BookSyncReason;
  readonly ready: boolean;
}

export interface OrderBookTrackerEvents extends Record<string, unknown> {
  OrderBookTradeReceived: OrderBookTradeReceivedEvent;
  OrderBookStateChanged: OrderBookStateChangedEvent;
}

/** One pair's book: its synchronizer's state and counters, trades seen and the last trade price. */
export interface OrderBookPairStatus extends BookSyncCounters {
  readonly tradingPair: string;
  readonly state: BookSyncState;
  readonly ready: boolean;
  readonly updateId: number;
  readonly bufferedDiffs: number;
  readonly crossedCount: number;
  readonly crossedLevelsRemoved: number;
  readonly trades: number;
  /** The exchange's string, from the trade stream or the REST fallback. */
  readonly lastTradePrice: string | undefined;
}

interface PairEntry<D extends BookDiff> {
  readonly sync: BookSynchronizer<D>;
  trades: number;
  lastTradePrice: string | undefined;
  /** Exchange time of the trade that set lastTradePrice; −∞ when it came from REST. */
  lastTradeTime: number;
}

/**
 * Runs one synchronized OrderBook per trading pair from a connector's data source (Hummingbot's
 * OrderBookTracker): pairs are added and removed at run time, each book resyncs on its own, and
 * every pair reports readiness and counters. Records the last trade price per pair and announces
 * trades (`OrderBookTradeReceived`) and book state changes (`OrderBookStateChanged`) on `events`;
 * a throwing listener is logged and changes nothing here.
 */
export class OrderBookTracker<D extends BookDiff = BookDiff> {
  readonly events: TypedEmitter<OrderBookTrackerEvents>;
  private readonly pairs = new Map<string, PairEntry<D>>();
  private readonly gate: RequestGate;
  private readonly clock: Pick<Clock, 'now' | 'schedule'>;
  private readonly logger: Logger;
  private started = false;
  /** Bumped by every `stop`: a start or subscription still on its way sees it was stopped meanwhile. */
  private generation = 0;
  private unknownPairMessages = 0;

  private readonly listener: BookStreamListener<D> = {
    onDiff: (pair, diff) => {
      const entry = this.pairs.get(pair);
      if (entry) entry.sync.onDiff(diff);
      else this.unknownPairMessages++;
    },
    onTrade: (pair, trade) => this.handleTrade(pair, trade),
    onDisconnected: (pairs) => {
      for (const pair of pairs) this.pairs.get(pair)?.sync.onDisconnected();
    },
    onReconnected: (pairs) => {
      for (const pair of pairs) this.pairs.get(pair)?.sync.onReconnected();
    },
  };

  constructor(
    private readonly dataSource: OrderBookTrackerDataSource<D>,
    private readonly options: OrderBookTrackerOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger();
    this.clock = options.clock ?? new RealTimeClock();
    this.gate = new RequestGate(options.maxConcurrentSnapshots ?? 2);
    this.events = new TypedEmitter(this.logger);
  }

  /** Opens the data source and starts tracking `tradingPairs` (and any added before). */
  async start(tradingPairs: readonly string[] = []): Promise<void> {
    if (this.started) return;
    tradingPairs.forEach(checkPair);
    // Started before the source answers: a `stop` meanwhile must stop the source, which is what
    // releases subscriptions the exchange never confirms (an unreachable or silent stream host).
    this.started = true;
    const generation = this.generation;
    await this.dataSource.start(this.listener);
    if (generation !== this.generation) return;
    const pending = [...this.pairs.keys()];
    for (const pair of tradingPairs) if (!this.pairs.has(pair)) this.pairs.set(pair, this.entry(pair));
    const toSubscribe = [...new Set([...pending, ...tradingPairs])];
    await Promise.all(
      toSubscribe.map((pair) =>
        this.subscribe(pair).catch((err: unknown) => {
          if (generation === this.generation) this.logger.error({ err, tradingPair: pair }, 'order book subscription failed');
        }),
      ),
    );
    if (generation !== this.generation) return;
    await this.fetchLastTradedPrices(toSubscribe);
  }

  /**
   * Stops every book and closes the data source. The pairs stay tracked, each with an empty book
   * that is not ready, and the next `start` subscribes them again: a connector whose network went
   * down and came back keeps the pairs added at run time, not only those it was started with.
   */
  async stop(): Promise<void> {
    this.generation++;
    for (const [pair, entry] of this.pairs) {
      entry.sync.stop();
      this.pairs.set(pair, this.entry(pair));
    }
    if (!this.started) return;
    this.started = false;
    await this.dataSource.stop();
  }

  /**
   * Starts tracking a pair: subscribes its streams, then requests its snapshot. Resolves true once
   * subscribed (the book becomes ready when synchronized), false if the pair is already tracked.
   * A subscription failure leaves nothing behind and is thrown.
   */
  async addTradingPair(tradingPair: string): Promise<boolean> {
    checkPair(tradingPair);
    if (this.pairs.has(tradingPair)) return false;
    this.pairs.set(tradingPair, this.entry(tradingPair));
    if (!this.started) return true;
    await this.subscribe(tradingPair);
    await this.fetchLastTradedPrices([tradingPair]);
    return true;
  }

  /** Stops tracking a pair and unsubscribes it (an unsubscribe failure is logged). False if not tracked. */
  async removeTradingPair(tradingPair: string): Promise<boolean> {
    const entry = this.pairs.get(tradingPair);
    if (!entry) return false;
    this.pairs.delete(tradingPair);
    entry.sync.stop();
    if (this.started) {
      try {
        await this.dataSource.unsubscribe(tradingPair);
      } catch (err) {
        this.logger.warn({ err, tradingPair }, 'order book unsubscribe failed; the pair is no longer tracked anyway');
      }
    }
    return true;
  }

  get tradingPairs(): string[] {
    return [...this.pairs.keys()];
  }

  /** Every tracked pair's book (the spec's `order_books`), ready or not: check `isReady`. */
  get orderBooks(): ReadonlyMap<string, OrderBook> {
    return new Map([...this.pairs].map(([pair, entry]) => [pair, entry.sync.book]));
  }

  /** The pair's book (the spec's `get_order_book`). Throws if the pair is not tracked. */
  getOrderBook(tradingPair: string): OrderBook {
    return this.entryOf(tradingPair).sync.book;
  }

  /** Whether every tracked pair's book is in sync. */
  get ready(): boolean {
    for (const entry of this.pairs.values()) if (!entry.sync.ready) return false;
    return true;
  }

  isReady(tradingPair: string): boolean {
    return this.pairs.get(tradingPair)?.sync.ready ?? false;
  }

  lastTradePrice(tradingPair: string): Decimal | undefined {
    const price = this.pairs.get(tradingPair)?.lastTradePrice;
    return price === undefined ? undefined : new Decimal(price);
  }

  status(tradingPair: string): OrderBookPairStatus | undefined {
    const entry = this.pairs.get(tradingPair);
    if (!entry) return undefined;
    const { sync } = entry;
    return {
      tradingPair,
      ...sync.counters,
      state: sync.state,
      ready: sync.ready,
      updateId: sync.book.updateId,
      bufferedDiffs: sync.buffered,
      crossedCount: sync.book.crossedCount,
      crossedLevelsRemoved: sync.book.crossedLevelsRemoved,
      trades: entry.trades,
      lastTradePrice: entry.lastTradePrice,
    };
  }

  /** Stream messages for pairs not (or no longer) tracked: late messages after a removal. */
  get ignoredMessages(): number {
    return this.unknownPairMessages;
  }

  onTrade(listener: (event: OrderBookTradeReceivedEvent) => void): Unsubscribe {
    return this.events.on('OrderBookTradeReceived', listener);
  }

  private entry(tradingPair: string): PairEntry<D> {
    const sync = new BookSynchronizer<D>({
      tradingPair,
      rule: this.dataSource.sequencing,
      fetchSnapshot: () => this.gate.run(() => this.dataSource.fetchSnapshot(tradingPair)),
      options: this.options.sync,
      clock: this.clock,
      logger: this.logger,
      onStateChange: (state, reason) =>
        this.events.emit('OrderBookStateChanged', { tradingPair, state, reason, ready: state === 'live' }),
    });
    return { sync, trades: 0, lastTradePrice: undefined, lastTradeTime: -Infinity };
  }

  private async subscribe(tradingPair: string): Promise<void> {
    const entry = this.pairs.get(tradingPair);
    try {
      await this.dataSource.subscribe(tradingPair);
    } catch (err) {
      // Only the entry this subscription was for: a `stop` meanwhile replaced it, and the pair stays
      // tracked for the next start.
      if (entry && this.pairs.get(tradingPair) === entry) {
        entry.sync.stop();
        this.pairs.delete(tradingPair);
      }
      throw err;
    }
    // still tracked (not removed or stopped while the subscription was on its way)?
    if (entry && this.pairs.get(tradingPair) === entry) entry.sync.start();
  }

  private handleTrade(tradingPair: string, trade: BookTrade): void {
    const entry = this.pairs.get(tradingPair);
    if (!entry) {
      this.unknownPairMessages++;
      return;
    }
    if (!(priceKey(trade.price) > 0) || amountKind(trade.amount) !== AMOUNT_POSITIVE) {
      this.logger.warn({ tradingPair, trade }, 'unreadable trade skipped');
      return;
    }
    entry.trades++;
    // A trade that arrives after a later one (another connection, a replay) does not set the price back.
    if (trade.timestamp >= entry.lastTradeTime) {
      entry.lastTradePrice = trade.price;
      entry.lastTradeTime = trade.timestamp;
    }
    this.events.emit('OrderBookTradeReceived', { tradingPair, trade });
  }

  private async fetchLastTradedPrices(tradingPairs: readonly string[]): Promise<void> {
    if (!this.dataSource.fetchLastTradedPrices || tradingPairs.length === 0) return;
    let prices: ReadonlyMap<string, string>;
    try {
      prices = await this.dataSource.fetchLastTradedPrices(tradingPairs);
    } catch (err) {
      this.logger.warn({ err }, 'last traded prices unavailable; they will come from the trade stream');
      return;
    }
    for (const [pair, price] of prices) {
      const entry = this.pairs.get(pair);
      if (entry && entry.lastTradePrice === undefined && priceKey(price) > 0) entry.lastTradePrice = price;
    }
  }

  private entryOf(tradingPair: string): PairEntry<D> {
    const entry = this.pairs.get(tradingPair);
    if (!entry) throw new InvalidArgumentError(`no order book is tracked for ${tradingPair}`, 'tradingPair');
    return entry;
  }
}

function checkPair(tradingPair: string): void {
  if (!isTradingPair(tradingPair)) throw new InvalidTradingPairError(tradingPair);
}
