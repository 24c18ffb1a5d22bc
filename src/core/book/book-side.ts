const INITIAL_CAPACITY = 64;
/** Below this many levels a plain loop beats copyWithin, whose call overhead dominates short moves. */
const SHORT_MOVE = 16;
/** Levels scanned one by one from the top before the search turns to galloping + bisection. */
const LINEAR_SCAN = 16;

/**
 * One side of an L2 book: levels sorted by a numeric key in ascending order with the best level
 * LAST (key = price for bids, −price for asks). Exchanges change the top of the book far more
 * often than its depths, and with the best level at the end such a change moves only the few
 * levels above it. The best level is read in O(1); the search scans down from the top (one
 * well-predicted branch per level) and gallops + bisects past the first few levels, so a change
 * k levels deep costs about min(k, 16 + 2 log₂ k) comparisons. `bench/support/structures.ts` measures
 * this layout against the others considered (best-first arrays as in ccxt, a two-level B-tree).
 *
 * Only two typed arrays move: the sorted keys and, beside each, the slot holding that level's
 * exchange strings and update id. Slots never move (freed slots are reused), so inserting or
 * removing a level is a memmove of numbers, never a shuffle of string pointers.
 */
export class BookSide {
  private keys = new Float64Array(INITIAL_CAPACITY);
  private order = new Int32Array(INITIAL_CAPACITY);
  private size = 0;
  // per slot
  private prices: string[] = [];
  private amounts: string[] = [];
  private ids: number[] = [];
  private free: number[] = [];

  get length(): number {
    return this.size;
  }

  /** The best level's key, or NaN when the side is empty. */
  get bestKey(): number {
    return this.size > 0 ? this.keys[this.size - 1]! : NaN;
  }

  /** The update id that last set the best level (−1 when empty). */
  get bestUpdateId(): number {
    return this.size > 0 ? this.ids[this.order[this.size - 1]!]! : -1;
  }

  /** Price string of the level `rank` places from the best (0 = best). */
  priceAt(rank: number): string {
    return this.prices[this.order[this.size - 1 - rank]!]!;
  }

  amountAt(rank: number): string {
    return this.amounts[this.order[this.size - 1 - rank]!]!;
  }

  keyAt(rank: number): number {
    return this.keys[this.size - 1 - rank]!;
  }

  /** Sets the level at `key` (amount nonzero) or removes it (`remove`); removing an absent level is a no-op. */
  update(key: number, price: string, amount: string, remove: boolean, updateId: number): void {
    // Find the last key ≤ `key`: scan down from the top (inline: this runs for every level of every diff).
    const keys = this.keys;
    const stop = this.size - 1 - LINEAR_SCAN;
    let i = this.size - 1;
    while (i > stop && i >= 0 && keys[i]! > key) i--;
    if (i === stop && i >= 0) i = this.deepFloor(key, stop);
    if (i >= 0 && keys[i] === key) {
      if (remove) {
        this.removeAt(i);
      } else {
        const slot = this.order[i]!;
        this.prices[slot] = price;
        this.amounts[slot] = amount;
        this.ids[slot] = updateId;
      }
    } else if (!remove) {
      this.insertAt(i + 1, key, price, amount, updateId);
    }
  }

  /** Removes the best level. */
  removeBest(): void {
    if (this.size > 0) this.removeAt(this.size - 1);
  }

  clear(): void {
    this.size = 0;
    this.prices = [];
    this.amounts = [];
    this.ids = [];
    this.free = [];
  }

  /**
   * Replaces every level with sorted input. `keys` must be ascending and distinct; the caller
   * (OrderBook.applySnapshot) sorts and de-duplicates.
   */
  load(keys: Float64Array, prices: string[], amounts: string[], updateId: number): void {
    const n = keys.length;
    if (this.keys.length < n) {
      const capacity = Math.max(INITIAL_CAPACITY, n * 2);
      this.keys = new Float64Array(capacity);
      this.order = new Int32Array(capacity);
    }
    this.keys.set(keys);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.prices = prices;
    this.amounts = amounts;
    this.ids = Array.from({ length: n }, () => updateId);
    this.free = [];
    this.size = n;
  }

  /** The last index ≤ `stop` whose key is ≤ `key` (−1 if none), knowing keys above `stop` are > key: gallop down, then bisect. */
  private deepFloor(key: number, stop: number): number {
    const keys = this.keys;
    let hi = stop + 1;
    let step = 1;
    let lo = stop;
    while (lo >= 0 && keys[lo]! > key) {
      hi = lo;
      step <<= 1;
      lo = hi - step;
    }
    if (lo < 0) lo = -1;
    // keys[lo] ≤ key < keys[hi], with keys[−1] = −∞
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! <= key) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  private insertAt(pos: number, key: number, price: string, amount: string, updateId: number): void {
    const size = this.size;
    if (size === this.keys.length) this.grow();
    const keys = this.keys;
    const order = this.order;
    if (size - pos > SHORT_MOVE) {
      keys.copyWithin(pos + 1, pos, size);
      order.copyWithin(pos + 1, pos, size);
    } else {
      for (let j = size; j > pos; j--) {
        keys[j] = keys[j - 1]!;
        order[j] = order[j - 1]!;
      }
    }
    let slot: number;
    if (this.free.length > 0) {
      slot = this.free.pop()!;
      this.prices[slot] = price;
      this.amounts[slot] = amount;
      this.ids[slot] = updateId;
    } else {
      slot = this.prices.length;
      this.prices.push(price);
      this.amounts.push(amount);
      this.ids.push(updateId);
    }
    keys[pos] = key;
    order[pos] = slot;
    this.size = size + 1;
  }

  private removeAt(pos: number): void {
    const last = this.size - 1;
    const keys = this.keys;
    const order = this.order;
    this.free.push(order[pos]!);
    if (last - pos > SHORT_MOVE) {
      keys.copyWithin(pos, pos + 1, last + 1);
      order.copyWithin(pos, pos + 1, last + 1);
    } else {
      for (let j = pos; j < last; j++) {
        keys[j] = keys[j + 1]!;
        order[j] = order[j + 1]!;
      }
    }
    this.size = last;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const order = new Int32Array(this.order.length * 2);
    order.set(this.order);
    this.keys = keys;
    this.order = order;
  }
}
