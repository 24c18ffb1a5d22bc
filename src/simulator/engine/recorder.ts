import type { Balance } from './account.js';
import type {
  BalanceSnapshot,
  BalanceTransfer,
  BookUpdate,
  EngineTransaction,
  LevelQuantity,
  OrderEvent,
  Trade,
} from './events.js';
import type { Market } from './market.js';
import type { Order } from './order.js';
import type { ExecutionType } from './types.js';

/** What a TRADE_PREVENTION execution reports about the match it prevented. */
export interface PreventionDetail {
  /** Lots this event expired on the order. */
  readonly lastPreventedLots: number;
  /** The other order of the prevented match. */
  readonly counterOrderId: number;
  /** The lots and price the match would have traded. */
  readonly executionLots: number;
  readonly executionPrice: number;
}

const NO_PREVENTION: PreventionDetail = Object.freeze({ lastPreventedLots: 0, counterOrderId: -1, executionLots: 0, executionPrice: 0 });

/**
 * Collects what one transaction changes and builds its EngineTransaction. When nobody listens it only
 * advances the counters (the depth update id must move either way), so the benchmark and a simulator
 * without streams pay for no event objects.
 */
export class TransactionRecorder {
  /** Set by the engine when at least one listener is subscribed. */
  recording = false;
  private seq = 0;
  private emitted = 0;
  private executionId = 0;
  time = 0;
  private market: Market | null = null;
  private firstUpdateId = 0;
  private readonly touchedBids: number[] = [];
  private readonly touchedAsks: number[] = [];
  private orders: OrderEvent[] = [];
  private trades: Trade[] = [];
  private balances: Balance[] = [];
  private transfers: BalanceTransfer[] = [];

  begin(market: Market | null, time: number): void {
    this.seq++;
    this.time = time;
    this.market = market;
    this.firstUpdateId = market ? market.updateId + 1 : 0;
  }

  /** A book level of `market` changed: advance the market's update id and remember the level. */
  touchLevel(market: Market, isBid: boolean, price: number): void {
    market.updateId++;
    if (this.recording) (isBid ? this.touchedBids : this.touchedAsks).push(price);
  }

  /** A balance changed: list it once in the transaction and move its account's update time. */
  touchBalance(balance: Balance): void {
    if (balance.stamp === this.seq) return;
    balance.stamp = this.seq;
    balance.account.updateTime = this.time;
    if (this.recording) this.balances.push(balance);
  }

  transfer(balance: Balance, delta: number): void {
    if (this.recording) this.transfers.push({ accountId: balance.accountId, asset: balance.asset, delta, precision: balance.precision });
  }

  trade(trade: Trade): void {
    if (this.recording) this.trades.push(trade);
  }

  order(
    order: Order,
    execution: Exclude<ExecutionType, 'TRADE_PREVENTION'>,
    trade: Trade | null = null,
    isMaker = false,
    commission = 0,
    commissionAsset: string | null = null,
    cancelClientOrderId: string | null = null,
  ): void {
    if (this.recording) this.push(order, execution, trade, isMaker, commission, commissionAsset, cancelClientOrderId, NO_PREVENTION);
  }

  /** An order expired by self-trade prevention (execution TRADE_PREVENTION). */
  prevention(order: Order, prevented: PreventionDetail): void {
    if (this.recording) this.push(order, 'TRADE_PREVENTION', null, false, 0, null, null, prevented);
  }

  private push(
    order: Order,
    execution: ExecutionType,
    trade: Trade | null,
    isMaker: boolean,
    commission: number,
    commissionAsset: string | null,
    cancelClientOrderId: string | null,
    prevented: PreventionDetail,
  ): void {
    this.orders.push({
      executionId: ++this.executionId,
      execution,
      order,
      status: order.status,
      executedLots: order.executedLots,
      cumQuote: order.cumQuote,
      preventedLots: order.preventedLots,
      working: execution === 'NEW' || order.listed,
      workingTime: order.workingTime,
      trade,
      isMaker,
      commission,
      commissionAsset,
      cancelClientOrderId,
      preventedMatchId: execution === 'TRADE_PREVENTION' ? order.preventedMatchId : -1,
      lastPreventedLots: prevented.lastPreventedLots,
      counterOrderId: prevented.counterOrderId,
      preventedExecutionLots: prevented.executionLots,
      preventedExecutionPrice: prevented.executionPrice,
      expiryReason: order.expiryReason,
    });
  }

  /** Ends the transaction; returns its value when recording and something happened. */
  finish(): EngineTransaction | null {
    if (!this.recording) return null;
    const market = this.market;
    const bookChanged = market !== null && market.updateId >= this.firstUpdateId && this.firstUpdateId > 0;
    if (!bookChanged && this.orders.length === 0 && this.balances.length === 0 && this.transfers.length === 0) {
      this.touchedBids.length = this.touchedAsks.length = 0;
      return null;
    }
    const tx: EngineTransaction = {
      id: ++this.emitted,
      time: this.time,
      market,
      book: bookChanged && market ? this.bookUpdate(market) : null,
      trades: this.trades,
      orders: this.orders,
      balances: this.snapshotBalances(),
      transfers: this.transfers,
    };
    this.touchedBids.length = this.touchedAsks.length = 0;
    this.orders = [];
    this.trades = [];
    this.balances = [];
    this.transfers = [];
    return tx;
  }

  private bookUpdate(market: Market): BookUpdate {
    return {
      firstUpdateId: this.firstUpdateId,
      lastUpdateId: market.updateId,
      bids: levels(this.touchedBids, market.book.bids.levels, true),
      asks: levels(this.touchedAsks, market.book.asks.levels, false),
    };
  }

  private snapshotBalances(): BalanceSnapshot[] {
    // Grouped by account in first-touch order; a transaction touches a handful, so a scan beats a Map.
    const list = this.balances;
    const out: BalanceSnapshot[] = [];
    const done: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const accountId = (list[i] as Balance).accountId;
      if (done.includes(accountId)) continue;
      done.push(accountId);
      for (let j = i; j < list.length; j++) {
        const b = list[j] as Balance;
        if (b.accountId === accountId) out.push({ accountId, asset: b.asset, free: b.free, locked: b.locked, precision: b.precision });
      }
    }
    return out;
  }
}

/** The touched prices of one side, best first and once each, with their quantity now. */
function levels(prices: number[], book: Map<number, { lots: number }>, isBid: boolean): LevelQuantity[] {
  if (prices.length === 0) return [];
  if (prices.length === 1) return [{ price: prices[0] as number, lots: book.get(prices[0] as number)?.lots ?? 0 }];
  const sorted = [...prices].sort((a, b) => (isBid ? b - a : a - b));
  const out: LevelQuantity[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const price = sorted[i] as number;
    if (i > 0 && price === sorted[i - 1]) continue;
    out.push({ price, lots: book.get(price)?.lots ?? 0 });
  }
  return out;
}
