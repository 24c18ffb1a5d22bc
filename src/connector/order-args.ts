import { toDecimal, type Decimal } from '../core/decimal.js';
import { InvalidArgumentError, InvalidOrderError } from '../core/errors.js';
import { checkOrderAgainstRule } from '../core/rules/validate-order.js';
import { quantizeOrderAmount, quantizeOrderPrice } from '../core/rules/quantize.js';
import type { TradingRule } from '../core/rules/trading-rule.js';
import { isTradingPair } from '../core/trading-pair.js';
import { OrderType, isOrderType, type TradeType } from '../core/types.js';

/** A decimal argument: a Decimal or the exact string (`"0.001"`). A JS float is refused: it may already be inexact. */
export type DecimalArg = Decimal | string;

/** An order a strategy asks for, as `buy`, `sell` and `submitOrder` take it. */
export interface OrderRequest {
  readonly tradingPair: string;
  readonly amount: DecimalArg;
  /** Default LIMIT. */
  readonly orderType?: OrderType;
  /** Required for LIMIT and LIMIT_MAKER. For MARKET it is only a reference for the minimum notional check. */
  readonly price?: DecimalArg;
}

/** The order's arguments, checked and read exactly. */
export interface OrderArgs {
  readonly tradingPair: string;
  readonly tradeType: TradeType;
  readonly orderType: OrderType;
  readonly amount: Decimal;
  /** The limit price; absent for a market order. */
  readonly price?: Decimal;
  /** A market order's reference price, when the caller gave one. */
  readonly referencePrice?: Decimal;
}

function positive(value: unknown, field: string): Decimal {
  let d: Decimal;
  try {
    d = toDecimal(value, field);
  } catch {
    throw new InvalidArgumentError(`${field} must be a Decimal or a decimal string, got ${describe(value)}`, field);
  }
  if (!d.gt(0)) throw new InvalidArgumentError(`${field} must be above zero, got ${d.toString()}`, field);
  return d;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return `the number ${value} (pass a string or a Decimal: a float may be inexact)`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Checks a buy or sell before anything happens: a bad argument throws InvalidArgumentError at once,
 * naming the field, and nothing is tracked or sent.
 */
export function readOrderArgs(request: OrderRequest, tradeType: TradeType, supported: readonly OrderType[]): OrderArgs {
  const { tradingPair } = request;
  if (!isTradingPair(tradingPair)) {
    throw new InvalidArgumentError(`tradingPair must be BASE-QUOTE in capitals (BTC-USDT), got ${describe(tradingPair)}`, 'tradingPair');
  }
  const orderType = request.orderType ?? OrderType.LIMIT;
  if (!isOrderType(orderType)) throw new InvalidArgumentError(`orderType must be one of ${Object.values(OrderType).join(', ')}, got ${describe(orderType)}`, 'orderType');
  if (!supported.includes(orderType)) {
    throw new InvalidArgumentError(`${orderType} orders are not supported by this exchange (only ${supported.join(', ')})`, 'orderType');
  }
  const amount = positive(request.amount, 'amount');
  if (orderType === OrderType.MARKET) {
    const referencePrice = request.price === undefined ? undefined : positive(request.price, 'price');
    return { tradingPair, tradeType, orderType, amount, ...(referencePrice && { referencePrice }) };
  }
  if (request.price === undefined) throw new InvalidArgumentError(`price is required for a ${orderType} order`, 'price');
  return { tradingPair, tradeType, orderType, amount, price: positive(request.price, 'price') };
}

/**
 * The order as it will be sent: price and amount floored to the pair's steps (never rounded up into
 * a bigger order or a worse price). Done before tracking, so the tracked order is exactly what is
 * sent. An amount that would floor to zero is left as asked: the rule check then fails it, naming
 * the minimum.
 */
export function quantizeOrderArgs(args: OrderArgs, rule: TradingRule | undefined): OrderArgs {
  if (!rule) return args;
  const amount = quantizeOrderAmount(rule, args.amount, args.orderType);
  const price = args.price === undefined ? undefined : quantizeOrderPrice(rule, args.price);
  return {
    ...args,
    amount: amount.gt(0) ? amount : args.amount,
    ...(price !== undefined && { price: price.gt(0) ? price : args.price }),
  };
}

/**
 * The rule the order breaks, checked before anything is sent: no rule for the pair (not listed, or
 * the rules are not loaded yet), then its pair's trading rule (a TradingRuleViolation naming it).
 * A market order's notional is checked at its reference price when one is known.
 */
export function ruleViolation(
  rules: ReadonlyMap<string, TradingRule>,
  args: OrderArgs,
  referencePrice: (tradingPair: string, side: TradeType) => Decimal | undefined,
): InvalidOrderError | undefined {
  const rule = rules.get(args.tradingPair);
  if (!rule) {
    const why = rules.size === 0 ? 'the trading rules are not loaded yet' : 'the exchange does not list this pair';
    return new InvalidOrderError(`${args.tradingPair}: no trading rule (${why}): the order was not sent`, 'trading_rule');
  }
  const price = args.price ?? args.referencePrice ?? referencePrice(args.tradingPair, args.tradeType);
  return checkOrderAgainstRule(rule, { orderType: args.orderType, tradeType: args.tradeType, amount: args.amount, ...(price !== undefined && { price }) });
}
