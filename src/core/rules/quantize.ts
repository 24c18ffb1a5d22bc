import { floorToStep, type Decimal } from '../decimal.js';
import { OrderType } from '../types.js';
import type { TradingRule } from './trading-rule.js';

/**
 * Quantization always floors (as Hummingbot does): a price or an amount is never rounded up into
 * something the strategy did not ask for, such as a bigger order or a worse buy price.
 */

/** The spec's `get_order_price_quantum`: the pair's price step. */
export function getOrderPriceQuantum(rule: TradingRule, _price?: Decimal): Decimal {
  return rule.minPriceIncrement;
}

/** The spec's `get_order_size_quantum`: the pair's base amount step (the market step for market orders when the exchange has one). */
export function getOrderSizeQuantum(rule: TradingRule, _size?: Decimal, orderType: OrderType = OrderType.LIMIT): Decimal {
  if (orderType === OrderType.MARKET && rule.marketSizeIncrement !== undefined) return rule.marketSizeIncrement;
  return rule.minBaseAmountIncrement;
}

export function quantizeOrderPrice(rule: TradingRule, price: Decimal): Decimal {
  return floorToStep(price, getOrderPriceQuantum(rule, price));
}

export function quantizeOrderAmount(rule: TradingRule, amount: Decimal, orderType: OrderType = OrderType.LIMIT): Decimal {
  return floorToStep(amount, getOrderSizeQuantum(rule, amount, orderType));
}
