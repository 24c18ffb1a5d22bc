import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { Decimal } from '../../../src/core/decimal.js';
import { orderEventKey, type OrderEvent } from '../../../src/core/events/order-events.js';
import { isTerminalState } from '../../../src/core/orders/order-state.js';
import { openTrackingStore, type SqliteTrackingStore } from '../../../src/core/persistence/sqlite-tracking-store.js';
import { OrderTracker } from '../../../src/core/tracker/order-tracker.js';
import { LOST_ORDER_ERROR_TYPE } from '../../../src/core/tracker/options.js';
import { OrderState, TradeType, type OrderState as State } from '../../../src/core/types.js';
import { runs, yieldToWorker } from '../../support/soak.js';
import { tempDir } from '../../support/tmp.js';
import { captureLogger, ERROR } from '../support/log.js';
import { acknowledged, applyStep, deliveries, planAmount, reconciliation, SCENARIO_TRACKER_OPTIONS, seededRandom, type OrderFate, type OrderPlan, type Step } from '../support/scenario.js';

const TRACKER = SCENARIO_TRACKER_OPTIONS;

const planArb = (i: number): fc.Arbitrary<OrderPlan> =>
  fc.constantFrom<OrderFate>('filled', 'cancelled', 'expired', 'open', 'rejected', 'lost').chain((fate) =>
    fc.record({
      id: fc.constant(`o${i}`),
      side: fc.constantFrom(TradeType.BUY, TradeType.SELL),
      fate: fc.constant(fate),
      fills: acknowledged(fate) ? fc.array(fc.integer({ min: 1, max: 400 }), { minLength: fate === 'filled' ? 1 : 0, maxLength: 4 }) : fc.constant([]),
      unfilled: fc.integer({ min: 1, max: 400 }),
    }),
  );

const scenarioArb = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => planArb(i))))
  .chain((plans) =>
    fc.record({
      plans: fc.constant(plans as OrderPlan[]),
      seed: fc.integer(),
      duplicateChance: fc.double({ min: 0, max: 0.8, noNaN: true }),
      restartChance: fc.double({ min: 0, max: 0.25, noNaN: true }),
    }),
  );

/** Runs the tracker on a real SQLite file through the steps, restarting from the file where told. */
function drive(path: string, steps: Step[]) {
  const clock = new ManualClock(1_000_000);
  const log = captureLogger('warn');
  const events: OrderEvent[] = [];
  let store!: SqliteTrackingStore;
  let tracker!: OrderTracker;
  const open = () => {
    store = openTrackingStore({ path, connector: 'prop', synchronous: 'NORMAL' });
    tracker = new OrderTracker({ ...TRACKER, store, clock, logger: log.logger });
    tracker.restoreFromStore();
    tracker.events.onAny((e) => {
      events.push(e);
    });
  };
  const ended = new Map<string, State>();
  open();
  for (const step of steps) {
    if (step.kind === 'restart') {
      tracker.close();
      store.close();
      open();
      continue;
    }
    applyStep(tracker, clock, step);
    // After every step: an order that ended stays as it ended, and no fill counts twice.
    for (const [id, state] of ended) expect(store.loadOrder(id)!.order.currentState).toBe(state);
    for (const row of store.listOrders()) {
      if (isTerminalState(row.state) && !ended.has(row.clientOrderId)) ended.set(row.clientOrderId, row.state);
      const saved = store.loadOrder(row.clientOrderId)!.order;
      const sum = Object.values(saved.orderFills ?? {}).reduce((a, f) => a.plus(f.fillBaseAmount), new Decimal(0));
      expect(new Decimal(saved.executedAmountBase).eq(sum)).toBe(true);
    }
  }
  return { store, tracker, events, log };
}

const END: Record<OrderFate, string | undefined> = {
  filled: 'OrderCompleted',
  cancelled: 'OrderCancelled',
  expired: 'OrderExpired',
  rejected: 'OrderFailed',
  lost: 'OrderFailed',
  open: undefined,
};
const FINAL: Partial<Record<OrderFate, OrderState>> = {
  filled: OrderState.FILLED,
  cancelled: OrderState.CANCELED,
  expired: OrderState.EXPIRED,
  rejected: OrderState.FAILED,
  lost: OrderState.FAILED,
};

describe('OrderTracker with a SQLite store, on random interleavings (property)', () => {
  it('counts every fill once, never leaves an end, and announces each event exactly once across restarts', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ plans, seed, duplicateChance, restartChance }) => {
        await yieldToWorker();
        const dir = tempDir('venuekit-prop-');
        try {
          const random = seededRandom(seed);
          const steps: Step[] = [
            ...deliveries(plans, random, { duplicateChance, restartChance, advanceChance: 0.3, maxAdvanceMs: 2_500 }),
            { kind: 'restart' },
            ...reconciliation(plans, TRACKER.lostOrderMinSpacingMs),
            { kind: 'advance', ms: TRACKER.fillWaitTimeoutMs + 1 },
          ];
          const { store, tracker, events, log } = drive(join(dir.path, 'track.sqlite'), steps);

          // Each event once, and the store has exactly the events announced, in the same order.
          const keys = events.map(orderEventKey);
          expect(new Set(keys).size).toBe(keys.length);
          expect(store.listEvents().map((e) => e.key)).toEqual(keys);
          expect(log.lines.filter((l) => l.level >= ERROR)).toEqual([]);

          for (const plan of plans) {
            const mine = events.filter((e) => e.clientOrderId === plan.id);
            const types = mine.map((e) => e.type);
            const saved = store.loadOrder(plan.id)!.order;
            // Every fill, once.
            expect(types.filter((t) => t === 'OrderFilled')).toHaveLength(plan.fills.length);
            const total = plan.fills.reduce((a, b) => a + b, 0);
            expect(saved.executedAmountBase).toBe(new Decimal(total).div(1000).toString());
            expect(Object.keys(saved.orderFills ?? {})).toHaveLength(plan.fills.length);
            // Created once for an order the exchange had, first; one end, the right one.
            expect(types.filter((t) => t === 'OrderCreated')).toHaveLength(acknowledged(plan.fate) ? 1 : 0);
            if (acknowledged(plan.fate)) expect(types[0]).toBe('OrderCreated');
            const ends = types.filter((t) => t !== 'OrderCreated' && t !== 'OrderFilled');
            expect(ends).toEqual(END[plan.fate] ? [END[plan.fate]] : []);
            // After the end only late fills; a completion with every fill says so.
            const endAt = ends[0] === undefined ? -1 : types.indexOf(ends[0]);
            if (endAt >= 0) expect(types.slice(endAt + 1).every((t) => t === 'OrderFilled')).toBe(true);
            const completed = mine.find((e) => e.type === 'OrderCompleted');
            if (completed?.type === 'OrderCompleted' && completed.fillsComplete) {
              expect(completed.executedAmountBase.eq(planAmount(plan))).toBe(true);
            }
            // The final state is the exchange's.
            if (FINAL[plan.fate]) expect(saved.currentState).toBe(FINAL[plan.fate]);
            else expect([OrderState.OPEN, OrderState.PARTIALLY_FILLED]).toContain(saved.currentState);
            if (plan.fate === 'lost') expect(saved.failure?.type).toBe(LOST_ORDER_ERROR_TYPE);
          }
          tracker.close();
          store.close();
        } finally {
          dir.cleanup();
        }
      }),
      { numRuns: runs(60, 2_000) },
    );
  });
});
