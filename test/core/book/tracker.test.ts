import { describe, expect, it } from 'vitest';
import type { BookStreamListener, OrderBookTrackerDataSource } from '../../../src/core/book/data-source.js';
import { binanceSequencing } from '../../../src/core/book/sequencing.js';
import { OrderBookTracker } from '../../../src/core/book/tracker.js';
import type { BookDiff, BookSnapshot, BookTrade } from '../../../src/core/book/types.js';
import { ManualClock } from '../../../src/core/clock.js';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { InvalidTradingPairError } from '../../../src/core/trading-pair.js';
import { FakeFeed, settle } from './fake-feed.js';

/**
 * An in-test data source: one FakeFeed per pair stands for the exchange, and the test decides
 * what the stream delivers. It records the order of calls so tests can check that snapshots are
 * requested only after the subscription is confirmed.
 */
class FakeBookSource implements OrderBookTrackerDataSource {
  readonly sequencing = binanceSequencing;
  readonly feeds = new Map<string, FakeFeed>();
  readonly calls: string[] = [];
  listener: BookStreamListener | undefined;
  subscribed = new Set<string>();
  failSubscribe = new Set<string>();
  failSnapshots = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** While set, snapshot answers wait for it. */
  hold: Promise<void> | undefined;
  lastPrices = new Map<string, string>();

  feed(pair: string): FakeFeed {
    let feed = this.feeds.get(pair);
    if (!feed) {
      feed = new FakeFeed();
      this.feeds.set(pair, feed);
    }
    return feed;
  }

  async start(listener: BookStreamListener): Promise<void> {
    this.calls.push('start');
    this.listener = listener;
  }

  async stop(): Promise<void> {
    this.calls.push('stop');
    this.listener = undefined;
  }

  async subscribe(pair: string): Promise<void> {
    this.calls.push(`subscribe ${pair}`);
    if (this.failSubscribe.has(pair)) throw new Error(`subscription to ${pair} refused`);
    this.subscribed.add(pair);
  }

  async unsubscribe(pair: string): Promise<void> {
    this.calls.push(`unsubscribe ${pair}`);
    this.subscribed.delete(pair);
  }

  async fetchSnapshot(pair: string): Promise<BookSnapshot> {
    this.calls.push(`snapshot ${pair}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.hold;
      if (this.failSnapshots > 0) {
        this.failSnapshots--;
        throw new Error('HTTP 503');
      }
      return this.feed(pair).snapshot();
    } finally {
      this.inFlight--;
    }
  }

  async fetchLastTradedPrices(pairs: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return new Map([...this.lastPrices].filter(([pair]) => pairs.includes(pair)));
  }

  /** The exchange changes the pair's book and the stream carries the diff. */
  change(pair: string, diff?: (feed: FakeFeed) => BookDiff): BookDiff {
    const d = diff ? diff(this.feed(pair)) : this.feed(pair).tick();
    this.listener?.onDiff(pair, d);
    return d;
  }

  trade(pair: string, trade: Partial<BookTrade> & { price: string }): void {
    this.listener?.onTrade(pair, { tradeId: '1', amount: '0.5', timestamp: 0, ...trade });
  }
}

function setup() {
  const clock = new ManualClock(1_000_000);
  const source = new FakeBookSource();
  const tracker = new OrderBookTracker(source, {
    clock,
    sync: { retryDelayMs: 1_000, minSnapshotIntervalMs: 100, stableAfterMs: 10_000 },
  });
  return { clock, source, tracker };
}

describe('OrderBookTracker', () => {
  it('subscribes each pair, requests its snapshot only after the subscription, and reports every book ready', async () => {
    const { source, tracker } = setup();
    await tracker.start(['BTC-USDT', 'ETH-USDT']);
    await settle();
    expect(source.calls.indexOf('subscribe BTC-USDT')).toBeLessThan(source.calls.indexOf('snapshot BTC-USDT'));
    expect(source.calls.indexOf('subscribe ETH-USDT')).toBeLessThan(source.calls.indexOf('snapshot ETH-USDT'));
    expect(tracker.ready).toBe(true);
    expect([...tracker.orderBooks.keys()]).toEqual(['BTC-USDT', 'ETH-USDT']);
    expect(tracker.getOrderBook('BTC-USDT').bestBid()).toEqual({ price: '99.00', amount: '1.000' });
  });

  it('routes each diff to its own pair and counts it', async () => {
    const { source, tracker } = setup();
    await tracker.start(['BTC-USDT', 'ETH-USDT']);
    await settle();
    source.change('BTC-USDT', (f) => f.change([['99.50', '2.000']]));
    source.change('BTC-USDT');
    source.change('ETH-USDT', (f) => f.change([], [['100.50', '3.000']]));
    expect(tracker.getOrderBook('BTC-USDT').bestBid()).toEqual({ price: '99.50', amount: '2.000' });
    expect(tracker.getOrderBook('ETH-USDT').bestAsk()).toEqual({ price: '100.50', amount: '3.000' });
    expect(tracker.getOrderBook('ETH-USDT').bestBid()).toEqual({ price: '99.00', amount: '1.000' });
    expect(tracker.status('BTC-USDT')).toMatchObject({ diffsApplied: 2, snapshots: 1, gaps: 0, resyncs: 0, ready: true });
    expect(tracker.status('ETH-USDT')).toMatchObject({ diffsApplied: 1 });
  });

  it('adds and removes pairs at run time', async () => {
    const { source, tracker } = setup();
    await tracker.start(['BTC-USDT']);
    expect(await tracker.addTradingPair('SOL-USDT')).toBe(true);
    expect(await tracker.addTradingPair('SOL-USDT')).toBe(false);
    await settle();
    expect(tracker.isReady('SOL-USDT')).toBe(true);
    expect(tracker.tradingPairs).toEqual(['BTC-USDT', 'SOL-USDT']);

    expect(await tracker.removeTradingPair('SOL-USDT')).toBe(true);
    expect(await tracker.removeTradingPair('SOL-USDT')).toBe(false);
    expect(source.subscribed.has('SOL-USDT')).toBe(false);
    expect(() => tracker.getOrderBook('SOL-USDT')).toThrow(InvalidArgumentError);
    source.change('SOL-USDT'); // late message for a removed pair
    expect(tracker.ignoredMessages).toBe(1);
    expect(tracker.isReady('SOL-USDT')).toBe(false);
  });

  it('refuses a malformed pair, and leaves nothing behind when a subscription fails', async () => {
    const { source, tracker } = setup();
    await tracker.start();
    await expect(tracker.addTradingPair('btcusdt')).rejects.toThrow(InvalidTradingPairError);
    source.failSubscribe.add('DOGE-USDT');
    await expect(tracker.addTradingPair('DOGE-USDT')).rejects.toThrow('refused');
    expect(tracker.tradingPairs).toEqual([]);
    expect(source.calls).not.toContain('snapshot DOGE-USDT');
  });

  it('is not ready before its snapshot, and per pair: one slow pair keeps the tracker from being ready', async () => {
    const { source, tracker } = setup();
    let release!: () => void;
    source.hold = new Promise((resolve) => (release = resolve));
    await tracker.start(['BTC-USDT']);
    source.change('BTC-USDT'); // buffered
    expect(tracker.isReady('BTC-USDT')).toBe(false);
    expect(tracker.ready).toBe(false);
    expect(tracker.status('BTC-USDT')).toMatchObject({ state: 'syncing', bufferedDiffs: 1 });
    release();
    await settle();
    expect(tracker.ready).toBe(true);
  });

  it('marks books stale on a disconnection and resyncs them from fresh snapshots on the reconnection', async () => {
    const { clock, source, tracker } = setup();
    const states: string[] = [];
    tracker.events.on('OrderBookStateChanged', (e) => void states.push(`${e.tradingPair} ${e.state}:${e.reason}`));
    await tracker.start(['BTC-USDT', 'ETH-USDT']);
    await settle();
    clock.advance(60_000);
    source.listener!.onDisconnected(['BTC-USDT', 'ETH-USDT']);
    expect(tracker.isReady('BTC-USDT')).toBe(false);
    source.feed('BTC-USDT').change([['98.00', '4.000']]); // missed while down
    source.listener!.onReconnected(['BTC-USDT', 'ETH-USDT']);
    await settle();
    expect(tracker.ready).toBe(true);
    expect(tracker.getOrderBook('BTC-USDT').topBids(2)[1]).toEqual({ price: '98.00', amount: '4.000' });
    expect(tracker.status('BTC-USDT')).toMatchObject({ resyncs: 1, snapshots: 2, gaps: 0 });
    expect(states.filter((s) => s.startsWith('BTC-USDT'))).toEqual([
      'BTC-USDT syncing:start',
      'BTC-USDT live:synced',
      'BTC-USDT disconnected:disconnect',
      'BTC-USDT syncing:reconnect',
      'BTC-USDT live:synced',
    ]);
  });

  it('counts a gap and resyncs only that pair', async () => {
    const { clock, source, tracker } = setup();
    await tracker.start(['BTC-USDT', 'ETH-USDT']);
    await settle();
    source.feed('BTC-USDT').tick(); // lost
    source.change('BTC-USDT');
    expect(tracker.isReady('BTC-USDT')).toBe(false);
    expect(tracker.isReady('ETH-USDT')).toBe(true);
    clock.advance(1_000);
    await settle();
    expect(tracker.isReady('BTC-USDT')).toBe(true);
    expect(tracker.status('BTC-USDT')).toMatchObject({ gaps: 1, resyncs: 1 });
    expect(tracker.getOrderBook('BTC-USDT').snapshot()).toEqual({ updateId: source.feed('BTC-USDT').updateId, ...source.feed('BTC-USDT').levels() });
  });

  it('keeps at most maxConcurrentSnapshots requests in flight', async () => {
    const clock = new ManualClock(0);
    const source = new FakeBookSource();
    const tracker = new OrderBookTracker(source, { clock, maxConcurrentSnapshots: 1 });
    let release!: () => void;
    source.hold = new Promise((resolve) => (release = resolve));
    await tracker.start(['A-USDT', 'B-USDT', 'C-USDT']);
    await settle();
    expect(source.calls.filter((c) => c.startsWith('snapshot'))).toHaveLength(1);
    release();
    for (let i = 0; i < 10 && !tracker.ready; i++) await settle();
    expect(tracker.ready).toBe(true);
    expect(source.maxInFlight).toBe(1);
  });

  it('records the last trade price, never moved back by an older trade, with a REST price before the first trade', async () => {
    const { source, tracker } = setup();
    source.lastPrices.set('BTC-USDT', '99.50000000');
    const seen: string[] = [];
    tracker.onTrade(() => {
      throw new Error('a broken strategy callback');
    });
    tracker.onTrade((e) => void seen.push(`${e.tradingPair} ${e.trade.price}`));
    await tracker.start(['BTC-USDT']);
    expect(tracker.lastTradePrice('BTC-USDT')?.toString()).toBe('99.5');
    expect(tracker.status('BTC-USDT')?.lastTradePrice).toBe('99.50000000');
    source.trade('BTC-USDT', { price: '100.10', timestamp: 2_000 });
    source.trade('BTC-USDT', { price: '100.05', timestamp: 1_000 }); // arrived late
    source.trade('BTC-USDT', { price: 'NaN', timestamp: 3_000 }); // unreadable: skipped
    expect(tracker.status('BTC-USDT')?.lastTradePrice).toBe('100.10');
    expect(tracker.status('BTC-USDT')?.trades).toBe(2);
    expect(seen).toEqual(['BTC-USDT 100.10', 'BTC-USDT 100.05']);
  });

  it('retries a failed snapshot request after the backoff', async () => {
    const { clock, source, tracker } = setup();
    source.failSnapshots = 1;
    await tracker.start(['BTC-USDT']);
    await settle();
    expect(tracker.status('BTC-USDT')).toMatchObject({ snapshotFailures: 1, ready: false });
    clock.advance(1_000);
    await settle();
    expect(tracker.isReady('BTC-USDT')).toBe(true);
  });

  it('stops every book and the data source; the pairs stay tracked, empty and not ready', async () => {
    const { clock, source, tracker } = setup();
    await tracker.start(['BTC-USDT']);
    await settle();
    expect(tracker.getOrderBook('BTC-USDT').bidCount).toBeGreaterThan(0);
    await tracker.stop();
    expect(source.calls).toContain('stop');
    expect(tracker.tradingPairs).toEqual(['BTC-USDT']);
    expect(tracker.isReady('BTC-USDT')).toBe(false);
    expect(tracker.getOrderBook('BTC-USDT').bidCount).toBe(0);
    clock.advance(3_600_000);
    await settle();
    expect(source.calls.filter((c) => c.startsWith('snapshot'))).toHaveLength(1);
  });

  it('a start after a stop subscribes again every pair, those added at run time included', async () => {
    const { source, tracker } = setup();
    await tracker.start(['BTC-USDT']);
    await tracker.addTradingPair('ETH-USDT');
    await settle();
    await tracker.stop();
    source.calls.length = 0;
    await tracker.start();
    await settle();
    expect(source.calls.filter((c) => c.startsWith('subscribe')).sort()).toEqual(['subscribe BTC-USDT', 'subscribe ETH-USDT']);
    expect(tracker.isReady('BTC-USDT')).toBe(true);
    expect(tracker.isReady('ETH-USDT')).toBe(true);
  });
});
