import type { Decimal } from '../decimal.js';
import { OrderType, type TradeType } from '../types.js';
import { newSpotFee, type TradeFeeSchema } from './fee-schema.js';
import type { TradeFee } from './trade-fee.js';

/** The spec's `get_fee` arguments. */
export interface GetFeeParams {
  readonly baseCurrency: string;
  readonly quoteCurrency: string;
  readonly orderType: OrderType;
  readonly tradeType: TradeType;
  readonly amount: Decimal;
  readonly price?: Decimal;
  /** Whether the order will be maker. Default: only LIMIT_MAKER orders are (the spec's rule). */
  readonly isMaker?: boolean;
}

/**
 * The spec's `get_fee`: an estimate of an order's fee from the fee schema in force (the connector's
 * defaults with the user's overrides, see feeSchemaFor). Fills carry the fee the exchange actually
 * charged; this is for deciding before the order exists.
 */
export function getFee(schema: TradeFeeSchema, params: GetFeeParams): TradeFee {
  const maker = params.isMaker ?? params.orderType === OrderType.LIMIT_MAKER;
  const percent = maker ? schema.makerPercentFeeDecimal : schema.takerPercentFeeDecimal;
  const flat = maker ? schema.makerFixedFees : schema.takerFixedFees;
  return newSpotFee(schema, params.tradeType, percent, schema.percentFeeToken, flat);
}
