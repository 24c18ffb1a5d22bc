import { afterEach, describe, expect, it } from 'vitest';
import { OrderBookTracker } from '../../../src/core/book/tracker.js';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { RestClient } from '../../../src/net/rest-client.js';
import { BinanceOrderBookSource, type BinanceOrderBookSourceOptions } from '../../../src/exchanges/binance/order-book-source.js';
import { waitFor } from '../../support/wait.js';
import { WsExchange } from '../../net/support/ws-exchange.js';
import { RecordingBookListener, symbolMaps } from './support/book-listener.js';
import { restDepth, startSimVenue, type SimVenue } from './support/sim-venue.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const FAST_WS = { pingIntervalMs: 50, idleTimeoutMs: 400, requestTimeoutMs: 2_000, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } };

/**
 * The market stream protocol against a small loopback endpoint that answers SUBSCRIBE / UNSUBSCRIBE
 * as Binance does (test/net/support/ws-exchange.ts) and lets the test send any frame, drop or
 * silence connections. The book staying equal to the exchange's is tested against the simulator below.
 */
describe('BinanceOrderBookSource: market stream protocol', () => {
  async function setup(options: Partial<BinanceOrderBookSourceOptions> = {}): Promise<{
    ex: WsExchange;
    source: BinanceOrderBookSource;
    listener: RecordingBookListener;
  }> {
    const ex = await WsExchange.start();
    cleanups.push(() => ex.close());
    // Never called here: these tests take no snapshots.
    const rest = new RestClient({ baseUrl: 'http://127.0.0.1:9' });
    cleanups.push(() => rest.close());
    const maps = symbolMaps(['BTC-USDT', 'ETH-USDT', 'ETH-BTC', 'BAD-USDT']);
    const source = new BinanceOrderBookSource({ streamUrl: ex.url, rest, symbols: () => maps, controlIntervalMs: 0, ws: FAST_WS, ...options });
    cleanups.push(() => source.stop());
    const listener = new RecordingBookListener();
    await source.start(listener);
    return { ex, source, listener };
  }

  function depth(symbol: string, U: number, u: number, bids: string[][] = [['100.5', '1.25']], asks: string[][] = []): unknown {
    return { e: 'depthUpdate', E: 1_700_000_000_000 + u, s: symbol, U, u, b: bids, a: asks };
  }

  it('subscribes pairs added together in one message, delivers their diffs and trades, and unsubscribes', async () => {
    const { ex, source, listener } = await setup();
    await Promise.all([source.subscribe('BTC-USDT'), source.subscribe('ETH-USDT'), source.subscribe('ETH-BTC')]);
    expect(ex.methods).toEqual(['SUBSCRIBE']);
    expect(ex.subscriptions()).toEqual(
      ['btcusdt', 'ethusdt', 'ethbtc'].flatMap((s) => [`${s}@depth@100ms`, `${s}@trade`]).sort(),
    );
    expect(source.subscribedPairs.sort()).toEqual(['BTC-USDT', 'ETH-BTC', 'ETH-USDT']);

    ex.publish('btcusdt@depth@100ms', depth('BTCUSDT', 11, 12, [['100.50000000', '1.25000000']], [['101.00000000', '0.00000000']]));
    ex.publish('ethbtc@trade', { e: 'trade', E: 5, s: 'ETHBTC', t: 77, p: '0.05000000', q: '2.00000000', T: 4, m: true, M: true });
    await waitFor(() => listener.calls.length === 2, 'a diff and a trade');
    expect(listener.diffs[0]).toEqual({
      pair: 'BTC-USDT',
      diff: { firstUpdateId: 11, updateId: 12, bids: [['100.50000000', '1.25000000']], asks: [['101.00000000', '0.00000000']], eventTime: 1_700_000_000_012 },
    });
    expect(listener.trades[0]).toEqual({ pair: 'ETH-BTC', trade: { tradeId: '77', price: '0.05000000', amount: '2.00000000', timestamp: 4, buyerIsMaker: true } });

    await source.unsubscribe('ETH-USDT');
    expect(ex.methods).toEqual(['SUBSCRIBE', 'UNSUBSCRIBE']);
    expect(ex.subscriptions()).not.toContain('ethusdt@trade');
    expect(source.subscribedPairs.sort()).toEqual(['BTC-USDT', 'ETH-BTC']);
  });

  it('refuses a pair that is not a Binance market before sending anything; a refused stream of a merged message is retried until the exchange accepts it', async () => {
    const { ex, source } = await setup({ refusalRetry: { initialDelayMs: 20, maxDelayMs: 40 } });
    await expect(source.subscribe('DOGE-EUR')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(ex.methods).toEqual([]);

    // The endpoint refuses streams starting with "bad": the merged message fails, then each pair goes alone.
    const bad = source.subscribe('BAD-USDT');
    let badSettled = false;
    void bad.finally(() => (badSettled = true));
    await Promise.all([source.subscribe('BTC-USDT'), source.subscribe('ETH-USDT')]);
    expect(ex.subscriptions()).toEqual(['btcusdt@depth@100ms', 'btcusdt@trade', 'ethusdt@depth@100ms', 'ethusdt@trade']);
    expect(source.subscribedPairs.sort()).toEqual(['BTC-USDT', 'ETH-USDT']);

    // Refused again and again: the pair stays wanted (its subscribe waits), each retry a new SUBSCRIBE.
    const before = ex.methods.length;
    await waitFor(() => ex.methods.length >= before + 3, 'three more SUBSCRIBEs for the refused pair');
    expect(badSettled).toBe(false);
    ex.refuses = () => false;
    await bad;
    expect(source.subscribedPairs.sort()).toEqual(['BAD-USDT', 'BTC-USDT', 'ETH-USDT']);
    expect(ex.subscriptions()).toContain('badusdt@depth@100ms');
  });

  it('stop releases a subscribe the exchange never answers', async () => {
    const { ex, source } = await setup();
    ex.answerSubscribe = false;
    const pending = source.subscribe('BTC-USDT');
    const outcome = pending.then(() => 'confirmed', (err: unknown) => String(err));
    await waitFor(() => ex.methods.includes('SUBSCRIBE'), 'the SUBSCRIBE sent');
    await source.stop();
    expect(await outcome).toMatch(/stopped/);
  });

  it('logs and skips frames it cannot read, and keeps delivering', async () => {
    const { ex, source, listener } = await setup();
    await source.subscribe('BTC-USDT');
    ex.sendRaw('{not json');
    ex.sendRaw('[1,2,3]');
    ex.sendRaw(JSON.stringify(depth('BTCUSDT', 5, 4))); // U after u
    ex.sendRaw(JSON.stringify({ e: 'depthUpdate', E: 1, s: 'BTCUSDT', U: 1, b: [], a: [] })); // no u
    ex.sendRaw(JSON.stringify({ e: 'trade', E: 1, s: 'BTCUSDT', t: 1, p: 100.5, q: '1', T: 1, m: false })); // float price
    ex.sendRaw(JSON.stringify(depth('XRPUSDT', 1, 2))); // not in the symbol map
    ex.sendRaw(JSON.stringify({ code: 3, msg: 'Invalid JSON' }));
    ex.sendRaw(JSON.stringify({ result: null, id: 999 })); // an answer nobody waits for
    ex.sendRaw(JSON.stringify({ e: 'kline', E: 1, s: 'BTCUSDT' }));
    ex.publish('btcusdt@depth@100ms', depth('BTCUSDT', 20, 21));
    await waitFor(() => listener.diffs.length === 1, 'the good diff');
    expect(listener.calls).toEqual(['diff BTC-USDT']);
    expect(listener.diffs[0]!.diff.updateId).toBe(21);
    expect(source.connected).toBe(true);
  });

  it('reports a dropped connection, resubscribes every pair on the next one and reports them reconnected', async () => {
    const { ex, source, listener } = await setup();
    await Promise.all([source.subscribe('BTC-USDT'), source.subscribe('ETH-USDT')]);
    ex.dropAll();
    await waitFor(() => listener.reconnectedPairs().length === 2, 'both pairs reconnected');
    expect(listener.disconnected).toEqual([['BTC-USDT', 'ETH-USDT']]);
    expect(listener.reconnectedPairs()).toEqual(['BTC-USDT', 'ETH-USDT']);
    expect(ex.accepted).toBe(2);
    // One message restores both pairs.
    expect(ex.methods).toEqual(['SUBSCRIBE', 'SUBSCRIBE']);
    expect(ex.subscriptions()).toHaveLength(4);
    // Reported down before being reported back.
    expect(listener.calls.indexOf('disconnected BTC-USDT ETH-USDT')).toBeLessThan(listener.calls.findIndex((c) => c.startsWith('reconnected')));
  });

  it('waits for the connection when a pair is subscribed while it is down, and does not report that pair as reconnected', async () => {
    const { ex, source, listener } = await setup({ ws: { ...FAST_WS, reconnect: { initialDelayMs: 150, maxDelayMs: 150, jitter: 0 } } });
    await source.subscribe('BTC-USDT');
    ex.dropAll();
    await waitFor(() => listener.disconnected.length === 1, 'the loss');
    expect(source.connected).toBe(false);
    const late = source.subscribe('ETH-BTC');
    await late;
    expect(source.subscribedPairs.sort()).toEqual(['BTC-USDT', 'ETH-BTC']);
    await waitFor(() => listener.reconnected.length === 1, 'BTC-USDT reconnected');
    expect(listener.reconnectedPairs()).toEqual(['BTC-USDT']);
  });

  it('replaces the connection at once on serverShutdown', async () => {
    const { ex, source, listener } = await setup({ ws: { ...FAST_WS, reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 } } });
    await source.subscribe('BTC-USDT');
    ex.sendRaw(JSON.stringify({ e: 'serverShutdown', E: 1 }));
    await waitFor(() => listener.reconnected.length === 1, 'the new connection');
    expect(ex.accepted).toBe(2);
    expect(listener.disconnected).toEqual([['BTC-USDT']]);
  });

  it('replaces a silent half-open connection and resubscribes', async () => {
    const { ex, source, listener } = await setup({ ws: { ...FAST_WS, pingIntervalMs: 30, idleTimeoutMs: 200 } });
    await source.subscribe('ETH-USDT');
    ex.silenceAll();
    await waitFor(() => listener.reconnected.length === 1, 'the replacement connection');
    expect(listener.disconnected).toEqual([['ETH-USDT']]);
    expect(ex.open).toBe(1);
    expect(ex.subscriptions()).toEqual(['ethusdt@depth@100ms', 'ethusdt@trade']);
  });

  it('paces control messages', async () => {
    const { ex, source } = await setup({ controlIntervalMs: 100 });
    const started = Date.now();
    await source.subscribe('BTC-USDT');
    await source.subscribe('ETH-USDT');
    await source.subscribe('ETH-BTC');
    expect(ex.methods).toEqual(['SUBSCRIBE', 'SUBSCRIBE', 'SUBSCRIBE']);
    // Three messages at least 100 ms apart.
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('subscribes pairs asked for before start on the first connection, and fails subscriptions still waiting on stop', async () => {
    const { ex, source } = await setup({ ws: { ...FAST_WS, reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 } } });
    await source.stop();
    const early = source.subscribe('BTC-USDT');
    await source.start(new RecordingBookListener());
    await early;
    expect(ex.subscriptions()).toEqual(['btcusdt@depth@100ms', 'btcusdt@trade']);

    ex.dropAll();
    await waitFor(() => !source.connected, 'the loss');
    const waiting = source.subscribe('ETH-USDT');
    await source.stop();
    await expect(waiting).rejects.toThrow(/stopped/);
  });
});

/**
 * Against the simulator: its market streams and REST depth, busy with market activity. A book is
 * compared with the exchange's once activity stops and the last diffs are flushed, when both sit at
 * the same update id.
 */
describe('BinanceOrderBookSource: books against the simulator', () => {
  // The simulator pings every 400 ms, so a connection silent for 1.2 s is half-open. The client sends
  // no pings of its own: the simulator, as Binance, closes a connection sending more than 5 frames a
  // second, and its pongs (up to 3 a second) and control messages already count.
  const SIM_WS = { pingIntervalMs: 0, idleTimeoutMs: 1_200, requestTimeoutMs: 5_000, reconnect: { initialDelayMs: 10, maxDelayMs: 100 } };

  async function setup(pairs: string[]): Promise<{ venue: SimVenue; source: BinanceOrderBookSource; tracker: OrderBookTracker }> {
    const venue = await startSimVenue({
      activity: { quoteIntervalMs: 15, takerIntervalMs: 15, takerProbability: 1 },
      streams: { fastDepthMs: 20 },
      websocket: { pingIntervalMs: 400 },
    });
    cleanups.push(() => venue.close());
    const source = new BinanceOrderBookSource({
      streamUrl: venue.urls.streamUrl,
      rest: venue.rest,
      symbols: () => venue.markets,
      limiter: venue.limiter,
      controlIntervalMs: 250,
      ws: SIM_WS,
    });
    const tracker = new OrderBookTracker(source, { sync: { retryDelayMs: 20, maxRetryDelayMs: 200, minSnapshotIntervalMs: 20 } });
    cleanups.push(() => tracker.stop());
    await tracker.start(pairs);
    return { venue, source, tracker };
  }

  /** Waits until `pairs` applied `n` more diffs each (the stream is flowing into live books). */
  async function activity(tracker: OrderBookTracker, pairs: string[], n = 5): Promise<void> {
    const base = new Map(pairs.map((p) => [p, tracker.status(p)!.diffsApplied]));
    await waitFor(() => pairs.every((p) => tracker.isReady(p) && tracker.status(p)!.diffsApplied >= base.get(p)! + n), `${n} diffs applied on ${pairs.join(', ')}`);
  }

  /** Stops the market, flushes the last diffs, and checks each book equals the REST depth at the same update id. */
  async function expectBooksEqualExchange(venue: SimVenue, tracker: OrderBookTracker, pairs: string[]): Promise<void> {
    venue.sim.activity!.stop();
    venue.sim.streams.flushAll();
    for (const pair of pairs) {
      const depth = await restDepth(venue, pair);
      await waitFor(() => tracker.getOrderBook(pair).updateId === depth.lastUpdateId, `${pair} at update ${depth.lastUpdateId}`);
      const book = tracker.getOrderBook(pair).snapshot();
      expect(book.bids.map((l) => [l.price, l.amount])).toEqual(depth.bids);
      expect(book.asks.map((l) => [l.price, l.amount])).toEqual(depth.asks);
      expect(depth.bids.length).toBeGreaterThan(0);
      expect(tracker.isReady(pair)).toBe(true);
    }
  }

  it('keeps every book equal to the exchange while the market trades, with no gap and no resync', async () => {
    const pairs = ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'];
    const { venue, source, tracker } = await setup(pairs);
    await activity(tracker, pairs, 10);
    await expectBooksEqualExchange(venue, tracker, pairs);
    // The last price over REST is the last trade the stream carried.
    const prices = await source.fetchLastTradedPrices(pairs);
    for (const pair of pairs) await waitFor(() => tracker.status(pair)!.lastTradePrice === prices.get(pair), `${pair} last price ${prices.get(pair)}`);
    for (const pair of pairs) {
      const status = tracker.status(pair)!;
      expect({ gaps: status.gaps, resyncs: status.resyncs, malformed: status.malformedDiffs }).toEqual({ gaps: 0, resyncs: 0, malformed: 0 });
      expect(status.trades).toBeGreaterThan(0);
      expect(status.lastTradePrice).toBeDefined();
    }
  });

  it('adds and removes pairs at run time', async () => {
    const { venue, source, tracker } = await setup(['BTC-USDT']);
    await activity(tracker, ['BTC-USDT']);
    expect(await tracker.addTradingPair('ETH-BTC')).toBe(true);
    await activity(tracker, ['ETH-BTC']);
    expect(await tracker.removeTradingPair('BTC-USDT')).toBe(true);
    expect(source.subscribedPairs).toEqual(['ETH-BTC']);
    expect(venue.sim.streams.activeStreams().sort()).toEqual(['ethbtc@depth@100ms', 'ethbtc@trade']);
    await activity(tracker, ['ETH-BTC']);
    await expectBooksEqualExchange(venue, tracker, ['ETH-BTC']);
  });

  it('resubscribes and resyncs after the exchange drops the connection', async () => {
    const pairs = ['BTC-USDT', 'ETH-USDT'];
    const { venue, source, tracker } = await setup(pairs);
    await activity(tracker, pairs);
    const states: string[] = [];
    tracker.events.on('OrderBookStateChanged', (e) => void states.push(`${e.tradingPair} ${e.state} ${e.reason}`));

    expect(await venue.sim.admin.faults.disconnect('streams', 'drop')).toBe(1);
    await waitFor(() => pairs.every((p) => tracker.status(p)!.resyncs === 1), 'a resync of each pair');
    await activity(tracker, pairs);
    expect(source.connected).toBe(true);
    for (const pair of pairs) {
      expect(states).toContain(`${pair} disconnected disconnect`);
      expect(states).toContain(`${pair} syncing reconnect`);
    }
    expect(venue.sim.streams.activeStreams().sort()).toEqual(['btcusdt@depth@100ms', 'btcusdt@trade', 'ethusdt@depth@100ms', 'ethusdt@trade']);
    await expectBooksEqualExchange(venue, tracker, pairs);
  });

  it('resyncs after a lost diff, rides out a stalled stream without one, and replaces a half-open connection', async () => {
    const { venue, tracker } = await setup(['BTC-USDT', 'ETH-USDT']);
    await activity(tracker, ['BTC-USDT', 'ETH-USDT']);
    const faults = venue.sim.admin.faults;

    // One diff of BTC-USDT lost: a gap, then a resync from a fresh snapshot; ETH-USDT untouched.
    faults.inject({ kind: 'gap', stream: 'btcusdt@depth@100ms', times: 1 });
    await waitFor(() => tracker.status('BTC-USDT')!.gaps === 1, 'the gap');
    await activity(tracker, ['BTC-USDT']);
    expect(tracker.status('BTC-USDT')!.resyncs).toBe(1);
    expect(tracker.status('ETH-USDT')!.resyncs).toBe(0);

    // Diffs held back, then sent as one covering the stall: no gap.
    const stall = faults.inject({ kind: 'stall', stream: 'ethusdt@depth@100ms', times: 5 });
    await waitFor(() => !stall.active, 'the stall to end');
    await activity(tracker, ['ETH-USDT']);
    expect(tracker.status('ETH-USDT')!.gaps).toBe(0);

    // The connection goes silent when its next message is due: found idle, replaced, every book resynced.
    faults.inject({ kind: 'disconnect', stream: 'market', mode: 'half-open', times: 1 });
    await waitFor(() => tracker.status('ETH-USDT')!.resyncs === 1 && tracker.status('BTC-USDT')!.resyncs === 2, 'the resyncs after the replacement');
    await activity(tracker, ['BTC-USDT', 'ETH-USDT']);
    await expectBooksEqualExchange(venue, tracker, ['BTC-USDT', 'ETH-USDT']);
  });
});
