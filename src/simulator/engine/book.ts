import type { Order } from './order.js';

/** All resting orders at one price, oldest first (time priority within the level). */
export class Level {
  lots = 0;
  count = 0;
  head: Order | null = null;
  tail: Order | null = null;
  constructor(readonly price: number) {}
}

/**
 * One side of a book. Levels are found by price in a Map and ordered in a sorted array of keys whose
 * LAST element is the best price, so taking the best level and removing an emptied best level are
 * O(1); a new or emptied inner level costs a binary search and a short memmove.
 * Keys are the price for bids (ascending: best = highest last) and minus the price for asks.
 */
export class BookSide {
  readonly levels = new Map<number, Level>();
  private readonly keys: number[] = [];

  constructor(readonly isBid: boolean) {}

  get depth(): number {
    return this.keys.length;
  }

  best(): Level | undefined {
    const n = this.keys.length;
    if (n === 0) return undefined;
    return this.levels.get(this.priceOfKey(this.keys[n - 1] as number));
  }

  /** The i-th level from the best (0 = best). */
  levelAt(i: number): Level | undefined {
    const k = this.keys[this.keys.length - 1 - i];
    return k === undefined ? undefined : this.levels.get(this.priceOfKey(k));
  }

  /** Appends `order` at the back of its price level; returns the level. */
  add(order: Order): Level {
    const price = order.priceTicks;
    let level = this.levels.get(price);
    if (level === undefined) {
      level = new Level(price);
      this.levels.set(price, level);
      this.insertKey(this.isBid ? price : -price);
    }
    order.level = level;
    order.prev = level.tail;
    order.next = null;
    if (level.tail) level.tail.next = order;
    else level.head = order;
    level.tail = order;
    level.count++;
    level.lots += order.remainingLots;
    return level;
  }

  /** Unlinks `order` from its level (removing the level when it empties). Its remaining lots leave the level. */
  remove(order: Order): Level {
    const level = order.level as Level;
    level.lots -= order.remainingLots;
    if (order.prev) order.prev.next = order.next;
    else level.head = order.next;
    if (order.next) order.next.prev = order.prev;
    else level.tail = order.prev;
    order.prev = order.next = order.level = null;
    level.count--;
    if (level.count === 0) this.dropLevel(level);
    return level;
  }

  /** Removes an empty level. */
  private dropLevel(level: Level): void {
    this.levels.delete(level.price);
    const key = this.isBid ? level.price : -level.price;
    const n = this.keys.length;
    if (this.keys[n - 1] === key) {
      this.keys.pop();
      return;
    }
    const i = this.search(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  private priceOfKey(key: number): number {
    return this.isBid ? key : -key;
  }

  private insertKey(key: number): void {
    const n = this.keys.length;
    if (n === 0 || (this.keys[n - 1] as number) < key) {
      this.keys.push(key);
      return;
    }
    this.keys.splice(this.search(key), 0, key);
  }

  /** First index whose key is >= `key`. */
  private search(key: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] as number) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class OrderBook {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);

  /** True when a price on `side` would trade against the other side's best level. */
  crosses(isBuy: boolean, priceTicks: number): boolean {
    const best = (isBuy ? this.asks : this.bids).best();
    if (best === undefined) return false;
    return isBuy ? priceTicks >= best.price : priceTicks <= best.price;
  }

  get isEmpty(): boolean {
    return this.bids.depth === 0 && this.asks.depth === 0;
  }
}
