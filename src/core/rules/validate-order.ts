import type { Decimal } from '../decimal.js';
import { InvalidOrderError } from '../errors.js';
import { OrderType, type TradeType } from '../types.js';
import { getOrderPriceQuantum, getOrderSizeQuantum } from './quantize.js';
import type { TradingRule } from './trading-rule.js';

/** The rule an order broke. */
export type TradingRuleName =
  | 'trading_disabled'
  | 'order_type'
  | 'min_order_size'
  | 'max_order_size'
  | 'size_increment'
  | 'min_price'
  | 'max_price'
  | 'price_increment'
  | 'min_notional'
  | 'max_notional';

/**
 * An order that breaks its pair's trading rule: which rule (`rule`), the order's value (`actual`),
 * the rule's limit (`limit`) and by how much it misses (`by`, always positive). Not retryable.
 */
export class TradingRuleViolation extends InvalidOrderError {
  declare readonly rule: TradingRuleName;

  constructor(
    readonly tradingPair: string,
    rule: TradingRuleName,
    message: string,
    readonly actual?: Decimal,
    readonly limit?: Decimal,
    readonly by?: Decimal,
  ) {
    super(`${tradingPair}: ${message}`, rule);
  }
}

/** The order as it will be sent. For a market order, `price` is a reference price (to check notional limits), if known. */
export interface OrderCandidate {
  readonly orderType: OrderType;
  readonly tradeType: TradeType;
  readonly amount: Decimal;
  readonly price?: Decimal;
}

function below(pair: string, rule: TradingRuleName, what: string, actual: Decimal, limit: Decimal): TradingRuleViolation {
  const by = limit.minus(actual);
  return new TradingRuleViolation(pair, rule, `${what} ${actual.toString()} is below the minimum ${limit.toString()} (short by ${by.toString()})`, actual, limit, by);
}

function above(pair: string, rule: TradingRuleName, what: string, actual: Decimal, limit: Decimal): TradingRuleViolation {
  const by = actual.minus(limit);
  return new TradingRuleViolation(pair, rule, `${what} ${actual.toString()} is above the maximum ${limit.toString()} (over by ${by.toString()})`, actual, limit, by);
}

function offStep(pair: string, rule: TradingRuleName, what: string, actual: Decimal, step: Decimal): TradingRuleViolation | undefined {
  if (step.isZero()) return undefined;
  const rest = actual.mod(step);
  if (rest.isZero()) return undefined;
  return new TradingRuleViolation(pair, rule, `${what} ${actual.toString()} is not a multiple of ${step.toString()} (off by ${rest.toString()})`, actual, step, rest);
}

/**
 * Checks an order against its trading rule and returns the first rule it breaks, or undefined.
 * Connectors quantize first (quantize.ts), then check; a violation becomes OrderFailed before any
 * request is sent.
 */
export function checkOrderAgainstRule(rule: TradingRule, order: OrderCandidate): TradingRuleViolation | undefined {
  const pair = rule.tradingPair;
  const market = order.orderType === OrderType.MARKET;
  if (!rule.tradingEnabled) return new TradingRuleViolation(pair, 'trading_disabled', 'trading is not enabled on the exchange');
  if (!rule.supportedOrderTypes.includes(order.orderType)) {
    return new TradingRuleViolation(pair, 'order_type', `${order.orderType} orders are not supported (only ${rule.supportedOrderTypes.join(', ')})`);
  }

  const amount = order.amount;
  const minSize = market ? (rule.minMarketOrderSize ?? rule.minOrderSize) : rule.minOrderSize;
  const maxSize = market ? (rule.maxMarketOrderSize ?? rule.maxOrderSize) : rule.maxOrderSize;
  if (amount.lte(0)) {
    // Typically an amount floored to zero by quantization.
    return new TradingRuleViolation(pair, 'min_order_size', `amount ${amount.toString()} is not above zero (minimum ${minSize.toString()})`, amount, minSize, minSize.minus(amount));
  }
  if (amount.lt(minSize)) return below(pair, 'min_order_size', 'amount', amount, minSize);
  if (maxSize !== undefined && amount.gt(maxSize)) return above(pair, 'max_order_size', 'amount', amount, maxSize);
  const sizeStep = offStep(pair, 'size_increment', 'amount', amount, getOrderSizeQuantum(rule, amount, order.orderType));
  if (sizeStep) return sizeStep;

  const price = order.price;
  if (price === undefined) return undefined;
  if (!market) {
    if (rule.minPrice !== undefined && rule.minPrice.gt(0) && price.lt(rule.minPrice)) return below(pair, 'min_price', 'price', price, rule.minPrice);
    if (rule.maxPrice !== undefined && rule.maxPrice.gt(0) && price.gt(rule.maxPrice)) return above(pair, 'max_price', 'price', price, rule.maxPrice);
    const priceStep = offStep(pair, 'price_increment', 'price', price, getOrderPriceQuantum(rule, price));
    if (priceStep) return priceStep;
  }
  const notional = price.mul(amount);
  if ((!market || rule.applyMinNotionalToMarket) && notional.lt(rule.minNotionalSize)) return below(pair, 'min_notional', 'notional', notional, rule.minNotionalSize);
  if ((!market || rule.applyMaxNotionalToMarket) && rule.maxNotionalSize !== undefined && rule.maxNotionalSize.gt(0) && notional.gt(rule.maxNotionalSize)) {
    return above(pair, 'max_notional', 'notional', notional, rule.maxNotionalSize);
  }
  return undefined;
}

/** Throws the TradingRuleViolation checkOrderAgainstRule finds. */
export function validateOrder(rule: TradingRule, order: OrderCandidate): void {
  const violation = checkOrderAgainstRule(rule, order);
  if (violation) throw violation;
}
