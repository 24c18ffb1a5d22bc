/**
 * How the book's side structure was chosen: `npx tsx bench/support/structures.ts`.
 *
 * Replays the benchmark's two streams through three layouts of one book side, on pre-parsed keys
 * so that only the structure is measured (parsing is the same for all three):
 * - `best-last array` (what `BookSide` is): keys ascending, best level at the end, found by a scan
 *   down from the top; a change near the top moves only the few levels above it;
 * - `best-first array`: the same arrays with the best level at index 0 (ccxt's orientation),
 *   bisected: every insertion or removal moves the whole side behind it;
 * - `B+ tree`: sorted leaves of up to 64 levels under one sorted index of leaf minimums (a
 *   two-level B+ tree, enough for 10^5 levels): O(√n) moves at worst, but an indirection on
 *   every access and leaf splits and merges.
 * Each answers best level + top 20 every 100 diffs, like the benchmark.
 */
import { BookSide } from '../../src/core/book/book-side.js';
import { generateStream, type GeneratedStream, type StreamOptions } from './book-stream.js';

interface Side {
  update(key: number, price: string, amount: string, remove: boolean, updateId: number): void;
  readonly length: number;
  priceAt(rank: number): string;
}

/** Sorted ascending with the best level first (keys negated so that best = smallest). */
class BestFirstSide implements Side {
  private keys: number[] = [];
  private prices: string[] = [];
  private amounts: string[] = [];
  get length(): number {
    return this.keys.length;
  }
  priceAt(rank: number): string {
    return this.prices[rank]!;
  }
  update(key: number, price: string, amount: string, remove: boolean): void {
    const k = -key;
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    if (this.keys[lo] === k) {
      if (remove) {
        this.keys.splice(lo, 1);
        this.prices.splice(lo, 1);
        this.amounts.splice(lo, 1);
      } else this.amounts[lo] = amount;
    } else if (!remove) {
      this.keys.splice(lo, 0, k);
      this.prices.splice(lo, 0, price);
      this.amounts.splice(lo, 0, amount);
    }
  }
}

const LEAF = 64;
interface Leaf {
  keys: number[];
  prices: string[];
  amounts: string[];
}

/** Two-level B+ tree, best level first: leaves of ≤ 64 sorted levels, an index of their first keys. */
class BPlusSide implements Side {
  private leaves: Leaf[] = [];
  private firsts: number[] = [];
  private size = 0;
  get length(): number {
    return this.size;
  }
  priceAt(rank: number): string {
    let r = rank;
    for (const leaf of this.leaves) {
      if (r < leaf.keys.length) return leaf.prices[r]!;
      r -= leaf.keys.length;
    }
    throw new RangeError('rank');
  }
  update(key: number, price: string, amount: string, remove: boolean): void {
    const k = -key;
    if (this.leaves.length === 0) {
      if (!remove) {
        this.leaves.push({ keys: [k], prices: [price], amounts: [amount] });
        this.firsts.push(k);
        this.size = 1;
      }
      return;
    }
    // last leaf whose first key ≤ k (or the first leaf)
    let lo = 0;
    let hi = this.firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.firsts[mid]! <= k) lo = mid;
      else hi = mid - 1;
    }
    const li = lo;
    const leaf = this.leaves[li]!;
    let a = 0;
    let b = leaf.keys.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (leaf.keys[mid]! < k) a = mid + 1;
      else b = mid;
    }
    if (leaf.keys[a] === k) {
      if (!remove) {
        leaf.amounts[a] = amount;
        return;
      }
      leaf.keys.splice(a, 1);
      leaf.prices.splice(a, 1);
      leaf.amounts.splice(a, 1);
      this.size--;
      if (leaf.keys.length === 0) {
        this.leaves.splice(li, 1);
        this.firsts.splice(li, 1);
      } else this.firsts[li] = leaf.keys[0]!;
      return;
    }
    if (remove) return;
    leaf.keys.splice(a, 0, k);
    leaf.prices.splice(a, 0, price);
    leaf.amounts.splice(a, 0, amount);
    this.firsts[li] = leaf.keys[0]!;
    this.size++;
    if (leaf.keys.length > LEAF) {
      const half = LEAF >> 1;
      const right: Leaf = { keys: leaf.keys.splice(half), prices: leaf.prices.splice(half), amounts: leaf.amounts.splice(half) };
      this.leaves.splice(li + 1, 0, right);
      this.firsts.splice(li + 1, 0, right.keys[0]!);
    }
  }
}

interface Op {
  bid: boolean;
  key: number;
  price: string;
  amount: string;
  remove: boolean;
  id: number;
}

function ops(stream: GeneratedStream): Op[][] {
  return stream.diffs.map((d) => [
    ...d.b.map(([p, q]) => ({ bid: true, key: Number(p), price: p, amount: q, remove: Number(q) === 0, id: d.u })),
    ...d.a.map(([p, q]) => ({ bid: false, key: -Number(p), price: p, amount: q, remove: Number(q) === 0, id: d.u })),
  ]);
}

function load(side: Side, levels: [string, string][], sign: number): void {
  for (const [p, q] of levels) side.update(sign * Number(p), p, q, false, 0);
}

function run(make: () => Side, stream: GeneratedStream, diffs: Op[][]): number {
  const bids = make();
  const asks = make();
  load(bids, stream.snapshot.bids, 1);
  load(asks, stream.snapshot.asks, -1);
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < diffs.length; i++) {
    for (const op of diffs[i]!) (op.bid ? bids : asks).update(op.key, op.price, op.amount, op.remove, op.id);
    if ((i + 1) % 100 === 0) {
      for (let r = 0; r < Math.min(20, bids.length); r++) sink += bids.priceAt(r).length;
      for (let r = 0; r < Math.min(20, asks.length); r++) sink += asks.priceAt(r).length;
    }
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (sink === 0) throw new Error('no answers');
  return ns / stream.levelChanges;
}

const base = { seed: 7, deleteShare: 0.1, insertShare: 0.1, maxLevelsPerDiff: 20, queryEvery: 100, topN: 20, meanDepth: 10, deepShare: 0.03, diffs: 5_000 };
const layouts: [string, () => Side][] = [
  ['best-last array (BookSide)', () => new BookSide()],
  ['best-first array', () => new BestFirstSide()],
  ['B+ tree (64-level leaves)', () => new BPlusSide()],
];
for (const levels of [5000, 100]) {
  const options: StreamOptions = { ...base, levels };
  const stream = generateStream(options);
  const diffs = ops(stream);
  const results = layouts.map(() => [] as number[]);
  for (let round = 0; round < 9; round++) layouts.forEach(([, make], i) => results[i]!.push(run(make, stream, diffs)));
  console.log(`${levels} levels per side, ${stream.levelChanges} level changes:`);
  layouts.forEach(([name], i) => {
    const xs = results[i]!.sort((a, b) => a - b);
    console.log(`  ${name.padEnd(28)} ${xs[xs.length >> 1]!.toFixed(0).padStart(5)} ns per level (median of 9; min ${xs[0]!.toFixed(0)})`);
  });
}
