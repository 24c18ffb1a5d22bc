import type { Decimal } from '../decimal.js';
import type { OrderEvent, OrderEventType } from '../events/order-events.js';
import type { InFlightOrderJSON } from '../orders/in-flight-order-json.js';
import type { ReadonlyInFlightOrder } from '../orders/in-flight-order.js';
import type { TradeUpdate } from '../orders/updates.js';
import type { OrderState, TradeType } from '../types.js';

/**
 * Where an order stands for the tracker: `active` (may still trade), `lost` (declared FAILED after
 * confirmed not-found answers, still watched for late fills and news), `done` (ended or no longer
 * tracked). `trackingStates` holds the active and lost ones, as Hummingbot's does.
 */
export type TrackingStatus = 'active' | 'lost' | 'done';

/**
 * An order the exchange reports more executed than its recorded fills add up to: its fills are
 * incomplete (owed) until fetched. Kept in the store so a restart goes on fetching them.
 */
export interface OwedFillsRecord {
  /** The exchange's cumulative executed base amount, the highest it reported. */
  readonly reportedExecuted: Decimal;
  /** When the tracker first found fills missing (its clock, milliseconds). */
  readonly since: number;
}

/** One order of a change. `owed`: a record while its fills are incomplete, null once complete, absent to leave as saved. */
export interface TrackedOrderChange {
  readonly order: ReadonlyInFlightOrder;
  readonly tracking: TrackingStatus;
  readonly owed?: OwedFillsRecord | null;
}

/** One change of the tracker, saved all at once or not at all. */
export interface TrackingChange {
  /** The tracker's clock when the change was made (milliseconds). */
  readonly at: number;
  readonly orders: readonly TrackedOrderChange[];
  /** New fills (a fill already saved for the same order and trade id is left as it is). */
  readonly fills: readonly TradeUpdate[];
  /** Events about to be announced. */
  readonly events: readonly OrderEvent[];
}

export interface CommitResult {
  /** Keys (orderEventKey) of events the store already had: they were announced before and must not be again. */
  readonly alreadyRecorded: ReadonlySet<string>;
}

export interface StoredOrder {
  readonly order: InFlightOrderJSON;
  readonly tracking: TrackingStatus;
}

/** A saved order whose fills are incomplete, with its fills as `trackingStates` gives them. */
export interface StoredOwedOrder {
  readonly clientOrderId: string;
  readonly tracking: TrackingStatus;
  readonly order: unknown;
  readonly owed: OwedFillsRecord;
}

/**
 * The order tracker's memory across restarts. `commit` is synchronous and durable when it returns,
 * so the tracker saves a change in the same step as making it and announces it only afterwards.
 */
export interface TrackingStore {
  /** The connector whose orders this store keeps (one file may hold several connectors). */
  readonly connector: string;
  commit(change: TrackingChange): CommitResult;
  /** The active and lost orders, with their fills, keyed by client order id. */
  trackingStates(): Record<string, unknown>;
  /** Orders whose fills are incomplete, whatever their tracking status, oldest first. */
  owedFillOrders(): StoredOwedOrder[];
  /** One order with its fills, whatever its status. */
  loadOrder(clientOrderId: string): StoredOrder | undefined;
  findClientOrderId(exchangeOrderId: string): string | undefined;
  /** The greatest client order id starting with `prefix` (for a monotonic id generator after a restart). */
  latestClientOrderId(prefix: string): string | undefined;
  close(): void;
}

/** Thrown when a change could not be saved. The tracker has undone it in memory: deliver it again later. */
export class TrackingStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrackingStoreError';
  }
}

// ---- history, for reports (the CLI) ------------------------------------------------------------

export interface OrderHistoryRecord {
  readonly clientOrderId: string;
  readonly exchangeOrderId?: string;
  readonly tradingPair: string;
  readonly side: TradeType;
  readonly state: OrderState;
  readonly tracking: TrackingStatus;
  readonly amount: Decimal;
  readonly price?: Decimal;
  readonly executedAmountBase: Decimal;
  readonly executedAmountQuote: Decimal;
  readonly creationTimestamp: number;
  readonly lastUpdateTimestamp: number;
  /** Present while the order's fills are incomplete: the exchange reported more executed than they add up to. */
  readonly fillsOwed?: OwedFillsRecord;
}

export interface FillHistoryRecord {
  readonly clientOrderId: string;
  readonly trade: TradeUpdate;
  /** When the tracker saved it (its clock, milliseconds). */
  readonly recordedAt: number;
}

export interface EventHistoryRecord {
  /** Increasing: the order in which events were announced. */
  readonly seq: number;
  readonly key: string;
  readonly type: OrderEventType;
  readonly clientOrderId: string;
  readonly timestamp: number;
  /** The event as it was announced, in its JSON form (decimals as strings). */
  readonly data: Record<string, unknown>;
}

export interface HistoryQuery {
  readonly clientOrderId?: string;
  readonly tradingPair?: string;
  /** Milliseconds: orders created, fills made or events announced at or after this time. */
  readonly since?: number;
  readonly limit?: number;
}

/** The history of orders, fills and events, newest last. */
export interface TrackingHistory {
  listOrders(query?: HistoryQuery): OrderHistoryRecord[];
  listFills(query?: HistoryQuery): FillHistoryRecord[];
  listEvents(query?: HistoryQuery & { readonly afterSeq?: number }): EventHistoryRecord[];
}
