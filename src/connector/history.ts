import type { FillHistoryRecord, HistoryQuery, OrderHistoryRecord, TrackingHistory, TrackingStore } from '../core/persistence/tracking-store.js';

/** What `exchange.history()` returns: the orders and fills its tracking store recorded, oldest first. */
export interface ExchangeHistory {
  readonly orders: OrderHistoryRecord[];
  readonly fills: FillHistoryRecord[];
}

/** `tradingPair` and `since` (ms) narrow both lists; `limit` keeps the newest N of each. */
export type ExchangeHistoryQuery = Pick<HistoryQuery, 'tradingPair' | 'since' | 'clientOrderId' | 'limit'>;

/** The store's history side, when it has one (the SQLite store does; a store a user wrote may not). */
export function historyOf(store: TrackingStore): TrackingHistory | undefined {
  const candidate = store as Partial<TrackingHistory>;
  return typeof candidate.listOrders === 'function' && typeof candidate.listFills === 'function' ? (store as TrackingStore & TrackingHistory) : undefined;
}

export function readHistory(history: TrackingHistory | undefined, query: ExchangeHistoryQuery = {}): ExchangeHistory {
  if (history === undefined) throw new TypeError('this connector\'s tracking store keeps no history (give it a SqliteTrackingStore, or let it open its own)');
  const { limit, ...filter } = query;
  const newest = <T>(rows: T[]) => (limit === undefined ? rows : rows.slice(-limit));
  return { orders: newest(history.listOrders(filter)), fills: newest(history.listFills(filter)) };
}
