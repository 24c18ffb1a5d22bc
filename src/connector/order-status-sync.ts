import type { Clock } from '../core/clock.js';
import { OrderNotFoundError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import type { OrderUpdate, TradeUpdate } from '../core/orders/updates.js';
import type { MissingFillsReason, NotFoundOutcome } from '../core/tracker/options.js';
import type { OrderTracker } from '../core/tracker/order-tracker.js';
import type { ExchangeConnector } from './connector.js';
import type { CreateOutcomes } from './create-outcomes.js';
import type { FillsOwedHealth } from './exchange-types.js';

/**
 * Spacing of the fetches for one order owed fills: doubling from the first to the last, which then
 * repeats until they come. Never given up: the tracker saves what is owed, so it survives a restart.
 */
export const OWED_FILLS_BACKOFF = { firstMs: 1_000, maxMs: 300_000 } as const;

export interface OrderStatusSyncDeps {
  readonly connector: ExchangeConnector;
  readonly tracker: OrderTracker;
  readonly outcomes: CreateOutcomes;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The base's processOrderMessage and processTradeMessage (so a subclass's override is honoured). */
  applyOrder(update: OrderUpdate): void;
  applyTrade(trade: TradeUpdate): void;
  /** A definite not-found answer for an active acknowledged order (VanishedOrders weighs it). */
  onAcknowledgedNotFound(order: ReadonlyInFlightOrder, err: OrderNotFoundError, sent: { at: number; serverAt: number }): void;
  /** A confirmed not-found answer was counted for a never-acknowledged order. */
  onNotFound(order: ReadonlyInFlightOrder, err: OrderNotFoundError, outcome: NotFoundOutcome): void;
}

/**
 * Brings tracked orders in line with the exchange over REST: each order is queried by its client
 * id and the answer applied fills first (the trades the exchange counts beyond the fills known are
 * fetched and applied, each once), then the state. The unknown-outcome rule decides what a
 * "no such order" answer is worth (CreateOutcomes); a transport error or a timeout is never
 * evidence of anything.
 */
export class OrderStatusSync {
  private readonly fillFetches = new Map<string, Promise<void>>();
  /** Fetch attempts and the next allowed one, per order the tracker says is owed fills. */
  private readonly retries = new Map<string, { attempts: number; nextAt: number }>();
  private run: Promise<void> | undefined;

  constructor(private readonly deps: OrderStatusSyncDeps) {}

  /** Orders still owed fills (the tracker's, saved). */
  get owedFills(): number {
    return this.deps.tracker.ordersOwedFills.length;
  }

  /** Whether a fetch of owed fills is due (the short poll interval is for it). */
  get owedFetchDue(): boolean {
    const now = this.deps.clock.now();
    return this.deps.tracker.ordersOwedFills.some((e) => (this.retries.get(e.order.clientOrderId)?.nextAt ?? 0) <= now);
  }

  /** `health().fillsOwed`. */
  fillsOwedHealth(): FillsOwedHealth[] {
    return this.deps.tracker.ordersOwedFills.map(({ order, reportedExecuted, since }) => ({
      clientOrderId: order.clientOrderId,
      tradingPair: order.tradingPair,
      state: order.currentState,
      executedAmountBase: order.executedAmountBase,
      reportedExecuted,
      since,
      attempts: this.retries.get(order.clientOrderId)?.attempts ?? 0,
    }));
  }

  /** Queries every active and lost order, and fetches the fills still owed. Concurrent calls share one run. */
  updateAll(): Promise<void> {
    this.run ??= (async () => {
      try {
        await Promise.all([
          ...this.deps.tracker.allUpdatableOrders.map((order) => this.refresh(order)),
          ...this.deps.tracker.ordersOwedFills.map((e) => this.fetchOwed(e.order)),
        ]);
      } finally {
        this.run = undefined;
      }
    })();
    return this.run;
  }

  /** Queries one order and applies the answer. Orders whose create is still on its way are left alone. Never throws. */
  async refresh(order: ReadonlyInFlightOrder): Promise<void> {
    const { connector, logger } = this.deps;
    const id = order.clientOrderId;
    if (this.deps.outcomes.isSending(id)) return;
    // Taken before the query leaves: the exchange read its books no earlier than this.
    const sent = { at: this.deps.clock.now(), serverAt: connector.serverTime() };
    let update: OrderUpdate;
    try {
      update = await connector.queryOrder(order);
    } catch (err) {
      if (err instanceof OrderNotFoundError) this.notFound(order, err, sent);
      else logger.warn({ clientOrderId: id, err }, 'order status query failed (not evidence that the order does not exist)');
      return;
    }
    try {
      await this.apply(order, update);
    } catch (err) {
      logger.error({ clientOrderId: id, err }, 'order status could not be applied');
    }
  }

  /** Applies a state report, after fetching the fills it counts beyond the known ones. */
  async apply(order: ReadonlyInFlightOrder, update: OrderUpdate): Promise<void> {
    const reported = update.cumulativeFilledAmount;
    const exchangeOrderId = update.exchangeOrderId ?? order.exchangeOrderId;
    if (reported !== undefined && reported.gt(order.executedAmountBase) && exchangeOrderId !== undefined) {
      try {
        await this.fetchFills(order, exchangeOrderId);
      } catch (err) {
        // The state still applies; a FILLED report waits for its fills at the tracker's barrier.
        this.deps.logger.warn({ clientOrderId: order.clientOrderId, err }, 'could not fetch the fills of an order');
      }
    }
    this.deps.applyOrder(update);
  }

  /** Fetches an order's trades and applies them. Concurrent fetches for one order share one request. */
  fetchFills(order: ReadonlyInFlightOrder, exchangeOrderId: string): Promise<void> {
    const id = order.clientOrderId;
    let run = this.fillFetches.get(id);
    if (!run) {
      run = (async () => {
        try {
          const trades = await this.deps.connector.queryFills(order, exchangeOrderId);
          for (const trade of trades) this.deps.applyTrade(trade);
        } finally {
          this.fillFetches.delete(id);
        }
      })();
      this.fillFetches.set(id, run);
    }
    return run;
  }

  /**
   * The tracker's hook: an update counted more fills than known, or the fill barrier timed out.
   * The fills are fetched now; while the tracker still counts the order owed fills (saved, so after
   * a restart too), again on the polls, spaced by OWED_FILLS_BACKOFF.
   */
  async missingFills(order: ReadonlyInFlightOrder, reason: MissingFillsReason): Promise<void> {
    if (order.exchangeOrderId === undefined) return;
    this.deps.logger.info({ clientOrderId: order.clientOrderId, reason }, 'fetching fills the connector has not seen');
    await this.fetchOwed(order);
  }

  private async fetchOwed(order: ReadonlyInFlightOrder): Promise<void> {
    const id = order.clientOrderId;
    const exchangeOrderId = order.exchangeOrderId;
    const now = this.deps.clock.now();
    const retry = this.retries.get(id) ?? { attempts: 0, nextAt: 0 };
    if (exchangeOrderId === undefined || retry.nextAt > now) return;
    retry.attempts++;
    retry.nextAt = now + Math.min(OWED_FILLS_BACKOFF.maxMs, OWED_FILLS_BACKOFF.firstMs * 2 ** Math.min(retry.attempts - 1, 20));
    this.retries.set(id, retry);
    try {
      await this.fetchFills(order, exchangeOrderId);
    } catch (err) {
      this.deps.logger.warn({ clientOrderId: id, err, attempts: retry.attempts, nextInMs: retry.nextAt - now }, 'could not fetch missing fills; trying again later');
    }
    if (!this.deps.tracker.ordersOwedFills.some((e) => e.order.clientOrderId === id)) this.retries.delete(id);
  }

  /**
   * A definite "no such order" to a query sent at `sent`. For an active acknowledged order the
   * exchange forgot it (VanishedOrders decides when that is certain); otherwise ignored for a query sent before the create's deadline (the exchange may have
   * answered before the create arrived, however late the answer came back); otherwise counted by
   * the tracker (two answers, the second query sent at least a second after the first answer came).
   */
  private notFound(order: ReadonlyInFlightOrder, err: OrderNotFoundError, sent: { at: number; serverAt: number }): void {
    const { connector, tracker, outcomes, logger } = this.deps;
    const id = order.clientOrderId;
    if (order.isAcknowledged && !tracker.lostOrders.has(id)) {
      this.deps.onAcknowledgedNotFound(order, err, sent);
      return;
    }
    if (!outcomes.notFoundCounts(id, sent.serverAt, connector.recvWindowMs)) {
      logger.debug({ clientOrderId: id, deadline: outcomes.deadline(id) }, 'order not found yet: its create may still execute; not counted');
      return;
    }
    this.deps.onNotFound(order, err, tracker.processOrderNotFound(id, err, sent.at));
  }
}
