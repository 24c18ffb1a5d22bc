import type { OpenOrder } from '../core/orders/open-order.js';

/** Events of the exchange base beside the order events (which are on `events`). */
export interface ExchangeStatusEvents extends Record<string, unknown> {
  /** Open orders on the exchange with this bot's client id prefix that nothing here tracks (found on reconciliation). */
  UntrackedOrdersFound: { readonly orders: readonly OpenOrder[] };
}

/** The spec's `status_dict`: each component of the connector and whether it is ready. */
export interface ExchangeStatus {
  readonly symbolMap: boolean;
  readonly orderBooks: boolean;
  readonly balances: boolean;
  readonly tradingRules: boolean;
  /** The user stream is subscribed, or it is down and the status poll covers for it (see `ready`). */
  readonly userStream: boolean;
}

/** What reconciliation found. */
export interface ReconciliationReport {
  /** Tracked orders queried. */
  readonly queried: number;
  /** Open orders with this bot's prefix that are not tracked. */
  readonly untrackedOpenOrders: readonly OpenOrder[];
}

export interface SubmitOrderOptions {
  /** Give up waiting after this long (RequestTimeoutError). The order stays tracked. Default: no limit. */
  timeoutMs?: number;
}
