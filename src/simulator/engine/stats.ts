/**
 * Rolling trade statistics of one market in one-minute buckets: enough for a 24-hour ticker and an
 * average price, in memory bounded by the window (1,440 buckets), not by the number of trades.
 */

const MINUTE = 60_000;

class Bucket {
  minute = -1;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  closeLots = 0;
  volumeLots = 0;
  quoteVolume = 0n;
  firstId = -1;
  lastId = -1;
  count = 0;
}

export interface WindowStats {
  open: number;
  high: number;
  low: number;
  last: number;
  lastLots: number;
  volumeLots: number;
  quoteVolume: bigint;
  firstId: number;
  lastId: number;
  count: number;
  /** The close of the last trade before the window; 0 when unknown. */
  prevClose: number;
}

export class RollingStats {
  private readonly buckets: Bucket[];
  /** The last trade's price, quantity and time, kept beyond the window. */
  lastPrice = 0;
  lastLots = 0;
  lastTime = 0;

  constructor(readonly windowMinutes = 1440) {
    this.buckets = Array.from({ length: windowMinutes + 1 }, () => new Bucket());
  }

  record(tradeId: number, priceUnits: number, lots: number, quote: number, time: number): void {
    const minute = Math.floor(time / MINUTE);
    const b = this.buckets[minute % this.buckets.length] as Bucket;
    if (b.minute !== minute) {
      b.minute = minute;
      b.open = b.high = b.low = priceUnits;
      b.volumeLots = 0;
      b.quoteVolume = 0n;
      b.firstId = tradeId;
      b.count = 0;
    }
    if (priceUnits > b.high) b.high = priceUnits;
    if (priceUnits < b.low) b.low = priceUnits;
    b.close = priceUnits;
    b.closeLots = lots;
    b.volumeLots += lots;
    b.quoteVolume += BigInt(quote);
    b.lastId = tradeId;
    b.count++;
    this.lastPrice = priceUnits;
    this.lastLots = lots;
    this.lastTime = time;
  }

  /** Aggregates the buckets of the last `minutes` minutes up to `now`, oldest first. */
  window(now: number, minutes = this.windowMinutes): WindowStats {
    const current = Math.floor(now / MINUTE);
    const first = current - Math.min(minutes, this.windowMinutes) + 1;
    const out: WindowStats = {
      open: 0, high: 0, low: 0, last: 0, lastLots: 0, volumeLots: 0, quoteVolume: 0n, firstId: -1, lastId: -1, count: 0, prevClose: 0,
    };
    const present: Bucket[] = [];
    for (const b of this.buckets) if (b.minute >= first && b.minute <= current && b.count > 0) present.push(b);
    present.sort((a, b) => a.minute - b.minute);
    let prev: Bucket | undefined;
    for (const b of this.buckets) if (b.minute < first && b.count > 0 && (prev === undefined || b.minute > prev.minute)) prev = b;
    out.prevClose = prev?.close ?? 0;
    for (const b of present) {
      if (out.count === 0) {
        out.open = b.open;
        out.high = b.high;
        out.low = b.low;
        out.firstId = b.firstId;
      }
      if (b.high > out.high) out.high = b.high;
      if (b.low < out.low) out.low = b.low;
      out.last = b.close;
      out.lastLots = b.closeLots;
      out.volumeLots += b.volumeLots;
      out.quoteVolume += b.quoteVolume;
      out.lastId = b.lastId;
      out.count += b.count;
    }
    return out;
  }

  /**
   * The volume-weighted average price of the last `minutes` minutes as (quote units, lots), or the
   * last trade when there were none in the window (null when the market never traded).
   */
  average(now: number, minutes: number): { quote: bigint; lots: number } | null {
    if (minutes > 0) {
      const w = this.window(now, minutes);
      if (w.volumeLots > 0) return { quote: w.quoteVolume, lots: w.volumeLots };
    }
    return null;
  }
}
