import { RealTimeClock, type Clock } from '../clock.js';
import type { Decimal } from '../decimal.js';
import { InvalidArgumentError, OrderNotFoundError } from '../errors.js';
import { orderEventKey, type OrderEvent, type OrderEventMap } from '../events/order-events.js';
import { TypedEmitter } from '../events/typed-emitter.js';
import { silentLogger, type Logger } from '../logger.js';
import { checkOrderUpdate, checkTradeUpdate } from '../orders/check-updates.js';
import type { InFlightOrderJSON } from '../orders/in-flight-order-json.js';
import { InFlightOrder, type InFlightOrderInit, type InFlightOrderMemento, type ReadonlyInFlightOrder } from '../orders/in-flight-order.js';
import { canTransition, isTerminalState } from '../orders/order-state.js';
import type { OrderUpdate, TradeUpdate } from '../orders/updates.js';
import { openTrackingStore } from '../persistence/sqlite-tracking-store.js';
import { TrackingStoreError, type TrackedOrderChange, type TrackingStatus, type TrackingStore } from '../persistence/tracking-store.js';
import { scrubSecrets } from '../secrets.js';
import { OrderState } from '../types.js';
import { orderCreatedEvent, orderEndEvent, orderFilledEvent } from './build-events.js';
import { DoneOrderCache } from './done-order-cache.js';
import { readSavedOrders } from './read-saved-orders.js';
import { FillBarrier } from './fill-barrier.js';
import { NotFoundCounter } from './not-found-counter.js';
import { OwedFills, type OwedFillsEntry } from './owed-fills.js';
import {
  LOST_ORDER_ERROR_TYPE,
  TRACKER_DEFAULTS,
  FORGOTTEN_ORDER_ERROR_TYPE,
  VANISHED_ORDER_ERROR_TYPE,
  type MissingFillsReason,
  type NotFoundOutcome,
  type OrderTrackerHooks,
  type OrderTrackerOptions,
  type RestoreResult,
} from './options.js';

/** startTrackingOrder's argument: a new order; the creation time defaults to the clock's now. */
export type StartTrackingParams = Omit<InFlightOrderInit, 'creationTimestamp'> & { readonly creationTimestamp?: number };

/**
 * The one writer of orders and the one emitter of order events. Connectors hand it OrderUpdate and
 * TradeUpdate values; it applies them through each order's state machine, saves the change to the
 * tracking store in the same synchronous step, and only then announces it. Hence:
 * - a fill counts once per trade id, by WebSocket, REST or both, before or after a restart;
 * - every event fires at most once per order (per trade id for fills), and a listener never sees
 *   an event the store does not have;
 * - updates that make no sense (stale, contradictory, for unknown orders, malformed) are logged and
 *   ignored: they never throw into the caller's event path. Only a failure to save throws
 *   (TrackingStoreError), after undoing the change in memory.
 */
export class OrderTracker {
  /** OrderCreated, OrderFilled, OrderCompleted, OrderCancelled, OrderExpired, OrderFailed. */
  readonly events: TypedEmitter<OrderEventMap>;
  readonly clock: Clock;
  readonly store: TrackingStore;

  private readonly logger: Logger;
  private readonly hooks: OrderTrackerHooks;
  private readonly secrets: readonly (string | undefined)[];
  private readonly ownsStore: boolean;
  private readonly active = new Map<string, InFlightOrder>();
  private readonly lost = new Map<string, InFlightOrder>();
  private readonly done: DoneOrderCache;
  private readonly byExchangeId = new Map<string, string>();
  private readonly barrier: FillBarrier;
  private readonly notFound: NotFoundCounter;
  private readonly owed = new OwedFills();
  private queue: OrderEvent[] = [];
  private draining = false;

  constructor(options: OrderTrackerOptions = {}) {
    this.clock = options.clock ?? new RealTimeClock();
    this.logger = options.logger ?? silentLogger();
    this.ownsStore = options.store === undefined;
    this.store = options.store ?? openTrackingStore({ path: ':memory:' });
    this.hooks = options.hooks ?? {};
    this.secrets = options.secrets ?? [];
    this.events = new TypedEmitter<OrderEventMap>(this.logger);
    this.done = new DoneOrderCache(
      this.clock,
      options.doneCacheSize ?? TRACKER_DEFAULTS.doneCacheSize,
      options.doneCacheTtlMs ?? TRACKER_DEFAULTS.doneCacheTtlMs,
      (order) => this.unindex(order),
    );
    this.barrier = new FillBarrier(this.clock, options.fillWaitTimeoutMs ?? TRACKER_DEFAULTS.fillWaitTimeoutMs, (id) => this.onFillWaitTimeout(id));
    this.notFound = new NotFoundCounter(
      options.lostOrderCountLimit ?? TRACKER_DEFAULTS.lostOrderCountLimit,
      options.lostOrderMinSpacingMs ?? TRACKER_DEFAULTS.lostOrderMinSpacingMs,
    );
  }

  // ---- reading ----------------------------------------------------------------------------------

  /** Orders that may still trade, by client order id (the spec's `in_flight_orders`). */
  get activeOrders(): ReadonlyMap<string, ReadonlyInFlightOrder> {
    return this.active;
  }

  /** Orders declared FAILED after confirmed not-found answers, still watched for fills and news. */
  get lostOrders(): ReadonlyMap<string, ReadonlyInFlightOrder> {
    return this.lost;
  }

  /** Ended orders still in memory. */
  get cachedOrders(): readonly ReadonlyInFlightOrder[] {
    return this.done.orders();
  }

  /** Orders whose state the connector should poll: active and lost. */
  get allUpdatableOrders(): readonly ReadonlyInFlightOrder[] {
    return [...this.active.values(), ...this.lost.values()];
  }

  /** Orders whose fills the connector should poll: active, lost and recently ended. */
  get allFillableOrders(): readonly ReadonlyInFlightOrder[] {
    return [...this.active.values(), ...this.lost.values(), ...this.done.orders()];
  }

  /** An active order. */
  fetchTrackedOrder(clientOrderId: string): ReadonlyInFlightOrder | undefined {
    return this.active.get(clientOrderId);
  }

  /** Any order in memory (active, lost or recently ended), by client id or else by exchange id. */
  fetchOrder(clientOrderId?: string, exchangeOrderId?: string): ReadonlyInFlightOrder | undefined {
    return this.inMemory(clientOrderId, exchangeOrderId);
  }

  /** Whether a FILLED report for this order is held until its fills add up. */
  isAwaitingFills(clientOrderId: string): boolean {
    return this.barrier.isHolding(clientOrderId);
  }

  /** Orders whose recorded fills add up to less than the exchange reported executed (saved; restored by restoreFromStore). */
  get ordersOwedFills(): readonly OwedFillsEntry[] {
    return this.owed.list;
  }

  /** The confirmed not-found answers counted for this order. */
  notFoundCount(clientOrderId: string): number {
    return this.notFound.count(clientOrderId);
  }

  /** The not-found rule for creates (answers needed, their spacing), which vanished acknowledged orders share. */
  get notFoundRule(): { readonly limit: number; readonly minSpacingMs: number } {
    return { limit: this.notFound.limit, minSpacingMs: this.notFound.minSpacingMs };
  }

  /** The spec's `tracking_states`: active and lost orders as JSON, by client order id. */
  get trackingStates(): Record<string, InFlightOrderJSON> {
    const out: Record<string, InFlightOrderJSON> = {};
    for (const order of this.allUpdatableOrders) out[order.clientOrderId] = order.toJSON();
    return out;
  }

  // ---- writing ----------------------------------------------------------------------------------

  /**
   * Starts tracking a new order (PENDING_CREATE unless told otherwise) and saves it before
   * returning, so an order is on disk before its request can leave. Throws InvalidArgumentError
   * for a bad order or a client id already used.
   */
  startTrackingOrder(params: StartTrackingParams): ReadonlyInFlightOrder {
    const id = params.clientOrderId;
    if (typeof id === 'string' && (this.inMemory(id) ?? this.store.loadOrder(id))) {
      throw new InvalidArgumentError(`client order id ${id} is already in use`, 'clientOrderId');
    }
    const order = new InFlightOrder({ ...params, creationTimestamp: params.creationTimestamp ?? this.clock.now() });
    const tracking: TrackingStatus = order.isDone ? 'done' : 'active';
    this.save(order, undefined, tracking, [...order.orderFills.values()], []);
    return order;
  }

  /** Stops tracking an order (the spec's `stop_tracking_order`). It stays in the done cache for late fills. */
  stopTrackingOrder(clientOrderId: string): boolean {
    const order = this.active.get(clientOrderId) ?? this.lost.get(clientOrderId);
    if (!order) return false;
    this.barrier.release(clientOrderId);
    this.save(order, order.memento(), 'done', [], []);
    return true;
  }

  /**
   * Applies a state report. Returns whether the order changed. A FILLED report whose fills do not
   * add up yet is held by the fill barrier (see FillBarrier) and applied when they do.
   */
  processOrderUpdate(update: OrderUpdate): boolean {
    if (!this.accepts(() => checkOrderUpdate(update))) return false;
    const order = this.inMemory(update.clientOrderId, update.exchangeOrderId);
    if (!order) {
      this.logger.debug({ clientOrderId: update.clientOrderId, exchangeOrderId: update.exchangeOrderId }, 'order update for an order this tracker does not know: ignored');
      return false;
    }
    const id = order.clientOrderId;
    const tracking = this.trackingOf(order);
    const reported = update.newState;
    const waitForFills = reported === OrderState.FILLED && !order.isFilled && canTransition(order.currentState, OrderState.FILLED);
    const holding = this.barrier.isHolding(id);
    const clean: OrderUpdate = update.errorMessage === undefined ? update : { ...update, errorMessage: scrubSecrets(update.errorMessage, this.secrets) };
    let effective = clean;
    if ((waitForFills || holding) && isTerminalState(reported)) {
      if (holding && reported !== OrderState.FILLED) this.logger.warn({ clientOrderId: id, reported }, 'order already reported FILLED and waiting for its fills: this end is ignored');
      // The report still tells that the exchange has the order: keep its id and acknowledgement.
      effective = { ...effective, newState: order.currentState === OrderState.PENDING_CREATE ? OrderState.OPEN : order.currentState };
    }

    const memento = order.memento();
    const result = order.applyOrderUpdate(effective);
    if (!result.matched) {
      this.logger.warn({ clientOrderId: id, tradingPair: update.tradingPair }, 'order update does not match the order it names (trading pair): ignored');
      return false;
    }
    if (result.transition === 'stale') this.logger.debug({ clientOrderId: id, from: order.currentState, reported }, 'stale order state ignored');
    if (result.transition === 'conflict') this.logger.warn({ clientOrderId: id, state: order.currentState, reported }, 'order already ended differently: report ignored');
    if (result.exchangeOrderIdConflict) this.logger.warn({ clientOrderId: id, known: order.exchangeOrderId, reported: update.exchangeOrderId }, 'a different exchange order id was reported: the first one is kept');

    let next = tracking;
    if (tracking === 'active' && order.isDone) next = 'done';
    if (tracking === 'lost') {
      if (isTerminalState(reported)) {
        this.logger.info({ clientOrderId: id, reported }, 'the exchange reported an end for a lost order: no longer watched');
        next = 'done';
      } else {
        this.logger.error({ clientOrderId: id, reported }, 'an order declared lost is reported live by the exchange: check it on the exchange');
      }
    }

    const events: OrderEvent[] = [];
    const now = this.clock.now();
    if (result.acknowledged) events.push(orderCreatedEvent(order, now));
    if (result.transition === 'allowed' && order.isDone) events.push(orderEndEvent(order, now));
    // Held before announcing: a listener may deliver the missing fills from inside its handler.
    if (waitForFills && !holding) {
      this.barrier.hold(id, clean);
      this.logger.info({ clientOrderId: id, executed: order.executedAmountBase.toString(), amount: order.amount.toString() }, 'FILLED reported before its fills: waiting for them');
    }
    const reportedFills = update.cumulativeFilledAmount;
    if (result.changed || next !== tracking || this.owed.next(order, reportedFills, now) !== undefined) {
      try {
        this.save(order, memento, next, [], events, reportedFills);
      } catch (err) {
        if (waitForFills && !holding) this.barrier.release(id);
        throw err;
      }
    }
    if (reportedFills !== undefined && reportedFills.gt(order.executedAmountBase)) this.askForFills(order, 'exchange_reports_more_fills');
    return result.changed;
  }

  /**
   * Applies a fill. Returns true when the fill was new and recorded (and OrderFilled announced).
   * Fills apply to ended orders too; a fill for an order no longer in memory is looked up in the store.
   */
  processTradeUpdate(trade: TradeUpdate): boolean {
    if (!this.accepts(() => checkTradeUpdate(trade))) return false;
    const order = this.inMemory(trade.clientOrderId, trade.exchangeOrderId) ?? this.fromStore(trade.clientOrderId, trade.exchangeOrderId);
    if (!order) {
      this.logger.warn({ clientOrderId: trade.clientOrderId, exchangeOrderId: trade.exchangeOrderId, tradeId: trade.tradeId }, 'fill for an order this tracker does not know: not applied');
      return false;
    }
    const id = order.clientOrderId;
    const tracking = this.trackingOf(order);
    const memento = order.memento();
    const result = order.applyTradeUpdate(trade);
    if (result.kind === 'duplicate') {
      if (result.conflicting) this.logger.warn({ clientOrderId: id, tradeId: trade.tradeId }, 'the same trade id came again with other amounts: the first is kept');
      return false;
    }
    if (result.kind === 'other_order') {
      this.logger.warn({ clientOrderId: id, tradingPair: trade.tradingPair, tradeId: trade.tradeId }, 'fill does not match the order it names (trading pair): not applied');
      return false;
    }
    const now = this.clock.now();
    const events: OrderEvent[] = [];
    if (result.acknowledged) events.push(orderCreatedEvent(order, now));
    events.push(orderFilledEvent(order, trade, now));
    if (order.isOverfilled) {
      this.logger.warn({ clientOrderId: id, amount: order.amount.toString(), executed: order.executedAmountBase.toString() }, 'fills exceed the order amount (overfill recorded)');
    }
    const held = this.barrier.heldUpdate(id);
    if (held && order.isFilled) {
      const completion = order.applyOrderUpdate(held);
      if (completion.acknowledged) events.push(orderCreatedEvent(order, now));
      if (completion.transition === 'allowed' && order.isDone) events.push(orderEndEvent(order, now));
    }
    const next = tracking === 'active' && order.isDone ? 'done' : tracking;
    const completes = held !== undefined && order.isDone;
    if (completes) this.barrier.release(id);
    try {
      this.save(order, memento, next, [trade], events);
    } catch (err) {
      if (completes) this.barrier.hold(id, held);
      throw err;
    }
    return true;
  }

  /**
   * Records the exchange's answer that it does not know an order. Only an OrderNotFoundError
   * counts (a transport error or timeout proves nothing), and only for an order the exchange never
   * acknowledged. At `lostOrderCountLimit` counted answers the order is FAILED and kept as lost; a
   * further confirmed answer for a lost order stops watching it. `sentAt`: when the query was sent.
   */
  processOrderNotFound(clientOrderId: string, evidence: unknown, sentAt?: number): NotFoundOutcome {
    const order = this.active.get(clientOrderId) ?? this.lost.get(clientOrderId);
    if (!(evidence instanceof OrderNotFoundError)) {
      this.logger.warn({ clientOrderId, err: evidence }, 'not counted as "order not found": only a confirmed answer from the exchange counts');
      return 'not_confirmed';
    }
    if (!order) return this.inMemory(clientOrderId) ? 'done' : 'unknown_order';
    if (this.lost.has(clientOrderId)) {
      this.notFound.forget(clientOrderId);
      this.save(order, order.memento(), 'done', [], []);
      this.logger.info({ clientOrderId }, 'lost order confirmed unknown again: no longer watched');
      return 'lost_order_dropped';
    }
    if (order.isAcknowledged) {
      this.logger.warn({ clientOrderId, exchangeOrderId: order.exchangeOrderId }, 'the exchange says it does not know an order it acknowledged: not counted');
      return 'acknowledged';
    }
    const now = this.clock.now();
    const { count, counted } = this.notFound.record(clientOrderId, sentAt ?? now, now);
    if (!counted) return 'too_soon';
    if (count < this.notFound.limit) return 'counted';

    this.endAsLost(order, LOST_ORDER_ERROR_TYPE, `the exchange answered ${count} times that it does not know this order`);
    return 'declared_lost';
  }

  /**
   * An acknowledged order the exchange no longer knows, on the connector's evidence (see
   * VanishedOrders): FAILED with `reason` (OrderFailed announced) and kept as lost, so a later
   * report or fill of it still applies. Returns false for an order not active.
   */
  declareVanished(clientOrderId: string, reason: string): boolean {
    const order = this.active.get(clientOrderId);
    if (!order || order.isDone) return false;
    this.endAsLost(order, VANISHED_ORDER_ERROR_TYPE, reason);
    return true;
  }

  /** Ends tracking by hand (`venuekit forget`): an active order FAILED with `reason` (OrderFailed, saved), a lost one no longer watched. */
  forgetOrder(clientOrderId: string, reason: string): boolean {
    const order = this.active.get(clientOrderId) ?? this.lost.get(clientOrderId);
    if (!order) return false;
    if (order.isDone) this.save(order, order.memento(), 'done', [], []);
    else this.endAsLost(order, FORGOTTEN_ORDER_ERROR_TYPE, reason, 'done');
    this.logger.warn({ clientOrderId, reason }, 'order no longer tracked, by hand');
    return true;
  }

  private endAsLost(order: InFlightOrder, errorType: string, errorMessage: string, tracking: TrackingStatus = 'lost'): void {
    const { clientOrderId, tradingPair } = order;
    const now = this.clock.now();
    const memento = order.memento();
    order.applyOrderUpdate({ clientOrderId, tradingPair, newState: OrderState.FAILED, updateTimestamp: now, errorType, errorMessage });
    this.barrier.release(clientOrderId);
    this.logger.warn({ clientOrderId, errorType, errorMessage }, 'order declared lost: check it on the exchange');
    this.save(order, memento, tracking, [], [orderEndEvent(order, now)]);
  }

  /**
   * The spec's `restore_tracking_states`: reads saved orders back. Open orders become active,
   * lost ones lost, ended ones go to the done cache. An entry that cannot be read is skipped with
   * an error naming its bad field, and the others are restored. Restored orders are saved to this
   * tracker's store; no event is announced for them.
   */
  restoreTrackingStates(saved: Record<string, unknown>): RestoreResult {
    const read = readSavedOrders(saved);
    for (const { key, error } of read.skipped) this.logger.error({ key, err: error }, 'a saved order could not be read: skipped');
    const orders = read.orders.filter(({ order }) => !this.inMemory(order.clientOrderId));
    if (orders.length > 0) this.commit(orders, orders.flatMap(({ order }) => [...order.orderFills.values()]), []);
    for (const { order, tracking } of orders) this.place(order, tracking);
    return { restored: orders.map(({ order }) => order.clientOrderId), skipped: read.skipped };
  }

  /** Restores the store's own tracking states (after a restart). */
  restoreFromStore(): RestoreResult {
    const result = this.restoreTrackingStates(this.store.trackingStates());
    const restored = [...result.restored];
    for (const saved of this.store.owedFillOrders()) {
      const read = this.inMemory(saved.clientOrderId) ? undefined : readSavedOrders({ [saved.clientOrderId]: saved.order });
      for (const { key, error } of read?.skipped ?? []) this.logger.error({ key, err: error }, 'a saved order owed fills could not be read: skipped');
      const fresh = read?.orders[0]?.order;
      if (fresh) this.place(fresh, 'done');
      const order = this.inMemory(saved.clientOrderId);
      if (!order) continue;
      this.owed.set(order, saved.owed);
      if (fresh) restored.push(fresh.clientOrderId);
    }
    return { restored, skipped: result.skipped };
  }

  /** Stops the fill barrier's timers; closes the store if the tracker made it. Held FILLED reports are dropped (see FillBarrier). */
  close(): void {
    this.barrier.clear();
    if (this.ownsStore) this.store.close();
  }

  // ---- internals --------------------------------------------------------------------------------

  private onFillWaitTimeout(clientOrderId: string): void {
    const held = this.barrier.heldUpdate(clientOrderId);
    const order = this.active.get(clientOrderId);
    if (!held || !order || order.isDone) {
      this.barrier.release(clientOrderId);
      return;
    }
    const memento = order.memento();
    const result = order.applyOrderUpdate(held);
    const now = this.clock.now();
    const events: OrderEvent[] = [];
    if (result.acknowledged) events.push(orderCreatedEvent(order, now));
    if (result.transition === 'allowed' && order.isDone) events.push(orderEndEvent(order, now));
    this.barrier.release(clientOrderId);
    try {
      // FILLED: the exchange executed the whole amount when it gives no cumulative amount.
      this.save(order, memento, order.isDone ? 'done' : 'active', [], events, held.cumulativeFilledAmount ?? order.amount);
    } catch {
      // Logged by save; try again after another wait.
      this.barrier.hold(clientOrderId, held);
      return;
    }
    this.logger.warn(
      { clientOrderId, executed: order.executedAmountBase.toString(), amount: order.amount.toString(), waitedMs: this.barrier.timeoutMs },
      'the fills did not add up in time: completed with the fills that arrived; asking for the rest',
    );
    this.askForFills(order, 'fill_barrier_timeout');
  }

  private askForFills(order: ReadonlyInFlightOrder, reason: MissingFillsReason): void {
    const hook = this.hooks.onMissingFills;
    if (!hook) return;
    const report = (err: unknown) => this.logger.error({ err, clientOrderId: order.clientOrderId, reason }, 'the missing-fills hook failed');
    try {
      const result = hook.call(this.hooks, order, reason);
      if (result instanceof Promise) result.catch(report);
    } catch (err) {
      report(err);
    }
  }

  /** Runs a check on an incoming value; a bad value is logged and refused, never thrown at the caller. */
  private accepts(check: () => void): boolean {
    try {
      check();
      return true;
    } catch (err) {
      if (!(err instanceof InvalidArgumentError)) throw err;
      this.logger.warn({ err: err.message, field: err.field }, 'malformed update refused');
      return false;
    }
  }

  private inMemory(clientOrderId?: string, exchangeOrderId?: string): InFlightOrder | undefined {
    const byClient = (id: string) => this.active.get(id) ?? this.lost.get(id) ?? this.done.get(id) ?? this.owed.get(id);
    const direct = clientOrderId === undefined ? undefined : byClient(clientOrderId);
    if (direct || exchangeOrderId === undefined || exchangeOrderId === '') return direct;
    const id = this.byExchangeId.get(exchangeOrderId);
    const order = id === undefined ? undefined : byClient(id);
    if (order?.exchangeOrderId !== exchangeOrderId) return undefined;
    // A reset exchange gives a vanished order's id to new orders: another client id is another order.
    const reused = clientOrderId !== undefined && order.failure?.type === VANISHED_ORDER_ERROR_TYPE;
    return reused ? undefined : order;
  }

  /** An ended order no longer in memory, from the store, for a late fill. */
  private fromStore(clientOrderId: string, exchangeOrderId: string): InFlightOrder | undefined {
    try {
      let stored = this.store.loadOrder(clientOrderId);
      if (!stored && exchangeOrderId !== '') {
        const id = this.store.findClientOrderId(exchangeOrderId);
        stored = id === undefined ? undefined : this.store.loadOrder(id);
      }
      // Active or lost orders not in memory were not restored by the owner: not ours to revive.
      if (!stored || stored.tracking !== 'done') return undefined;
      const order = InFlightOrder.fromJSON(stored.order);
      this.place(order, 'done');
      return order;
    } catch (err) {
      this.logger.error({ err, clientOrderId }, 'a saved order could not be read');
      return undefined;
    }
  }

  private trackingOf(order: InFlightOrder): TrackingStatus {
    if (this.active.get(order.clientOrderId) === order) return 'active';
    if (this.lost.get(order.clientOrderId) === order) return 'lost';
    return 'done';
  }

  /**
   * Saves one order's change with its fills and events, then files the order under its tracking
   * status and announces the events. If saving fails, the order is put back as it was. Whether
   * its fills are owed is saved with it: `reported` is the exchange's cumulative executed amount.
   */
  private save(order: InFlightOrder, memento: InFlightOrderMemento | undefined, tracking: TrackingStatus, fills: TradeUpdate[], events: OrderEvent[], reported?: Decimal): void {
    let alreadyRecorded: ReadonlySet<string>;
    const owed = this.owed.next(order, reported, this.clock.now());
    try {
      alreadyRecorded = this.commit([{ order, tracking, owed }], fills, events);
    } catch (err) {
      if (memento) order.restoreMemento(memento);
      throw err;
    }
    this.owed.set(order, owed);
    this.place(order, tracking);
    if (tracking !== 'active') this.notFound.forget(order.clientOrderId);
    this.announce(
      events.filter((event) => {
        if (!alreadyRecorded.has(orderEventKey(event))) return true;
        // Routine when another process on the store (a bot and `venuekit sell`) announced it first.
        this.logger.info({ key: orderEventKey(event) }, 'event already recorded in the store (announced by another tracker on it): not announced again');
        return false;
      }),
    );
  }

  private commit(orders: (TrackedOrderChange & { order: InFlightOrder })[], fills: TradeUpdate[], events: OrderEvent[]): ReadonlySet<string> {
    try {
      return this.store.commit({ at: this.clock.now(), orders, fills, events }).alreadyRecorded;
    } catch (err) {
      this.logger.error({ err }, 'could not save an order change: it was not applied');
      throw err instanceof TrackingStoreError ? err : new TrackingStoreError(`could not save an order change: ${(err as Error).message}`, { cause: err });
    }
  }

  private place(order: InFlightOrder, tracking: TrackingStatus): void {
    const id = order.clientOrderId;
    this.active.delete(id);
    this.lost.delete(id);
    if (tracking === 'active') this.active.set(id, order);
    else if (tracking === 'lost') this.lost.set(id, order);
    if (tracking === 'done') this.done.add(order);
    else this.done.delete(id);
    if (order.exchangeOrderId !== undefined) this.byExchangeId.set(order.exchangeOrderId, id);
  }

  private unindex(order: InFlightOrder): void {
    if (order.exchangeOrderId !== undefined && this.byExchangeId.get(order.exchangeOrderId) === order.clientOrderId) {
      const id = order.clientOrderId;
      if (!this.active.has(id) && !this.lost.has(id) && !this.owed.has(id)) this.byExchangeId.delete(order.exchangeOrderId);
    }
  }

  /** Emits in order; events raised by a listener's own calls wait for the ones already queued. */
  private announce(events: OrderEvent[]): void {
    this.queue.push(...events);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        this.events.emit(event.type, event as never);
      }
    } finally {
      this.draining = false;
    }
  }
}
