import { Decimal, ZERO } from '../../core/decimal.js';
import type { OrderFilledEvent } from '../../core/events/order-events.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { TradingRule } from '../../core/rules/trading-rule.js';
import { isTradingPair, splitTradingPair } from '../../core/trading-pair.js';
import { OrderType, TradeType } from '../../core/types.js';
import { Strategy, type StrategyOptions } from '../strategy.js';
import { computeQuotes, marketTop, type OwnLevel, type QuotePlan } from './quotes.js';

/** The market maker's settings (validated by `marketMakingParamsSchema` when they come from a file). */
export interface MarketMakingParams {
  readonly tradingPair: string;
  /** Base amount of each quote at a flat position. */
  readonly orderAmount: Decimal;
  /** Total width of the quotes relative to the market's mid (0.001 = 0.1 %: each quote 0.05 % from mid). */
  readonly spread: Decimal;
  /** Requote when the mid has moved more than this (relative) from the mid the quotes were made at. */
  readonly refreshTolerance: Decimal;
  /** Requote quotes older than this, whatever the price did. */
  readonly maxOrderAgeMs: number;
  /** LIMIT_MAKER (post-only: never takes) or LIMIT. */
  readonly orderType: OrderType.LIMIT | OrderType.LIMIT_MAKER;
  /** Inventory limit in base: at this position the side that would grow it stops quoting. */
  readonly maxPosition: Decimal;
  /** How far quotes lean against the inventory, 0 to 1 (see computeQuotes). */
  readonly skew: Decimal;
  /** How long a requote waits for the old quotes' cancellations before it tries again on a later tick. */
  readonly cancelTimeoutMs: number;
}

export const MARKET_MAKING_DEFAULTS: MarketMakingParams = Object.freeze({
  tradingPair: 'BTC-USDT',
  orderAmount: new Decimal('0.001'),
  spread: new Decimal('0.0001'),
  refreshTolerance: new Decimal('0.0001'),
  maxOrderAgeMs: 15_000,
  orderType: OrderType.LIMIT_MAKER,
  maxPosition: new Decimal('0.01'),
  skew: new Decimal('1'),
  cancelTimeoutMs: 3_000,
});

/** What the market maker is doing, for the terminal view. */
export interface MarketMakerStatus {
  readonly tradingPair: string;
  /** The mid the resting quotes were made at. */
  readonly quotedMid: Decimal | undefined;
  /** The market's mid without the bot's own orders, at the last tick. */
  readonly marketMid: Decimal | undefined;
  readonly position: Decimal;
  readonly inventoryRatio: Decimal;
  /** Sides left unquoted at the last quote, with the reason. */
  readonly skipped: readonly string[];
  readonly requotes: number;
}

/**
 * A pure market maker: a bid and an ask around the market's mid at `spread`, refreshed when the mid
 * moves beyond `refreshTolerance`, when a quote fills, or when quotes are older than
 * `maxOrderAgeMs`; sized and shifted against the inventory it builds up; on the pair's steps; never
 * more than the balances allow. A refresh cancels the old quotes and waits for the cancellations
 * before placing new ones, so the bot never has more than one bid and one ask resting.
 */
export class MarketMakingStrategy extends Strategy {
  readonly name = 'market-making';
  readonly tradingPairs: readonly string[];
  readonly params: MarketMakingParams;
  private readonly base: string;
  private readonly quote: string;
  private position = ZERO;
  private quotedMid: Decimal | undefined;
  private quotedAt = 0;
  private lastMid: Decimal | undefined;
  private filledSinceQuote = false;
  private lastPlan: QuotePlan | undefined;
  private lastSkipped = '';
  private requotes = 0;

  constructor(params: Partial<MarketMakingParams> = {}, options: StrategyOptions = {}) {
    super(options);
    this.params = checkParams({ ...MARKET_MAKING_DEFAULTS, ...params });
    this.tradingPairs = [this.params.tradingPair];
    const { base, quote } = splitTradingPair(this.params.tradingPair);
    this.base = base;
    this.quote = quote;
  }

  get status(): MarketMakerStatus {
    return {
      tradingPair: this.params.tradingPair,
      quotedMid: this.quotedMid,
      marketMid: this.lastMid,
      position: this.position,
      inventoryRatio: this.lastPlan?.inventoryRatio ?? ZERO,
      skipped: this.lastPlan?.skipped.map((s) => s.reason) ?? [],
      requotes: this.requotes,
    };
  }

  protected override onOrderFilled(event: OrderFilledEvent): void {
    if (event.tradingPair !== this.params.tradingPair) return;
    this.position = event.side === TradeType.BUY ? this.position.plus(event.amount) : this.position.minus(event.amount);
    this.filledSinceQuote = true;
  }

  protected override async onTick(now: number): Promise<void> {
    const pair = this.params.tradingPair;
    const book = this.orderBook(pair);
    const rule = this.tradingRule(pair);
    if (!book || !rule) return;
    const resting = this.activeOrders;
    const own: OwnLevel[] = [];
    for (const o of resting) if (o.price !== undefined) own.push({ side: o.tradeType, price: o.price, remaining: o.amount.minus(o.executedAmountBase) });
    const mid = marketTop(book.bidEntries(), book.askEntries(), own).mid;
    this.lastMid = mid;
    if (!mid) return;

    if (resting.length > 0) {
      if (!this.needsRefresh(mid, now)) return;
      if (!(await this.cancelOpenOrders(this.params.cancelTimeoutMs, resting))) return;
      if (this.state !== 'running') return;
    }
    this.placeQuotes(mid, now, rule);
  }

  private needsRefresh(mid: Decimal, now: number): boolean {
    if (this.filledSinceQuote || this.quotedMid === undefined) return true;
    if (now - this.quotedAt >= this.params.maxOrderAgeMs) return true;
    return mid.minus(this.quotedMid).abs().div(this.quotedMid).gt(this.params.refreshTolerance);
  }

  private placeQuotes(mid: Decimal, now: number, rule: TradingRule): void {
    const plan = computeQuotes({
      mid,
      spread: this.params.spread,
      orderAmount: this.params.orderAmount,
      position: this.position,
      maxPosition: this.params.maxPosition,
      skew: this.params.skew,
      orderType: this.params.orderType,
      rule,
      available: { base: this.availableBalance(this.base), quote: this.availableBalance(this.quote) },
    });
    this.lastPlan = plan;
    this.quotedMid = mid;
    this.quotedAt = now;
    this.filledSinceQuote = false;
    this.requotes += 1;
    const pair = this.params.tradingPair;
    if (plan.bid) this.buy(pair, plan.bid.amount, plan.bid.price, this.params.orderType);
    if (plan.ask) this.sell(pair, plan.ask.amount, plan.ask.price, this.params.orderType);
    const skipped = plan.skipped.map((s) => `${s.side}: ${s.reason}`).join('; ');
    if (skipped !== this.lastSkipped) {
      if (skipped) this.logger.info({ skipped }, 'market maker: some sides not quoted');
      this.lastSkipped = skipped;
    }
  }
}

/** Refuses settings the market maker cannot work with, naming the field. */
function checkParams(p: MarketMakingParams): MarketMakingParams {
  const fail = (field: string, allowed: string, got: unknown): never => {
    throw new InvalidArgumentError(`market making: ${field} must be ${allowed}, got ${String(got)}`, field);
  };
  if (!isTradingPair(p.tradingPair)) fail('tradingPair', 'BASE-QUOTE in capitals (BTC-USDT)', p.tradingPair);
  if (!p.orderAmount.gt(0)) fail('orderAmount', 'above zero', p.orderAmount);
  if (!(p.spread.gt(0) && p.spread.lt(1))) fail('spread', 'above 0 and below 1', p.spread);
  if (p.refreshTolerance.lt(0)) fail('refreshTolerance', 'zero or more', p.refreshTolerance);
  if (!p.maxPosition.gt(0)) fail('maxPosition', 'above zero', p.maxPosition);
  if (p.skew.lt(0) || p.skew.gt(1)) fail('skew', 'from 0 to 1', p.skew);
  if (p.orderType !== OrderType.LIMIT && p.orderType !== OrderType.LIMIT_MAKER) fail('orderType', 'LIMIT or LIMIT_MAKER', p.orderType);
  for (const field of ['maxOrderAgeMs', 'cancelTimeoutMs'] as const) {
    if (!(Number.isFinite(p[field]) && p[field] > 0)) fail(field, 'a positive number of milliseconds', p[field]);
  }
  return Object.freeze({ ...p });
}
