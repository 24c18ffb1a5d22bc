import type { Decimal } from '../../core/decimal.js';
import { ZERO } from '../../core/decimal.js';
import type { OrderEvent } from '../../core/events/order-events.js';
import { splitTradingPair } from '../../core/trading-pair.js';
import type { BinanceExchange } from '../../exchanges/binance/exchange.js';
import type { MarketMakingStrategy } from '../../strategy/market-making/market-maker.js';
import { PnlTracker } from '../../strategy/pnl.js';
import { feeText } from '../view/fee-text.js';
import { viewConnector, type ViewCounts, type ViewFill, type ViewSnapshot } from '../view/snapshot.js';

/** What one run of the bot did, from the connector's events: counts, fills, fees, PnL. */
export class BotSession {
  readonly pnl = new PnlTracker();
  readonly startedAt: number;
  firstFillAt: number | undefined;
  private readonly fills: ViewFill[] = [];
  private readonly feesByToken = new Map<string, Decimal>();
  private counts: ViewCounts = { placed: 0, fills: 0, cancelled: 0, failed: 0 };
  state = 'starting';

  constructor(
    readonly exchange: BinanceExchange,
    readonly strategy: MarketMakingStrategy,
    readonly venueLabel: string,
    readonly account: string,
    private readonly keepFills: number,
    now: number,
  ) {
    this.startedAt = now;
  }

  get tradingPair(): string {
    return this.strategy.params.tradingPair;
  }

  /** Counts one order event (the tracker emits each once). */
  record(event: OrderEvent): void {
    const c = this.counts;
    switch (event.type) {
      case 'OrderCreated':
        this.counts = { ...c, placed: c.placed + 1 };
        break;
      case 'OrderCancelled':
        this.counts = { ...c, cancelled: c.cancelled + 1 };
        break;
      case 'OrderFailed':
        this.counts = { ...c, failed: c.failed + 1 };
        break;
      case 'OrderFilled': {
        this.counts = { ...c, fills: c.fills + 1 };
        this.firstFillAt ??= event.timestamp;
        this.pnl.apply({ tradingPair: event.tradingPair, side: event.side, price: event.price, amount: event.amount, fee: event.fee });
        for (const f of event.fee.flatFees) this.feesByToken.set(f.token, (this.feesByToken.get(f.token) ?? ZERO).plus(f.amount));
        this.fills.unshift({
          time: event.fillTimestamp,
          clientOrderId: event.clientOrderId,
          side: event.side,
          price: event.price,
          amount: event.amount,
          fee: feeText(event.fee),
          isMaker: event.isMaker,
        });
        if (this.fills.length > this.keepFills) this.fills.length = this.keepFills;
        break;
      }
      default:
        break;
    }
  }

  get totals(): ViewCounts {
    return this.counts;
  }

  /** Fees charged, by token. */
  get fees(): ReadonlyMap<string, Decimal> {
    return this.feesByToken;
  }

  /**
   * Decimal places for PnL amounts in the quote asset: two more than the pair's price tick (4 for
   * BTC-USDT's 0.01, 7 for ETH-BTC's 0.00001), so a BTC-quoted PnL is not rounded away to 0.
   */
  get pnlPlaces(): number {
    const tick = this.exchange.tradingRules.get(this.tradingPair)?.minPriceIncrement;
    return (tick && tick.gt(0) ? tick.decimalPlaces() : 2) + 2;
  }

  /** The market's mid without the bot's own quotes, else the book's mid. */
  markPrice(): Decimal | undefined {
    const status = this.strategy.status;
    if (status.marketMid) return status.marketMid;
    const book = this.exchange.orderBooks.get(this.tradingPair);
    return book?.midPrice();
  }

  snapshot(now: number, depth: number): ViewSnapshot {
    const pair = this.tradingPair;
    const { base, quote } = splitTradingPair(pair);
    const book = this.exchange.orderBooks.get(pair);
    const status = this.strategy.status;
    const orders = [...this.exchange.inFlightOrders.values()]
      .filter((o) => !o.isDone)
      .map((o) => ({
        clientOrderId: o.clientOrderId,
        side: o.tradeType,
        price: o.price,
        amount: o.amount,
        executed: o.executedAmountBase,
        state: o.currentState,
        createdAt: o.creationTimestamp,
      }));
    return {
      now,
      startedAt: this.startedAt,
      strategy: this.strategy.name,
      tradingPair: pair,
      venue: this.venueLabel,
      account: this.account,
      state: this.state,
      book: book && this.exchange.isOrderBookReady(pair) ? { bids: book.topBids(depth), asks: book.topAsks(depth) } : undefined,
      marketMid: status.marketMid,
      quotedMid: status.quotedMid,
      orders,
      balances: this.exchange.getAllBalances().filter((b) => b.asset === base || b.asset === quote),
      fills: this.fills,
      pnl: this.pnl.pair(pair, this.markPrice()),
      pnlPlaces: this.pnlPlaces,
      counts: this.counts,
      connector: viewConnector(this.exchange.health()),
      notes: status.skipped,
    };
  }
}
