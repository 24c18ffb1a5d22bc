import type { Clock } from '../core/clock.js';
import type { Decimal } from '../core/decimal.js';
import { InvalidOrderError, OrderNotFoundError, isOutcomeUnknown } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { failureUpdate } from '../core/orders/failure-update.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import type { OrderUpdate, TradeUpdate } from '../core/orders/updates.js';
import type { TradingRule } from '../core/rules/trading-rule.js';
import type { OrderTracker } from '../core/tracker/order-tracker.js';
import { OrderState, type TradeType } from '../core/types.js';
import type { ExchangeConnector } from './connector.js';
import type { CreateOutcomes } from './create-outcomes.js';
import { ruleViolation, type OrderArgs } from './order-args.js';
import { logOrderFailure } from './refusals.js';

export interface OrderCreationDeps {
  readonly connector: ExchangeConnector;
  readonly tracker: OrderTracker;
  readonly outcomes: CreateOutcomes;
  readonly clock: Pick<Clock, 'now'>;
  readonly logger: Logger;
  rules(): ReadonlyMap<string, TradingRule>;
  /** A market order's reference price (the book's best price on the side it takes), if known. */
  referencePrice(tradingPair: string, side: TradeType): Decimal | undefined;
  /** The base's processOrderMessage and processTradeMessage. */
  applyOrder(update: OrderUpdate): void;
  applyTrade(trade: TradeUpdate): void;
  /** A create failed without a verdict: the status poll should query it soon. */
  pollSoon(): void;
}

/**
 * Sends one tracked order to the exchange: the rule check first (a violation is OrderFailed naming
 * the rule, and nothing is sent), then the connector's placeOrder (rate limiter, signed once its slot
 * is granted), then the answer applied, its fills before its state. A failure whose outcome is
 * unknown leaves the order PENDING_CREATE for the status poll (CreateOutcomes); a definite refusal
 * fails it. Keeps the typed error of orders someone awaits (`submitOrder`).
 */
export class OrderCreation {
  private readonly awaited = new Map<string, unknown>();

  constructor(private readonly deps: OrderCreationDeps) {}

  async create(clientOrderId: string, args: OrderArgs): Promise<void> {
    const { connector, tracker, outcomes } = this.deps;
    const order = tracker.fetchTrackedOrder(clientOrderId);
    if (!order || order.isDone) {
      outcomes.settle(clientOrderId);
      return;
    }
    const violation = ruleViolation(this.deps.rules(), args, (pair, side) => this.deps.referencePrice(pair, side));
    if (violation) return this.fail(order, violation);
    let placed;
    try {
      placed = await connector.placeOrder({
        clientOrderId,
        tradingPair: args.tradingPair,
        tradeType: args.tradeType,
        orderType: args.orderType,
        amount: args.amount,
        ...(args.price !== undefined && { price: args.price }),
      });
    } catch (err) {
      if (order.isAcknowledged || order.isDone) {
        // The user stream already told what became of it: the answer's failure changes nothing.
        outcomes.settle(clientOrderId);
        this.deps.logger.warn({ clientOrderId, err }, 'order create answer failed after the exchange acknowledged the order: ignored');
        return;
      }
      if (!isOutcomeUnknown(err)) return this.fail(order, err);
      outcomes.unknown(clientOrderId, connector.serverTime(), connector.recvWindowMs);
      this.deps.logger.warn({ clientOrderId, err }, 'order create outcome unknown: it stays PENDING_CREATE until a query settles it');
      this.deps.pollSoon();
      return;
    }
    outcomes.settle(clientOrderId);
    for (const trade of placed.tradeUpdates ?? []) this.deps.applyTrade(trade);
    this.deps.applyOrder(
      placed.orderUpdate ?? {
        clientOrderId,
        tradingPair: args.tradingPair,
        newState: OrderState.OPEN,
        updateTimestamp: placed.timestamp,
        exchangeOrderId: placed.exchangeOrderId,
      },
    );
  }

  /** Keep the typed error of this order's failure for `acknowledged`. */
  await(clientOrderId: string): void {
    this.awaited.set(clientOrderId, undefined);
  }

  /** Resolves once the exchange acknowledged the order; rejects with the error that failed it. */
  async acknowledged(order: ReadonlyInFlightOrder, timeoutMs: number | undefined): Promise<ReadonlyInFlightOrder> {
    const id = order.clientOrderId;
    try {
      if (await order.waitUntilAcknowledged(timeoutMs)) return order;
      throw this.awaited.get(id) ?? failureError(order);
    } finally {
      this.awaited.delete(id);
    }
  }

  /** The tracker counted confirmed not-found answers; at `declared_lost` the create failed. */
  lost(clientOrderId: string, err: OrderNotFoundError): void {
    if (this.awaited.has(clientOrderId)) this.awaited.set(clientOrderId, err);
  }

  private fail(order: ReadonlyInFlightOrder, error: unknown): void {
    const id = order.clientOrderId;
    this.deps.outcomes.settle(id);
    if (this.awaited.has(id)) this.awaited.set(id, error);
    const update = failureUpdate(order, error, this.deps.clock.now());
    const rule = error instanceof InvalidOrderError ? error.rule : undefined;
    logOrderFailure(this.deps.logger, { clientOrderId: id }, error, 'order create refused');
    this.deps.applyOrder(rule === undefined ? update : { ...update, errorMessage: `${update.errorMessage ?? ''} [rule: ${rule}]` });
  }
}

/** The error an order's failure stands for, when no typed error was kept. */
function failureError(order: ReadonlyInFlightOrder): Error {
  const failure = order.failure;
  if (failure?.type === 'order_not_found') return new OrderNotFoundError(failure.message);
  return new InvalidOrderError(failure ? `${failure.type}: ${failure.message}` : `order ${order.clientOrderId} ended ${order.currentState} before it was acknowledged`);
}
