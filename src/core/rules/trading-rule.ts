import { Decimal, ZERO } from '../decimal.js';
import { InvalidArgumentError } from '../errors.js';
import { isTradingPair } from '../trading-pair.js';
import { OrderType } from '../types.js';

/**
 * What an exchange allows for one trading pair. Connectors build these from the exchange's market
 * list (Binance: PRICE_FILTER, LOT_SIZE, MARKET_LOT_SIZE, NOTIONAL / MIN_NOTIONAL, orderTypes,
 * status). A zero increment means "no step"; an absent maximum means "no maximum".
 */
export interface TradingRule {
  readonly tradingPair: string;
  readonly minOrderSize: Decimal;
  readonly maxOrderSize?: Decimal;
  readonly minPriceIncrement: Decimal;
  readonly minBaseAmountIncrement: Decimal;
  readonly minQuoteAmountIncrement: Decimal;
  readonly minNotionalSize: Decimal;
  readonly maxNotionalSize?: Decimal;
  readonly minPrice?: Decimal;
  readonly maxPrice?: Decimal;
  /** Market orders may have their own size limits and step (Binance MARKET_LOT_SIZE). */
  readonly minMarketOrderSize?: Decimal;
  readonly maxMarketOrderSize?: Decimal;
  readonly marketSizeIncrement?: Decimal;
  /** Whether the notional limits apply to market orders too (Binance applyMinToMarket / applyMaxToMarket). */
  readonly applyMinNotionalToMarket: boolean;
  readonly applyMaxNotionalToMarket: boolean;
  readonly supportedOrderTypes: readonly OrderType[];
  /** False while the exchange has the pair halted or in break. */
  readonly tradingEnabled: boolean;
}

export type TradingRuleInit = Pick<TradingRule, 'tradingPair'> & Partial<Omit<TradingRule, 'tradingPair'>>;

const DECIMAL_FIELDS = [
  'minOrderSize',
  'maxOrderSize',
  'minPriceIncrement',
  'minBaseAmountIncrement',
  'minQuoteAmountIncrement',
  'minNotionalSize',
  'maxNotionalSize',
  'minPrice',
  'maxPrice',
  'minMarketOrderSize',
  'maxMarketOrderSize',
  'marketSizeIncrement',
] as const;

/** A trading rule with defaults filled in; refuses negative or non-finite limits, naming the field. */
export function tradingRule(init: TradingRuleInit): TradingRule {
  if (!isTradingPair(init.tradingPair)) {
    throw new InvalidArgumentError(`trading rule: tradingPair must be BASE-QUOTE, got ${JSON.stringify(init.tradingPair)}`, 'tradingPair');
  }
  for (const field of DECIMAL_FIELDS) {
    const v: unknown = init[field];
    if (v === undefined) continue;
    if (!Decimal.isDecimal(v) || !(v as Decimal).isFinite() || (v as Decimal).lt(0)) {
      throw new InvalidArgumentError(`trading rule for ${init.tradingPair}: ${field} must be a finite, non-negative Decimal, got ${String(v)}`, field);
    }
  }
  return Object.freeze({
    minOrderSize: ZERO,
    minPriceIncrement: ZERO,
    minBaseAmountIncrement: ZERO,
    minQuoteAmountIncrement: ZERO,
    minNotionalSize: ZERO,
    applyMinNotionalToMarket: true,
    applyMaxNotionalToMarket: false,
    supportedOrderTypes: [OrderType.LIMIT, OrderType.LIMIT_MAKER, OrderType.MARKET],
    tradingEnabled: true,
    ...init,
  });
}
