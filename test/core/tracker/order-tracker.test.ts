import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, OrderNotFoundError } from '../../../src/core/errors.js';
import type { OrderCompletedEvent, OrderCreatedEvent, OrderFailedEvent, OrderFilledEvent } from '../../../src/core/events/order-events.js';
import { openTrackingStore } from '../../../src/core/persistence/sqlite-tracking-store.js';
import { TrackingStoreError } from '../../../src/core/persistence/tracking-store.js';
import { OrderTracker } from '../../../src/core/tracker/order-tracker.js';
import { OrderState, TradeType } from '../../../src/core/types.js';
import { d, fill, orderInit, update } from '../support/orders.js';
import { ERROR, INFO, WARN } from '../support/log.js';
import { trackerFixture } from '../support/tracker.js';
import { tempDir } from '../../support/tmp.js';

let fixtures: ReturnType<typeof trackerFixture>[] = [];
function setup(options: Parameters<typeof trackerFixture>[0] = {}) {
  const f = trackerFixture(options);
  fixtures.push(f);
  return f;
}
afterEach(() => {
  for (const f of fixtures) {
    f.tracker.close();
    f.store.close();
  }
  fixtures = [];
});

describe('OrderTracker: the order life cycle', () => {
  it('saves a new order before returning it, with no event yet', () => {
    const { tracker, store, events } = setup();
    const order = tracker.startTrackingOrder(orderInit());
    expect(order.currentState).toBe(OrderState.PENDING_CREATE);
    expect(order.creationTimestamp).toBe(1_000);
    expect(store.loadOrder('c1')?.tracking).toBe('active');
    expect(tracker.activeOrders.get('c1')).toBe(order);
    expect(events).toEqual([]);
  });

  it('refuses a client id already in use, and a bad order, before anything is saved', () => {
    const { tracker, store } = setup();
    tracker.startTrackingOrder(orderInit());
    expect(() => tracker.startTrackingOrder(orderInit())).toThrow(InvalidArgumentError);
    expect(() => tracker.startTrackingOrder(orderInit({ clientOrderId: 'c2', amount: d('-1') }))).toThrow(/amount/);
    expect(() => tracker.startTrackingOrder(orderInit({ clientOrderId: 'c3', amount: d(NaN) }))).toThrow(/amount/);
    expect(store.loadOrder('c2')).toBeUndefined();
  });

  it('announces Created (with side), each fill once, then Completed (with side)', () => {
    const { tracker, events, types } = setup();
    tracker.startTrackingOrder(orderInit({ tradeType: TradeType.SELL }));
    expect(tracker.processOrderUpdate(update(OrderState.OPEN))).toBe(true);
    expect(tracker.processOrderUpdate(update(OrderState.OPEN))).toBe(false);
    expect(tracker.processTradeUpdate(fill('t1', '0.4'))).toBe(true);
    expect(tracker.processTradeUpdate(fill('t1', '0.4'))).toBe(false);
    expect(tracker.processOrderUpdate(update(OrderState.PARTIALLY_FILLED))).toBe(true);
    expect(tracker.processTradeUpdate(fill('t2', '0.6', '101'))).toBe(true);
    expect(tracker.processOrderUpdate(update(OrderState.FILLED))).toBe(true);
    expect(tracker.processOrderUpdate(update(OrderState.FILLED))).toBe(false);
    expect(types()).toEqual(['OrderCreated', 'OrderFilled', 'OrderFilled', 'OrderCompleted']);
    const created = events[0] as OrderCreatedEvent;
    expect(created.side).toBe(TradeType.SELL);
    expect(created.exchangeOrderId).toBe('e1');
    expect(created.timestamp).toBe(10_000);
    const completed = events[3] as OrderCompletedEvent;
    expect(completed.side).toBe(TradeType.SELL);
    expect(completed.executedAmountBase.toString()).toBe('1');
    expect(completed.executedAmountQuote.toString()).toBe('100.6');
    expect(completed.fillsComplete).toBe(true);
    expect(tracker.activeOrders.size).toBe(0);
    expect(tracker.fetchOrder('c1')?.currentState).toBe(OrderState.FILLED);
  });

  it('announces Cancelled, Expired and Failed (with error type and message)', () => {
    const { tracker, events, types } = setup();
    for (const id of ['a', 'b', 'c']) tracker.startTrackingOrder(orderInit({ clientOrderId: id }));
    tracker.processOrderUpdate(update(OrderState.OPEN, { clientOrderId: 'a', exchangeOrderId: 'ea' }));
    tracker.processOrderUpdate(update(OrderState.CANCELED, { clientOrderId: 'a', exchangeOrderId: 'ea' }));
    tracker.processTradeUpdate(fill('t1', '0.3', '100', { clientOrderId: 'b', exchangeOrderId: 'eb' }));
    tracker.processOrderUpdate(update(OrderState.EXPIRED, { clientOrderId: 'b', exchangeOrderId: 'eb' }));
    tracker.processOrderUpdate(
      update(OrderState.FAILED, { clientOrderId: 'c', exchangeOrderId: undefined, errorType: 'InsufficientFundsError', errorMessage: 'balance too low' }),
    );
    expect(types()).toEqual(['OrderCreated', 'OrderCancelled', 'OrderCreated', 'OrderFilled', 'OrderExpired', 'OrderFailed']);
    const failed = events[5] as OrderFailedEvent;
    expect(failed.errorType).toBe('InsufficientFundsError');
    expect(failed.errorMessage).toBe('balance too low');
  });

  it('keeps terminal states terminal: a later contradicting end changes nothing and announces nothing', () => {
    const { tracker, types, log } = setup();
    tracker.startTrackingOrder(orderInit());
    tracker.processOrderUpdate(update(OrderState.CANCELED));
    expect(tracker.processOrderUpdate(update(OrderState.FILLED))).toBe(false);
    expect(tracker.processOrderUpdate(update(OrderState.OPEN))).toBe(false);
    expect(tracker.fetchOrder('c1')?.currentState).toBe(OrderState.CANCELED);
    expect(types()).toEqual(['OrderCreated', 'OrderCancelled']);
    expect(log.lines.some((l) => l.level === WARN && /ended differently/.test(l.msg))).toBe(true);
  });

  it('ignores and logs a backward move (a late REST OPEN after PARTIALLY_FILLED), without throwing', () => {
    const { tracker, types, store, log } = setup();
    tracker.startTrackingOrder(orderInit());
    tracker.processOrderUpdate(update(OrderState.OPEN));
    tracker.processOrderUpdate(update(OrderState.PARTIALLY_FILLED));
    let changed: boolean | undefined;
    expect(() => (changed = tracker.processOrderUpdate(update(OrderState.OPEN)))).not.toThrow();
    expect(changed).toBe(false);
    expect(tracker.fetchOrder('c1')?.currentState).toBe(OrderState.PARTIALLY_FILLED);
    expect(store.loadOrder('c1')?.order.currentState).toBe(OrderState.PARTIALLY_FILLED);
    expect(types()).toEqual(['OrderCreated']);
    expect(log.lines.some((l) => /stale order state ignored/.test(l.msg) && l.reported === OrderState.OPEN)).toBe(true);
  });

  it('applies and announces a fill that raced the cancel', () => {
    const { tracker, types } = setup();
    tracker.startTrackingOrder(orderInit());
    tracker.processOrderUpdate(update(OrderState.OPEN));
    tracker.processOrderUpdate(update(OrderState.CANCELED));
    expect(tracker.processTradeUpdate(fill('t1', '0.2'))).toBe(true);
    expect(types()).toEqual(['OrderCreated', 'OrderCancelled', 'OrderFilled']);
    expect(tracker.fetchOrder('c1')?.executedAmountBase.toString()).toBe('0.2');
    expect(tracker.fetchOrder('c1')?.currentState).toBe(OrderState.CANCELED);
  });

  it('finds an order by exchange id when the client id is another one', () => {
    const { tracker } = setup();
    tracker.startTrackingOrder(orderInit());
    tracker.processOrderUpdate(update(OrderState.OPEN));
    expect(tracker.processTradeUpdate(fill('t1', '0.1', '100', { clientOrderId: 'cancel-req-9' }))).toBe(true);
    expect(tracker.processOrderUpdate(update(OrderState.CANCELED, { clientOrderId: 'cancel-req-9' }))).toBe(true);
  });

  it('marks overfills on the fill event and logs them', () => {
    const { tracker, events, log } = setup();
    tracker.startTrackingOrder(orderInit());
    tracker.processTradeUpdate(fill('t1', '0.9'));
    tracker.processTradeUpdate(fill('t2', '0.2'));
    expect((events.at(-1) as OrderFilledEvent).overfilled).toBe(true);
    expect(tracker.fetchOrder('c1')?.isOverfilled).toBe(true);
    expect(log.lines.some((l) => /overfill/.test(l.msg))).toBe(true);
  });
});

describe('OrderTracker: bad input loses nothing', () => {
  it('ignores updates and fills for unknown orders, without throwing', () => {
    const { tracker, events, log } = setup();
    expect(tracker.processOrderUpdate(update(OrderState.OPEN, { clientOrderId: 'nobody', exchangeOrderId: 'x' }))).toBe(false);
    expect(tracker.processTradeUpdate(fill('t1', '1', '100', { clientOrderId: 'nobody', exchangeOrderId: 'x' }))).toBe(false);
    expect(tracker.stopTrackingOrder('nobody')).toBe(false);
    expect(events).toEqual([]);
    expect(log.lines.some((l) => l.level === WARN && /does not know/.test(l.msg))).toBe(true);
  });

  it('refuses malformed updates with a logged reason, and the order keeps its state and fills', () => {
    const { tracker, events, log } = setup();
    tracker.startTrackingOrder(orderInit());
    tracker.processTradeUpdate(fill('t1', '0.5'));
    expect(tracker.processTradeUpdate(fill('t2', '-0.5'))).toBe(false);
    expect(tracker.processTradeUpdate(fill('t3', '0.1', '100', { fillPrice: d(NaN) }))).toBe(false);
    expect(tracker.processTradeUpdate({ ...fill('t4', '0.1'), fillBaseAmount: 0.1 as never })).toBe(false);
    expect(tracker.processOrderUpdate(update('WHATEVER' as OrderState))).toBe(false);
    expect(tracker.processOrderUpdate(update(OrderState.OPEN, { cumulativeFilledAmount: d(NaN) }))).toBe(false);
    const order = tracker.fetchOrder('c1')!;
    expect(order.executedAmountBase.toString()).toBe('0.5');
    expect(order.orderFills.size).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled']);
    const refusals = log.lines.filter((l) => /malformed update refused/.test(l.msg));
    expect(refusals.map((l) => l.field)).toEqual(['fillBaseAmount', 'fillPrice', 'fillBaseAmount', 'newState', 'cumulativeFilledAmount']);
  });

  it('keeps going when a listener throws or rejects', async () => {
    const { tracker, log } = setup();
    const seen: string[] = [];
    tracker.events.on('OrderCreated', () => {
      throw new Error('strategy bug');
    });
    tracker.events.on('OrderCreated', () => Promise.reject(new Error('async strategy bug')));
    tracker.events.on('OrderCreated', (e) => {
      seen.push(e.clientOrderId);
    });
    tracker.startTrackingOrder(orderInit());
    expect(() => tracker.processOrderUpdate(update(OrderState.OPEN))).not.toThrow();
    expect(tracker.processTradeUpdate(fill('t1', '1'))).toBe(true);
    expect(seen).toEqual(['c1']);
    await Promise.resolve();
    expect(log.lines.filter((l) => l.level === ERROR && /listener/.test(l.msg))).toHaveLength(2);
  });

  it('keeps events in order when a listener feeds the tracker', () => {
    const { tracker, types } = setup();
    tracker.startTrackingOrder(orderInit());
    tracker.events.once('OrderCreated', () => {
      tracker.processTradeUpdate(fill('t1', '1'));
    });
    tracker.processOrderUpdate(update(OrderState.FILLED, { cumulativeFilledAmount: d(0) }));
    expect(types()).toEqual(['OrderCreated', 'OrderFilled', 'OrderCompleted']);
  });

  it('scrubs secrets from failure messages before saving or announcing them', () => {
    const { tracker, store, events } = setup({ secrets: ['SuperSecretKey123'] });
    tracker.startTrackingOrder(orderInit());
    tracker.processOrderUpdate(
      update(OrderState.FAILED, { exchangeOrderId: undefined, errorType: 'x', errorMessage: 'GET /api?key=SuperSecretKey123&signature=abcdef123456 failed' }),
    );
    const message = (events[0] as OrderFailedEvent).errorMessage;
    expect(message).not.toContain('SuperSecretKey123');
    expect(message).not.toContain('abcdef123456');
    expect(JSON.stringify(store.loadOrder('c1'))).not.toContain('SuperSecretKey123');
    expect(JSON.stringify(store.listEvents())).not.toContain('abcdef123456');
  });
});

describe('OrderTracker: persist, then announce', () => {
  it('has the change and the event in the store when a listener hears of it', () => {
    const { tracker, store } = setup();
    const seenInStore: boolean[] = [];
    tracker.events.onAny((e) => {
      const saved = store.loadOrder(e.clientOrderId)!;
      const eventSaved = store.listEvents({ clientOrderId: e.clientOrderId }).some((r) => r.type === e.type);
      const fillSaved = e.type !== 'OrderFilled' || e.tradeId in (saved.order.orderFills ?? {});
      seenInStore.push(eventSaved && fillSaved);
    });
    tracker.startTrackingOrder(orderInit());
    tracker.processOrderUpdate(update(OrderState.OPEN));
    tracker.processTradeUpdate(fill('t1', '1'));
    tracker.processOrderUpdate(update(OrderState.FILLED));
    expect(seenInStore).toEqual([true, true, true]);
  });

  it('undoes the change and announces nothing when the store cannot save', () => {
    const { tracker, store, events } = setup();
    tracker.startTrackingOrder(orderInit());
    const commit = store.commit.bind(store);
    store.commit = () => {
      throw new Error('disk I/O error');
    };
    expect(() => tracker.processTradeUpdate(fill('t1', '0.5'))).toThrow(TrackingStoreError);
    expect(() => tracker.processOrderUpdate(update(OrderState.OPEN))).toThrow(TrackingStoreError);
    const order = tracker.fetchOrder('c1')!;
    expect(order.orderFills.size).toBe(0);
    expect(order.currentState).toBe(OrderState.PENDING_CREATE);
    expect(order.exchangeOrderId).toBeUndefined();
    expect(events).toEqual([]);
    // Delivered again once the store works, it applies.
    store.commit = commit;
    expect(tracker.processTradeUpdate(fill('t1', '0.5'))).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled']);
  });

  it('never announces an event the store already had', () => {
    const { tracker, store, events, log } = setup();
    tracker.startTrackingOrder(orderInit());
    // Someone (a previous run) already recorded the OrderCreated of c1.
    const ghost = new OrderTracker({ store, clock: tracker.clock });
    ghost.restoreFromStore();
    ghost.processOrderUpdate(update(OrderState.OPEN));
    tracker.processOrderUpdate(update(OrderState.OPEN));
    expect(events).toEqual([]);
    // Routine, not an error: another tracker on the store announced it first.
    expect(log.lines.some((l) => l.level === INFO && /already recorded in the store/.test(l.msg))).toBe(true);
    expect(log.lines.filter((l) => l.level >= WARN)).toEqual([]);
  });

  it('two trackers on one SQLite file (two processes on one data dir) announce each event once between them', () => {
    const dir = tempDir();
    const path = join(dir.path, 'shared.sqlite');
    const first = setup({ path });
    first.tracker.startTrackingOrder(orderInit());
    const second = setup({ path, clock: first.clock });
    second.tracker.restoreFromStore();
    // Both follow the order and get every update, in different orders.
    first.tracker.processOrderUpdate(update(OrderState.OPEN));
    second.tracker.processTradeUpdate(fill('t1', '0.4'));
    second.tracker.processOrderUpdate(update(OrderState.OPEN));
    first.tracker.processTradeUpdate(fill('t1', '0.4'));
    first.tracker.processTradeUpdate(fill('t2', '0.6'));
    second.tracker.processOrderUpdate(update(OrderState.FILLED));
    second.tracker.processTradeUpdate(fill('t2', '0.6'));
    first.tracker.processOrderUpdate(update(OrderState.FILLED));
    const all = [...first.events, ...second.events].map((e) => (e.type === 'OrderFilled' ? `${e.type}:${e.tradeId}` : e.type));
    expect(all.sort()).toEqual(['OrderCompleted', 'OrderCreated', 'OrderFilled:t1', 'OrderFilled:t2']);
    expect(first.store.listEvents({ clientOrderId: 'c1' }).map((r) => r.type).sort()).toEqual(['OrderCompleted', 'OrderCreated', 'OrderFilled', 'OrderFilled']);
    for (const f of [first, second]) expect(f.log.lines.filter((l) => l.level >= WARN)).toEqual([]);
    fixtures = fixtures.filter((f) => f !== first && f !== second);
    for (const f of [first, second]) {
      f.tracker.close();
      f.store.close();
    }
    dir.cleanup();
  });
});

describe('OrderTracker: the done cache and late fills', () => {
  it('finds an ended order in the store after it left the cache', () => {
    const { tracker, clock, types } = setup({ doneCacheSize: 1, doneCacheTtlMs: 1_000 });
    tracker.startTrackingOrder(orderInit());
    tracker.startTrackingOrder(orderInit({ clientOrderId: 'c2' }));
    tracker.processOrderUpdate(update(OrderState.CANCELED));
    tracker.processOrderUpdate(update(OrderState.CANCELED, { clientOrderId: 'c2', exchangeOrderId: 'e2' }));
    expect(tracker.cachedOrders.map((o) => o.clientOrderId)).toEqual(['c2']);
    clock.advance(2_000);
    expect(tracker.cachedOrders).toEqual([]);
    expect(tracker.processTradeUpdate(fill('t1', '0.5', '100', { clientOrderId: 'unknown-here' }))).toBe(true);
    expect(tracker.processTradeUpdate(fill('t1', '0.5'))).toBe(false);
    expect(types().filter((t) => t === 'OrderFilled')).toHaveLength(1);
    expect(tracker.fetchOrder('c1')?.executedAmountBase.toString()).toBe('0.5');
  });

  it('stopTrackingOrder moves an order out of the active ones but still takes its fills', () => {
    const { tracker, store } = setup();
    tracker.startTrackingOrder(orderInit());
    expect(tracker.stopTrackingOrder('c1')).toBe(true);
    expect(tracker.activeOrders.size).toBe(0);
    expect(store.loadOrder('c1')?.tracking).toBe('done');
    expect(tracker.processTradeUpdate(fill('t1', '0.5'))).toBe(true);
    expect(tracker.activeOrders.size).toBe(0);
    expect(Object.keys(store.trackingStates())).toEqual([]);
  });
});

describe('OrderTracker: restore', () => {
  it('restores active and lost orders from the store, and duplicates change nothing after a restart', () => {
    const { tracker, store, clock } = setup({ lostOrderMinSpacingMs: 0 });
    tracker.startTrackingOrder(orderInit());
    tracker.processOrderUpdate(update(OrderState.OPEN));
    tracker.processTradeUpdate(fill('t1', '0.5'));
    tracker.startTrackingOrder(orderInit({ clientOrderId: 'gone' }));
    tracker.startTrackingOrder(orderInit({ clientOrderId: 'done' }));
    tracker.processOrderUpdate(update(OrderState.CANCELED, { clientOrderId: 'done', exchangeOrderId: 'e3' }));
    tracker.processOrderNotFound('gone', new OrderNotFoundError('-2013'));
    tracker.processOrderNotFound('gone', new OrderNotFoundError('-2013'));
    tracker.close();

    const again = new OrderTracker({ store, clock });
    const seen: string[] = [];
    again.events.onAny((e) => {
      seen.push(e.type);
    });
    const result = again.restoreFromStore();
    expect([...result.restored].sort()).toEqual(['c1', 'gone']);
    expect(again.activeOrders.get('c1')?.executedAmountBase.toString()).toBe('0.5');
    expect(again.lostOrders.has('gone')).toBe(true);
    expect(again.processTradeUpdate(fill('t1', '0.5'))).toBe(false);
    expect(again.processOrderUpdate(update(OrderState.OPEN))).toBe(false);
    expect(again.processTradeUpdate(fill('t2', '0.5'))).toBe(true);
    expect(again.processOrderUpdate(update(OrderState.FILLED))).toBe(true);
    expect(seen).toEqual(['OrderFilled', 'OrderCompleted']);
    again.close();
  });

  it('skips a malformed saved order with an error naming the field, and restores the rest', () => {
    const { tracker } = setup();
    const good = trackerFixture();
    good.tracker.startTrackingOrder(orderInit());
    const saved = { ...good.tracker.trackingStates, broken: { clientOrderId: 'broken', amount: 'NaN' }, text: 'not json' };
    const result = tracker.restoreTrackingStates(saved);
    expect(result.restored).toEqual(['c1']);
    expect(result.skipped.map((s) => s.key)).toEqual(['broken', 'text']);
    expect(result.skipped[0]!.error.message).toMatch(/"tradingPair" is missing/);
    expect(tracker.activeOrders.has('c1')).toBe(true);
    good.tracker.close();
    good.store.close();
  });
});

describe('OrderTracker: a store of its own', () => {
  it('works without a store given (in memory)', () => {
    const tracker = new OrderTracker();
    tracker.startTrackingOrder(orderInit());
    expect(tracker.processOrderUpdate(update(OrderState.OPEN))).toBe(true);
    tracker.close();
  });

  it('keeps connectors apart in one file', () => {
    const a = openTrackingStore({ path: ':memory:', connector: 'a' });
    expect(a.connector).toBe('a');
    a.close();
  });
});
