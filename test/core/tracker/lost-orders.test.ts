import { afterEach, describe, expect, it } from 'vitest';
import { NetworkError, OrderNotFoundError, RequestTimeoutError } from '../../../src/core/errors.js';
import type { OrderFailedEvent } from '../../../src/core/events/order-events.js';
import { LOST_ORDER_ERROR_TYPE } from '../../../src/core/tracker/options.js';
import { OrderTracker } from '../../../src/core/tracker/order-tracker.js';
import { OrderState } from '../../../src/core/types.js';
import { fill, orderInit, update } from '../support/orders.js';
import { trackerFixture } from '../support/tracker.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function setup() {
  const f = trackerFixture({ lostOrderCountLimit: 2, lostOrderMinSpacingMs: 1_000 });
  cleanup.push(() => {
    f.tracker.close();
    f.store.close();
  });
  f.tracker.startTrackingOrder(orderInit());
  return f;
}

const notFound = () => new OrderNotFoundError('Order does not exist.', { exchangeCode: -2013 });

describe('lost orders', () => {
  it('never counts a transport error or a timeout as "not found"', () => {
    const { tracker, events } = setup();
    for (let i = 0; i < 10; i++) {
      expect(tracker.processOrderNotFound('c1', new NetworkError('getaddrinfo ENOTFOUND'))).toBe('not_confirmed');
      expect(tracker.processOrderNotFound('c1', new RequestTimeoutError('timeout'))).toBe('not_confirmed');
      expect(tracker.processOrderNotFound('c1', new Error('anything'))).toBe('not_confirmed');
    }
    expect(tracker.notFoundCount('c1')).toBe(0);
    expect(tracker.activeOrders.has('c1')).toBe(true);
    expect(events).toEqual([]);
  });

  it('measures the spacing from the previous answer to the next query\'s send time, so a slow answer cannot stand in for a second', () => {
    const { tracker, clock } = setup();
    expect(tracker.processOrderNotFound('c1', notFound())).toBe('counted');
    const firstAnsweredAt = clock.now();
    // A query sent 500 ms later whose answer took 800 ms: answered 1.3 s after the first, but the
    // exchange may have read its books only 500 ms after it did.
    clock.advance(1_300);
    expect(tracker.processOrderNotFound('c1', notFound(), firstAnsweredAt + 500)).toBe('too_soon');
    expect(tracker.processOrderNotFound('c1', notFound(), firstAnsweredAt + 1_000)).toBe('declared_lost');
  });

  it('declares a never-acknowledged order lost after enough confirmed answers, spaced apart', () => {
    const { tracker, clock, events, store } = setup();
    expect(tracker.processOrderNotFound('c1', notFound())).toBe('counted');
    expect(tracker.processOrderNotFound('c1', notFound())).toBe('too_soon');
    clock.advance(999);
    expect(tracker.processOrderNotFound('c1', notFound())).toBe('too_soon');
    clock.advance(1);
    expect(tracker.processOrderNotFound('c1', notFound())).toBe('declared_lost');
    const failed = events[0] as OrderFailedEvent;
    expect(events.map((e) => e.type)).toEqual(['OrderFailed']);
    expect(failed.errorType).toBe(LOST_ORDER_ERROR_TYPE);
    expect(tracker.activeOrders.has('c1')).toBe(false);
    expect(tracker.lostOrders.has('c1')).toBe(true);
    expect(tracker.allUpdatableOrders.map((o) => o.clientOrderId)).toEqual(['c1']);
    expect(store.loadOrder('c1')?.tracking).toBe('lost');
    expect(Object.keys(store.trackingStates())).toEqual(['c1']);
  });

  it('never fails an order the exchange acknowledged', () => {
    const { tracker, clock, events } = setup();
    tracker.processOrderUpdate(update(OrderState.OPEN));
    for (let i = 0; i < 5; i++) {
      expect(tracker.processOrderNotFound('c1', notFound())).toBe('acknowledged');
      clock.advance(5_000);
    }
    expect(tracker.activeOrders.get('c1')?.currentState).toBe(OrderState.OPEN);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated']);
  });

  it('keeps applying fills to a lost order, stops watching it on an end or a further confirmation, and survives restarts', () => {
    const { tracker, clock, events, store } = setup();
    tracker.processOrderNotFound('c1', notFound());
    clock.advance(1_000);
    tracker.processOrderNotFound('c1', notFound());
    expect(tracker.processTradeUpdate(fill('t1', '0.5'))).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['OrderFailed', 'OrderFilled']);

    tracker.close();
    const again = new OrderTracker({ store, clock });
    again.restoreFromStore();
    expect(again.lostOrders.get('c1')?.executedAmountBase.toString()).toBe('0.5');
    expect(again.processOrderUpdate(update(OrderState.CANCELED))).toBe(false);
    expect(again.lostOrders.size).toBe(0);
    expect(again.fetchOrder('c1')?.currentState).toBe(OrderState.FAILED);
    expect(store.loadOrder('c1')?.tracking).toBe('done');
    again.close();

    const third = setup();
    third.tracker.processOrderNotFound('c1', notFound());
    third.clock.advance(1_000);
    third.tracker.processOrderNotFound('c1', notFound());
    expect(third.tracker.processOrderNotFound('c1', notFound())).toBe('lost_order_dropped');
    expect(third.tracker.lostOrders.size).toBe(0);
  });

  it('answers for unknown and ended orders without counting', () => {
    const { tracker } = setup();
    expect(tracker.processOrderNotFound('nobody', notFound())).toBe('unknown_order');
    tracker.processOrderUpdate(update(OrderState.CANCELED, { exchangeOrderId: undefined }));
    expect(tracker.processOrderNotFound('c1', notFound())).toBe('done');
  });
});
