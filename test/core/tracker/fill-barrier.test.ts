import { afterEach, describe, expect, it } from 'vitest';
import type { OrderCompletedEvent } from '../../../src/core/events/order-events.js';
import type { ReadonlyInFlightOrder } from '../../../src/core/orders/in-flight-order.js';
import type { MissingFillsReason } from '../../../src/core/tracker/options.js';
import { OrderState } from '../../../src/core/types.js';
import { d, fill, orderInit, update } from '../support/orders.js';
import { trackerFixture } from '../support/tracker.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function setup(fillWaitTimeoutMs = 5_000) {
  const asked: { id: string; reason: MissingFillsReason }[] = [];
  const f = trackerFixture({
    fillWaitTimeoutMs,
    hooks: {
      onMissingFills: (order: ReadonlyInFlightOrder, reason) => {
        asked.push({ id: order.clientOrderId, reason });
      },
    },
  });
  cleanup.push(() => {
    f.tracker.close();
    f.store.close();
  });
  f.tracker.startTrackingOrder(orderInit());
  return { ...f, asked };
}

describe('the fill barrier', () => {
  it('holds a FILLED report until the fills add up, then completes', () => {
    const { tracker, types, events, asked } = setup();
    tracker.processOrderUpdate(update(OrderState.OPEN));
    tracker.processTradeUpdate(fill('t1', '0.3'));
    expect(tracker.processOrderUpdate(update(OrderState.FILLED))).toBe(false);
    expect(tracker.isAwaitingFills('c1')).toBe(true);
    expect(tracker.fetchOrder('c1')?.currentState).toBe(OrderState.OPEN);
    expect(types()).toEqual(['OrderCreated', 'OrderFilled']);
    tracker.processTradeUpdate(fill('t2', '0.7'));
    expect(types()).toEqual(['OrderCreated', 'OrderFilled', 'OrderFilled', 'OrderCompleted']);
    expect((events[3] as OrderCompletedEvent).fillsComplete).toBe(true);
    expect((events[3] as OrderCompletedEvent).executedAmountBase.toString()).toBe('1');
    expect(tracker.isAwaitingFills('c1')).toBe(false);
    expect(tracker.activeOrders.size).toBe(0);
    expect(asked).toEqual([]);
  });

  it('announces Created at once when FILLED is the first news, and Completed only with the fills', () => {
    const { tracker, types } = setup();
    tracker.processOrderUpdate(update(OrderState.FILLED));
    expect(types()).toEqual(['OrderCreated']);
    expect(tracker.fetchOrder('c1')?.exchangeOrderId).toBe('e1');
    tracker.processTradeUpdate(fill('t1', '1'));
    expect(types()).toEqual(['OrderCreated', 'OrderFilled', 'OrderCompleted']);
  });

  it('ignores a different end while FILLED waits for its fills', () => {
    const { tracker, types } = setup();
    tracker.processOrderUpdate(update(OrderState.FILLED));
    tracker.processOrderUpdate(update(OrderState.CANCELED));
    tracker.processTradeUpdate(fill('t1', '1'));
    expect(types()).toEqual(['OrderCreated', 'OrderFilled', 'OrderCompleted']);
    expect(tracker.fetchOrder('c1')?.currentState).toBe(OrderState.FILLED);
  });

  it('on timeout completes with the fills it has, asks for the rest, and still applies them later', () => {
    const { tracker, clock, types, events, asked } = setup(2_000);
    tracker.processTradeUpdate(fill('t1', '0.4'));
    tracker.processOrderUpdate(update(OrderState.FILLED));
    clock.advance(1_999);
    expect(types()).toEqual(['OrderCreated', 'OrderFilled']);
    clock.advance(1);
    expect(types()).toEqual(['OrderCreated', 'OrderFilled', 'OrderCompleted']);
    const completed = events[2] as OrderCompletedEvent;
    expect(completed.fillsComplete).toBe(false);
    expect(completed.executedAmountBase.toString()).toBe('0.4');
    expect(asked).toEqual([{ id: 'c1', reason: 'fill_barrier_timeout' }]);
    expect(tracker.fetchOrder('c1')?.currentState).toBe(OrderState.FILLED);
    expect(tracker.processTradeUpdate(fill('t2', '0.6'))).toBe(true);
    expect(types()).toEqual(['OrderCreated', 'OrderFilled', 'OrderCompleted', 'OrderFilled']);
    expect(tracker.fetchOrder('c1')?.isFilled).toBe(true);
  });

  it('asks for fills when the exchange reports more executed than the fills known', () => {
    const { tracker, asked } = setup();
    tracker.processTradeUpdate(fill('t1', '0.2'));
    tracker.processOrderUpdate(update(OrderState.PARTIALLY_FILLED, { cumulativeFilledAmount: d('0.2') }));
    expect(asked).toEqual([]);
    tracker.processOrderUpdate(update(OrderState.PARTIALLY_FILLED, { cumulativeFilledAmount: d('0.5') }));
    expect(asked).toEqual([{ id: 'c1', reason: 'exchange_reports_more_fills' }]);
  });

  it('survives a hook that throws or rejects', async () => {
    const f = trackerFixture({
      fillWaitTimeoutMs: 10,
      hooks: {
        onMissingFills: () => {
          throw new Error('hook bug');
        },
      },
    });
    cleanup.push(() => f.store.close());
    f.tracker.startTrackingOrder(orderInit());
    f.tracker.processOrderUpdate(update(OrderState.FILLED, { cumulativeFilledAmount: d(1) }));
    f.clock.advance(10);
    expect(f.types()).toEqual(['OrderCreated', 'OrderCompleted']);
    expect(f.log.lines.filter((l) => /missing-fills hook failed/.test(l.msg))).toHaveLength(2);
    f.tracker.close();
  });

  it('drops a held FILLED on close and re-learns it after a restart', () => {
    const { tracker, store, clock } = setup();
    tracker.processOrderUpdate(update(OrderState.FILLED));
    tracker.close();
    expect(clock.pendingTimers).toBe(0);
    const again = trackerFixture({ store, clock });
    again.tracker.restoreFromStore();
    again.tracker.processTradeUpdate(fill('t1', '1'));
    expect(again.types()).toEqual(['OrderFilled']);
    again.tracker.processOrderUpdate(update(OrderState.FILLED));
    expect(again.types()).toEqual(['OrderFilled', 'OrderCompleted']);
    again.tracker.close();
  });
});
