import { z } from 'zod';
import { decimalJSON, parseWith } from '../json.js';
import { tradeFeeSchema, type TradeFeeSchema } from './fee-schema.js';

/**
 * The user's fee override configuration, per connector (Hummingbot's `{exchange}_maker_percent_fee`
 * and friends). Percentages are written in percent, as a user reads them on the exchange's fee page:
 * `makerPercentFee: "0.075"` is 0.075 %. Decimals as strings; every field optional.
 *
 * ```yaml
 * fees:
 *   binance:
 *     makerPercentFee: "0.075"
 *     takerPercentFee: "0.075"
 *     percentFeeToken: BNB
 * ```
 */
const tokenAmount = z.union([
  z.object({ token: z.string().min(1), amount: decimalJSON }),
  z.tuple([z.string().min(1), decimalJSON]).transform(([token, amount]) => ({ token, amount })),
]);

export const feeOverrideSchema = z.strictObject({
  makerPercentFee: decimalJSON.optional(),
  takerPercentFee: decimalJSON.optional(),
  percentFeeToken: z.string().min(1).nullish(),
  buyPercentFeeDeductedFromReturns: z.boolean().optional(),
  makerFixedFees: z.array(tokenAmount).optional(),
  takerFixedFees: z.array(tokenAmount).optional(),
});

export type FeeOverride = z.output<typeof feeOverrideSchema>;

/** Overrides by connector name. */
export type FeeOverrides = Readonly<Record<string, FeeOverride>>;

/** Reads the override configuration (from YAML or JSON); a bad value throws MalformedDataError naming it. */
export function parseFeeOverrides(data: unknown): FeeOverrides {
  return parseWith(z.record(z.string(), feeOverrideSchema), data ?? {}, 'fee overrides');
}

/** The connector's default schema with the user's override laid over it. */
export function applyFeeOverride(defaults: TradeFeeSchema, override: FeeOverride | undefined): TradeFeeSchema {
  if (!override) return defaults;
  const token = override.percentFeeToken === null ? undefined : (override.percentFeeToken ?? defaults.percentFeeToken);
  return tradeFeeSchema({
    makerPercentFeeDecimal: override.makerPercentFee?.div(100) ?? defaults.makerPercentFeeDecimal,
    takerPercentFeeDecimal: override.takerPercentFee?.div(100) ?? defaults.takerPercentFeeDecimal,
    // A fee token set by the user implies buy fees are not deducted from returns (they are paid in the token).
    buyPercentFeeDeductedFromReturns:
      override.buyPercentFeeDeductedFromReturns ?? (token !== undefined ? false : defaults.buyPercentFeeDeductedFromReturns),
    makerFixedFees: override.makerFixedFees ?? defaults.makerFixedFees,
    takerFixedFees: override.takerFixedFees ?? defaults.takerFixedFees,
    ...(token !== undefined && { percentFeeToken: token }),
  });
}

/** The fee schema in force for `connector`. */
export function feeSchemaFor(connector: string, defaults: TradeFeeSchema, overrides: FeeOverrides = {}): TradeFeeSchema {
  return applyFeeOverride(defaults, overrides[connector]);
}
