import { RealTimeClock, type Cancel, type Clock } from '../clock.js';
import { silentLogger, type Logger } from '../logger.js';
import { OrderBook } from './order-book.js';
import type { SequencingRule } from './sequencing.js';
import type { BookDiff, BookSnapshot } from './types.js';

/**
 * - `idle`: created, diffs are buffered, no snapshot requested yet (call `start`);
 * - `syncing`: waiting for a snapshot (or for the backoff before requesting one); diffs are buffered;
 * - `live`: the book is in sequence with the stream: ready;
 * - `disconnected`: the stream's connection is down, so the book may be missing changes; it waits
 *   for the reconnection, then resyncs;
 * - `stopped`.
 */
export type BookSyncState = 'idle' | 'syncing' | 'live' | 'disconnected' | 'stopped';

export interface BookSyncOptions {
  /** Delay before a snapshot request that follows a failed attempt; doubles with each failure in a row. Default 1 000. */
  retryDelayMs: number;
  /** The longest such delay. Default 60 000. */
  maxRetryDelayMs: number;
  /** The least time between two snapshot requests for one pair, whatever the reason. Default 1 000. */
  minSnapshotIntervalMs: number;
  /** A book that stayed live this long before breaking resyncs at once: the backoff starts over. Default 60 000. */
  stableAfterMs: number;
  /** Diffs kept while waiting for a snapshot; past it the oldest are dropped (a gap shows if they were needed). Default 10 000. */
  maxBufferedDiffs: number;
}

export const DEFAULT_BOOK_SYNC_OPTIONS: Readonly<BookSyncOptions> = {
  retryDelayMs: 1_000,
  maxRetryDelayMs: 60_000,
  minSnapshotIntervalMs: 1_000,
  stableAfterMs: 60_000,
  maxBufferedDiffs: 10_000,
};

export interface BookSyncCounters {
  /** Diffs applied to the book. */
  diffsApplied: number;
  /** Diffs dropped as already in the book (older than the snapshot, repeated, late). */
  diffsStale: number;
  /** Gaps in the diff sequence (each one starts a resync). */
  gaps: number;
  /** Rebuilds after the first sync: gap, reconnection, malformed diff. */
  resyncs: number;
  snapshotRequests: number;
  /** Snapshots loaded into the book. */
  snapshots: number;
  /** Requests that failed, or returned a snapshot the book could not read. */
  snapshotFailures: number;
  /** Snapshots older than the buffered stream (requested again). */
  staleSnapshots: number;
  /** Diffs the book could not read (dropped; each starts a resync). */
  malformedDiffs: number;
  /** Buffered diffs dropped because the buffer was full. */
  bufferOverflows: number;
}

export type BookSyncReason = 'start' | 'gap' | 'reconnect' | 'malformed' | 'disconnect' | 'stop' | 'synced';

export interface BookSynchronizerParams<D extends BookDiff> {
  readonly tradingPair: string;
  readonly rule: SequencingRule<D>;
  /** Requests a full snapshot (REST). Called only with the stream already subscribed. */
  readonly fetchSnapshot: () => Promise<BookSnapshot>;
  readonly book?: OrderBook;
  readonly options?: Partial<BookSyncOptions>;
  readonly clock?: Pick<Clock, 'now' | 'schedule'>;
  readonly logger?: Logger;
  /** Called on every state change, with what caused it. Must not throw (errors are logged). */
  readonly onStateChange?: (state: BookSyncState, reason: BookSyncReason) => void;
}

/**
 * Keeps one OrderBook in sequence with an exchange's diff stream: buffer the diffs, load a
 * snapshot, drop what the snapshot already holds, then apply the rest under the exchange's
 * `SequencingRule`. A gap, a reconnection or an unreadable diff starts a resync from a fresh
 * snapshot while the new diffs keep being buffered, so nothing that arrives meanwhile is lost.
 *
 * Snapshots cost request weight, so requests are spaced: at least `minSnapshotIntervalMs` apart,
 * and after each failed attempt in a row (request error, snapshot older than the stream, gap
 * while replaying, a book that broke within `stableAfterMs` of syncing) the delay doubles from
 * `retryDelayMs` to `maxRetryDelayMs`. A book that keeps breaking therefore backs off instead of
 * resyncing in a loop.
 *
 * Staleness comes from the connection, not from silence: exchanges send no empty diffs, so a quiet
 * pair stays live. The data source reports `disconnected` (ping/pong lost, socket closed) and
 * `reconnected`; in between the book is not ready, and the reconnection triggers a resync.
 *
 * Everything runs on the caller's event loop turn: `onDiff` applies synchronously when live.
 */
export class BookSynchronizer<D extends BookDiff = BookDiff> {
  readonly tradingPair: string;
  readonly book: OrderBook;
  private readonly rule: SequencingRule<D>;
  private readonly fetchSnapshot: () => Promise<BookSnapshot>;
  private readonly options: BookSyncOptions;
  private readonly clock: Pick<Clock, 'now' | 'schedule'>;
  private readonly logger: Logger;
  private readonly onStateChange: ((state: BookSyncState, reason: BookSyncReason) => void) | undefined;
  private readonly counts: BookSyncCounters = {
    diffsApplied: 0,
    diffsStale: 0,
    gaps: 0,
    resyncs: 0,
    snapshotRequests: 0,
    snapshots: 0,
    snapshotFailures: 0,
    staleSnapshots: 0,
    malformedDiffs: 0,
    bufferOverflows: 0,
  };
  private current: BookSyncState = 'idle';
  private buffer: D[] = [];
  /** Failed attempts in a row; sets the backoff before the next request. */
  private failures = 0;
  private liveSince = 0;
  private lastRequestAt = -Infinity;
  /** Bumped whenever a pending or in-flight request must be forgotten. */
  private epoch = 0;
  private cancelTimer: Cancel | undefined;

  constructor(params: BookSynchronizerParams<D>) {
    this.tradingPair = params.tradingPair;
    this.book = params.book ?? new OrderBook(params.tradingPair);
    this.rule = params.rule;
    this.fetchSnapshot = params.fetchSnapshot;
    this.options = { ...DEFAULT_BOOK_SYNC_OPTIONS, ...params.options };
    this.clock = params.clock ?? new RealTimeClock();
    this.logger = (params.logger ?? silentLogger()).child({ tradingPair: params.tradingPair, book: true });
    this.onStateChange = params.onStateChange;
  }

  get state(): BookSyncState {
    return this.current;
  }

  /** The book is in sequence with a connected stream. */
  get ready(): boolean {
    return this.current === 'live';
  }

  get counters(): Readonly<BookSyncCounters> {
    return { ...this.counts };
  }

  /** Diffs waiting for a snapshot. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Requests the first snapshot. Call once the diff stream is subscribed. */
  start(): void {
    if (this.current !== 'idle') return;
    this.setState('syncing', 'start');
    this.schedule();
  }

  stop(): void {
    if (this.current === 'stopped') return;
    this.forgetRequests();
    this.buffer = [];
    this.setState('stopped', 'stop');
  }

  /** A diff from the stream, in arrival order. */
  onDiff(diff: D): void {
    if (this.current === 'live') {
      this.applyLive(diff);
    } else if (this.current !== 'stopped') {
      this.bufferDiff(diff);
    }
  }

  /** The stream's connection is down: diffs may be missed from now on. */
  onDisconnected(): void {
    if (this.current === 'stopped' || this.current === 'idle' || this.current === 'disconnected') return;
    this.noteBreak();
    this.forgetRequests();
    this.buffer = [];
    this.setState('disconnected', 'disconnect');
  }

  /** The stream is back (re-subscribed): whatever happened in between is unknown, so resync. */
  onReconnected(): void {
    if (this.current === 'stopped' || this.current === 'idle') return;
    // Diffs buffered before the reconnection may be followed by a hole: start the buffer afresh.
    this.buffer = [];
    this.resync('reconnect');
  }

  private applyLive(diff: D): void {
    const verdict = this.rule.classify(diff, this.book.updateId, false);
    if (verdict === 'stale') {
      this.counts.diffsStale++;
    } else if (verdict === 'apply') {
      if (this.apply(diff)) return;
      this.resync('malformed');
    } else {
      this.counts.gaps++;
      this.logger.warn({ bookUpdateId: this.book.updateId, firstUpdateId: diff.firstUpdateId, updateId: diff.updateId }, 'gap in the diff stream; resyncing');
      this.buffer = [diff];
      this.resync('gap');
    }
  }

  /** Applies one diff; false (and counted) when the book could not read it. */
  private apply(diff: D): boolean {
    try {
      this.book.applyDiff(diff.bids, diff.asks, diff.updateId);
      this.counts.diffsApplied++;
      return true;
    } catch (err) {
      this.counts.malformedDiffs++;
      this.logger.warn({ err, updateId: diff.updateId }, 'unreadable diff dropped; resyncing');
      return false;
    }
  }

  private bufferDiff(diff: D): void {
    if (this.buffer.length >= this.options.maxBufferedDiffs) {
      this.buffer.shift();
      this.counts.bufferOverflows++;
    }
    this.buffer.push(diff);
  }

  /** Rebuild from a fresh snapshot, keeping the buffer (the diffs that will follow it). */
  private resync(reason: 'gap' | 'reconnect' | 'malformed'): void {
    this.counts.resyncs++;
    this.noteBreak();
    this.forgetRequests();
    this.setState('syncing', reason);
    this.schedule();
  }

  /** A live book that broke soon after syncing counts as a failed attempt; one that held up resets the backoff. */
  private noteBreak(): void {
    if (this.current !== 'live') {
      if (this.current === 'syncing') this.failures++;
      return;
    }
    if (this.clock.now() - this.liveSince >= this.options.stableAfterMs) this.failures = 0;
    else this.failures++;
  }

  private backoffDelay(): number {
    if (this.failures === 0) return 0;
    return Math.min(this.options.maxRetryDelayMs, this.options.retryDelayMs * 2 ** (this.failures - 1));
  }

  private schedule(): void {
    const now = this.clock.now();
    const at = Math.max(now + this.backoffDelay(), this.lastRequestAt + this.options.minSnapshotIntervalMs);
    const epoch = this.epoch;
    if (at <= now) {
      void this.request(epoch);
      return;
    }
    this.cancelTimer = this.clock.schedule(at - now, () => {
      this.cancelTimer = undefined;
      if (epoch === this.epoch) void this.request(epoch);
    });
  }

  private forgetRequests(): void {
    this.epoch++;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private async request(epoch: number): Promise<void> {
    this.lastRequestAt = this.clock.now();
    this.counts.snapshotRequests++;
    let snapshot: BookSnapshot;
    try {
      snapshot = await this.fetchSnapshot();
    } catch (err) {
      if (epoch !== this.epoch) return;
      this.counts.snapshotFailures++;
      this.failures++;
      this.logger.warn({ err, failures: this.failures }, 'order book snapshot request failed; retrying');
      this.schedule();
      return;
    }
    if (epoch === this.epoch) this.load(snapshot);
  }

  private load(snapshot: BookSnapshot): void {
    try {
      this.book.applySnapshot(snapshot.bids, snapshot.asks, snapshot.updateId);
    } catch (err) {
      this.counts.snapshotFailures++;
      this.failures++;
      this.logger.warn({ err }, 'unreadable order book snapshot; retrying');
      this.schedule();
      return;
    }
    this.counts.snapshots++;
    let afterSnapshot = true;
    const buffer = this.buffer;
    for (let i = 0; i < buffer.length; i++) {
      const diff = buffer[i]!;
      const verdict = this.rule.classify(diff, this.book.updateId, afterSnapshot);
      if (verdict === 'stale') {
        this.counts.diffsStale++;
        continue;
      }
      if (verdict === 'gap') {
        this.buffer = buffer.slice(i);
        if (afterSnapshot) {
          this.counts.staleSnapshots++;
          this.failures++;
          this.logger.info({ snapshotUpdateId: snapshot.updateId, firstUpdateId: diff.firstUpdateId }, 'snapshot older than the stream; requesting another');
          this.schedule();
        } else {
          this.counts.gaps++;
          this.logger.warn({ bookUpdateId: this.book.updateId, firstUpdateId: diff.firstUpdateId }, 'gap in the buffered diffs; resyncing');
          this.resync('gap');
        }
        return;
      }
      if (!this.apply(diff)) {
        this.buffer = buffer.slice(i + 1);
        this.resync('malformed');
        return;
      }
      afterSnapshot = false;
    }
    this.buffer = [];
    this.liveSince = this.clock.now();
    this.logger.debug({ updateId: this.book.updateId }, 'order book in sync');
    this.setState('live', 'synced');
  }

  private setState(state: BookSyncState, reason: BookSyncReason): void {
    this.current = state;
    if (!this.onStateChange) return;
    try {
      this.onStateChange(state, reason);
    } catch (err) {
      this.logger.error({ err }, 'order book state listener threw');
    }
  }
}
