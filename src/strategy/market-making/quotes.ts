import { Decimal, ZERO, floorToStep } from '../../core/decimal.js';
import { getOrderPriceQuantum, getOrderSizeQuantum } from '../../core/rules/quantize.js';
import type { TradingRule } from '../../core/rules/trading-rule.js';
import { checkOrderAgainstRule } from '../../core/rules/validate-order.js';
import { TradeType, type OrderType } from '../../core/types.js';

/** What the market maker knows when it quotes. */
export interface QuoteInput {
  /** The market's mid price, without the strategy's own orders. */
  readonly mid: Decimal;
  /** Total width of the quotes relative to mid: the bid is at mid × (1 − spread/2), the ask at mid × (1 + spread/2). */
  readonly spread: Decimal;
  /** Base amount of each quote at a flat position. */
  readonly orderAmount: Decimal;
  /** Base bought minus base sold by the strategy so far. */
  readonly position: Decimal;
  /** The position (either way) at which the side that would grow it stops quoting. Above zero. */
  readonly maxPosition: Decimal;
  /**
   * How far both quotes lean against the position, from 0 (never) to 1: at the full position they
   * move by this share of the half spread, so the side that reduces the position is nearer the mid.
   */
  readonly skew: Decimal;
  readonly orderType: OrderType;
  readonly rule: TradingRule;
  /** What new orders may use. */
  readonly available: { readonly base: Decimal; readonly quote: Decimal };
}

export interface Quote {
  readonly side: TradeType;
  readonly price: Decimal;
  readonly amount: Decimal;
}

export interface QuotePlan {
  readonly bid?: Quote;
  readonly ask?: Quote;
  /** Sides not quoted, and why. */
  readonly skipped: readonly { readonly side: TradeType; readonly reason: string }[];
  /** position / maxPosition, clamped to [−1, 1]. */
  readonly inventoryRatio: Decimal;
}

const ONE = new Decimal(1);
const TWO = new Decimal(2);

function clamp(x: Decimal, lo: Decimal, hi: Decimal): Decimal {
  return Decimal.max(lo, Decimal.min(hi, x));
}

function ceilToStep(value: Decimal, step: Decimal): Decimal {
  if (step.isZero()) return value;
  return value.div(step).ceil().mul(step);
}

/**
 * The bid and ask to place: around `mid` at `spread`, leaning against the inventory, on the pair's
 * price and size steps (the bid rounded down and the ask up, so neither moves nearer the mid than
 * asked), shrunk to what the balances allow, and checked against the trading rule. Pure.
 */
export function computeQuotes(input: QuoteInput): QuotePlan {
  const { mid, rule } = input;
  const ratio = clamp(input.position.div(input.maxPosition), ONE.neg(), ONE);
  const half = input.spread.div(TWO);
  const shift = ratio.mul(input.skew).mul(half);
  const tick = getOrderPriceQuantum(rule);
  const step = getOrderSizeQuantum(rule, undefined, input.orderType);

  const bidPrice = floorToStep(mid.mul(ONE.minus(half).minus(shift)), tick);
  let askPrice = ceilToStep(mid.mul(ONE.plus(half).minus(shift)), tick);
  if (askPrice.lte(bidPrice)) askPrice = bidPrice.plus(tick.isZero() ? mid.mul(half) : tick);

  const skipped: { side: TradeType; reason: string }[] = [];
  const plan = (side: TradeType, price: Decimal, share: Decimal): Quote | undefined => {
    const base = side === TradeType.BUY ? 'buy' : 'sell';
    if (!price.gt(0)) {
      skipped.push({ side, reason: `${base} price ${price.toString()} is not above zero` });
      return undefined;
    }
    let amount = floorToStep(input.orderAmount.mul(share), step);
    if (!amount.gt(0)) {
      skipped.push({ side, reason: `position ${input.position.toString()} is at the limit ${input.maxPosition.toString()}` });
      return undefined;
    }
    const affordable = side === TradeType.BUY ? floorToStep(input.available.quote.div(price), step) : floorToStep(input.available.base, step);
    const shrunk = affordable.lt(amount);
    if (shrunk) amount = affordable;
    const violation = checkOrderAgainstRule(rule, { orderType: input.orderType, tradeType: side, amount, price });
    if (violation) {
      const funds = side === TradeType.BUY ? `${input.available.quote.toString()} quote` : `${input.available.base.toString()} base`;
      skipped.push({ side, reason: shrunk ? `${violation.message} (shrunk to the available ${funds})` : violation.message });
      return undefined;
    }
    return { side, price, amount };
  };

  const bid = plan(TradeType.BUY, bidPrice, ONE.minus(Decimal.max(ZERO, ratio)));
  const ask = plan(TradeType.SELL, askPrice, ONE.plus(Decimal.min(ZERO, ratio)));
  return { ...(bid && { bid }), ...(ask && { ask }), skipped, inventoryRatio: ratio };
}

/** The strategy's own resting orders, to take out of the book before reading the market's prices. */
export interface OwnLevel {
  readonly side: TradeType;
  readonly price: Decimal;
  /** What is left of the order on the exchange. */
  readonly remaining: Decimal;
}

/** A book side as levels of exact strings, best first. */
export type BookSideLevels = Iterable<{ readonly price: string; readonly amount: string }>;

/**
 * The best bid and ask of everyone but the strategy: each level minus the strategy's own remaining
 * amounts at that price, skipping levels that are only the strategy's. Without this the market
 * maker would quote around its own quotes and never follow the market.
 */
export function marketTop(bids: BookSideLevels, asks: BookSideLevels, own: readonly OwnLevel[]): { bid?: Decimal; ask?: Decimal; mid?: Decimal } {
  const first = (levels: BookSideLevels, side: TradeType): Decimal | undefined => {
    for (const level of levels) {
      const price = new Decimal(level.price);
      let amount = new Decimal(level.amount);
      for (const o of own) if (o.side === side && o.price.eq(price)) amount = amount.minus(o.remaining);
      if (amount.gt(0)) return price;
    }
    return undefined;
  };
  const bid = first(bids, TradeType.BUY);
  const ask = first(asks, TradeType.SELL);
  const mid = bid && ask ? bid.plus(ask).div(TWO) : undefined;
  return { ...(bid && { bid }), ...(ask && { ask }), ...(mid && { mid }) };
}
