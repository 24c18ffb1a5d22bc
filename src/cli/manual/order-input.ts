import { toDecimal, type Decimal } from '../../core/decimal.js';
import { pollUntil } from '../../core/poll-until.js';
import { checkOrderAgainstRule } from '../../core/rules/validate-order.js';
import { OrderType, type TradeType } from '../../core/types.js';
import type { BinanceExchange } from '../../exchanges/binance/exchange.js';
import { knownPair } from '../venue/connect.js';
import { UsageError } from '../venue/venue.js';

/** An order typed by hand, checked against the exchange's rules: nothing is sent unless it passes. */
export interface ManualOrder {
  readonly tradingPair: string;
  readonly amount: Decimal;
  readonly price?: Decimal;
  readonly orderType: OrderType;
}

function decimalArg(name: string, value: string): Decimal {
  let d: Decimal;
  try {
    d = toDecimal(value, name);
  } catch {
    throw new UsageError(`${name} must be a decimal number such as 0.001, got ${JSON.stringify(value)}`);
  }
  if (!d.gt(0)) throw new UsageError(`${name} must be above zero, got ${value}`);
  return d;
}

/**
 * Reads and checks a hand-typed order. A price off the tick or an amount off the step is refused
 * (not silently rounded: the person meant something), as are amounts and notionals below the
 * minimum. A market order's notional is checked at the best price of the book it would take.
 */
export async function readManualOrder(exchange: BinanceExchange, side: TradeType, args: { pair: string; amount: string; price?: string; type?: string }): Promise<ManualOrder> {
  const tradingPair = knownPair(exchange, args.pair);
  const amount = decimalArg('AMOUNT', args.amount);
  const price = args.price === undefined ? undefined : decimalArg('PRICE', args.price);
  const orderType = (args.type ?? (price === undefined ? OrderType.MARKET : OrderType.LIMIT)).toUpperCase() as OrderType;
  if (!Object.values(OrderType).includes(orderType)) throw new UsageError(`--type must be one of ${Object.values(OrderType).join(', ')}, got ${JSON.stringify(args.type)}`);
  if (orderType === OrderType.MARKET && price !== undefined) throw new UsageError('a MARKET order takes no PRICE: leave it out, or use --type LIMIT');
  if (orderType !== OrderType.MARKET && price === undefined) throw new UsageError(`a ${orderType} order needs a PRICE`);
  const rule = exchange.tradingRules.get(tradingPair)!;
  const reference = price ?? (await bestPrice(exchange, tradingPair, side));
  const violation = checkOrderAgainstRule(rule, { orderType, tradeType: side, amount, ...(reference !== undefined && { price: reference }) });
  if (violation) throw new UsageError(`order not sent: ${violation.message}${orderType === OrderType.MARKET && violation.rule.includes('notional') ? ' (at the best price of the book)' : ''}`);
  return { tradingPair, amount, orderType, ...(price !== undefined && { price }) };
}

/** The price a market order would start at: the best ask for a buy, the best bid for a sell. */
async function bestPrice(exchange: BinanceExchange, pair: string, side: TradeType): Promise<Decimal | undefined> {
  await exchange.addTradingPair(pair);
  await pollUntil(() => exchange.statusDict.orderBooks, 10_000);
  return exchange.orderBooks.get(pair)?.getPrice(side === 'BUY');
}
