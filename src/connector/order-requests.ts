import type { Clock } from '../core/clock.js';
import type { BackgroundTasks } from './background.js';
import { CreateOutcomes } from './create-outcomes.js';
import { OrderCancels } from './order-cancels.js';
import { OrderCreation, type OrderCreationDeps } from './order-creation.js';
import { OrderStatusSync } from './order-status-sync.js';
import { VanishedOrders } from './vanished-orders.js';

/** What order creation needs (`OrderCreationDeps`), and what cancels need besides. */
export interface OrderRequestsDeps extends Omit<OrderCreationDeps, 'outcomes' | 'clock'> {
  readonly background: BackgroundTasks;
  readonly clock: Clock;
}

/**
 * What the base asks of the exchange about orders, and the state those requests share: creates
 * (`OrderCreation`), cancels (`OrderCancels`), status queries and fill fetches (`OrderStatusSync`),
 * and where each create stands (`CreateOutcomes`). The tracker's events settle them: an
 * acknowledgement settles the create and sends a cancel that waited for it; an end settles both.
 */
export class OrderRequests {
  readonly outcomes = new CreateOutcomes();
  readonly statusSync: OrderStatusSync;
  readonly creation: OrderCreation;
  readonly cancels: OrderCancels;
  readonly vanished: VanishedOrders;

  constructor(deps: OrderRequestsDeps) {
    const { connector, tracker, background, clock, logger, applyOrder, applyTrade } = deps;
    const outcomes = this.outcomes;
    const vanished = new VanishedOrders({ tracker, clock, logger, ...tracker.notFoundRule, fetchOpenOrders: () => connector.fetchOpenOrders() });
    this.vanished = vanished;
    this.statusSync = new OrderStatusSync({
      connector,
      tracker,
      outcomes,
      clock,
      logger,
      applyOrder,
      applyTrade,
      onAcknowledgedNotFound: (order, err, sent) => background.run(vanished.notFound(order, err, sent)),
      onNotFound: (order, err, outcome) => {
        if (outcome === 'declared_lost') this.creation.lost(order.clientOrderId, err);
        // The deadline the lost order's query set would otherwise keep the poll short for good.
        if (outcome === 'lost_order_dropped') this.outcomes.settle(order.clientOrderId);
      },
    });
    this.creation = new OrderCreation({ ...deps, outcomes });
    this.cancels = new OrderCancels({ connector, tracker, statusSync: this.statusSync, background, clock, logger });

    tracker.events.on('OrderCreated', (e) => {
      outcomes.settle(e.clientOrderId);
      this.cancels.acknowledged(e.clientOrderId);
    });
    for (const end of ['OrderCompleted', 'OrderCancelled', 'OrderExpired', 'OrderFailed'] as const) {
      tracker.events.on(end, (e) => this.forget(e.clientOrderId));
    }
  }

  /** A new order is about to be sent; `awaited` keeps its typed error for `submitOrder`. */
  begin(clientOrderId: string, awaited: boolean): void {
    if (awaited) this.creation.await(clientOrderId);
    this.outcomes.begin(clientOrderId);
  }

  /** The order ended or is no longer tracked: nothing waits for its create or its cancel. */
  forget(clientOrderId: string): void {
    this.outcomes.settle(clientOrderId);
    this.cancels.forget(clientOrderId);
    this.vanished.forget(clientOrderId);
  }

  /** Something the short poll interval is for: a create whose outcome is unknown, or a fetch of owed fills due. */
  get urgent(): boolean {
    return this.outcomes.unknownCount > 0 || this.statusSync.owedFetchDue;
  }
}
