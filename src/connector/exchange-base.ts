import { OrderBookTracker } from '../core/book/tracker.js';
import type { OrderBook } from '../core/book/order-book.js';
import { ClientOrderIdGenerator } from '../core/client-order-id.js';
import { RealTimeClock, type Clock } from '../core/clock.js';
import type { Decimal } from '../core/decimal.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { OrderEventMap } from '../core/events/order-events.js';
import { TypedEmitter } from '../core/events/typed-emitter.js';
import { feeSchemaFor } from '../core/fees/fee-overrides.js';
import type { TradeFeeSchema } from '../core/fees/fee-schema.js';
import { getFee, type GetFeeParams } from '../core/fees/get-fee.js';
import type { TradeFee } from '../core/fees/trade-fee.js';
import { silentLogger } from '../core/logger.js';
import { NetworkIterator, NetworkStatus } from '../core/network-iterator.js';
import type { CancellationResult } from '../core/orders/cancellation-result.js';
import type { InFlightOrderJSON } from '../core/orders/in-flight-order-json.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import { toLimitOrder, type LimitOrder } from '../core/orders/limit-order.js';
import type { OpenOrder } from '../core/orders/open-order.js';
import type { BalanceEntry, OrderUpdate, TradeUpdate } from '../core/orders/updates.js';
import { defaultTrackingStorePath, openTrackingStore } from '../core/persistence/sqlite-tracking-store.js';
import type { TrackingHistory, TrackingStore } from '../core/persistence/tracking-store.js';
import { getOrderPriceQuantum, getOrderSizeQuantum } from '../core/rules/quantize.js';
import type { TradingRule } from '../core/rules/trading-rule.js';
import { OrderTracker, type StartTrackingParams } from '../core/tracker/order-tracker.js';
import type { RestoreResult } from '../core/tracker/options.js';
import { OrderType, TradeType } from '../core/types.js';
import type { RestClient } from '../net/rest-client.js';
import type { RestRequest } from '../net/rest-types.js';
import { AccountBalances, type BalanceMessage } from './account-balances.js';
import { BalanceRefresh } from './balance-refresh.js';
import type { BalanceTable } from './balance-table.js';
import type { ConnectorFactory, ExchangeConnector, FormattedTradingRules } from './connector.js';
import { quantizeOrderArgs, readOrderArgs, type OrderArgs, type OrderRequest } from './order-args.js';
import type { CancelOrderOptions, ExchangeHealth, ExchangeStatus, ExchangeStatusEvents, ReconciliationReport, SubmitOrderOptions } from './exchange-types.js';
import { timingsOf, type ExchangeBaseOptions, type ExchangeBaseTimings } from './options.js';
import { OrderRequests } from './order-requests.js';
import { TradingPairSymbols } from './symbol-map.js';
import { BackgroundTasks } from './background.js';
import { settleWithin } from './bounded.js';
import { Reconciliation } from './reconciliation.js';
import { historyOf, readHistory, type ExchangeHistory, type ExchangeHistoryQuery } from './history.js';
import { waitUntilReady } from './ready-wait.js';
import { StatusPolling, repeatEvery } from './status-polling.js';
import { TradeBackfill } from './trade-backfill.js';
import type { UserStreamDataSource, UserStreamListener, UserStreamMessage } from './user-stream-source.js';

/**
 * The generic exchange: the spec's `Exchange` class, written once. A venue supplies an
 * ExchangeConnector (how to place, cancel and query orders, read balances and rules, and its data
 * sources); everything else — tracking, the unknown-outcome rules, cancel-all, the status and rules
 * polling loops, the user stream routing, balances, reconciliation after a restart — is written
 * once, here and in the helpers beside it.
 *
 * Orders are tracked by the OrderTracker (the only writer of orders and emitter of order events,
 * on `events`), saved to SQLite before any request leaves.
 *
 * The helpers hold the logic: order-requests (which ties order-creation, order-cancels,
 * order-status-sync and create-outcomes together), account-balances over balance-table,
 * status-polling (the poll scheduling, the loops, the user stream's liveness), reconciliation,
 * order-args. This file is still longer than ~500 lines because it is the spec's one `Exchange`
 * class: over fifty public and protected members (every spec function and property, plus
 * `submitOrder`, `cancelOrder`, `health`), each a documented delegation, and the constructor that
 * wires the helpers. Splitting the class itself would spread the spec's one surface over files.
 */
export class ExchangeBase extends NetworkIterator {
  /** Order events: OrderCreated, OrderFilled, OrderCompleted, OrderCancelled, OrderExpired, OrderFailed. */
  readonly events: TypedEmitter<OrderEventMap>;
  readonly statusEvents: TypedEmitter<ExchangeStatusEvents>;
  readonly orderTracker: OrderTracker;
  readonly connector: ExchangeConnector;
  readonly tradingPairs: readonly string[];
  readonly tradingRequired: boolean;
  readonly timings: ExchangeBaseTimings;

  protected readonly symbols = new TradingPairSymbols();
  protected readonly balanceTable: BalanceTable;
  protected readonly orderBookTracker: OrderBookTracker;
  protected readonly userStream: UserStreamDataSource | undefined;

  private readonly ownsClock: RealTimeClock | undefined;
  private readonly ownsStore: TrackingStore | undefined;
  private readonly trackingHistory: TrackingHistory | undefined;
  private readonly ids: ClientOrderIdGenerator;
  private readonly feeSchema: TradeFeeSchema;
  private readonly background: BackgroundTasks;
  private readonly orders: OrderRequests;
  private readonly balances: AccountBalances;
  private readonly balanceRefresh: BalanceRefresh;
  private readonly polling: StatusPolling;
  private readonly reconciliation: Reconciliation;
  private readonly backfill: TradeBackfill;
  private rules: ReadonlyMap<string, TradingRule> = new Map();
  private running: AbortController | undefined;
  private loops: Promise<void>[] = [];
  private booksStarting: Promise<void> | undefined;
  private closed = false;
  private readonly stopTicking: () => void;

  constructor(createConnector: ConnectorFactory, options: ExchangeBaseOptions = {}) {
    const ownsClock = options.clock ? undefined : new RealTimeClock({ tickIntervalMs: options.tickIntervalMs ?? 1_000 });
    const clock: Clock = options.clock ?? ownsClock!;
    const logger = options.logger ?? silentLogger();
    super({ ...options, clock, logger });
    this.ownsClock = ownsClock;
    this.timings = timingsOf(options);
    this.tradingRequired = options.tradingRequired ?? true;
    this.tradingPairs = [...(options.tradingPairs ?? [])];
    this.connector = createConnector({ symbols: this.symbols, clock, logger });

    this.ownsStore = options.store
      ? undefined
      : openTrackingStore({
          path: options.databasePath ?? defaultTrackingStorePath(),
          connector: this.connector.name,
          ...(options.databaseSync !== undefined && { synchronous: options.databaseSync }),
        });
    const store = options.store ?? this.ownsStore!;
    this.trackingHistory = historyOf(store);
    this.orderTracker = new OrderTracker({
      ...options.tracker,
      store,
      clock,
      logger,
      hooks: { onMissingFills: (order, reason) => this.orders.statusSync.missingFills(order, reason) },
    });
    this.events = this.orderTracker.events;
    this.balances = new AccountBalances({
      connector: this.connector,
      logger,
      activeOrders: () => this.orderTracker.activeOrders.values(),
      marketPrice: (pair, side) => this.referencePrice(pair, side), snapshotSoon: () => this.polling.pollSoon(),
    });
    this.balanceTable = this.balances.table;
    this.balanceRefresh = new BalanceRefresh({ clock, logger, refresh: () => this.updateBalances(), active: () => this.running !== undefined });
    this.background = new BackgroundTasks(logger);
    this.orders = new OrderRequests({
      connector: this.connector,
      tracker: this.orderTracker,
      background: this.background,
      clock,
      logger,
      rules: () => this.rules,
      referencePrice: (pair, side) => this.referencePrice(pair, side),
      applyOrder: (update) => this.processOrderMessage(update),
      applyTrade: this.balanceRefresh.afterFill((trade) => this.processTradeMessage(trade)),
      pollSoon: () => this.polling.pollSoon(),
    });
    this.statusEvents = new TypedEmitter(logger);

    const rules = this.connector.clientOrderIdRules;
    const prefix = options.clientOrderIdPrefix ?? rules.prefix;
    const latest = store.latestClientOrderId(prefix);
    this.ids = new ClientOrderIdGenerator({ ...rules, prefix, ...(latest !== undefined && { startAfter: latest }) });
    this.feeSchema = feeSchemaFor(this.connector.name, this.connector.defaultFeeSchema, options.feeOverrides);

    this.orderBookTracker = new OrderBookTracker(this.connector.createOrderBookDataSource(), { ...options.orderBooks, clock, logger });
    this.userStream = this.tradingRequired ? this.connector.createUserStreamDataSource() : undefined;
    const { tradingRequired, timings, userStream } = this;
    this.polling = new StatusPolling({ clock, timings, logger, userStream, tradingRequired, urgent: () => this.orders.urgent });
    this.reconciliation = new Reconciliation({
      tracker: this.orderTracker,
      outcomes: this.orders.outcomes,
      background: this.background,
      statusEvents: this.statusEvents,
      logger,
      owns: (id) => this.ids.owns(id),
      isRunning: () => this.running !== undefined,
      updateOrderStatus: () => this.updateOrderStatus(),
      fetchOpenOrders: () => this.getOpenOrders(),
    });

    const backfillDeps = { connector: this.connector, tracker: this.orderTracker, clock, logger, tradingPairs: this.tradingPairs };
    this.backfill = new TradeBackfill({ ...backfillDeps, intervalMs: timings.longPollIntervalMs, owns: (id) => this.ids.owns(id), applyTrade: this.balanceRefresh.afterFill((t) => this.processTradeMessage(t)) });
    this.stopTicking = clock.onTick((now) => this.tick(now));
    if (options.restore ?? true) this.restoreFromStore();
  }

  // ---- (6) properties ---------------------------------------------------------------------------

  /**
   * The orders and fills this connector's tracking store recorded (every run on this store, done
   * orders included), oldest first; no request to the exchange. Throws for a store without history.
   */
  history(query: ExchangeHistoryQuery = {}): ExchangeHistory {
    return readHistory(this.trackingHistory, query);
  }

  get name(): string {
    return this.connector.name;
  }

  /** Every tracked pair's order book, ready or not (`orderBookTracker.isReady(pair)`). */
  get orderBooks(): ReadonlyMap<string, OrderBook> {
    return this.orderBookTracker.orderBooks;
  }

  /** Trading rules by pair, for every market the exchange lists. */
  get tradingRules(): ReadonlyMap<string, TradingRule> {
    return this.rules;
  }

  /** Orders that may still trade, by client order id. */
  get inFlightOrders(): ReadonlyMap<string, ReadonlyInFlightOrder> {
    return this.orderTracker.activeOrders;
  }

  /**
   * Each component and whether it is ready. `userStream` is true while the stream is subscribed,
   * and also while it is down or silent but the status poll has succeeded within two short poll
   * intervals: orders and balances are then at most one short interval behind the exchange, the
   * promise `ready` makes either way (see docs/architecture.md, "Connector").
   */
  get statusDict(): ExchangeStatus {
    const trading = this.tradingRequired;
    return {
      symbolMap: this.symbols.ready,
      orderBooks: this.orderBookTracker.ready,
      balances: !trading || this.balances.table.initialized,
      tradingRules: this.rules.size > 0,
      userStream: !trading || this.userStreamLive || this.pollingCovers,
    };
  }

  /** All of `statusDict`. */
  get ready(): boolean {
    return Object.values(this.statusDict).every(Boolean);
  }

  /**
   * Beyond the spec: resolves once `ready` (after `start()` or `startNetwork()`); rejects after
   * `timeoutMs` with ExchangeUnavailableError naming the `statusDict` parts still not ready.
   */
  waitUntilReady(timeoutMs = 30_000): Promise<void> {
    return waitUntilReady(this.name, () => this.statusDict, timeoutMs);
  }

  /**
   * What `ready` is made of and what stands behind it, read-only, for dashboards and status
   * commands: the network, `statusDict`, the user stream (subscribed, last received, reconnects),
   * each tracked order book (readiness, resyncs, gaps...), the rate limiter's use per pool, orders owed fills.
   */
  health(): ExchangeHealth {
    const { statusDict: status, connector: { limiter }, orderBookTracker: books } = this;
    return {
      network: this.networkStatus,
      ready: Object.values(status).every(Boolean),
      status,
      userStream: this.polling.userStreamHealth,
      orderBooks: books.tradingPairs.flatMap((pair) => books.status(pair) ?? []),
      rateLimits: (limiter?.usage() ?? []).map(({ pool, used, limit }) => ({ pool, used, limit })),
      queuedRequests: limiter?.queued ?? 0,
      fillsOwed: this.orders.statusSync.fillsOwedHealth(),
      untrackedTrades: this.backfill.untrackedTrades,
      lostOrders: [...this.orderTracker.lostOrders.values()].map((o) => ({ clientOrderId: o.clientOrderId, tradingPair: o.tradingPair, errorType: o.failure?.type ?? '', reason: o.failure?.message ?? '' })),
    };
  }

  /** Whether the pair's order book is tracked and synchronized with the exchange. */
  isOrderBookReady(tradingPair: string): boolean {
    return this.orderBookTracker.isReady(tradingPair);
  }

  /** Open limit orders as the spec's LimitOrder. */
  get limitOrders(): LimitOrder[] {
    const out: LimitOrder[] = [];
    for (const order of this.orderTracker.activeOrders.values()) {
      const limit = toLimitOrder(order);
      if (limit) out.push(limit);
    }
    return out;
  }

  /** Active and lost orders as JSON, by client id: what `restoreTrackingStates` takes back. */
  get trackingStates(): Record<string, InFlightOrderJSON> {
    return this.orderTracker.trackingStates;
  }

  /** The spec's `_http_client`: the one HTTP client of this exchange. */
  get httpClient(): RestClient<string> {
    return this.connector.httpClient;
  }

  /** The user stream is subscribed and has received something within `userStreamSilenceMs`. */
  get userStreamLive(): boolean {
    return this.polling.userStreamLive;
  }

  /** The status poll covers for a stream that is down or silent (see `statusDict`). */
  get pollingCovers(): boolean {
    return this.polling.pollingCovers;
  }

  // ---- balances ---------------------------------------------------------------------------------

  /** Total balance of `asset` (free + locked). */
  getBalance(asset: string): Decimal {
    return this.balances.total(asset);
  }

  /**
   * What new orders may use: the exchange's available balance minus what this connector's orders
   * hold that the exchange has not shown yet (orders pending creation, and orders acknowledged after
   * the balance's last update; a market buy at the book's best ask). Never below zero.
   */
  getAvailableBalance(asset: string): Decimal {
    return this.balances.availableForNewOrders(asset);
  }

  /** Every asset with a balance. */
  getAllBalances(): BalanceEntry[] {
    return this.balances.entries();
  }

  // ---- (1) placing orders -----------------------------------------------------------------------

  /** Places a buy order in the background and returns its client order id at once. A bad argument throws InvalidArgumentError. */
  buy(tradingPair: string, amount: Decimal | string, orderType: OrderType = OrderType.LIMIT, price?: Decimal | string): string {
    return this.placeOrder(TradeType.BUY, { tradingPair, amount, orderType, ...(price !== undefined && { price }) });
  }

  /** Places a sell order in the background and returns its client order id at once. */
  sell(tradingPair: string, amount: Decimal | string, orderType: OrderType = OrderType.LIMIT, price?: Decimal | string): string {
    return this.placeOrder(TradeType.SELL, { tradingPair, amount, orderType, ...(price !== undefined && { price }) });
  }

  /**
   * Places an order and resolves once the exchange has acknowledged it, or rejects with the typed
   * error (a TradingRuleViolation, InsufficientFundsError, an OrderNotFoundError once the exchange
   * confirmed it never got it...). A create whose outcome is unknown keeps it waiting until a query
   * settles it.
   */
  async submitOrder(side: TradeType, request: OrderRequest, options: SubmitOrderOptions = {}): Promise<ReadonlyInFlightOrder> {
    const clientOrderId = this.placeOrder(side, request, true);
    return this.orders.creation.acknowledged(this.orderTracker.fetchOrder(clientOrderId)!, options.timeoutMs);
  }

  /**
   * buy/sell: checks the arguments (throws at once), quantizes to the pair's steps when its rule is
   * known, starts tracking the order as PENDING_CREATE (saved), and creates it in the background.
   */
  protected placeOrder(side: TradeType, request: OrderRequest, awaited = false): string {
    this.assertOpen();
    const args = quantizeOrderArgs(readOrderArgs(request, side, this.supportedOrderTypes()), this.rules.get(request.tradingPair));
    const clientOrderId = this.ids.next();
    this.startTrackingOrder({
      clientOrderId,
      tradingPair: args.tradingPair,
      tradeType: side,
      orderType: args.orderType,
      amount: args.amount,
      ...(args.price !== undefined && { price: args.price }),
    });
    this.orders.begin(clientOrderId, awaited);
    // After returning: a listener the caller adds right after buy() sees every event of the order.
    this.background.run(Promise.resolve().then(() => this.createOrder(clientOrderId, args)));
    return clientOrderId;
  }

  /**
   * The spec's `_create_order`: checks the trading rule (a failure is OrderFailed naming the rule,
   * and nothing is sent), then sends the order through the rate limiter, signed after its slot is
   * granted, and records the exchange's id and state. A failure with an unknown outcome (timeout,
   * transport error, 5xx, -1007) leaves the order PENDING_CREATE for the status poll to settle.
   */
  protected async createOrder(clientOrderId: string, args: OrderArgs): Promise<string> {
    await this.orders.creation.create(clientOrderId, args);
    return clientOrderId;
  }

  /** A market order's reference price for the notional check: the best price it would take, if the book is tracked. */
  private referencePrice(tradingPair: string, side: TradeType): Decimal | undefined {
    if (!this.isOrderBookReady(tradingPair)) return undefined;
    return this.orderBookTracker.getOrderBook(tradingPair).getPrice(side === TradeType.BUY);
  }

  // ---- (2) cancelling orders --------------------------------------------------------------------

  /** Cancels a tracked order in the background; returns its client id at once. */
  cancel(tradingPair: string, clientOrderId: string): string {
    this.background.run(this.executeCancel(tradingPair, clientOrderId));
    return clientOrderId;
  }

  /**
   * Cancels a tracked order and resolves once it has ended (cancelled, or filled meanwhile), once
   * the exchange refused the cancel, or after `timeoutMs` (default `cancelAllTimeoutMs`): success
   * when the order ended cancelled. The awaitable `cancel`, as `submitOrder` is the awaitable `buy`.
   */
  cancelOrder(tradingPair: string, clientOrderId: string, options: CancelOrderOptions = {}): Promise<CancellationResult> {
    return this.orders.cancels.one(tradingPair, clientOrderId, options.timeoutMs ?? this.timings.cancelAllTimeoutMs);
  }

  /**
   * Cancels every order this connector tracks, each by its client id (never through an endpoint that
   * cancels every order on the account, which would take other bots' orders too), and returns one
   * result per order within `timeoutMs`: success when the order ended cancelled.
   */
  async cancelAll(timeoutMs: number = this.timings.cancelAllTimeoutMs): Promise<CancellationResult[]> {
    return this.orders.cancels.all([...this.orderTracker.activeOrders.values()].filter((o) => !o.isDone), timeoutMs);
  }

  /**
   * The spec's `_execute_cancel`: cancels one tracked order by its client id and returns the id once
   * the exchange confirmed, undefined otherwise (PENDING_CREATE and not-open orders: OrderCancels).
   */
  protected executeCancel(tradingPair: string, clientOrderId: string): Promise<string | undefined> {
    return this.orders.cancels.execute(tradingPair, clientOrderId);
  }

  // ---- (3) tracking orders and balances ---------------------------------------------------------

  /** Starts tracking an order (saved before this returns). */
  startTrackingOrder(params: StartTrackingParams): ReadonlyInFlightOrder {
    return this.orderTracker.startTrackingOrder(params);
  }

  /** Stops tracking an order; it stays in the done cache for late fills. */
  stopTrackingOrder(clientOrderId: string): boolean {
    this.orders.forget(clientOrderId);
    return this.orderTracker.stopTrackingOrder(clientOrderId);
  }

  /** Ends the tracking of an order the exchange does not list open (`venuekit forget`); refuses one it lists (InvalidArgumentError). */
  forgetOrder(clientOrderId: string): Promise<boolean> {
    return this.orders.vanished.forgetByHand(clientOrderId);
  }

  /**
   * The spec's `_user_stream_event_listener`: routes what the user stream delivers. A fill goes to
   * processTradeMessage before the order update that came with it (the source delivers them in that
   * order), balances to processBalanceMessage.
   */
  protected userStreamEventListener(message: UserStreamMessage): void {
    try {
      switch (message.kind) {
        case 'trade':
          this.processTradeMessage(message.update);
          break;
        case 'order':
          this.processOrderMessage(message.update);
          break;
        case 'balances':
        case 'balance_delta':
          this.processBalanceMessage(message);
          break;
      }
    } catch (err) {
      // A store failure: the change was undone; the next poll delivers it again.
      this.logger.error({ err, kind: message.kind }, 'a user stream message could not be applied');
      this.polling.pollSoon();
    }
  }

  /** An order's new state, from the user stream or a REST answer. */
  protected processOrderMessage(update: OrderUpdate): boolean {
    return this.orderTracker.processOrderUpdate(update);
  }

  /** A fill, from the user stream or a REST answer: counted once per trade id. */
  protected processTradeMessage(trade: TradeUpdate): boolean {
    return this.orderTracker.processTradeUpdate(trade);
  }

  /** Balances from the user stream: positions set the assets listed, a delta applies once. */
  protected processBalanceMessage(message: BalanceMessage): void {
    this.balances.apply(message);
  }

  /**
   * The spec's `tick`: sets the poll notifier every short or long interval. Short while the user
   * stream is down or silent, while a create's outcome is unknown, or while fills are owed; long
   * otherwise.
   */
  tick(timestamp: number): void {
    this.polling.tick(timestamp);
  }

  /** The status poll's current interval. */
  get pollIntervalMs(): number {
    return this.polling.intervalMs;
  }

  /** The spec's `_status_polling_loop`: waits for the notifier, then updates balances and order states over REST. */
  protected statusPollingLoop(signal: AbortSignal): Promise<void> {
    return this.polling.run(signal, () => [this.updateBalances(), this.updateOrderStatus(), this.backfill.maybeRun()]);
  }

  /** The spec's `_update_balances`: the REST snapshot replaces the table, except assets a newer stream update already set. */
  protected updateBalances(): Promise<void> {
    return this.balances.refresh();
  }

  /**
   * The spec's `_update_order_status`: queries every active and lost order by its client id and
   * applies the answer, fills first (each trade the exchange counts beyond the fills known), then
   * the state. Orders whose create is still on its way are left alone. Concurrent calls share one run.
   */
  protected updateOrderStatus(): Promise<void> {
    return this.orders.statusSync.updateAll();
  }

  // ---- (4) trading rules ------------------------------------------------------------------------

  /** The spec's `_trading_rules_polling_loop`: refreshes the rules every `tradingRulesIntervalMs`. */
  protected tradingRulesPollingLoop(signal: AbortSignal): Promise<void> {
    const { tradingRulesIntervalMs: intervalMs, retryDelayMs } = this.timings;
    return repeatEvery(signal, { clock: this.clock, logger: this.logger, intervalMs, retryDelayMs, what: 'refresh the trading rules' }, () => this.updateTradingRules());
  }

  /** The spec's `_update_trading_rules`: requests the market list and replaces the rules and the symbol map. */
  protected async updateTradingRules(): Promise<void> {
    const body = await this.apiRequest(this.connector.tradingRulesRequest);
    const formatted = this.formatTradingRules(body);
    if (formatted.rules.size === 0) throw new InvalidArgumentError('the exchange listed no market with readable trading rules', 'tradingRules');
    this.rules = formatted.rules;
    this.symbols.replace(formatted.symbolToPair);
  }

  /** The spec's `_format_trading_rules`: the market list answer → trading rules by pair. */
  protected formatTradingRules(body: unknown): FormattedTradingRules {
    const formatted = this.connector.formatTradingRules(body);
    for (const skipped of formatted.skipped ?? []) this.logger.warn({ market: skipped }, 'a market could not be read: skipped');
    return formatted;
  }

  getOrderPriceQuantum(tradingPair: string, price?: Decimal): Decimal {
    return getOrderPriceQuantum(this.ruleOf(tradingPair), price);
  }

  getOrderSizeQuantum(tradingPair: string, orderSize?: Decimal): Decimal {
    return getOrderSizeQuantum(this.ruleOf(tradingPair), orderSize);
  }

  private ruleOf(tradingPair: string): TradingRule {
    const rule = this.rules.get(tradingPair);
    if (!rule) throw new InvalidArgumentError(`no trading rule for ${tradingPair}`, 'tradingPair');
    return rule;
  }

  // ---- (5) additional functions -----------------------------------------------------------------

  /** The spec's `_api_request`: one request through the exchange's HTTP client (limiter, signing, error mapping). */
  protected apiRequest<T = unknown>(request: RestRequest<string>): Promise<T> {
    return this.connector.httpClient.request<T>(request);
  }

  /** Pings the exchange (a light public request). */
  override async checkNetwork(): Promise<NetworkStatus> {
    try {
      await this.apiRequest(this.connector.networkCheckRequest);
      return NetworkStatus.CONNECTED;
    } catch {
      return NetworkStatus.NOT_CONNECTED;
    }
  }

  /**
   * Starts the connector: time synchronization and the trading rules first (orders need both), then
   * the order books, the user stream, the status and rules polling loops, and the reconciliation of
   * tracked orders (restored ones included) with the exchange.
   */
  override async startNetwork(): Promise<void> {
    this.assertOpen();
    if (this.running) await this.stopNetwork();
    const running = new AbortController();
    this.running = running;
    this.ownsClock?.start();
    await this.connector.start();
    await this.updateTradingRules();
    if (running.signal.aborted) return;
    this.orders.outcomes.startClock(this.connector.serverTime(), this.connector.recvWindowMs);
    this.booksStarting = this.orderBookTracker.start(this.tradingPairs);
    this.background.run(this.booksStarting);
    if (this.tradingRequired) {
      if (this.userStream) this.background.run(this.userStream.start(this.userStreamListener));
      this.loops.push(this.statusPollingLoop(running.signal));
      this.polling.start();
      this.reconciliation.networkStarted();
    }
    this.loops.push(this.tradingRulesPollingLoop(running.signal));
  }

  /** Stops every loop and stream. Tracked orders stay tracked (and saved). */
  override async stopNetwork(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    this.polling.stop();
    this.balanceRefresh.stop();
    running.abort(new Error('network stopped'));
    const [loops, booksStarting] = [this.loops, this.booksStarting];
    [this.loops, this.booksStarting] = [[], undefined];
    const bound = { clock: this.clock, logger: this.logger, what: 'stopNetwork' };
    await settleWithin({ loops: Promise.allSettled(loops) }, this.timings.stopTimeoutMs, bound);
    // The books are stopped before their start is awaited: stopping is what releases a subscription never confirmed.
    await settleWithin({ books: this.orderBookTracker.stop(), booksStarting, userStream: this.userStream?.stop(), connector: this.connector.stop() }, this.timings.stopTimeoutMs, bound);
    this.ownsClock?.stop();
    this.polling.reset();
  }

  /** Stops everything and releases the store and connections. The connector cannot be started again. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stop();
    await this.stopNetwork();
    this.stopTicking();
    await settleWithin({ background: this.background.settle() }, this.timings.stopTimeoutMs, { clock: this.clock, logger: this.logger, what: 'close' });
    this.orderTracker.close();
    this.ownsStore?.close();
    await this.connector.close();
  }

  getOrderBook(tradingPair: string): OrderBook {
    return this.orderBookTracker.getOrderBook(tradingPair);
  }

  /** Starts tracking another pair's order book at run time. */
  addTradingPair(tradingPair: string): Promise<boolean> {
    return this.orderBookTracker.addTradingPair(tradingPair);
  }

  removeTradingPair(tradingPair: string): Promise<boolean> {
    return this.orderBookTracker.removeTradingPair(tradingPair);
  }

  /** Every open order of the account on the exchange (tracked or not), as the spec's OpenOrder. */
  getOpenOrders(): Promise<readonly OpenOrder[]> {
    return this.connector.fetchOpenOrders();
  }

  /**
   * Takes back saved tracking states (the spec's `restore_tracking_states`). Orders whose create
   * was never acknowledged are queried when the network starts; reconciliation runs then.
   */
  restoreTrackingStates(savedStates: Record<string, unknown>): RestoreResult {
    return this.reconciliation.afterRestore(this.orderTracker.restoreTrackingStates(savedStates));
  }

  /** Restores this connector's own store (done by the constructor unless `restore: false`). */
  restoreFromStore(): RestoreResult {
    return this.reconciliation.afterRestore(this.orderTracker.restoreFromStore());
  }

  /**
   * Brings tracked orders in line with the exchange: queries each (fills first, then the state,
   * each applied once), then reports open orders on the exchange that carry this bot's client id
   * prefix but are not tracked (`UntrackedOrdersFound`; they are not touched).
   */
  reconcile(): Promise<ReconciliationReport> {
    return this.reconciliation.run();
  }

  supportedOrderTypes(): readonly OrderType[] {
    return this.connector.supportedOrderTypes();
  }

  /** An estimate of an order's fee from the fee schema in force (the connector's defaults with the user's overrides). */
  getFee(params: GetFeeParams): TradeFee {
    return getFee(this.feeSchema, params);
  }

  // ---- internals --------------------------------------------------------------------------------

  private readonly userStreamListener: UserStreamListener = {
    onMessage: (message) => this.userStreamEventListener(message),
    onSubscribed: () => (this.backfill.markDue(), this.polling.subscribed()),
    onDisconnected: (reason) => this.polling.disconnected(reason),
  };

  private assertOpen(): void {
    if (this.closed) throw new InvalidArgumentError(`the ${this.name} connector is closed`, 'connector');
  }
}
