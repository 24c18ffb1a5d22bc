import type { TypedEmitter } from '../core/events/typed-emitter.js';
import type { Logger } from '../core/logger.js';
import type { OpenOrder } from '../core/orders/open-order.js';
import type { RestoreResult } from '../core/tracker/options.js';
import type { OrderTracker } from '../core/tracker/order-tracker.js';
import type { BackgroundTasks } from './background.js';
import type { CreateOutcomes } from './create-outcomes.js';
import type { ExchangeStatusEvents, ReconciliationReport } from './exchange-types.js';

export interface ReconciliationDeps {
  readonly tracker: OrderTracker;
  readonly outcomes: CreateOutcomes;
  readonly background: BackgroundTasks;
  readonly statusEvents: TypedEmitter<ExchangeStatusEvents>;
  readonly logger: Logger;
  /** Whether this bot's client id generator could have made the id. */
  owns(clientOrderId: string): boolean;
  /** Whether the network is started (a reconciliation can run now). */
  isRunning(): boolean;
  /** The base's updateOrderStatus and getOpenOrders (so a subclass's override is honoured). */
  updateOrderStatus(): Promise<void>;
  fetchOpenOrders(): Promise<readonly OpenOrder[]>;
}

/**
 * Brings orders restored from a previous run in line with the exchange. Restored orders whose
 * create was never acknowledged get the unknown-outcome rule (CreateOutcomes); the first network
 * start after a restore (or the restore itself, when the network runs) reconciles: every tracked
 * order is queried, each missed fill and state applied once, and open orders that carry this bot's
 * client id prefix but that nothing tracks are reported (`UntrackedOrdersFound`), never touched.
 */
export class Reconciliation {
  private needed = false;

  constructor(private readonly deps: ReconciliationDeps) {}

  afterRestore(result: RestoreResult): RestoreResult {
    const { tracker, outcomes } = this.deps;
    for (const id of result.restored) {
      const order = tracker.activeOrders.get(id) ?? tracker.lostOrders.get(id);
      if (order && !order.isAcknowledged && !order.isDone) outcomes.restore(id);
    }
    if (result.restored.length > 0) {
      this.needed = true;
      if (this.deps.isRunning()) this.networkStarted();
    }
    return result;
  }

  /** The network started: reconcile in the background if a restore asked for it. */
  networkStarted(): void {
    if (!this.needed) return;
    this.needed = false;
    this.deps.background.run(this.run());
  }

  async run(): Promise<ReconciliationReport> {
    const { tracker, logger } = this.deps;
    const queried = tracker.allUpdatableOrders.length;
    await this.deps.updateOrderStatus();
    const open = await this.deps.fetchOpenOrders();
    const untrackedOpenOrders = open.filter((o) => this.deps.owns(o.clientOrderId) && !tracker.fetchOrder(o.clientOrderId));
    if (untrackedOpenOrders.length > 0) {
      logger.warn({ orders: untrackedOpenOrders.map((o) => `${o.tradingPair} ${o.clientOrderId}`) }, 'open orders with this bot\'s prefix are not tracked: check them on the exchange');
      this.deps.statusEvents.emit('UntrackedOrdersFound', { orders: untrackedOpenOrders });
    }
    return { queried, untrackedOpenOrders };
  }
}
