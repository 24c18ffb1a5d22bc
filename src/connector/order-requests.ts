import type { Clock } from '../core/clock.js';
import type { Decimal } from '../core/decimal.js';
import type { Logger } from '../core/logger.js';
import type { OrderUpdate, TradeUpdate } from '../core/orders/updates.js';
import type { TradingRule } from '../core/rules/trading-rule.js';
import type { OrderTracker } from '../core/tracker/order-tracker.js';
import type { TradeType } from '../core/types.js';
import type { BackgroundTasks } from './background.js';
import type { ExchangeConnector } from './connector.js';
import { CreateOutcomes } from './create-outcomes.js';
import { OrderCancels } from './order-cancels.js';
import { OrderCreation } from './order-creation.js';
import { OrderStatusSync } from './order-status-sync.js';

export interface OrderRequestsDeps {
  readonly connector: ExchangeConnector;
  readonly tracker: OrderTracker;
  readonly background: BackgroundTasks;
  readonly clock: Clock;
  readonly logger: Logger;
  rules(): ReadonlyMap<string, TradingRule>;
  /** A market order's reference price (the book's best price on the side it takes), if known. */
  referencePrice(tradingPair: string, side: TradeType): Decimal | undefined;
  /** The base's processOrderMessage and processTradeMessage (so a subclass's override is honoured). */
  applyOrder(update: OrderUpdate): void;
  applyTrade(trade: TradeUpdate): void;
  /** The status poll should run soon. */
  pollSoon(): void;
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

  constructor(deps: OrderRequestsDeps) {
    const { connector, tracker, background, clock, logger, applyOrder, applyTrade } = deps;
    const outcomes = this.outcomes;
    this.statusSync = new OrderStatusSync({
      connector,
      tracker,
      outcomes,
      logger,
      applyOrder,
      applyTrade,
      onNotFound: (order, err, outcome) => {
        if (outcome === 'declared_lost') this.creation.lost(order.clientOrderId, err);
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
  }

  /** Something the short poll interval is for: a create whose outcome is unknown, or fills owed. */
  get urgent(): boolean {
    return this.outcomes.unknownCount > 0 || this.statusSync.owedFills > 0;
  }
}
