/**
 * Generates a Binance-style depth stream for the order book benchmark: a snapshot and a sequence
 * of `depthUpdate` diffs (wire strings, as JSON.parse leaves them), plus the true book at every
 * query point, computed by the generator's own simple model (sorted integer ticks), which is the
 * reference the benchmark checks both books against.
 */
import { SeededRandom } from '../../src/simulator/random.js';

export type WireLevel = [string, string];

export interface DepthUpdate {
  e: 'depthUpdate';
  E: number;
  s: string;
  U: number;
  u: number;
  b: WireLevel[];
  a: WireLevel[];
}

export interface StreamOptions {
  /** Levels per side in the snapshot. */
  levels: number;
  diffs: number;
  seed: number;
  /** Mean distance from the top (in levels) of a near-top change. */
  meanDepth: number;
  /** Share of changes drawn uniformly over the whole side instead. */
  deepShare: number;
  /** Share of changes that remove a level (amount "0.00000000"). */
  deleteShare: number;
  /** Share of changes that add a level at a new price. */
  insertShare: number;
  /** Level changes per diff: uniform in 1..maxLevelsPerDiff. */
  maxLevelsPerDiff: number;
  /** Answer best bid/ask and top `topN` every `queryEvery` diffs. */
  queryEvery: number;
  topN: number;
}

export interface ExpectedTop {
  /** Index of the diff after which the query runs. */
  afterDiff: number;
  bids: WireLevel[];
  asks: WireLevel[];
}

export interface GeneratedStream {
  snapshot: { lastUpdateId: number; bids: WireLevel[]; asks: WireLevel[] };
  diffs: DepthUpdate[];
  /** Level changes across all diffs. */
  levelChanges: number;
  deletions: number;
  expected: ExpectedTop[];
}


/** Price tick 0.01 printed with 8 decimals, as Binance prints BTCUSDT. */
function priceString(tick: number): string {
  const cents = tick % 100;
  return `${(tick - cents) / 100}.${cents < 10 ? '0' : ''}${cents}000000`;
}

function amountString(units: number): string {
  // units of 0.00001, printed with 8 decimals
  const whole = Math.floor(units / 100000);
  const frac = String(units % 100000).padStart(5, '0');
  return `${whole}.${frac}000`;
}

const ZERO_AMOUNT = '0.00000000';

/**
 * One side as ticks sorted best first (bids descending, asks ascending), with their amounts. The
 * generator mutates it with splice: slow and obviously right, and outside every timed loop.
 */
class ModelSide {
  ticks: number[] = [];
  amounts: string[] = [];
  constructor(readonly isBid: boolean) {}
  /** Position of `tick` in best-first order, or where it would go. */
  position(tick: number): number {
    let lo = 0;
    let hi = this.ticks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const better = this.isBid ? this.ticks[mid]! > tick : this.ticks[mid]! < tick;
      if (better) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  set(tick: number, amount: string): void {
    const i = this.position(tick);
    if (this.ticks[i] === tick) this.amounts[i] = amount;
    else {
      this.ticks.splice(i, 0, tick);
      this.amounts.splice(i, 0, amount);
    }
  }
  remove(tick: number): void {
    const i = this.position(tick);
    if (this.ticks[i] === tick) {
      this.ticks.splice(i, 1);
      this.amounts.splice(i, 1);
    }
  }
  top(n: number): WireLevel[] {
    const out: WireLevel[] = [];
    for (let i = 0; i < Math.min(n, this.ticks.length); i++) out.push([priceString(this.ticks[i]!), this.amounts[i]!]);
    return out;
  }
}

/**
 * A price for a new level just better than the level at `depth` (at the top: inside the spread).
 * Where levels sit on adjacent ticks, the first gap deeper down is used, and past the deepest
 * level the side grows outwards, so insertions always succeed and the depth stays steady.
 */
function freeTick(side: ModelSide, other: ModelSide, depth: number, random: () => number): number {
  const dir = side.isBid ? 1 : -1;
  for (let d = depth; d < side.ticks.length; d++) {
    const here = side.ticks[d]!;
    const better = d > 0 ? side.ticks[d - 1]! : other.ticks[0]!;
    const room = Math.abs(better - here) - 1;
    if (room >= 1) return here + dir * (1 + Math.floor(random() * room));
  }
  return side.ticks[side.ticks.length - 1]! - dir * (1 + Math.floor(random() * 4));
}

export function generateStream(options: StreamOptions): GeneratedStream {
  const seeded = new SeededRandom(options.seed);
  const random = () => seeded.next();
  const mid = 3_000_000; // 30000.00
  const bids = new ModelSide(true);
  const asks = new ModelSide(false);
  const newAmount = (): string => amountString(1 + Math.floor(random() * 500_000));
  // Levels 1 to 4 ticks apart, so there is room to add levels between them.
  for (let i = 0, t = mid - 1; i < options.levels; i++, t -= 1 + Math.floor(random() * 4)) bids.set(t, newAmount());
  for (let i = 0, t = mid + 1; i < options.levels; i++, t += 1 + Math.floor(random() * 4)) asks.set(t, newAmount());
  let updateId = 1_000_000;
  const snapshot = { lastUpdateId: updateId, bids: bids.top(Infinity), asks: asks.top(Infinity) };

  const diffs: DepthUpdate[] = [];
  const expected: ExpectedTop[] = [];
  let levelChanges = 0;
  let deletions = 0;
  const geometric = (mean: number): number => Math.floor(-Math.log(1 - random()) * mean);

  for (let d = 0; d < options.diffs; d++) {
    const changes = 1 + Math.floor(random() * options.maxLevelsPerDiff);
    const touched = new Set<number>();
    const b: WireLevel[] = [];
    const a: WireLevel[] = [];
    for (let c = 0; c < changes; c++) {
      const isBid = random() < 0.5;
      const side = isBid ? bids : asks;
      const other = isBid ? asks : bids;
      const n = side.ticks.length;
      const depth = Math.min(n - 1, random() < options.deepShare ? Math.floor(random() * n) : geometric(options.meanDepth));
      // Insertions lean against the drift, so the side stays near its starting depth.
      const insertShare = options.insertShare * (n < options.levels ? 1.25 : 0.8);
      const roll = n < 2 ? options.deleteShare : random();
      let tick: number;
      let amount: string;
      if (roll < options.deleteShare) {
        tick = side.ticks[depth]!;
        amount = ZERO_AMOUNT;
      } else if (roll < options.deleteShare + insertShare) {
        tick = freeTick(side, other, depth, random);
        amount = newAmount();
      } else {
        tick = side.ticks[depth]!;
        amount = newAmount();
      }
      const tag = isBid ? tick : -tick;
      if (touched.has(tag)) continue;
      touched.add(tag);
      if (amount === ZERO_AMOUNT) {
        side.remove(tick);
        deletions++;
      } else {
        side.set(tick, amount);
      }
      (isBid ? b : a).push([priceString(tick), amount]);
    }
    if (b.length + a.length === 0) {
      d--;
      continue;
    }
    levelChanges += b.length + a.length;
    const first = updateId + 1;
    updateId += b.length + a.length;
    diffs.push({ e: 'depthUpdate', E: 1_700_000_000_000 + d, s: 'BTCUSDT', U: first, u: updateId, b, a });
    if ((d + 1) % options.queryEvery === 0) {
      expected.push({ afterDiff: d, bids: bids.top(options.topN), asks: asks.top(options.topN) });
    }
  }
  return { snapshot, diffs, levelChanges, deletions, expected };
}
