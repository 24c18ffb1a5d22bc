import type { Decimal } from '../core/decimal.js';
import type { BalanceEntry, OrderUpdate, TradeUpdate } from '../core/orders/updates.js';

/**
 * What a user data stream tells the exchange base, already parsed by the exchange's own `parse`
 * (pure functions), so the base stays exchange-agnostic.
 */
export type UserStreamMessage =
  /** An order's new state (Binance: an executionReport). */
  | { readonly kind: 'order'; readonly update: OrderUpdate }
  /** A fill (Binance: an executionReport with x=TRADE; the base applies it before the order update that came with it). */
  | { readonly kind: 'trade'; readonly update: TradeUpdate }
  /**
   * Free and locked amounts for the listed assets as of `exchangeTime` (Binance:
   * outboundAccountPosition, whose `u` is the time of the last account update). Assets not listed
   * are unchanged.
   */
  | { readonly kind: 'balances'; readonly balances: readonly BalanceEntry[]; readonly exchangeTime: number }
  /**
   * A change of one asset's balance by `delta` (Binance: balanceUpdate). `exchangeTime` is when the
   * change was applied on the exchange (Binance `T`), so the base can tell whether a position it
   * already holds includes it.
   */
  | { readonly kind: 'balance_delta'; readonly asset: string; readonly delta: Decimal; readonly exchangeTime: number };

/** Where a user stream source delivers what it learns, in the order the exchange sent it. */
export interface UserStreamListener {
  onMessage(message: UserStreamMessage): void;
  /**
   * The stream is subscribed: the first time and again after every reconnect. Events may have been
   * missed while it was down, so the base reconciles orders and balances over REST when this fires.
   */
  onSubscribed(): void;
  /** The stream is down (closed, liveness failed, or the exchange terminated the subscription). */
  onDisconnected(reason: string): void;
}

/**
 * A connector's private stream (its `user-stream-source` file). Binance: the WebSocket API's
 * `userDataStream.subscribe.signature`, since the listenKey endpoints are gone.
 *
 * Contract: after `start(listener)` the source connects, subscribes and keeps doing so
 * (reconnecting with backoff) until `stop()` resolves. Malformed messages are logged and skipped.
 */
export interface UserStreamDataSource {
  start(listener: UserStreamListener): Promise<void>;
  stop(): Promise<void>;
  /** Whether the subscription is live now. */
  readonly subscribed: boolean;
  /**
   * When the connection last received anything (an event, a response or a pong), in ms; 0 while
   * disconnected. The status polling loop uses it to pick its short or long interval.
   */
  readonly lastRecvTime: number;
}
