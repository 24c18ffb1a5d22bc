import { Decimal } from '../../../src/core/decimal.js';
import type { BookEntry, BookLevel } from '../../../src/core/book/types.js';

interface ModelLevel {
  price: string;
  amount: string;
  value: Decimal;
  updateId: number;
}

/**
 * The obviously-correct book the property tests compare OrderBook with: a map from the exact
 * decimal value of a price to its level, sorted on every read, all arithmetic in Decimal. Slow,
 * and written from the documented rules rather than from OrderBook's code.
 */
export class ReferenceBook {
  private readonly bids = new Map<string, ModelLevel>();
  private readonly asks = new Map<string, ModelLevel>();
  updateId = -1;
  crossedCount = 0;
  crossedLevelsRemoved = 0;

  applySnapshot(bids: readonly BookEntry[], asks: readonly BookEntry[], updateId: number): void {
    this.bids.clear();
    this.asks.clear();
    this.applyDiff(bids, asks, updateId);
  }

  applyDiff(bids: readonly BookEntry[], asks: readonly BookEntry[], updateId: number): void {
    for (const entry of bids) set(this.bids, entry, updateId);
    for (const entry of asks) set(this.asks, entry, updateId);
    this.updateId = updateId;
    let crossed = false;
    for (;;) {
      const bid = this.sorted(true)[0];
      const ask = this.sorted(false)[0];
      if (!bid || !ask || bid.value.lt(ask.value)) break;
      crossed = true;
      // the level set by the older update goes; on a tie, the bid
      if (ask.updateId < bid.updateId) this.asks.delete(ask.value.toString());
      else this.bids.delete(bid.value.toString());
      this.crossedLevelsRemoved++;
    }
    if (crossed) this.crossedCount++;
  }

  levels(isBid: boolean): BookLevel[] {
    return this.sorted(isBid).map(({ price, amount }) => ({ price, amount }));
  }

  /** The side a buyer (asks) or a seller (bids) takes from, best first. */
  private taken(isBuy: boolean): ModelLevel[] {
    return this.sorted(!isBuy);
  }

  private sorted(isBid: boolean): ModelLevel[] {
    const levels = [...(isBid ? this.bids : this.asks).values()];
    return levels.sort((a, b) => (isBid ? b.value.cmp(a.value) : a.value.cmp(b.value)));
  }

  getPrice(isBuy: boolean): Decimal | undefined {
    return this.taken(isBuy)[0]?.value;
  }

  midPrice(): Decimal | undefined {
    const bid = this.getPrice(false);
    const ask = this.getPrice(true);
    return bid && ask ? bid.plus(ask).div(2) : undefined;
  }

  spread(): Decimal | undefined {
    const bid = this.getPrice(false);
    const ask = this.getPrice(true);
    return bid && ask ? ask.minus(bid) : undefined;
  }

  /** Total base and quote on the side, and the levels needed to reach `target` of base (or quote). */
  private reach(isBuy: boolean, target: Decimal, inQuote: boolean): { worst?: Decimal; base: Decimal; quote: Decimal } {
    let base = new Decimal(0);
    let quote = new Decimal(0);
    for (const level of this.taken(isBuy)) {
      const amount = new Decimal(level.amount);
      base = base.plus(amount);
      quote = quote.plus(level.value.mul(amount));
      if ((inQuote ? quote : base).gte(target)) return { worst: level.value, base, quote };
    }
    return { base, quote };
  }

  getPriceForVolume(isBuy: boolean, volume: Decimal): { value: Decimal | undefined; covered: Decimal } {
    const r = this.reach(isBuy, volume, false);
    return r.worst ? { value: r.worst, covered: volume } : { value: undefined, covered: r.base };
  }

  getPriceForQuoteVolume(isBuy: boolean, quoteVolume: Decimal): { value: Decimal | undefined; covered: Decimal } {
    const r = this.reach(isBuy, quoteVolume, true);
    return r.worst ? { value: r.worst, covered: quoteVolume } : { value: undefined, covered: r.quote };
  }

  getQuoteVolumeForBaseAmount(isBuy: boolean, baseAmount: Decimal): { value: Decimal | undefined; covered: Decimal } {
    const r = this.reach(isBuy, baseAmount, false);
    if (!r.worst) return { value: undefined, covered: r.base };
    // everything reached, minus the part of the last level not taken
    const excess = r.base.minus(baseAmount);
    return { value: r.quote.minus(excess.mul(r.worst)), covered: baseAmount };
  }

  getVwapForVolume(isBuy: boolean, volume: Decimal): { value: Decimal | undefined; covered: Decimal } {
    const cost = this.getQuoteVolumeForBaseAmount(isBuy, volume);
    return cost.value ? { value: cost.value.div(volume), covered: volume } : cost;
  }

  getVolumeForPrice(isBuy: boolean, price: Decimal, inQuote = false): Decimal {
    let total = new Decimal(0);
    for (const level of this.taken(isBuy)) {
      if (isBuy ? level.value.gt(price) : level.value.lt(price)) continue;
      total = total.plus(inQuote ? level.value.mul(level.amount) : level.amount);
    }
    return total;
  }
}

function set(side: Map<string, ModelLevel>, [price, amount]: BookEntry, updateId: number): void {
  const value = new Decimal(price);
  const key = value.toString();
  if (new Decimal(amount).isZero()) side.delete(key);
  else side.set(key, { price, amount, value, updateId });
}
