import type { Clock } from '../core/clock.js';
import { OrderNotFoundError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { CancellationResult } from '../core/orders/cancellation-result.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import type { OrderTracker } from '../core/tracker/order-tracker.js';
import type { BackgroundTasks } from './background.js';
import type { ExchangeConnector } from './connector.js';
import type { OrderStatusSync } from './order-status-sync.js';

export interface OrderCancelsDeps {
  readonly connector: ExchangeConnector;
  readonly tracker: OrderTracker;
  readonly statusSync: OrderStatusSync;
  readonly background: BackgroundTasks;
  readonly clock: Pick<Clock, 'schedule'>;
  readonly logger: Logger;
}

/**
 * Cancels, always by client order id and only for orders this connector tracks. An order still
 * PENDING_CREATE is cancelled at once; if the exchange does not know it yet, the cancel is kept
 * pending and sent again when the create is acknowledged. An acknowledged order the exchange no
 * longer has open (it filled, was cancelled or expired meanwhile) is queried to learn which.
 */
export class OrderCancels {
  private readonly pending = new Set<string>();

  constructor(private readonly deps: OrderCancelsDeps) {}

  /** Whether a cancel waits for the order's acknowledgement. */
  isPending(clientOrderId: string): boolean {
    return this.pending.has(clientOrderId);
  }

  /** Cancels one order; resolves with its client id once the exchange confirmed, undefined otherwise. */
  async execute(tradingPair: string, clientOrderId: string): Promise<string | undefined> {
    const { connector, tracker, statusSync, logger } = this.deps;
    const order = tracker.fetchTrackedOrder(clientOrderId);
    if (!order || order.isDone) {
      logger.info({ clientOrderId }, 'cancel: not an open tracked order');
      return undefined;
    }
    if (order.tradingPair !== tradingPair) {
      logger.warn({ clientOrderId, tradingPair, orderPair: order.tradingPair }, 'cancel: the order is on another trading pair; not cancelled');
      return undefined;
    }
    if (!order.isAcknowledged) this.pending.add(clientOrderId);
    try {
      const { orderUpdate } = await connector.cancelOrder(order);
      this.pending.delete(clientOrderId);
      await statusSync.apply(order, orderUpdate);
      return order.isCancelled ? clientOrderId : undefined;
    } catch (err) {
      if (!(err instanceof OrderNotFoundError)) {
        logger.warn({ clientOrderId, err }, 'cancel failed');
        return undefined;
      }
      if (this.pending.has(clientOrderId) && !order.isAcknowledged) {
        logger.info({ clientOrderId }, 'cancel: the exchange does not have the order yet; cancelling again once it is acknowledged');
        return undefined;
      }
      this.pending.delete(clientOrderId);
      await statusSync.refresh(order);
      return order.isCancelled ? clientOrderId : undefined;
    }
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

  /**
   * Cancels every order given at once and returns one result per order, in their order, once all
   * have answered or `timeoutMs` has passed: success when the order ended cancelled. An order the
   * exchange did not know yet counts if its cancel, sent again on acknowledgement, lands in time.
   */
  async all(orders: readonly ReadonlyInFlightOrder[], timeoutMs: number): Promise<CancellationResult[]> {
    const success = new Map<string, boolean>();
    const cancelOne = async (order: ReadonlyInFlightOrder): Promise<boolean> => {
      if ((await this.execute(order.tradingPair, order.clientOrderId)) !== undefined) return true;
      if (this.pending.has(order.clientOrderId)) await order.waitUntilDone();
      return order.isCancelled;
    };
    const all = Promise.all(
      orders.map(async (order) => {
        try {
          success.set(order.clientOrderId, await cancelOne(order));
        } catch {
          success.set(order.clientOrderId, false);
        }
      }),
    );
    let cancelTimer: (() => void) | undefined;
    const timeout = new Promise<void>((resolve) => {
      cancelTimer = this.deps.clock.schedule(timeoutMs, resolve);
    });
    try {
      await Promise.race([all, timeout]);
    } finally {
      cancelTimer?.();
    }
    return orders.map((order) => ({ orderId: order.clientOrderId, success: (success.get(order.clientOrderId) ?? false) || order.isCancelled }));
  }
}
