import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binanceSequencing } from '../../../src/core/book/sequencing.js';
import { BookSynchronizer } from '../../../src/core/book/synchronizer.js';
import type { BookDiff, BookEntry } from '../../../src/core/book/types.js';
import { ManualClock } from '../../../src/core/clock.js';
import { runs } from '../../support/soak.js';
import { FakeFeed, SnapshotRequests, settle } from './fake-feed.js';

/** What the network and the exchange may do between the feed and the synchronizer. */
type Action =
  | { kind: 'change'; bids: BookEntry[]; asks: BookEntry[] }
  | { kind: 'deliver' | 'drop' | 'duplicate' | 'swap' | 'answer' | 'answerAsRequested' | 'fail' | 'disconnect' | 'reconnect' }
  | { kind: 'time'; ms: number };

const level = (low: number): fc.Arbitrary<BookEntry> =>
  fc.tuple(fc.integer({ min: low, max: low + 9 }), fc.integer({ min: 0, max: 3 })).map(([p, q]) => [`${p}.00`, String(q)]);
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('change' as const), bids: fc.array(level(90), { maxLength: 3 }), asks: fc.array(level(101), { maxLength: 3 }) }) },
  { weight: 8, arbitrary: fc.constant({ kind: 'deliver' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'drop' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'duplicate' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'swap' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'answer' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'answerAsRequested' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fail' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'disconnect' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reconnect' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 5_000 }) }) },
);

describe('BookSynchronizer under loss, duplication, reordering, reconnections and slow snapshots', () => {
  it('is never ready with a wrong book, and ends in sync once the network behaves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 60 }), async (actions) => {
        const clock = new ManualClock(0);
        const feed = new FakeFeed(1000, true);
        const requests = new SnapshotRequests(feed);
        const sync = new BookSynchronizer({
          tradingPair: 'BTC-USDT',
          rule: binanceSequencing,
          fetchSnapshot: requests.fetch,
          options: { retryDelayMs: 100, maxRetryDelayMs: 1_000, minSnapshotIntervalMs: 50, stableAfterMs: 2_000, maxBufferedDiffs: 1_000 },
          clock,
        });
        let wire: BookDiff[] = [];
        let connected = true;
        // The feed's update id at the last reconnection: what the book missed before it is unknowable,
        // so a ready book must come from a snapshot taken after it.
        let idAtReconnect = -1;
        const checkReady = (): void => {
          if (!sync.ready) return;
          expect(sync.book.snapshot()).toEqual({ updateId: sync.book.updateId, ...feed.history.get(sync.book.updateId)! });
          expect(sync.book.snapshotUpdateId).toBeGreaterThanOrEqual(idAtReconnect);
        };
        sync.start();
        for (const a of actions) {
          switch (a.kind) {
            case 'change': {
              const diff = feed.change(a.bids, a.asks);
              if (connected) wire.push(diff);
              break;
            }
            case 'deliver':
            case 'duplicate': {
              const diff = a.kind === 'deliver' ? wire.shift() : wire[0];
              if (diff) sync.onDiff(diff);
              break;
            }
            case 'drop':
              wire.shift();
              break;
            case 'swap':
              if (wire.length >= 2) [wire[0], wire[1]] = [wire[1]!, wire[0]!];
              break;
            case 'answer':
              if (requests.pending.length > 0) requests.answer(feed.snapshot());
              break;
            case 'answerAsRequested':
              if (requests.pending.length > 0) requests.answerAsRequested();
              break;
            case 'fail':
              if (requests.pending.length > 0) requests.fail();
              break;
            case 'disconnect':
              connected = false;
              wire = [];
              sync.onDisconnected();
              break;
            case 'reconnect':
              connected = true;
              idAtReconnect = feed.updateId;
              sync.onReconnected();
              break;
            case 'time':
              clock.advance(a.ms);
              break;
          }
          await settle();
          checkReady();
        }
        // From here the network behaves: reconnect if needed, deliver everything, answer every request.
        // One last change shows any loss still unnoticed (exchanges send no empty diffs).
        if (!connected) {
          idAtReconnect = feed.updateId;
          sync.onReconnected();
        }
        wire.push(feed.change([['95.00', '9']]));
        for (let i = 0; i < 50; i++) {
          while (wire.length > 0) sync.onDiff(wire.shift()!);
          if (requests.pending.length > 0) requests.answer(feed.snapshot());
          await settle();
          if (sync.ready) break;
          clock.advance(1_000);
          await settle();
        }
        expect(sync.ready).toBe(true);
        expect(sync.book.snapshot()).toEqual({ updateId: feed.updateId, ...feed.levels() });
      }),
      { numRuns: runs(300, 10_000) },
    );
  });
});
