import { Decimal, ZERO } from '../decimal.js';
import { InvalidArgumentError } from '../errors.js';
import { TradeType } from '../types.js';
import type { TokenAmount, TradeFee } from './trade-fee.js';

/**
 * How an exchange charges fees, as Hummingbot's TradeFeeSchema: maker and taker percentages (as
 * fractions: 0.001 is 0.1 %), an optional token every percent fee is paid in (BNB on Binance when
 * enabled), whether a buy's percent fee comes out of what is received, and flat fees per order.
 */
export interface TradeFeeSchema {
  readonly makerPercentFeeDecimal: Decimal;
  readonly takerPercentFeeDecimal: Decimal;
  readonly percentFeeToken?: string;
  readonly buyPercentFeeDeductedFromReturns: boolean;
  readonly makerFixedFees: readonly TokenAmount[];
  readonly takerFixedFees: readonly TokenAmount[];
}

export type TradeFeeSchemaInit = Partial<TradeFeeSchema>;

function checkFraction(field: string, v: Decimal): void {
  if (!Decimal.isDecimal(v) || !v.isFinite() || v.abs().gte(1)) {
    throw new InvalidArgumentError(`fee schema: ${field} must be a fraction between -1 and 1 (0.001 is 0.1 %), got ${String(v)}`, field);
  }
}

/** A fee schema with defaults (no fees); refuses impossible values, naming the field. */
export function tradeFeeSchema(init: TradeFeeSchemaInit = {}): TradeFeeSchema {
  const schema: TradeFeeSchema = {
    makerPercentFeeDecimal: init.makerPercentFeeDecimal ?? ZERO,
    takerPercentFeeDecimal: init.takerPercentFeeDecimal ?? ZERO,
    buyPercentFeeDeductedFromReturns: init.buyPercentFeeDeductedFromReturns ?? false,
    makerFixedFees: init.makerFixedFees ?? [],
    takerFixedFees: init.takerFixedFees ?? [],
    ...(init.percentFeeToken !== undefined && { percentFeeToken: init.percentFeeToken }),
  };
  checkFraction('makerPercentFeeDecimal', schema.makerPercentFeeDecimal);
  checkFraction('takerPercentFeeDecimal', schema.takerPercentFeeDecimal);
  if (schema.percentFeeToken !== undefined && schema.buyPercentFeeDeductedFromReturns) {
    // A fee paid in a third token cannot come out of what the buy receives.
    throw new InvalidArgumentError('fee schema: percentFeeToken and buyPercentFeeDeductedFromReturns cannot both be set', 'percentFeeToken');
  }
  return Object.freeze(schema);
}

/**
 * A spot fee of this schema's kind for one side: added to the cost for a buy (unless the schema
 * deducts buy fees from returns without a fee token), deducted from the returns otherwise.
 */
export function newSpotFee(
  schema: TradeFeeSchema,
  tradeType: TradeType,
  percent: Decimal,
  percentToken: string | undefined = schema.percentFeeToken,
  flatFees: readonly TokenAmount[] = [],
): TradeFee {
  const addedToCost = tradeType === TradeType.BUY && (!schema.buyPercentFeeDeductedFromReturns || schema.percentFeeToken !== undefined);
  return {
    kind: addedToCost ? 'added_to_cost' : 'deducted_from_returns',
    percent,
    flatFees: [...flatFees],
    ...(percentToken !== undefined && { percentToken }),
  };
}
