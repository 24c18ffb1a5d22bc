import type { BookDiff, BookEntry, BookSnapshot } from '../../../src/core/book/types.js';

/**
 * A tiny exchange for sync tests: one true book with an update counter, as Binance keeps it.
 * `change` mutates it and returns the diff the stream would carry (`U..u`, absolute amounts);
 * `snapshot` returns the depth endpoint's answer at this moment.
 */
export class FakeFeed {
  updateId: number;
  private readonly bids = new Map<string, string>();
  private readonly asks = new Map<string, string>();

  /** The true book after each update id, when `keepHistory` is set. */
  readonly history = new Map<number, ReturnType<FakeFeed['levels']>>();

  constructor(
    startId = 1000,
    private readonly keepHistory = false,
  ) {
    this.updateId = startId;
    this.bids.set('99.00', '1.000');
    this.asks.set('101.00', '1.000');
    this.record();
  }

  private record(): void {
    if (this.keepHistory) this.history.set(this.updateId, this.levels());
  }

  /** One diff carrying `bids`/`asks` changes, each counting as one update id. */
  change(bids: BookEntry[] = [], asks: BookEntry[] = []): BookDiff {
    const first = this.updateId + 1;
    for (const [p, q] of bids) setLevel(this.bids, p, q);
    for (const [p, q] of asks) setLevel(this.asks, p, q);
    this.updateId += Math.max(1, bids.length + asks.length);
    this.record();
    return { firstUpdateId: first, updateId: this.updateId, bids, asks };
  }

  /** A diff that moves the best bid's amount: handy when only the ids matter. */
  tick(): BookDiff {
    return this.change([['99.00', String(this.updateId % 97 + 1)]]);
  }

  snapshot(): BookSnapshot {
    return { updateId: this.updateId, bids: sorted(this.bids, true), asks: sorted(this.asks, false) };
  }

  /** The true book, best first, for comparison with a synchronized OrderBook's `snapshot()`. */
  levels(): { bids: { price: string; amount: string }[]; asks: { price: string; amount: string }[] } {
    const level = ([price, amount]: BookEntry) => ({ price, amount });
    return { bids: sorted(this.bids, true).map(level), asks: sorted(this.asks, false).map(level) };
  }
}

function setLevel(side: Map<string, string>, price: string, amount: string): void {
  if (Number(amount) === 0) side.delete(price);
  else side.set(price, amount);
}

function sorted(side: Map<string, string>, descending: boolean): BookEntry[] {
  return [...side.entries()].sort((a, b) => (descending ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));
}

/**
 * Snapshot requests the test answers (or fails) when it chooses, to control what arrives when.
 * With `feed`, each request also notes the book as it was when the request was made, so a test can
 * answer with that older state (the exchange served the request, the answer was slow to arrive).
 */
export class SnapshotRequests {
  readonly pending: { resolve: (s: BookSnapshot) => void; reject: (e: Error) => void; atRequest?: BookSnapshot }[] = [];
  count = 0;

  constructor(private readonly feed?: FakeFeed) {}

  readonly fetch = (): Promise<BookSnapshot> => {
    this.count++;
    const atRequest = this.feed?.snapshot();
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject, atRequest }));
  };

  answer(snapshot: BookSnapshot): void {
    this.next().resolve(snapshot);
  }

  /** Answers with the book as it was when the request was made. */
  answerAsRequested(): void {
    const next = this.next();
    next.resolve(next.atRequest!);
  }

  fail(error = new Error('HTTP 503')): void {
    this.next().reject(error);
  }

  private next(): SnapshotRequests['pending'][number] {
    const next = this.pending.shift();
    if (!next) throw new Error('no snapshot request is waiting');
    return next;
  }
}

/** Lets pending promise callbacks run (a snapshot answer reaching the synchronizer). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
