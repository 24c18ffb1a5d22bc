import { describe, expect, it } from 'vitest';
import { binanceSequencing } from '../../../src/core/book/sequencing.js';
import { BookSynchronizer, type BookSyncOptions } from '../../../src/core/book/synchronizer.js';
import { ManualClock } from '../../../src/core/clock.js';
import { FakeFeed, SnapshotRequests, settle } from './fake-feed.js';

const OPTIONS: BookSyncOptions = {
  retryDelayMs: 1_000,
  maxRetryDelayMs: 16_000,
  minSnapshotIntervalMs: 500,
  stableAfterMs: 60_000,
  maxBufferedDiffs: 100,
};

function setup(options: Partial<BookSyncOptions> = {}) {
  const clock = new ManualClock(1_000_000);
  const feed = new FakeFeed();
  const requests = new SnapshotRequests();
  const states: string[] = [];
  const sync = new BookSynchronizer({
    tradingPair: 'BTC-USDT',
    rule: binanceSequencing,
    fetchSnapshot: requests.fetch,
    options: { ...OPTIONS, ...options },
    clock,
    onStateChange: (state, reason) => states.push(`${state}:${reason}`),
  });
  /** Starts and answers the first snapshot request: the book is live. */
  const goLive = async (): Promise<void> => {
    sync.start();
    await settle();
    requests.answer(feed.snapshot());
    await settle();
  };
  return { clock, feed, requests, sync, states, goLive };
}

describe('BookSynchronizer with Binance sequencing', () => {
  it('buffers diffs, drops those in the snapshot, applies the one straddling it and every one after', async () => {
    const { feed, requests, sync } = setup();
    sync.start();
    const before = [feed.tick(), feed.tick()];
    before.forEach((d) => sync.onDiff(d));
    await settle();
    expect(requests.count).toBe(1);
    const snapshot = feed.snapshot();
    // a diff that straddles the snapshot id, and one after it, arrive before the REST answer
    const straddling = feed.change([['98.00', '2.000']], [['102.00', '3.000']]);
    const straddle = { ...straddling, firstUpdateId: snapshot.updateId - 1 };
    sync.onDiff(straddle);
    sync.onDiff(feed.tick());
    expect(sync.ready).toBe(false);
    requests.answer(snapshot);
    await settle();
    expect(sync.state).toBe('live');
    expect(sync.book.snapshot()).toEqual({ updateId: feed.updateId, ...feed.levels() });
    expect(sync.counters).toMatchObject({ diffsStale: 2, diffsApplied: 2, snapshots: 1, gaps: 0, resyncs: 0 });
  });

  it('goes live on the snapshot alone when no diff came (a quiet pair), and stays live through silence', async () => {
    const { clock, feed, requests, sync, goLive } = setup();
    await goLive();
    expect(sync.ready).toBe(true);
    clock.advance(24 * 3_600_000);
    await settle();
    expect(sync.ready).toBe(true);
    expect(requests.count).toBe(1);
    const next = feed.tick();
    sync.onDiff(next);
    expect(sync.book.updateId).toBe(next.updateId);
  });

  it('asks again when the snapshot is older than the first buffered diff, keeping the buffer', async () => {
    const { clock, feed, requests, sync } = setup();
    sync.start();
    await settle();
    const old = feed.snapshot();
    feed.tick(); // missed: happened before the subscription
    const diffs = [feed.tick(), feed.tick()];
    diffs.forEach((d) => sync.onDiff(d));
    requests.answer(old);
    await settle();
    expect(sync.ready).toBe(false);
    expect(sync.counters.staleSnapshots).toBe(1);
    expect(sync.buffered).toBe(2);
    clock.advance(999);
    await settle();
    expect(requests.count).toBe(1);
    clock.advance(1);
    await settle();
    expect(requests.count).toBe(2);
    const later = feed.tick();
    sync.onDiff(later);
    requests.answer(feed.snapshot());
    await settle();
    expect(sync.ready).toBe(true);
    expect(sync.book.snapshot()).toEqual({ updateId: feed.updateId, ...feed.levels() });
  });

  it('on a gap, resyncs from a fresh snapshot and applies the diffs that arrived meanwhile', async () => {
    const { clock, feed, requests, sync, states, goLive } = setup();
    await goLive();
    sync.onDiff(feed.tick());
    feed.change([['97.00', '5.000']]); // lost on the way
    const afterGap = feed.change([], [['103.00', '1.500']]);
    sync.onDiff(afterGap);
    expect(sync.ready).toBe(false);
    expect(sync.counters).toMatchObject({ gaps: 1, resyncs: 1 });
    // the book broke within stableAfterMs of syncing: one backoff step
    clock.advance(999);
    await settle();
    expect(requests.count).toBe(1);
    const meanwhile = [feed.tick(), feed.change([['96.00', '4.000']])];
    meanwhile.forEach((d) => sync.onDiff(d));
    clock.advance(1);
    await settle();
    expect(requests.count).toBe(2);
    const snapshot = feed.snapshot();
    const last = feed.tick();
    sync.onDiff(last);
    requests.answer(snapshot);
    await settle();
    expect(sync.ready).toBe(true);
    expect(sync.book.snapshot()).toEqual({ updateId: feed.updateId, ...feed.levels() });
    expect(states).toEqual(['syncing:start', 'live:synced', 'syncing:gap', 'live:synced']);
  });

  it('drops duplicate and late diffs without touching the book', async () => {
    const { feed, sync, goLive } = setup();
    await goLive();
    const a = feed.change([['98.50', '1.000']]);
    const b = feed.change([['98.50', '2.000']]);
    sync.onDiff(a);
    sync.onDiff(b);
    sync.onDiff(a); // late: older than the book
    sync.onDiff(b); // duplicate
    expect(sync.ready).toBe(true);
    expect(sync.book.bestBid()).toEqual({ price: '99.00', amount: '1.000' });
    expect(sync.book.topBids(2)[1]).toEqual({ price: '98.50', amount: '2.000' });
    expect(sync.counters).toMatchObject({ diffsApplied: 2, diffsStale: 2, gaps: 0 });
  });

  it('treats a diff that jumps ahead of one still on its way as a gap, and the late one as stale after the resync', async () => {
    const { clock, feed, requests, sync, goLive } = setup();
    await goLive();
    const first = feed.tick();
    const second = feed.tick();
    sync.onDiff(second);
    sync.onDiff(first);
    expect(sync.counters.gaps).toBe(1);
    clock.advance(1_000);
    await settle();
    requests.answer(feed.snapshot());
    await settle();
    expect(sync.ready).toBe(true);
    expect(sync.counters.diffsStale).toBe(2);
    expect(sync.book.snapshot()).toEqual({ updateId: feed.updateId, ...feed.levels() });
  });

  it('applies a diff overlapping ids already applied (absolute amounts make it exact)', async () => {
    const { feed, sync, goLive } = setup();
    await goLive();
    const a = feed.change([['98.00', '1.000']], [['102.00', '1.000']]);
    const b = feed.change([['98.00', '7.000']]);
    sync.onDiff(a);
    sync.onDiff({ ...b, firstUpdateId: a.firstUpdateId, bids: [['98.00', '7.000']], asks: [['102.00', '1.000']] });
    expect(sync.ready).toBe(true);
    expect(sync.book.snapshot()).toEqual({ updateId: feed.updateId, ...feed.levels() });
  });

  it('is not ready while disconnected, requests nothing until the reconnection, then resyncs from a fresh snapshot', async () => {
    const { clock, feed, requests, sync, goLive } = setup();
    await goLive();
    clock.advance(120_000);
    sync.onDisconnected();
    expect(sync.state).toBe('disconnected');
    expect(sync.book.bestBid()).toBeDefined(); // still readable, just not ready
    feed.tick(); // missed while down
    clock.advance(60_000);
    await settle();
    expect(requests.count).toBe(1);
    sync.onReconnected();
    await settle();
    // it had been live for longer than stableAfterMs: no backoff
    expect(requests.count).toBe(2);
    requests.answer(feed.snapshot());
    await settle();
    expect(sync.ready).toBe(true);
    expect(sync.counters.resyncs).toBe(1);
    expect(sync.book.snapshot()).toEqual({ updateId: feed.updateId, ...feed.levels() });
  });

  it('on a reconnection while a snapshot is on its way, forgets that answer and the buffer, and asks again', async () => {
    const { clock, feed, requests, sync } = setup();
    sync.start();
    await settle();
    sync.onDiff(feed.tick());
    const early = feed.snapshot();
    feed.tick(); // missed during the reconnection
    sync.onReconnected();
    requests.answer(early); // the first answer lands after the reconnection: ignored
    await settle();
    expect(sync.ready).toBe(false);
    expect(sync.book.updateId).toBe(-1);
    clock.advance(1_000);
    await settle();
    expect(requests.count).toBe(2);
    requests.answer(feed.snapshot());
    await settle();
    expect(sync.ready).toBe(true);
    expect(sync.book.snapshot()).toEqual({ updateId: feed.updateId, ...feed.levels() });
  });

  it('backs off on failed snapshot requests: 1 s, 2 s, 4 s... capped at maxRetryDelayMs', async () => {
    const { clock, feed, requests, sync } = setup();
    sync.start();
    await settle();
    for (const delay of [1_000, 2_000, 4_000, 8_000, 16_000, 16_000]) {
      requests.fail();
      await settle();
      clock.advance(delay - 1);
      await settle();
      expect(requests.pending.length, `nothing before ${delay} ms`).toBe(0);
      clock.advance(1);
      await settle();
      expect(requests.pending.length, `a request after ${delay} ms`).toBe(1);
    }
    requests.answer(feed.snapshot());
    await settle();
    expect(sync.ready).toBe(true);
    expect(sync.counters).toMatchObject({ snapshotFailures: 6, snapshotRequests: 7 });
  });

  it('spaces requests by minSnapshotIntervalMs even when a book that held up breaks twice in a row', async () => {
    const { clock, feed, requests, sync, goLive } = setup({ stableAfterMs: 0 });
    await goLive();
    feed.tick();
    sync.onDiff(feed.tick()); // gap: immediate request (the book held up: stableAfterMs 0), but not sooner than 500 ms after the last
    await settle();
    expect(requests.pending.length).toBe(0);
    clock.advance(500);
    await settle();
    expect(requests.pending.length).toBe(1);
  });

  it('never resyncs in a loop: a stream that breaks right after every sync gets ever longer pauses', async () => {
    const { clock, feed, requests, sync } = setup();
    sync.start();
    const requestTimes: number[] = [];
    const end = clock.now() + 3_600_000;
    while (clock.now() < end) {
      clock.advance(250);
      await settle();
      while (requests.pending.length > 0) {
        requestTimes.push(clock.now());
        requests.answer(feed.snapshot());
        await settle();
        // the very next diff shows a gap
        feed.tick();
        sync.onDiff(feed.tick());
      }
    }
    // delays 0, 1, 2, 4, 8, 16, 16, 16 ... s: about 225 requests in an hour, not thousands
    expect(requestTimes.length).toBeLessThan(240);
    const spacing = requestTimes.slice(1).map((t, i) => t - requestTimes[i]!);
    expect(Math.min(...spacing)).toBeGreaterThanOrEqual(OPTIONS.minSnapshotIntervalMs);
    expect(spacing.slice(-10).every((s) => s >= OPTIONS.maxRetryDelayMs)).toBe(true);
    expect(sync.counters.gaps).toBe(requestTimes.length);
  });

  it('on an unreadable diff, stops being ready and resyncs; the diffs after it are kept', async () => {
    const { clock, feed, requests, sync, goLive } = setup();
    await goLive();
    // the exchange's real change was 98.00 → 1.000 and 97.00 → 2.000; the second level arrives garbled
    const real = feed.change([['98.00', '1.000'], ['97.00', '2.000']]);
    sync.onDiff({ ...real, bids: [['98.00', '1.000'], ['97.00', '2.0x0']] });
    expect(sync.counters).toMatchObject({ malformedDiffs: 1, resyncs: 1 });
    expect(sync.ready).toBe(false);
    sync.onDiff(feed.tick()); // buffered meanwhile
    clock.advance(1_000);
    await settle();
    const snapshot = feed.snapshot();
    sync.onDiff(feed.tick());
    requests.answer(snapshot);
    await settle();
    expect(sync.ready).toBe(true);
    expect(sync.book.snapshot()).toEqual({ updateId: feed.updateId, ...feed.levels() });
  });

  it('keeps at most maxBufferedDiffs while waiting, dropping the oldest', async () => {
    const { feed, requests, sync } = setup({ maxBufferedDiffs: 3 });
    sync.start();
    await settle();
    for (let i = 0; i < 5; i++) sync.onDiff(feed.tick());
    expect(sync.buffered).toBe(3);
    expect(sync.counters.bufferOverflows).toBe(2);
    requests.answer(feed.snapshot());
    await settle();
    expect(sync.ready).toBe(true);
  });

  it('after stop, requests nothing more and ignores a late answer', async () => {
    const { clock, feed, requests, sync } = setup();
    sync.start();
    await settle();
    sync.stop();
    requests.answer(feed.snapshot());
    clock.advance(600_000);
    await settle();
    expect(sync.state).toBe('stopped');
    expect(sync.book.updateId).toBe(-1);
    expect(requests.count).toBe(1);
    sync.onDiff(feed.tick());
    expect(sync.buffered).toBe(0);
  });
});
