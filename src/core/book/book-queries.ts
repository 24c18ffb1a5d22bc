import { Decimal, ZERO, toDecimal } from '../decimal.js';
import { InvalidArgumentError } from '../errors.js';
import type { BookSide } from './book-side.js';
import type { BookQueryResult } from './types.js';

/**
 * Depth queries over one side, walking it best level first. They compute in Decimal from the
 * exchange's strings, so every answer is exact; they run on demand, off the diff hot path.
 */

export function positiveQuery(value: unknown, field: string): Decimal {
  let d: Decimal;
  try {
    d = toDecimal(value, field);
  } catch (err) {
    throw new InvalidArgumentError(`${field}: expected a positive decimal, got ${JSON.stringify(value)}`, field, { cause: err });
  }
  if (!d.gt(0)) throw new InvalidArgumentError(`${field}: expected a positive decimal, got ${d.toString()}`, field);
  return d;
}

/** The price of the level at which the cumulative base amount reaches `volume` (the worst price touched). */
export function priceForVolume(side: BookSide, volume: Decimal): BookQueryResult {
  let total = ZERO;
  for (let r = 0; r < side.length; r++) {
    total = total.plus(side.amountAt(r));
    if (total.gte(volume)) return { value: new Decimal(side.priceAt(r)), covered: volume };
  }
  return { value: undefined, covered: total };
}

/** The price of the level at which the cumulative quote amount (price × amount) reaches `quoteVolume`. */
export function priceForQuoteVolume(side: BookSide, quoteVolume: Decimal): BookQueryResult {
  let total = ZERO;
  for (let r = 0; r < side.length; r++) {
    const price = new Decimal(side.priceAt(r));
    total = total.plus(price.mul(side.amountAt(r)));
    if (total.gte(quoteVolume)) return { value: price, covered: quoteVolume };
  }
  return { value: undefined, covered: total };
}

/** Quote cost of taking `baseAmount` from the side, the last level taken in part. `covered` is in base units. */
export function quoteVolumeForBaseAmount(side: BookSide, baseAmount: Decimal): BookQueryResult {
  let base = ZERO;
  let quote = ZERO;
  for (let r = 0; r < side.length; r++) {
    const amount = new Decimal(side.amountAt(r));
    const price = new Decimal(side.priceAt(r));
    const remaining = baseAmount.minus(base);
    if (amount.gte(remaining)) {
      return { value: quote.plus(price.mul(remaining)), covered: baseAmount };
    }
    base = base.plus(amount);
    quote = quote.plus(price.mul(amount));
  }
  return { value: undefined, covered: base };
}

/** Volume-weighted average price of taking exactly `volume`. */
export function vwapForVolume(side: BookSide, volume: Decimal): BookQueryResult {
  const cost = quoteVolumeForBaseAmount(side, volume);
  if (cost.value === undefined) return cost;
  return { value: cost.value.div(volume), covered: volume };
}

/**
 * Base (or, with `quote`, quote) amount available at `limit` or better: asks priced ≤ limit for a
 * buy, bids priced ≥ limit for a sell. Zero when nothing qualifies.
 */
export function volumeUpToPrice(side: BookSide, isAsk: boolean, limit: Decimal, quote: boolean): Decimal {
  let total = ZERO;
  for (let r = 0; r < side.length; r++) {
    const price = new Decimal(side.priceAt(r));
    if (isAsk ? price.gt(limit) : price.lt(limit)) break;
    total = total.plus(quote ? price.mul(side.amountAt(r)) : side.amountAt(r));
  }
  return total;
}
