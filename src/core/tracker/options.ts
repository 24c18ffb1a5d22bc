import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { ReadonlyInFlightOrder } from '../orders/in-flight-order.js';
import type { TrackingStore } from '../persistence/tracking-store.js';

/** The failure type of an order declared lost after confirmed not-found answers. */
export const LOST_ORDER_ERROR_TYPE = 'order_not_found';

/** The failure type of an acknowledged order the exchange no longer knows (it forgot it: a reset, an archive). */
export const VANISHED_ORDER_ERROR_TYPE = 'order_vanished';

/** The failure type of an order whose tracking an operator ended by hand (`venuekit forget`). */
export const FORGOTTEN_ORDER_ERROR_TYPE = 'forgotten';

/**
 * Why the tracker asks its owner for fills: the fill barrier timed out, or the exchange reported
 * a cumulative executed amount above the fills the tracker knows.
 */
export type MissingFillsReason = 'fill_barrier_timeout' | 'exchange_reports_more_fills';

/** What the tracker asks of its owner (the connector base). Exceptions and rejections are logged. */
export interface OrderTrackerHooks {
  /** Fetch this order's trades from the exchange and hand each to `processTradeUpdate`. */
  onMissingFills?(order: ReadonlyInFlightOrder, reason: MissingFillsReason): void | Promise<void>;
}

export interface OrderTrackerOptions {
  /** Where orders are saved. Default: a private in-memory SQLite store (nothing survives the process). */
  store?: TrackingStore;
  /** Default: a RealTimeClock (not ticking: the tracker only schedules timeouts on it). */
  clock?: Clock;
  logger?: Logger;
  hooks?: OrderTrackerHooks;
  /** How long a FILLED report waits for its fills before the order completes anyway. Default 5000 ms. */
  fillWaitTimeoutMs?: number;
  /** Ended orders kept in memory for late fills. Default 1000 orders, 10 minutes each. */
  doneCacheSize?: number;
  doneCacheTtlMs?: number;
  /** Confirmed not-found answers that declare a never-acknowledged order lost. Default 2. */
  lostOrderCountLimit?: number;
  /** Answers closer together than this count once. Default 1000 ms. */
  lostOrderMinSpacingMs?: number;
  /** Strings (keys, secrets) to blank out of failure messages before they are saved or announced. */
  secrets?: readonly (string | undefined)[];
}

export const TRACKER_DEFAULTS = {
  fillWaitTimeoutMs: 5_000,
  doneCacheSize: 1_000,
  doneCacheTtlMs: 600_000,
  lostOrderCountLimit: 2,
  lostOrderMinSpacingMs: 1_000,
} as const;

/** What `processOrderNotFound` did with the answer. */
export type NotFoundOutcome =
  /** Counted towards the limit; the order is still tracked. */
  | 'counted'
  /** Came too soon after the previous answer to count again. */
  | 'too_soon'
  /** This answer reached the limit: the order is FAILED (OrderFailed announced) and kept as lost. */
  | 'declared_lost'
  /** The order was already lost; the exchange confirmed it again, so it is no longer watched. */
  | 'lost_order_dropped'
  /** Not counted: the evidence is not a confirmed not-found (a transport error or a timeout proves nothing). */
  | 'not_confirmed'
  /** Not counted: the exchange acknowledged this order before, so a not-found answer is wrong or stale. */
  | 'acknowledged'
  /** The order already ended. */
  | 'done'
  | 'unknown_order';

export interface RestoreResult {
  /** Client ids restored (active, lost or ended). */
  readonly restored: readonly string[];
  /** Entries that could not be read: each keeps its key and the error naming the bad field. */
  readonly skipped: readonly { readonly key: string; readonly error: Error }[];
}
