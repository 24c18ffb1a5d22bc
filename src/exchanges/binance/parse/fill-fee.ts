import { ZERO, type Decimal } from '../../../core/decimal.js';
import { newSpotFee } from '../../../core/fees/fee-schema.js';
import type { TradeFee } from '../../../core/fees/trade-fee.js';
import type { TradeType } from '../../../core/types.js';
import { DEFAULT_FEE_SCHEMA } from '../constants.js';

/**
 * The fee Binance charged on one fill, as a flat fee in its commission asset. Binance takes it out
 * of what the fill delivers (or in BNB), so the fee is deducted from returns on both sides. A zero
 * commission (or none, `N: null`) gives no flat fee.
 */
export function fillFee(tradeType: TradeType, commissionAsset: string | null | undefined, commission: Decimal): TradeFee {
  const asset = commissionAsset ?? undefined;
  const flat = asset !== undefined && !commission.isZero() ? [{ token: asset, amount: commission }] : [];
  return newSpotFee(DEFAULT_FEE_SCHEMA, tradeType, ZERO, asset, flat);
}
