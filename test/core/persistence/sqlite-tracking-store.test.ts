import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { MIGRATIONS, SCHEMA_VERSION, SchemaVersionError, migrate } from '../../../src/core/persistence/migrations.js';
import { defaultTrackingStorePath, openTrackingStore } from '../../../src/core/persistence/sqlite-tracking-store.js';
import { OrderTracker } from '../../../src/core/tracker/order-tracker.js';
import { OrderState } from '../../../src/core/types.js';
import { tempDir } from '../../support/tmp.js';
import { fill, orderInit, update } from '../support/orders.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

function run(path: string, connector = 'binance') {
  const store = openTrackingStore({ path, connector });
  const tracker = new OrderTracker({ store, clock: new ManualClock(50_000) });
  return { store, tracker };
}

describe('SqliteTrackingStore', () => {
  it('creates missing folders, uses WAL and records its schema version', () => {
    const path = join(dir.path, 'nested', 'deeper', 'track.sqlite');
    const store = openTrackingStore({ path });
    store.close();
    const db = new BetterSqlite3(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('defaults to ./data/venuekit.sqlite under the working directory', () => {
    expect(defaultTrackingStorePath('/srv/bot')).toBe('/srv/bot/data/venuekit.sqlite');
    const store = openTrackingStore({ path: defaultTrackingStorePath(dir.path) });
    store.close();
    expect(existsSync(join(dir.path, 'data', 'venuekit.sqlite'))).toBe(true);
  });

  it('migrates step by step and refuses a schema newer than it knows', () => {
    const path = join(dir.path, 'v.sqlite');
    const db = new BetterSqlite3(path);
    const next = { version: SCHEMA_VERSION + 1, description: 'test', sql: 'CREATE TABLE extra (x INTEGER);' };
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    expect(migrate(db, [...MIGRATIONS, next])).toEqual([next.version]);
    db.close();
    expect(() => openTrackingStore({ path })).toThrow(SchemaVersionError);
  });

  it('brings back exactly the tracking states after a reopen', () => {
    const path = join(dir.path, 't.sqlite');
    const first = run(path);
    first.tracker.startTrackingOrder(orderInit());
    first.tracker.processOrderUpdate(update(OrderState.OPEN));
    first.tracker.processTradeUpdate(fill('t1', '0.25'));
    first.tracker.processTradeUpdate(fill('t2', '0.25'));
    const before = first.tracker.trackingStates;
    first.tracker.close();
    first.store.close();

    const second = run(path);
    expect(second.store.trackingStates()).toEqual(JSON.parse(JSON.stringify(before)));
    second.tracker.restoreFromStore();
    expect(second.tracker.trackingStates).toEqual(before);
    second.store.close();
  });

  it('keeps the history of orders, fills and events, in order', () => {
    const { store, tracker } = run(':memory:');
    tracker.startTrackingOrder(orderInit());
    tracker.startTrackingOrder(orderInit({ clientOrderId: 'c2', tradingPair: 'ETH-USDT', creationTimestamp: 5_000 }));
    tracker.processOrderUpdate(update(OrderState.OPEN));
    tracker.processTradeUpdate(fill('t1', '1'));
    tracker.processOrderUpdate(update(OrderState.FILLED));
    expect(store.listOrders().map((o) => [o.clientOrderId, o.state, o.tracking])).toEqual([
      ['c1', 'FILLED', 'done'],
      ['c2', 'PENDING_CREATE', 'active'],
    ]);
    expect(store.listOrders({ tradingPair: 'ETH-USDT' }).map((o) => o.clientOrderId)).toEqual(['c2']);
    expect(store.listOrders({ since: 2_000 }).map((o) => o.clientOrderId)).toEqual(['c2']);
    const fills = store.listFills();
    expect(fills).toHaveLength(1);
    expect(fills[0]!.trade.fillQuoteAmount.toString()).toBe('100');
    expect(fills[0]!.recordedAt).toBe(50_000);
    const events = store.listEvents();
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled', 'OrderCompleted']);
    expect(events[1]!.data.price).toBe('100');
    expect(store.listEvents({ afterSeq: events[0]!.seq, limit: 1 }).map((e) => e.type)).toEqual(['OrderFilled']);
    store.close();
  });

  it('keeps two connectors apart in one file', () => {
    const path = join(dir.path, 'shared.sqlite');
    const a = run(path, 'binance');
    const b = run(path, 'kraken');
    a.tracker.startTrackingOrder(orderInit());
    b.tracker.startTrackingOrder(orderInit({ clientOrderId: 'k1' }));
    expect(Object.keys(a.store.trackingStates())).toEqual(['c1']);
    expect(Object.keys(b.store.trackingStates())).toEqual(['k1']);
    expect(b.store.loadOrder('c1')).toBeUndefined();
    a.store.close();
    b.store.close();
  });

  it('finds the latest client id with a prefix, and an order by exchange id', () => {
    const { store, tracker } = run(':memory:');
    for (const id of ['vk0001aa', 'vk0003aa', 'vk0002aa', 'other9']) tracker.startTrackingOrder(orderInit({ clientOrderId: id }));
    tracker.processOrderUpdate(update(OrderState.OPEN, { clientOrderId: 'vk0002aa', exchangeOrderId: '777' }));
    expect(store.latestClientOrderId('vk')).toBe('vk0003aa');
    expect(store.latestClientOrderId('zz')).toBeUndefined();
    expect(store.findClientOrderId('777')).toBe('vk0002aa');
    store.close();
  });

  it('reports a corrupt saved order by its key and restores the others', () => {
    const path = join(dir.path, 'c.sqlite');
    const first = run(path);
    first.tracker.startTrackingOrder(orderInit());
    first.tracker.startTrackingOrder(orderInit({ clientOrderId: 'c2' }));
    first.store.close();
    const db = new BetterSqlite3(path);
    db.prepare("UPDATE orders SET data = '{broken' WHERE client_order_id = 'c2'").run();
    db.close();
    const second = run(path);
    const result = second.tracker.restoreFromStore();
    expect(result.restored).toEqual(['c1']);
    expect(result.skipped.map((s) => s.key)).toEqual(['c2']);
    expect(result.skipped[0]!.error.message).toMatch(/not what was expected|JSON/);
    second.store.close();
  });

  it('never writes a secret to the file', () => {
    const path = join(dir.path, 's.sqlite');
    const secret = 'sEcReT-0123456789-apikey';
    const store = openTrackingStore({ path, connector: 'binance', synchronous: 'FULL' });
    const tracker = new OrderTracker({ store, clock: new ManualClock(), secrets: [secret] });
    tracker.startTrackingOrder(orderInit());
    tracker.processOrderUpdate(update(OrderState.FAILED, { exchangeOrderId: undefined, errorType: 'AuthenticationError', errorMessage: `key ${secret} rejected` }));
    store.close();
    for (const file of readdirSync(dir.path)) {
      expect(readFileSync(join(dir.path, file)).includes(secret)).toBe(false);
    }
  });
});
