import { Deferred, withTimeout } from '../async.js';
import { Decimal, ZERO } from '../decimal.js';
import { InvalidArgumentError, RequestTimeoutError } from '../errors.js';
import { feeAmountInToken, feeAmountsByToken, type TokenConverter } from '../fees/fee-amounts.js';
import { isTradingPair, splitTradingPair } from '../trading-pair.js';
import { OrderState, OrderType, isOrderState, isOrderType, isTradeType, type TradeType } from '../types.js';
import { MalformedDataError } from '../json.js';
import { checkOrderUpdate, checkTradeUpdate } from './check-updates.js';
import { classifyTransition, isTerminalState } from './order-state.js';
import type { InFlightOrderInit, InFlightOrderMemento, OrderFailure, OrderUpdateResult, TradeUpdateResult } from './in-flight-order-types.js';
import { inFlightOrderFromJSON, inFlightOrderToJSON, type InFlightOrderJSON } from './in-flight-order-json.js';
import type { OrderUpdate, TradeUpdate } from './updates.js';

export type { InFlightOrderInit, InFlightOrderMemento, OrderFailure, OrderUpdateResult, TradeUpdateResult } from './in-flight-order-types.js';

/** States reported by an exchange that prove it has the order. */
const LIVE_STATES: ReadonlySet<OrderState> = new Set([
  OrderState.OPEN,
  OrderState.PARTIALLY_FILLED,
  OrderState.FILLED,
  OrderState.EXPIRED,
]);

function sameFill(a: TradeUpdate, b: TradeUpdate): boolean {
  return a.fillBaseAmount.eq(b.fillBaseAmount) && a.fillQuoteAmount.eq(b.fillQuoteAmount) && a.fillPrice.eq(b.fillPrice);
}

/**
 * One order this connector placed, from creation to its end. It enforces its own state machine
 * (order-state.ts) and counts each fill once by trade id. Only the order tracker calls the
 * mutating methods; everyone else sees a ReadonlyInFlightOrder.
 */
export class InFlightOrder {
  readonly clientOrderId: string;
  readonly tradingPair: string;
  readonly orderType: OrderType;
  readonly tradeType: TradeType;
  readonly amount: Decimal;
  readonly price: Decimal | undefined;
  readonly creationTimestamp: number;

  private exchangeId: string | undefined;
  private state: OrderState;
  private lastUpdate: number;
  private ackedAt: number | undefined;
  private failureInfo: OrderFailure | undefined;
  private readonly fills = new Map<string, TradeUpdate>();
  private executedBase: Decimal;
  private executedQuote: Decimal;
  /** Executed amounts no recorded fill accounts for (from a save that kept totals only). */
  private readonly beforeFillsBase: Decimal;
  private readonly beforeFillsQuote: Decimal;

  private readonly exchangeIdKnown = new Deferred<string>();
  private readonly ended = new Deferred<OrderState>();
  private readonly acked = new Deferred<boolean>();

  constructor(init: InFlightOrderInit) {
    const bad = (field: string, detail: string): never => {
      throw new InvalidArgumentError(`order ${String(init.clientOrderId)}: ${field} ${detail}`, field);
    };
    if (typeof init.clientOrderId !== 'string' || init.clientOrderId.length === 0) bad('clientOrderId', 'must be a non-empty string');
    if (!isTradingPair(init.tradingPair)) bad('tradingPair', `must be BASE-QUOTE, got ${JSON.stringify(init.tradingPair)}`);
    if (!isOrderType(init.orderType)) bad('orderType', `is not an order type: ${JSON.stringify(init.orderType)}`);
    if (!isTradeType(init.tradeType)) bad('tradeType', `is not BUY or SELL: ${JSON.stringify(init.tradeType)}`);
    if (!Decimal.isDecimal(init.amount) || !init.amount.isFinite() || !init.amount.gt(0)) bad('amount', `must be a finite Decimal above zero, got ${String(init.amount)}`);
    if (init.price !== undefined && (!Decimal.isDecimal(init.price) || !init.price.isFinite() || !init.price.gt(0))) {
      bad('price', `must be a finite Decimal above zero, got ${String(init.price)}`);
    }
    if (init.price === undefined && init.orderType !== OrderType.MARKET) bad('price', `is required for a ${init.orderType} order`);
    if (!Number.isFinite(init.creationTimestamp)) bad('creationTimestamp', 'must be a finite number of milliseconds');
    if (init.initialState !== undefined && !isOrderState(init.initialState)) bad('initialState', `is not an order state: ${JSON.stringify(init.initialState)}`);
    if (init.exchangeOrderId !== undefined && (typeof init.exchangeOrderId !== 'string' || init.exchangeOrderId.length === 0)) {
      bad('exchangeOrderId', 'must be a non-empty string when given');
    }

    this.clientOrderId = init.clientOrderId;
    this.tradingPair = init.tradingPair;
    this.orderType = init.orderType;
    this.tradeType = init.tradeType;
    this.amount = init.amount;
    this.price = init.price;
    this.creationTimestamp = init.creationTimestamp;
    this.exchangeId = init.exchangeOrderId;
    this.state = init.initialState ?? OrderState.PENDING_CREATE;
    this.lastUpdate = init.lastUpdateTimestamp ?? init.creationTimestamp;
    this.failureInfo = init.failure;
    this.ackedAt =
      init.acknowledgedTimestamp ?? (this.state === OrderState.OPEN || this.state === OrderState.PARTIALLY_FILLED ? this.lastUpdate : undefined);

    for (const fill of init.fills ?? []) {
      checkTradeUpdate(fill);
      if (this.fills.has(fill.tradeId)) bad(`fills.${fill.tradeId}`, 'appears twice');
      this.fills.set(fill.tradeId, fill);
    }
    for (const [field, value] of [
      ['executedBeforeFills.base', init.executedBeforeFills?.base],
      ['executedBeforeFills.quote', init.executedBeforeFills?.quote],
    ] as const) {
      if (value !== undefined && (!Decimal.isDecimal(value) || !value.isFinite() || value.lt(0))) bad(field, 'must be a finite, non-negative Decimal');
    }
    // Totals given without fills (an older save) are kept as executed before the fills we know.
    const totalsOnly = this.fills.size === 0;
    this.beforeFillsBase = init.executedBeforeFills?.base ?? (totalsOnly ? (init.executedAmountBase ?? ZERO) : ZERO);
    this.beforeFillsQuote = init.executedBeforeFills?.quote ?? (totalsOnly ? (init.executedAmountQuote ?? ZERO) : ZERO);
    this.executedBase = ZERO;
    this.executedQuote = ZERO;
    this.sumFills();
    if (this.executedBase.lt(0) || this.executedQuote.lt(0)) bad('executedAmountBase', 'must not be negative');
    for (const [field, given, sum] of [
      ['executedAmountBase', init.executedAmountBase, this.executedBase],
      ['executedAmountQuote', init.executedAmountQuote, this.executedQuote],
    ] as const) {
      if (given !== undefined && !given.eq(sum)) bad(field, `is ${given.toString()} but the fills add up to ${sum.toString()}`);
    }
    this.settleWaiters();
  }

  // ---- identity and amounts -------------------------------------------------------------------

  get exchangeOrderId(): string | undefined {
    return this.exchangeId;
  }

  get currentState(): OrderState {
    return this.state;
  }

  get lastUpdateTimestamp(): number {
    return this.lastUpdate;
  }

  get acknowledgedTimestamp(): number | undefined {
    return this.ackedAt;
  }

  get failure(): OrderFailure | undefined {
    return this.failureInfo;
  }

  get baseAsset(): string {
    return splitTradingPair(this.tradingPair).base;
  }

  get quoteAsset(): string {
    return splitTradingPair(this.tradingPair).quote;
  }

  get executedAmountBase(): Decimal {
    return this.executedBase;
  }

  get executedAmountQuote(): Decimal {
    return this.executedQuote;
  }

  /** What is left to fill (zero once filled or overfilled). */
  get remainingAmount(): Decimal {
    const left = this.amount.minus(this.executedBase);
    return left.gt(0) ? left : ZERO;
  }

  /** Executed quote over executed base; undefined before the first fill. */
  get averageExecutedPrice(): Decimal | undefined {
    return this.executedBase.isZero() ? undefined : this.executedQuote.div(this.executedBase);
  }

  /** The fills, keyed by the exchange's trade id. */
  get orderFills(): ReadonlyMap<string, TradeUpdate> {
    return this.fills;
  }

  /** Executed amounts not backed by a recorded fill (zero unless restored from a save that kept totals only). */
  get executedBeforeFills(): { readonly base: Decimal; readonly quote: Decimal } {
    return { base: this.beforeFillsBase, quote: this.beforeFillsQuote };
  }

  /** Fills above the order's amount: recorded (the exchange says they happened) and flagged here. */
  get isOverfilled(): boolean {
    return this.executedBase.gt(this.amount);
  }

  get overfillAmount(): Decimal {
    return this.isOverfilled ? this.executedBase.minus(this.amount) : ZERO;
  }

  /** Total fee paid in `token` across the fills; fees in other tokens are converted (see feeAmountInToken). */
  cumulativeFeePaid(token: string, convert?: TokenConverter): Decimal {
    let total = ZERO;
    for (const f of this.fills.values()) {
      total = total.plus(feeAmountInToken(f.fee, this.feeContext(f), token, convert));
    }
    return total;
  }

  /** Fees paid per token across the fills, each in the token it was charged in. */
  feesPaidByToken(convert?: TokenConverter): Map<string, Decimal> {
    const out = new Map<string, Decimal>();
    for (const f of this.fills.values()) {
      for (const { token, amount } of feeAmountsByToken(f.fee, this.feeContext(f), convert)) {
        out.set(token, (out.get(token) ?? ZERO).plus(amount));
      }
    }
    return out;
  }

  private feeContext(f: TradeUpdate) {
    return { tradingPair: this.tradingPair, tradeType: this.tradeType, price: f.fillPrice, amount: f.fillBaseAmount };
  }

  // ---- predicates -----------------------------------------------------------------------------

  /** Any terminal state: FILLED, CANCELED, FAILED or EXPIRED. */
  get isDone(): boolean {
    return isTerminalState(this.state);
  }

  get isFailure(): boolean {
    return this.state === OrderState.FAILED;
  }

  get isCancelled(): boolean {
    return this.state === OrderState.CANCELED;
  }

  get isExpired(): boolean {
    return this.state === OrderState.EXPIRED;
  }

  /** Not in a terminal state: the order may still trade. */
  get isOpen(): boolean {
    return !this.isDone;
  }

  get isPendingCreate(): boolean {
    return this.state === OrderState.PENDING_CREATE;
  }

  get isPendingCancelConfirmation(): boolean {
    return this.state === OrderState.PENDING_CANCEL;
  }

  /** The fills add up to the amount (or more). Independent of the reported state. */
  get isFilled(): boolean {
    return this.executedBase.gte(this.amount);
  }

  /** The exchange has shown it knows the order: an acknowledgement, a live state or a fill. */
  get isAcknowledged(): boolean {
    return this.ackedAt !== undefined;
  }

  // ---- updates (the order tracker is the only caller) -------------------------------------------

  /** Whether an update or trade with these ids is about this order. */
  matches(clientOrderId: string | undefined, exchangeOrderId: string | undefined): boolean {
    if (clientOrderId !== undefined && clientOrderId === this.clientOrderId) return true;
    return exchangeOrderId !== undefined && exchangeOrderId !== '' && exchangeOrderId === this.exchangeId;
  }

  /** Records the exchange's id for this order. An id once known is never replaced. */
  updateExchangeOrderId(exchangeOrderId: string, timestamp = this.lastUpdate): boolean {
    if (typeof exchangeOrderId !== 'string' || exchangeOrderId.length === 0) {
      throw new InvalidArgumentError(`order ${this.clientOrderId}: exchangeOrderId must be a non-empty string`, 'exchangeOrderId');
    }
    if (this.exchangeId !== undefined) return false;
    this.exchangeId = exchangeOrderId;
    this.acknowledge(timestamp);
    this.settleWaiters();
    return true;
  }

  /**
   * Applies a state report. Illegal moves (backwards, or out of a terminal state) leave the state
   * alone and say so in the result; they never throw. A malformed update throws InvalidArgumentError.
   */
  applyOrderUpdate(update: OrderUpdate): OrderUpdateResult {
    const previousState = this.state;
    const none: OrderUpdateResult = {
      matched: false,
      changed: false,
      previousState,
      transition: 'same',
      exchangeOrderIdAdopted: false,
      exchangeOrderIdConflict: false,
      acknowledged: false,
    };
    if (!this.matches(update.clientOrderId, update.exchangeOrderId) || update.tradingPair !== this.tradingPair) return none;
    checkOrderUpdate(update);

    const wasDone = this.isDone;
    let adopted = false;
    let conflict = false;
    if (update.exchangeOrderId !== undefined) {
      if (this.exchangeId === undefined) {
        this.exchangeId = update.exchangeOrderId;
        adopted = true;
      } else if (this.exchangeId !== update.exchangeOrderId) {
        conflict = true;
      }
    }

    const transition = classifyTransition(this.state, update.newState);
    const proves = LIVE_STATES.has(update.newState) || (update.exchangeOrderId !== undefined && update.newState !== OrderState.FAILED);
    const acknowledged = !wasDone && proves && this.acknowledge(update.updateTimestamp);
    if (transition === 'allowed') {
      this.state = update.newState;
      if (update.newState === OrderState.FAILED) {
        this.failureInfo = { type: update.errorType ?? 'unknown', message: update.errorMessage ?? '' };
      }
    }
    const changed = adopted || acknowledged || transition === 'allowed';
    if (changed) this.lastUpdate = Math.max(this.lastUpdate, update.updateTimestamp);
    this.settleWaiters();
    return { matched: true, changed, previousState, transition, exchangeOrderIdAdopted: adopted, exchangeOrderIdConflict: conflict, acknowledged };
  }

  /** The spec's `update_with_order_update`: whether the order changed. */
  updateWithOrderUpdate(update: OrderUpdate): boolean {
    return this.applyOrderUpdate(update).changed;
  }

  /**
   * Records a fill. The same trade id twice changes nothing; a trade of another order is refused.
   * Fills apply in every state, terminal ones included: a fill can race a cancel. A malformed trade
   * (NaN, negative or zero amounts) throws InvalidArgumentError before anything changes.
   */
  applyTradeUpdate(trade: TradeUpdate): TradeUpdateResult {
    const result = (kind: TradeUpdateResult['kind'], conflicting = false, adopted = false, acknowledged = false): TradeUpdateResult => ({
      kind,
      conflicting,
      exchangeOrderIdAdopted: adopted,
      acknowledged,
    });
    if (!this.matches(trade.clientOrderId, trade.exchangeOrderId) || trade.tradingPair !== this.tradingPair) return result('other_order');
    checkTradeUpdate(trade);
    const known = this.fills.get(trade.tradeId);
    if (known) return result('duplicate', !sameFill(known, trade));

    const wasDone = this.isDone;
    this.fills.set(trade.tradeId, trade);
    this.sumFills();
    this.lastUpdate = Math.max(this.lastUpdate, trade.fillTimestamp);
    let adopted = false;
    if (this.exchangeId === undefined && trade.exchangeOrderId !== '' && trade.clientOrderId === this.clientOrderId) {
      this.exchangeId = trade.exchangeOrderId;
      adopted = true;
    }
    const acknowledged = !wasDone && this.acknowledge(trade.fillTimestamp);
    this.settleWaiters();
    return result('applied', false, adopted, acknowledged);
  }

  /** The spec's `update_with_trade_update`: whether the fill was new and recorded. */
  updateWithTradeUpdate(trade: TradeUpdate): boolean {
    return this.applyTradeUpdate(trade).kind === 'applied';
  }

  /**
   * A note of everything one update can change, to put back if saving the change fails (the tracker
   * never keeps in memory a change the store does not have). One update adds at most one fill.
   */
  memento(): InFlightOrderMemento {
    return {
      exchangeId: this.exchangeId,
      state: this.state,
      lastUpdate: this.lastUpdate,
      ackedAt: this.ackedAt,
      failureInfo: this.failureInfo,
      executedBase: this.executedBase,
      executedQuote: this.executedQuote,
      fillCount: this.fills.size,
    };
  }

  /** Puts back what `memento()` noted. Fills recorded since are removed (the newest ones). */
  restoreMemento(m: InFlightOrderMemento): void {
    this.exchangeId = m.exchangeId;
    this.state = m.state;
    this.lastUpdate = m.lastUpdate;
    this.ackedAt = m.ackedAt;
    this.failureInfo = m.failureInfo;
    this.executedBase = m.executedBase;
    this.executedQuote = m.executedQuote;
    const extra = [...this.fills.keys()].slice(m.fillCount);
    for (const id of extra) this.fills.delete(id);
  }

  /**
   * Executed totals, summed in trade id order: a sum that needs more than Decimal's 40 significant
   * digits rounds the same way whatever order the fills arrived in, so a saved order reads back equal.
   */
  private sumFills(): void {
    let base = this.beforeFillsBase;
    let quote = this.beforeFillsQuote;
    for (const id of [...this.fills.keys()].sort()) {
      const f = this.fills.get(id)!;
      base = base.plus(f.fillBaseAmount);
      quote = quote.plus(f.fillQuoteAmount);
    }
    this.executedBase = base;
    this.executedQuote = quote;
  }

  private acknowledge(timestamp: number): boolean {
    if (this.ackedAt !== undefined) return false;
    this.ackedAt = timestamp;
    return true;
  }

  private settleWaiters(): void {
    if (this.exchangeId !== undefined) this.exchangeIdKnown.resolve(this.exchangeId);
    if (this.ackedAt !== undefined) this.acked.resolve(true);
    if (this.isDone) {
      this.ended.resolve(this.state);
      this.acked.resolve(false);
    }
  }

  // ---- awaitables -----------------------------------------------------------------------------

  /** The exchange's id for this order; rejects with RequestTimeoutError after `timeoutMs`. */
  getExchangeOrderId(timeoutMs = 10_000): Promise<string> {
    return withTimeout(
      this.exchangeIdKnown.promise,
      timeoutMs,
      () => new RequestTimeoutError(`order ${this.clientOrderId}: no exchange order id after ${timeoutMs} ms`),
    );
  }

  /** Resolves with the terminal state once the order is done. No limit unless `timeoutMs` is given. */
  waitUntilDone(timeoutMs?: number): Promise<OrderState> {
    return withTimeout(this.ended.promise, timeoutMs, () => new RequestTimeoutError(`order ${this.clientOrderId}: not done after ${timeoutMs} ms`));
  }

  /**
   * Resolves true once the exchange has shown it knows the order, or false if the order ended
   * first without that (a failed create).
   */
  waitUntilAcknowledged(timeoutMs?: number): Promise<boolean> {
    return withTimeout(this.acked.promise, timeoutMs, () => new RequestTimeoutError(`order ${this.clientOrderId}: not acknowledged after ${timeoutMs} ms`));
  }

  // ---- JSON -----------------------------------------------------------------------------------

  /** The saved form (version 1): decimals as strings, fills keyed by trade id. */
  toJSON(options: { fills?: boolean } = {}): InFlightOrderJSON {
    return inFlightOrderToJSON(this, options.fills ?? true);
  }

  /** Reads a saved order; a malformed one throws MalformedDataError naming the field. */
  static fromJSON(data: unknown): InFlightOrder {
    const init = inFlightOrderFromJSON(data);
    try {
      return new InFlightOrder(init);
    } catch (err) {
      if (!(err instanceof InvalidArgumentError)) throw err;
      const field = (err.field ?? '').replace(/^initialState/, 'currentState').replace(/^fills\./, 'orderFills.');
      const detail = err.message.replace(/^order [^:]*: \S+ /, '');
      throw new MalformedDataError('order', field, detail, (data as Record<string, unknown> | null)?.[field.split('.')[0]!]);
    }
  }

  /** Same order, same state, same fills. */
  equals(other: ReadonlyInFlightOrder): boolean {
    return JSON.stringify(this.toJSON()) === JSON.stringify(other.toJSON());
  }
}

/** The order as everyone but the tracker sees it: every reading, no mutation. */
export type ReadonlyInFlightOrder = Omit<
  InFlightOrder,
  | 'applyOrderUpdate'
  | 'updateWithOrderUpdate'
  | 'applyTradeUpdate'
  | 'updateWithTradeUpdate'
  | 'updateExchangeOrderId'
  | 'memento'
  | 'restoreMemento'
>;
