import type { BookUpdate, LevelQuantity } from '../../engine/index.js';

/**
 * The book changes of one market since the last diff was sent on one stream: the update ids they
 * cover and each touched level's latest quantity. Because every transaction reports its ids
 * `firstUpdateId..lastUpdateId` contiguously, consecutive windows chain exactly: U = previous u + 1.
 */
export class DepthWindow {
  first = 0;
  last = 0;
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();

  get isEmpty(): boolean {
    return this.first === 0;
  }

  add(book: BookUpdate): void {
    if (this.first === 0) this.first = book.firstUpdateId;
    this.last = book.lastUpdateId;
    for (const l of book.bids) this.bids.set(l.price, l.lots);
    for (const l of book.asks) this.asks.set(l.price, l.lots);
  }

  /** The window's levels, best first, and a fresh start. */
  take(): { first: number; last: number; bids: LevelQuantity[]; asks: LevelQuantity[] } {
    const out = { first: this.first, last: this.last, bids: sorted(this.bids, true), asks: sorted(this.asks, false) };
    this.clear();
    return out;
  }

  /** Forgets the window: the ids it covered are never sent (a sequence gap for subscribers). */
  clear(): void {
    this.first = this.last = 0;
    this.bids.clear();
    this.asks.clear();
  }
}

function sorted(levels: Map<number, number>, descending: boolean): LevelQuantity[] {
  const out: LevelQuantity[] = [];
  for (const [price, lots] of levels) out.push({ price, lots });
  out.sort(descending ? (a, b) => b.price - a.price : (a, b) => a.price - b.price);
  return out;
}
