import { Decimal } from '../../../src/core/decimal.js';
import { OrderNotFoundError } from '../../../src/core/errors.js';
import type { ManualClock } from '../../../src/core/clock.js';
import type { OrderUpdate, TradeUpdate } from '../../../src/core/orders/updates.js';
import type { StartTrackingParams, OrderTracker } from '../../../src/core/tracker/order-tracker.js';
import { OrderState, OrderType, TradeType } from '../../../src/core/types.js';
import { SeededRandom } from '../../../src/simulator/random.js';

/**
 * Random order lives as an exchange would report them, delivered as REST and WebSocket would:
 * duplicated, reordered, interleaved across orders. Shared by the property tests and the crash
 * test's child process, so both drive the tracker with the same kinds of streams.
 */

/** How an order's life ends on the exchange. */
export type OrderFate = 'filled' | 'cancelled' | 'expired' | 'open' | 'rejected' | 'lost';

export interface OrderPlan {
  readonly id: string;
  readonly side: TradeType;
  readonly fate: OrderFate;
  /** Fill sizes in thousandths of the base asset. */
  readonly fills: readonly number[];
  /** Extra amount never filled (thousandths), for fates other than filled. */
  readonly unfilled: number;
}

export type Step =
  | { readonly kind: 'start'; readonly params: StartTrackingParams }
  | { readonly kind: 'order'; readonly update: OrderUpdate }
  | { readonly kind: 'trade'; readonly trade: TradeUpdate }
  | { readonly kind: 'not_found'; readonly clientOrderId: string }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'restart' };

/** Tracker options the scenario's timings are made for. */
export const SCENARIO_TRACKER_OPTIONS = {
  fillWaitTimeoutMs: 2_000,
  doneCacheSize: 2,
  doneCacheTtlMs: 3_000,
  lostOrderCountLimit: 2,
  lostOrderMinSpacingMs: 1_000,
} as const;

const PAIR = 'BTC-USDT';
const PRICE = new Decimal('100');
const milli = (n: number) => new Decimal(n).div(1000);

/** Whether the exchange ever acknowledges an order of this fate. */
export function acknowledged(fate: OrderFate): boolean {
  return fate !== 'rejected' && fate !== 'lost';
}

export function planAmount(plan: OrderPlan): Decimal {
  const filled = plan.fills.reduce((a, b) => a + b, 0);
  return milli(filled + (plan.fate === 'filled' ? 0 : Math.max(1, plan.unfilled)));
}

export function startStep(plan: OrderPlan, creationTimestamp: number): Step {
  return {
    kind: 'start',
    params: {
      clientOrderId: plan.id,
      tradingPair: PAIR,
      orderType: OrderType.LIMIT,
      tradeType: plan.side,
      amount: planAmount(plan),
      price: PRICE,
      creationTimestamp,
    },
  };
}

export function tradeOf(plan: OrderPlan, index: number): TradeUpdate {
  const base = milli(plan.fills[index]!);
  return {
    tradeId: `${plan.id}-t${index}`,
    clientOrderId: plan.id,
    exchangeOrderId: `x-${plan.id}`,
    tradingPair: PAIR,
    fillTimestamp: 1_000 + index,
    fillPrice: PRICE,
    fillBaseAmount: base,
    fillQuoteAmount: base.mul(PRICE),
    fee: { kind: 'deducted_from_returns', percent: new Decimal(0), flatFees: [{ token: 'BNB', amount: base.div(100) }] },
  };
}

function statusOf(plan: OrderPlan, state: OrderState, cumulative: number, at: number): Step {
  return {
    kind: 'order',
    update: {
      clientOrderId: plan.id,
      tradingPair: PAIR,
      newState: state,
      updateTimestamp: at,
      ...(state !== OrderState.FAILED && { exchangeOrderId: `x-${plan.id}` }),
      ...(state !== OrderState.FAILED && { cumulativeFilledAmount: milli(cumulative) }),
      ...(state === OrderState.FAILED && { errorType: 'InsufficientFundsError', errorMessage: 'Account has insufficient balance' }),
    },
  };
}

/** What the exchange says about the order, in the order it happens (trades before the status that includes them). */
export function truthOf(plan: OrderPlan): Step[] {
  if (plan.fate === 'rejected') return [statusOf(plan, OrderState.FAILED, 0, 900)];
  if (plan.fate === 'lost') return [{ kind: 'not_found', clientOrderId: plan.id }];
  const steps: Step[] = [statusOf(plan, OrderState.OPEN, 0, 900)];
  let cumulative = 0;
  plan.fills.forEach((size, i) => {
    cumulative += size;
    steps.push({ kind: 'trade', trade: tradeOf(plan, i) });
    const last = i === plan.fills.length - 1;
    steps.push(statusOf(plan, last && plan.fate === 'filled' ? OrderState.FILLED : OrderState.PARTIALLY_FILLED, cumulative, 1_000 + i));
  });
  const end: Partial<Record<OrderFate, OrderState>> = { cancelled: OrderState.CANCELED, expired: OrderState.EXPIRED };
  if (end[plan.fate]) steps.push(statusOf(plan, end[plan.fate]!, cumulative, 2_000));
  if (plan.fate === 'filled' && plan.fills.length === 0) throw new Error('a filled plan needs fills');
  return steps;
}

/** A deterministic random source for streams rebuilt from a seed in another process. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export interface DeliveryOptions {
  /** Chance that a message is delivered a second time (REST and WebSocket both). */
  readonly duplicateChance: number;
  /** Chance of a clock advance (0 to maxAdvanceMs) after a step. */
  readonly advanceChance: number;
  readonly maxAdvanceMs: number;
  /** Chance of a restart from the store after a step. */
  readonly restartChance: number;
}

/**
 * Each order's truth, duplicated and shuffled (its start first), merged at random with the
 * others, with clock advances and restarts sprinkled in.
 */
export function deliveries(plans: readonly OrderPlan[], random: () => number, options: DeliveryOptions): Step[] {
  const queues = plans.map((plan, i) => {
    const truth = truthOf(plan);
    const copies = truth.flatMap((s) => (random() < options.duplicateChance ? [s, s] : [s]));
    return [startStep(plan, 500 + i), ...shuffle(copies, random)];
  });
  const out: Step[] = [];
  for (;;) {
    const open = queues.filter((q) => q.length > 0);
    if (open.length === 0) break;
    const q = open[Math.floor(random() * open.length)]!;
    out.push(q.shift()!);
    if (random() < options.advanceChance) out.push({ kind: 'advance', ms: Math.floor(random() * options.maxAdvanceMs) });
    if (random() < options.restartChance) out.push({ kind: 'restart' });
  }
  return out;
}

/**
 * What the connector does once it is sure of everything: every truth message once more, in order.
 * Then noise an ended order must shrug off: a stale OPEN and a contradicting end.
 */
export function reconciliation(plans: readonly OrderPlan[], notFoundSpacingMs: number): Step[] {
  return plans.flatMap((plan) => {
    const truth = truthOf(plan);
    // Two confirmed not-found answers far enough apart declare an unacknowledged order lost.
    if (plan.fate === 'lost') return [...truth, { kind: 'advance', ms: notFoundSpacingMs } as Step, ...truth];
    if (plan.fate === 'open') return truth;
    const contradiction = plan.fate === 'cancelled' ? OrderState.EXPIRED : OrderState.CANCELED;
    return [...truth, statusOf(plan, OrderState.OPEN, 0, 3_000), statusOf(plan, contradiction, 0, 3_000)];
  });
}

/** Applies one step to the tracker (restart and start are the caller's business for the former). */
export function applyStep(tracker: OrderTracker, clock: ManualClock, step: Step): void {
  switch (step.kind) {
    case 'start':
      tracker.startTrackingOrder(step.params);
      return;
    case 'order':
      tracker.processOrderUpdate(step.update);
      return;
    case 'trade':
      tracker.processTradeUpdate(step.trade);
      return;
    case 'not_found':
      tracker.processOrderNotFound(step.clientOrderId, new OrderNotFoundError('Order does not exist.', { exchangeCode: -2013 }));
      return;
    case 'advance':
      clock.advance(step.ms);
      return;
    case 'restart':
      throw new Error('applyStep: restarts are handled by the caller');
  }
}

/** Random plans from a seeded source (the crash test's child has no fast-check). */
export function randomPlans(count: number, random: () => number, prefix = 'o'): OrderPlan[] {
  const fates: OrderFate[] = ['filled', 'filled', 'cancelled', 'expired', 'open', 'rejected', 'lost'];
  return Array.from({ length: count }, (_, i) => {
    const fate = fates[Math.floor(random() * fates.length)]!;
    const n = acknowledged(fate) ? Math.floor(random() * 4) + (fate === 'filled' ? 1 : 0) : 0;
    return {
      id: `${prefix}${i}`,
      side: random() < 0.5 ? TradeType.BUY : TradeType.SELL,
      fate,
      fills: Array.from({ length: n }, () => 1 + Math.floor(random() * 500)),
      unfilled: 1 + Math.floor(random() * 500),
    };
  });
}
