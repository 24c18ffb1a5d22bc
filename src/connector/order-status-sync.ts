import { OrderNotFoundError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import type { OrderUpdate, TradeUpdate } from '../core/orders/updates.js';
import type { MissingFillsReason, NotFoundOutcome } from '../core/tracker/options.js';
import type { OrderTracker } from '../core/tracker/order-tracker.js';
import type { ExchangeConnector } from './connector.js';
import type { CreateOutcomes } from './create-outcomes.js';

export interface OrderStatusSyncDeps {
  readonly connector: ExchangeConnector;
  readonly tracker: OrderTracker;
  readonly outcomes: CreateOutcomes;
  readonly logger: Logger;
  /** The base's processOrderMessage and processTradeMessage (so a subclass's override is honoured). */
  applyOrder(update: OrderUpdate): void;
  applyTrade(trade: TradeUpdate): void;
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
  private run: Promise<void> | undefined;

  constructor(private readonly deps: OrderStatusSyncDeps) {}

  /** Queries every active and lost order. Concurrent calls share one run. */
  updateAll(): Promise<void> {
    this.run ??= (async () => {
      try {
        await Promise.all(this.deps.tracker.allUpdatableOrders.map((order) => this.refresh(order)));
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
    let update: OrderUpdate;
    try {
      update = await connector.queryOrder(order);
    } catch (err) {
      if (err instanceof OrderNotFoundError) this.notFound(order, err);
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

  /** The tracker's hook: an update counted more fills than known, or the fill barrier timed out. */
  async missingFills(order: ReadonlyInFlightOrder, reason: MissingFillsReason): Promise<void> {
    const exchangeOrderId = order.exchangeOrderId;
    if (exchangeOrderId === undefined) return;
    this.deps.logger.info({ clientOrderId: order.clientOrderId, reason }, 'fetching fills the connector has not seen');
    await this.fetchFills(order, exchangeOrderId);
  }

  /**
   * A definite "no such order". Ignored for an acknowledged order (the exchange had it), and while
   * the create may still execute; otherwise counted by the tracker (two answers at least a second
   * apart fail the order).
   */
  private notFound(order: ReadonlyInFlightOrder, err: OrderNotFoundError): void {
    const { connector, tracker, outcomes, logger } = this.deps;
    const id = order.clientOrderId;
    if (order.isAcknowledged) {
      logger.warn({ clientOrderId: id, err: err.message }, 'the exchange does not find an order it acknowledged: ignored');
      return;
    }
    if (!outcomes.notFoundCounts(id, connector.serverTime(), connector.recvWindowMs)) {
      logger.debug({ clientOrderId: id, deadline: outcomes.deadline(id) }, 'order not found yet: its create may still execute; not counted');
      return;
    }
    this.deps.onNotFound(order, err, tracker.processOrderNotFound(id, err));
  }
}
