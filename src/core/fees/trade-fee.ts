import type { Decimal } from '../decimal.js';

export interface TokenAmount {
  readonly token: string;
  readonly amount: Decimal;
}

/**
 * A fee as Hummingbot models it: a percentage of the trade (in `percentToken`, or in the asset the
 * fee schema implies) plus flat fees. A fill from the exchange carries the exact fee charged as a
 * flat fee, with `percent` zero.
 */
export interface TradeFee {
  readonly percent: Decimal;
  readonly percentToken?: string;
  readonly flatFees: readonly TokenAmount[];
  /** AddedToCost fees are paid on top of the order's cost; DeductedFromReturns fees come out of what is received. */
  readonly kind: 'added_to_cost' | 'deducted_from_returns';
}
