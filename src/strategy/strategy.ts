import type { OrderBook } from '../core/book/order-book.js';
import { RealTimeClock, type Clock } from '../core/clock.js';
import type { Decimal } from '../core/decimal.js';
import { InvalidArgumentError } from '../core/errors.js';
import type {
  OrderCancelledEvent,
  OrderCompletedEvent,
  OrderCreatedEvent,
  OrderEvent,
  OrderEventMap,
  OrderEventType,
  OrderExpiredEvent,
  OrderFailedEvent,
  OrderFilledEvent,
} from '../core/events/order-events.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import type { BalanceEntry } from '../core/orders/updates.js';
import type { TradingRule } from '../core/rules/trading-rule.js';
import { OrderType } from '../core/types.js';
import type { ExchangeBase } from '../connector/exchange-base.js';
import type { DecimalArg } from '../connector/order-args.js';

export interface StrategyOptions {
  /** How often `onTick` runs. Default 1000 ms. */
  tickIntervalMs?: number;
  /**
   * Time for ticks. Default: a RealTimeClock ticking every `tickIntervalMs`, started by `start()`
   * and stopped by `stop()`. A clock passed in is ticked by its owner (tests tick it by hand).
   */
  clock?: Clock;
  logger?: Logger;
}

export type StrategyState = 'idle' | 'running' | 'stopping' | 'stopped';

/**
 * The base of every strategy: a lifecycle (`start`, `stop`), a tick, the events of its own orders,
 * and access to the connector (books, balances, trading rules, placing and cancelling).
 *
 * A subclass overrides the `on...` hooks it needs; each may be async. Ticks never overlap: a tick
 * that is still running when the next is due makes that one skip. A hook that throws is logged and
 * the strategy carries on. Order events reach the strategy only for its own orders: those it placed
 * with `buy`/`sell`, and those the connector was already tracking on the strategy's pairs when it
 * started (restored from a previous run), so a restarted bot takes its old orders back.
 */
export abstract class Strategy {
  /** Shown in logs and the terminal view. */
  abstract readonly name: string;
  /** The pairs whose order books the strategy reads (whoever runs it has the connector track them). */
  abstract readonly tradingPairs: readonly string[];

  protected readonly logger: Logger;
  protected readonly clock: Clock;
  private readonly ownsClock: RealTimeClock | undefined;
  private connector: ExchangeBase | undefined;
  private readonly own = new Set<string>();
  private offEvents: (() => void) | undefined;
  private offTick: (() => void) | undefined;
  private ticking: Promise<void> | undefined;
  private current: StrategyState = 'idle';
  private ticks = 0;

  constructor(options: StrategyOptions = {}) {
    const interval = options.tickIntervalMs ?? 1_000;
    if (!(Number.isFinite(interval) && interval > 0)) throw new InvalidArgumentError(`tickIntervalMs must be a positive number of milliseconds, got ${interval}`, 'tickIntervalMs');
    this.ownsClock = options.clock ? undefined : new RealTimeClock({ tickIntervalMs: interval });
    this.clock = options.clock ?? this.ownsClock!;
    this.logger = options.logger ?? silentLogger();
  }

  get state(): StrategyState {
    return this.current;
  }

  /** Ticks run so far. */
  get tickCount(): number {
    return this.ticks;
  }

  /** The connector the strategy trades through (set by `start`). */
  get exchange(): ExchangeBase {
    if (!this.connector) throw new InvalidArgumentError(`strategy ${this.name} has not been started`, 'exchange');
    return this.connector;
  }

  /**
   * Starts the strategy on a connector whose network is started: takes back the connector's open
   * orders on the strategy's pairs, subscribes to order events, runs `onStart`, then ticks.
   */
  async start(exchange: ExchangeBase): Promise<void> {
    if (this.current === 'running' || this.current === 'stopping') throw new InvalidArgumentError(`strategy ${this.name} is already ${this.current}`, 'state');
    this.connector = exchange;
    for (const order of exchange.inFlightOrders.values()) {
      if (this.tradingPairs.includes(order.tradingPair)) this.own.add(order.clientOrderId);
    }
    this.offEvents?.();
    this.offEvents = exchange.events.onAny((event) => this.dispatch(event));
    this.current = 'running';
    await this.guard('onStart', () => this.onStart());
    this.offTick = this.clock.onTick((now) => this.runTick(now));
    this.ownsClock?.start();
  }

  /**
   * Stops ticking, waits for a tick in progress, then runs `onStop`. Open orders are left to the
   * caller (`cancelOpenOrders`, or the connector's `cancelAll`), who decides how long to wait.
   * Events of the strategy's orders still reach it until `stop` returns.
   */
  async stop(): Promise<void> {
    if (this.current !== 'running') return;
    this.current = 'stopping';
    this.ownsClock?.stop();
    this.offTick?.();
    this.offTick = undefined;
    await this.ticking;
    await this.guard('onStop', () => this.onStop());
    this.offEvents?.();
    this.offEvents = undefined;
    this.current = 'stopped';
  }

  /** Runs one tick now (what the clock does every interval); skipped while another is running. */
  tick(now: number = this.clock.now()): Promise<void> {
    this.runTick(now);
    return this.ticking ?? Promise.resolve();
  }

  // ---- hooks ------------------------------------------------------------------------------------

  /** Once, after the strategy has its connector and before the first tick. */
  protected onStart(): void | Promise<void> {}
  /** Every `tickIntervalMs`: where a strategy looks at the market and acts. */
  protected onTick(_now: number): void | Promise<void> {}
  /** Once, after the last tick. */
  protected onStop(): void | Promise<void> {}
  protected onOrderCreated(_event: OrderCreatedEvent): void | Promise<void> {}
  /** One fill, once per trade. */
  protected onOrderFilled(_event: OrderFilledEvent): void | Promise<void> {}
  protected onOrderCompleted(_event: OrderCompletedEvent): void | Promise<void> {}
  protected onOrderCancelled(_event: OrderCancelledEvent): void | Promise<void> {}
  protected onOrderExpired(_event: OrderExpiredEvent): void | Promise<void> {}
  protected onOrderFailed(_event: OrderFailedEvent): void | Promise<void> {}

  // ---- what a strategy works with -----------------------------------------------------------------

  /** Places a buy: a limit order at `price`, or a market order without one. Returns its client order id. */
  protected buy(tradingPair: string, amount: DecimalArg, price?: DecimalArg, orderType?: OrderType): string {
    return this.adopt(this.exchange.buy(tradingPair, amount, orderType ?? (price === undefined ? OrderType.MARKET : OrderType.LIMIT), price));
  }

  protected sell(tradingPair: string, amount: DecimalArg, price?: DecimalArg, orderType?: OrderType): string {
    return this.adopt(this.exchange.sell(tradingPair, amount, orderType ?? (price === undefined ? OrderType.MARKET : OrderType.LIMIT), price));
  }

  /** Cancels one of the strategy's orders in the background. */
  protected cancel(clientOrderId: string): void {
    const order = this.exchange.inFlightOrders.get(clientOrderId);
    if (order && this.own.has(clientOrderId)) this.exchange.cancel(order.tradingPair, clientOrderId);
  }

  /**
   * Cancels the strategy's open orders (all, or those given) and waits until each has ended, its
   * cancel was refused, or `timeoutMs` passed (the connector's `cancelOrder`). Resolves true when
   * none is left open.
   */
  async cancelOpenOrders(timeoutMs: number, orders: readonly ReadonlyInFlightOrder[] = this.activeOrders): Promise<boolean> {
    const exchange = this.exchange;
    const own = orders.filter((o) => this.own.has(o.clientOrderId));
    await Promise.all(own.map((o) => exchange.cancelOrder(o.tradingPair, o.clientOrderId, { timeoutMs })));
    return orders.every((o) => o.isDone);
  }

  /** The strategy's orders that have not ended, oldest first. */
  get activeOrders(): ReadonlyInFlightOrder[] {
    const out: ReadonlyInFlightOrder[] = [];
    for (const order of this.exchange.inFlightOrders.values()) if (this.own.has(order.clientOrderId) && !order.isDone) out.push(order);
    return out.sort((a, b) => a.creationTimestamp - b.creationTimestamp);
  }

  /** Whether the order is the strategy's. */
  ownsOrder(clientOrderId: string): boolean {
    return this.own.has(clientOrderId);
  }

  /** The pair's order book once it is synchronized with the exchange and has both sides; undefined before. */
  protected orderBook(tradingPair: string): OrderBook | undefined {
    const exchange = this.exchange;
    if (!exchange.isOrderBookReady(tradingPair)) return undefined;
    const book = exchange.getOrderBook(tradingPair);
    return book.bidCount > 0 && book.askCount > 0 ? book : undefined;
  }

  /** Total balance of an asset (free and locked). */
  protected balance(asset: string): Decimal {
    return this.exchange.getBalance(asset);
  }

  /** What new orders may use of an asset. */
  protected availableBalance(asset: string): Decimal {
    return this.exchange.getAvailableBalance(asset);
  }

  protected balances(): BalanceEntry[] {
    return this.exchange.getAllBalances();
  }

  protected tradingRule(tradingPair: string): TradingRule | undefined {
    return this.exchange.tradingRules.get(tradingPair);
  }

  // ---- internals ----------------------------------------------------------------------------------

  private adopt(clientOrderId: string): string {
    this.own.add(clientOrderId);
    return clientOrderId;
  }

  private runTick(now: number): void {
    if (this.current !== 'running' || this.ticking) return;
    this.ticks += 1;
    this.ticking = this.guard('onTick', () => this.onTick(now)).finally(() => {
      this.ticking = undefined;
    });
  }

  /** Each order event's hook. */
  private readonly hooks: { readonly [K in OrderEventType]: (event: OrderEventMap[K]) => void | Promise<void> } = {
    OrderCreated: (e) => this.onOrderCreated(e),
    OrderFilled: (e) => this.onOrderFilled(e),
    OrderCompleted: (e) => this.onOrderCompleted(e),
    OrderCancelled: (e) => this.onOrderCancelled(e),
    OrderExpired: (e) => this.onOrderExpired(e),
    OrderFailed: (e) => this.onOrderFailed(e),
  };

  private dispatch(event: OrderEvent): void {
    if (!this.own.has(event.clientOrderId)) return;
    const hook = this.hooks[event.type] as (e: OrderEvent) => void | Promise<void>;
    void this.guard(event.type, () => hook(event));
  }

  private async guard(hook: string, body: () => void | Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      this.logger.error({ err, strategy: this.name, hook }, 'a strategy hook threw; the strategy carries on');
    }
  }
}
