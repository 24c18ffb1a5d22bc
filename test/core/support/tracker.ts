import { ManualClock } from '../../../src/core/clock.js';
import type { OrderEvent } from '../../../src/core/events/order-events.js';
import { openTrackingStore, type SqliteTrackingStore } from '../../../src/core/persistence/sqlite-tracking-store.js';
import { OrderTracker } from '../../../src/core/tracker/order-tracker.js';
import type { OrderTrackerOptions } from '../../../src/core/tracker/options.js';
import { captureLogger } from './log.js';

/** A tracker on a manual clock and a real SQLite store, with every event it announces recorded. */
export function trackerFixture(options: OrderTrackerOptions & { path?: string; clock?: ManualClock } = {}) {
  const clock = options.clock ?? new ManualClock(10_000);
  const store: SqliteTrackingStore = (options.store as SqliteTrackingStore | undefined) ?? openTrackingStore({ path: options.path ?? ':memory:', synchronous: 'NORMAL' });
  const log = captureLogger();
  const tracker = new OrderTracker({ logger: log.logger, ...options, clock, store });
  const events: OrderEvent[] = [];
  tracker.events.onAny((e) => {
    events.push(e);
  });
  const types = () => events.map((e) => e.type);
  return { clock, store, tracker, events, types, log };
}
