import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { TradeUpdate } from '../core/orders/updates.js';
import { VANISHED_ORDER_ERROR_TYPE } from '../core/tracker/options.js';
import type { OrderTracker } from '../core/tracker/order-tracker.js';
import type { ExchangeConnector } from './connector.js';

/** Order lookups (a trade of an order nothing here tracks) one run may spend: each costs weight. */
const LOOKUPS_PER_RUN = 5;
/** Pages of trades one run may fetch per pair: the rest waits for the next run. */
const PAGES_PER_RUN = 3;
/** How far back the first fetch of a pair with no tracked order goes. */
const FIRST_FETCH_MS = 60 * 60_000;
/** The exchange's widest time window (Binance: 24 hours). */
const MAX_WINDOW_MS = 24 * 60 * 60_000;
/** Trades of unknown orders with this connector's prefix kept for `health()`. */
const REPORTED = 100;

/** A trade of an order with this connector's client id prefix that no store here tracks. */
export interface UntrackedTrade {
  readonly tradingPair: string;
  readonly tradeId: string;
  readonly exchangeOrderId: string;
  readonly clientOrderId: string;
}

export interface TradeBackfillDeps {
  readonly connector: ExchangeConnector;
  readonly tracker: OrderTracker;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly intervalMs: number;
  /** Pairs to backfill beside those of tracked orders. */
  readonly tradingPairs: readonly string[];
  owns(clientOrderId: string): boolean;
  applyTrade(trade: TradeUpdate): void;
}

/**
 * Hummingbot's "recreating missing trades": fetches the account's trades per pair since the last
 * trade id seen (the first fetch bounded by time: the oldest tracked order of the pair, which no
 * fill of it can precede) and applies each trade of a known order; the tracker counts it once by
 * trade id. A trade of an order nothing here knows costs an order lookup (its client id), within a
 * budget per run; one with this connector's prefix (another data dir, a lost file) is logged and
 * reported in `health()`, never applied: it lands in no strategy's PnL. Runs on start, after each
 * user stream subscription, and once per `intervalMs` (the long poll), through the rate limiter.
 */
/** The first retry after a failed backfill. */
const RETRY_FIRST_MS = 1_000;

export class TradeBackfill {
  private readonly cursors = new Map<string, string>();
  private readonly owners = new Map<string, string | null>();
  private readonly reported: UntrackedTrade[] = [];
  private lastRun = 0;
  private due = true;
  /** After a failed run, the next waits this long (doubling up to the interval), not the next poll: a failing endpoint is not hammered. */
  private retryDelayMs = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: TradeBackfillDeps) {}

  get untrackedTrades(): readonly UntrackedTrade[] {
    return this.reported;
  }

  /** The user stream subscribed (first time or again): events may have been missed. */
  markDue(): void {
    this.due = true;
  }

  /** Runs if due (start, reconnection, or an interval since the last run). Never rejects. */
  maybeRun(): Promise<void> {
    const { connector, clock } = this.deps;
    if (!connector.fetchAccountTrades) return Promise.resolve();
    const wait = this.retryDelayMs > 0 ? this.retryDelayMs : this.due ? 0 : this.deps.intervalMs;
    if (clock.now() - this.lastRun < wait) return Promise.resolve();
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<void> {
    this.due = false;
    this.lastRun = this.deps.clock.now();
    const budget = { lookups: LOOKUPS_PER_RUN };
    let failed = false;
    for (const pair of this.pairs()) {
      try {
        await this.backfill(pair, budget);
      } catch (err) {
        failed = true;
        this.deps.logger.warn({ tradingPair: pair, err }, 'trade backfill failed; trying again after a backoff');
      }
    }
    this.due = failed;
    this.retryDelayMs = failed ? Math.min(Math.max(RETRY_FIRST_MS, this.retryDelayMs * 2), Math.max(RETRY_FIRST_MS, this.deps.intervalMs)) : 0;
  }

  private pairs(): Set<string> {
    const pairs = new Set(this.deps.tradingPairs);
    for (const order of this.deps.tracker.allFillableOrders) pairs.add(order.tradingPair);
    return pairs;
  }

  private async backfill(pair: string, budget: { lookups: number }): Promise<void> {
    const { connector, tracker } = this.deps;
    for (let page = 0; page < PAGES_PER_RUN; page++) {
      const after = this.cursors.get(pair);
      const since = after !== undefined ? { afterTradeId: after } : { startTime: this.firstStart(pair) };
      const result = await connector.fetchAccountTrades!(pair, since);
      for (const trade of result.trades) {
        const inMemory = tracker.fetchOrder(undefined, trade.exchangeOrderId);
        const known = inMemory?.clientOrderId ?? tracker.store.findClientOrderId(trade.exchangeOrderId);
        // An exchange that forgot an order (a reset) may give its id to a new one: ask whose it is.
        const owner = inMemory?.failure?.type === VANISHED_ORDER_ERROR_TYPE ? await this.confirmOwner(pair, trade.exchangeOrderId, inMemory.clientOrderId, budget) : 'ours';
        if (owner === 'later') return;
        if (owner === 'other') {
          // Another order's trade: not ours to apply.
        } else if (known !== undefined) {
          this.deps.applyTrade(trade.toUpdate(known));
        } else if (!(await this.unknown(pair, trade, budget))) {
          return; // out of lookups: this trade and the rest wait for the next run
        }
        this.cursors.set(pair, trade.tradeId);
      }
      if (!result.full) return;
    }
  }

  /** Whether the exchange's order with this id is `clientOrderId`; 'later' when out of lookups (the trade waits). */
  private async confirmOwner(pair: string, exchangeOrderId: string, clientOrderId: string, budget: { lookups: number }): Promise<'ours' | 'other' | 'later'> {
    const key = `${pair} ${exchangeOrderId}`;
    if (!this.owners.has(key)) {
      if (budget.lookups <= 0 || !this.deps.connector.lookupClientOrderId) return 'later';
      budget.lookups--;
      this.owners.set(key, (await this.deps.connector.lookupClientOrderId(pair, exchangeOrderId)) ?? null);
    }
    if (this.owners.get(key) === clientOrderId) return 'ours';
    this.deps.logger.warn({ tradingPair: pair, exchangeOrderId, clientOrderId }, 'a trade under the exchange id of a vanished order belongs to another order (the exchange reused the id): not applied');
    return 'other';
  }

  /** A trade of an order nothing here tracks. Returns false when the lookup budget is spent. */
  private async unknown(pair: string, trade: { tradeId: string; exchangeOrderId: string }, budget: { lookups: number }): Promise<boolean> {
    const key = `${pair} ${trade.exchangeOrderId}`;
    let owner = this.owners.get(key);
    if (owner === undefined) {
      if (budget.lookups <= 0 || !this.deps.connector.lookupClientOrderId) return false;
      budget.lookups--;
      owner = (await this.deps.connector.lookupClientOrderId(pair, trade.exchangeOrderId)) ?? null;
      this.owners.set(key, owner);
    }
    if (owner === null || !this.deps.owns(owner)) return true; // another bot's or a hand-placed order
    if (this.reported.some((t) => t.tradeId === trade.tradeId && t.tradingPair === pair)) return true;
    const untracked = { tradingPair: pair, tradeId: trade.tradeId, exchangeOrderId: trade.exchangeOrderId, clientOrderId: owner };
    this.reported.push(untracked);
    if (this.reported.length > REPORTED) this.reported.shift();
    this.deps.logger.warn(untracked, 'a trade of an order with this bot\'s prefix that no store here tracks (another data dir, a lost file): not applied, check it on the exchange');
    return true;
  }

  /** The first fetch of a pair: from its oldest tracked order, else the last hour; within the exchange's window. */
  private firstStart(pair: string): number {
    const now = this.deps.connector.serverTime();
    let start = now - FIRST_FETCH_MS;
    for (const order of this.deps.tracker.allFillableOrders) if (order.tradingPair === pair) start = Math.min(start, order.creationTimestamp);
    return Math.max(start, now - MAX_WINDOW_MS + 60_000);
  }
}
