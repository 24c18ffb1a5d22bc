import type { Clock } from '../core/clock.js';
import { InvalidArgumentError, type OrderNotFoundError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import type { OpenOrder } from '../core/orders/open-order.js';
import { NotFoundCounter } from '../core/tracker/not-found-counter.js';
import type { OrderTracker } from '../core/tracker/order-tracker.js';

export interface VanishedOrdersDeps {
  readonly tracker: OrderTracker;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Answers the verdict needs, and how far apart (the tracker's rule for creates). */
  readonly limit: number;
  readonly minSpacingMs: number;
  fetchOpenOrders(): Promise<readonly OpenOrder[]>;
}

/**
 * Gives an acknowledged order the exchange no longer knows (a testnet reset, a simulator
 * restarted, an archived order) an end, on the evidence venuekit asks of a create before it fails
 * one: `limit` not-found answers to queries by its exchange id, spaced in time (NotFoundCounter),
 * each sent after the order's last known activity, and then the order absent from the open
 * orders. Only then is it FAILED (the strategy gets OrderFailed and moves on) and kept as lost:
 * still watched, its later fills still recorded; its balance hold goes with it, since the exchange
 * does not list it open. Before, it stayed OPEN for ever and the bot stopped quoting.
 */
export class VanishedOrders {
  private readonly counter: NotFoundCounter;
  private readonly checking = new Set<string>();

  constructor(private readonly deps: VanishedOrdersDeps) {
    this.counter = new NotFoundCounter(deps.limit, deps.minSpacingMs);
  }

  /** A definite "no such order" for an acknowledged active order, to a query sent at `sent`. Never throws. */
  async notFound(order: ReadonlyInFlightOrder, err: OrderNotFoundError, sent: { at: number; serverAt: number }): Promise<void> {
    const { tracker, clock, logger } = this.deps;
    const id = order.clientOrderId;
    // An answer to a query sent before the order's last news may predate that news.
    const last = order.lastUpdateTimestamp;
    if (sent.at <= last || sent.serverAt <= last) {
      this.counter.forget(id);
      return;
    }
    const { count, counted } = this.counter.record(id, sent.at, clock.now());
    logger.warn({ clientOrderId: id, exchangeOrderId: order.exchangeOrderId, err: err.message, count, counted }, 'the exchange does not find an order it acknowledged');
    if (!this.counter.reachedLimit(id) || this.checking.has(id)) return;
    this.checking.add(id);
    try {
      const open = await this.deps.fetchOpenOrders();
      // By client id: unique among open orders; a reset exchange may give its exchange id to another order.
      const listed = open.some((o) => o.clientOrderId === id);
      if (listed) {
        this.counter.forget(id);
        logger.error({ clientOrderId: id }, 'the exchange lists as open an order it says it does not find: kept open (check it on the exchange)');
        return;
      }
      const reason = `the exchange no longer knows this order: it answered ${count} times that it does not find order ${order.exchangeOrderId ?? ''}, and does not list it open (a reset or archived order); it may have traded before: a fill that turns up is still recorded`;
      if (tracker.declareVanished(id, reason)) this.counter.forget(id);
    } catch (e) {
      logger.warn({ clientOrderId: id, err: e }, 'could not fetch the open orders to confirm a vanished order; trying again on the next answer');
    } finally {
      this.checking.delete(id);
    }
  }

  /**
   * `venuekit forget`: ends the tracking of one order by hand, refused (InvalidArgumentError) while
   * the exchange lists it open. Returns false for an order not tracked (active or lost).
   */
  async forgetByHand(clientOrderId: string): Promise<boolean> {
    const { tracker } = this.deps;
    if (!tracker.activeOrders.has(clientOrderId) && !tracker.lostOrders.has(clientOrderId)) return false;
    const open = await this.deps.fetchOpenOrders();
    if (open.some((o) => o.clientOrderId === clientOrderId)) {
      throw new InvalidArgumentError(`the exchange lists order ${clientOrderId} as open: cancel it (venuekit cancel ${clientOrderId}) rather than forget it`, 'clientOrderId');
    }
    this.counter.forget(clientOrderId);
    return tracker.forgetOrder(clientOrderId, 'tracking ended by hand (venuekit forget): the exchange did not list the order open; a fill that turns up is still recorded');
  }

  /** The order has news (or ended): counting starts again. */
  forget(clientOrderId: string): void {
    this.counter.forget(clientOrderId);
  }
}
