import type { Clock } from '../core/clock.js';
import { OrderNotFoundError, isOutcomeUnknown } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { CancellationResult } from '../core/orders/cancellation-result.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import type { OrderTracker } from '../core/tracker/order-tracker.js';
import type { BackgroundTasks } from './background.js';
import type { ExchangeConnector } from './connector.js';
import type { OrderStatusSync } from './order-status-sync.js';
import { logOrderFailure } from './refusals.js';

export interface OrderCancelsDeps {
  readonly connector: ExchangeConnector;
  readonly tracker: OrderTracker;
  readonly statusSync: OrderStatusSync;
  readonly background: BackgroundTasks;
  readonly clock: Pick<Clock, 'schedule'>;
  readonly logger: Logger;
}

/**
 * What became of one cancel request.
 * - `cancelled`: the exchange confirmed; `answered`: it answered with another state (applied);
 * - `not_open`: the exchange no longer had it open, and the query that followed was applied;
 * - `pending`: the exchange does not have the order yet: sent again once the create is acknowledged;
 * - `unknown`: no verdict (timeout, transport error, 5xx): the cancel may have landed;
 * - `refused`: the exchange refused the cancel, or there was nothing to cancel (not an open tracked
 *   order, another pair): the order stays as it is.
 */
type CancelOutcome = 'cancelled' | 'answered' | 'not_open' | 'pending' | 'unknown' | 'refused';

/**
 * Cancels, always by client order id and only for orders this connector tracks. An order still
 * PENDING_CREATE is cancelled at once; if the exchange does not know it yet, the cancel is kept
 * pending and sent again when the create is acknowledged. An acknowledged order the exchange no
 * longer has open (it filled, was cancelled or expired meanwhile) is queried to learn which.
 */
export class OrderCancels {
  private readonly pending = new Set<string>();

  constructor(private readonly deps: OrderCancelsDeps) {}

  /** Cancels one order; resolves with its client id once the exchange confirmed, undefined otherwise. */
  async execute(tradingPair: string, clientOrderId: string): Promise<string | undefined> {
    const outcome = await this.send(tradingPair, clientOrderId);
    return outcome === 'cancelled' ? clientOrderId : undefined;
  }

  /**
   * Cancels one order and resolves once it has ended (cancelled, or filled meanwhile), once the
   * exchange refused the cancel, or after `timeoutMs`: success when the order ended cancelled. A
   * cancel without a verdict, or one waiting for the order's acknowledgement, waits for the order
   * to end (the user stream or the status poll says how).
   */
  async one(tradingPair: string, clientOrderId: string, timeoutMs: number): Promise<CancellationResult> {
    const order = this.deps.tracker.fetchOrder(clientOrderId);
    const settled = this.send(tradingPair, clientOrderId)
      .then((outcome) => (outcome !== 'refused' && order && !order.isDone ? order.waitUntilDone() : undefined))
      .catch(() => undefined);
    let stopTimer: (() => void) | undefined;
    const timeout = new Promise<void>((resolve) => {
      stopTimer = this.deps.clock.schedule(timeoutMs, resolve);
    });
    try {
      await Promise.race([settled, timeout]);
    } finally {
      stopTimer?.();
    }
    return { orderId: clientOrderId, success: order?.isCancelled ?? false };
  }

  /** Cancels every order given at once: one result per order, in their order, within `timeoutMs` (see `one`). */
  all(orders: readonly ReadonlyInFlightOrder[], timeoutMs: number): Promise<CancellationResult[]> {
    return Promise.all(orders.map((order) => this.one(order.tradingPair, order.clientOrderId, timeoutMs)));
  }

  /** The exchange acknowledged an order: a cancel waiting for that goes now. */
  acknowledged(clientOrderId: string): void {
    if (!this.pending.has(clientOrderId)) return;
    const order = this.deps.tracker.fetchTrackedOrder(clientOrderId);
    if (order) this.deps.background.run(this.execute(order.tradingPair, clientOrderId));
  }

  /** The order ended or is no longer tracked. */
  forget(clientOrderId: string): void {
    this.pending.delete(clientOrderId);
  }

  private async send(tradingPair: string, clientOrderId: string): Promise<CancelOutcome> {
    const { connector, tracker, statusSync, logger } = this.deps;
    const order = tracker.fetchTrackedOrder(clientOrderId);
    if (!order || order.isDone) {
      logger.info({ clientOrderId }, 'cancel: not an open tracked order');
      return 'refused';
    }
    if (order.tradingPair !== tradingPair) {
      logger.warn({ clientOrderId, tradingPair, orderPair: order.tradingPair }, 'cancel: the order is on another trading pair; not cancelled');
      return 'refused';
    }
    if (!order.isAcknowledged) this.pending.add(clientOrderId);
    try {
      const { orderUpdate } = await connector.cancelOrder(order);
      this.pending.delete(clientOrderId);
      await statusSync.apply(order, orderUpdate);
      return order.isCancelled ? 'cancelled' : 'answered';
    } catch (err) {
      if (!(err instanceof OrderNotFoundError)) {
        logOrderFailure(logger, { clientOrderId }, err, 'cancel failed');
        return isOutcomeUnknown(err) ? 'unknown' : 'refused';
      }
      if (this.pending.has(clientOrderId) && !order.isAcknowledged) {
        logger.info({ clientOrderId }, 'cancel: the exchange does not have the order yet; cancelling again once it is acknowledged');
        return 'pending';
      }
      this.pending.delete(clientOrderId);
      logger.info({ clientOrderId }, 'cancel: the exchange no longer has the order open; querying it');
      await statusSync.refresh(order);
      return order.isCancelled ? 'cancelled' : 'not_open';
    }
  }
}
