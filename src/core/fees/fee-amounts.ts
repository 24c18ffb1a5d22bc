import { ZERO, type Decimal } from '../decimal.js';
import { InvalidArgumentError } from '../errors.js';
import { splitTradingPair } from '../trading-pair.js';
import { TradeType } from '../types.js';
import type { TokenAmount, TradeFee } from './trade-fee.js';

/** The trade a fee applies to: base `amount` at `price`. */
export interface FeeContext {
  readonly tradingPair: string;
  readonly tradeType: TradeType;
  readonly price: Decimal;
  readonly amount: Decimal;
}

/**
 * Converts an amount between tokens outside the trading pair (a BNB fee on BTC-USDT). Returns
 * undefined when no rate is known. venuekit has no rate oracle of its own: the caller brings one.
 */
export type TokenConverter = (amount: Decimal, from: string, to: string) => Decimal | undefined;

/**
 * The token a percent fee is charged in when the fee does not name one: what is received for a
 * deducted-from-returns fee (base on a buy, quote on a sell), the quote otherwise.
 */
export function percentFeeToken(fee: TradeFee, tradeType: TradeType, tradingPair: string): string {
  if (fee.percentToken !== undefined) return fee.percentToken;
  const { base, quote } = splitTradingPair(tradingPair);
  if (fee.kind === 'deducted_from_returns' && tradeType === TradeType.BUY) return base;
  return quote;
}

/** Moves `amount` of `from` into `to` using the trade's own price for base and quote, else `convert`. */
function inToken(amount: Decimal, from: string, to: string, ctx: FeeContext, convert?: TokenConverter): Decimal {
  if (from === to || amount.isZero()) return amount;
  const { base, quote } = splitTradingPair(ctx.tradingPair);
  if (from === base && to === quote) return amount.mul(ctx.price);
  if (from === quote && to === base) return amount.div(ctx.price);
  const converted = convert?.(amount, from, to);
  if (converted === undefined) {
    throw new InvalidArgumentError(`no rate to express a ${from} fee in ${to}: pass a TokenConverter`, 'convert');
  }
  return converted;
}

/**
 * The percent part of the fee, in the token it is charged in: a share of the base amount when
 * charged in base, of the notional otherwise (converted from quote for a token outside the pair).
 */
function percentPart(fee: TradeFee, ctx: FeeContext, convert?: TokenConverter): TokenAmount | undefined {
  if (fee.percent.isZero()) return undefined;
  const token = percentFeeToken(fee, ctx.tradeType, ctx.tradingPair);
  const { base, quote } = splitTradingPair(ctx.tradingPair);
  if (token === base) return { token, amount: ctx.amount.mul(fee.percent) };
  const inQuote = ctx.price.mul(ctx.amount).mul(fee.percent);
  return { token, amount: inToken(inQuote, quote, token, ctx, convert) };
}

/** Every token this fee charges on the trade, with its amount (flat fees and the percent part, merged by token). */
export function feeAmountsByToken(fee: TradeFee, ctx: FeeContext, convert?: TokenConverter): TokenAmount[] {
  const byToken = new Map<string, Decimal>();
  const parts = [percentPart(fee, ctx, convert), ...fee.flatFees];
  for (const part of parts) {
    if (part) byToken.set(part.token, (byToken.get(part.token) ?? ZERO).plus(part.amount));
  }
  return [...byToken].map(([token, amount]) => ({ token, amount }));
}

/** The whole fee expressed in one token. */
export function feeAmountInToken(fee: TradeFee, ctx: FeeContext, token: string, convert?: TokenConverter): Decimal {
  let total = ZERO;
  for (const part of feeAmountsByToken(fee, ctx, convert)) total = total.plus(inToken(part.amount, part.token, token, ctx, convert));
  return total;
}

/** What the fee adds on top of the order's cost (nothing for a deducted-from-returns fee). */
export function feeAddedToCost(fee: TradeFee, ctx: FeeContext, convert?: TokenConverter): TokenAmount[] {
  return fee.kind === 'added_to_cost' ? feeAmountsByToken(fee, ctx, convert) : [];
}

/** What the fee takes out of what the order receives (nothing for an added-to-cost fee). */
export function feeDeductedFromReturns(fee: TradeFee, ctx: FeeContext, convert?: TokenConverter): TokenAmount[] {
  return fee.kind === 'deducted_from_returns' ? feeAmountsByToken(fee, ctx, convert) : [];
}
