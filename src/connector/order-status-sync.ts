import type { Clock } from '../core/clock.js';
import { OrderNotFoundError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import type { OrderUpdate, TradeUpdate } from '../core/orders/updates.js';
import { OrderState } from '../core/types.js';
import type { MissingFillsReason, NotFoundOutcome } from '../core/tracker/options.js';
import type { OrderTracker } from '../core/tracker/order-tracker.js';
import type { ExchangeConnector } from './connector.js';
import type { CreateOutcomes } from './create-outcomes.js';

/** Polls a missing fill is fetched on before giving up: about an hour at the short interval. */
const MAX_FILL_ATTEMPTS = 720;

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
  /** Orders whose fills the exchange has and this connector does not, retried on every poll until they come. */
  private readonly owed = new Map<string, { readonly order: ReadonlyInFlightOrder; attempts: number }>();
  private run: Promise<void> | undefined;

  constructor(private readonly deps: OrderStatusSyncDeps) {}

  /** Orders still owed fills. */
  get owedFills(): number {
    return this.owed.size;
  }

  /** Queries every active and lost order, and fetches the fills still owed. Concurrent calls share one run. */
  updateAll(): Promise<void> {
    this.run ??= (async () => {
      try {
        await Promise.all([
          ...this.deps.tracker.allUpdatableOrders.map((order) => this.refresh(order)),
          ...[...this.owed.keys()].map((id) => this.fetchOwed(id)),
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
   * The fills are fetched now and, until a fetch succeeds (and, for a FILLED order, until they add
   * up to its amount), again on every poll.
   */
  async missingFills(order: ReadonlyInFlightOrder, reason: MissingFillsReason): Promise<void> {
    if (order.exchangeOrderId === undefined) return;
    this.deps.logger.info({ clientOrderId: order.clientOrderId, reason }, 'fetching fills the connector has not seen');
    if (!this.owed.has(order.clientOrderId)) this.owed.set(order.clientOrderId, { order, attempts: 0 });
    await this.fetchOwed(order.clientOrderId);
  }

  private async fetchOwed(clientOrderId: string): Promise<void> {
    const entry = this.owed.get(clientOrderId);
    const exchangeOrderId = entry?.order.exchangeOrderId;
    if (!entry || exchangeOrderId === undefined) return;
    const { order } = entry;
    entry.attempts++;
    try {
      await this.fetchFills(order, exchangeOrderId);
      if (order.currentState !== OrderState.FILLED || order.isFilled) this.owed.delete(clientOrderId);
    } catch (err) {
      this.deps.logger.warn({ clientOrderId, err, attempts: entry.attempts }, 'could not fetch missing fills; trying again on the next poll');
    }
    if (this.owed.has(clientOrderId) && entry.attempts >= MAX_FILL_ATTEMPTS) {
      this.owed.delete(clientOrderId);
      this.deps.logger.error({ clientOrderId, attempts: entry.attempts, executed: order.executedAmountBase.toString() }, 'missing fills still not available: giving up (check the order on the exchange)');
    }
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
