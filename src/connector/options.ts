import { InvalidArgumentError } from '../core/errors.js';
import type { OrderBookTrackerOptions } from '../core/book/tracker.js';
import type { Clock } from '../core/clock.js';
import type { FeeOverrides } from '../core/fees/fee-overrides.js';
import type { Logger } from '../core/logger.js';
import type { TrackingStore } from '../core/persistence/tracking-store.js';
import type { OrderTrackerOptions } from '../core/tracker/options.js';
import type { NetworkIteratorOptions } from '../core/network-iterator.js';

/** Everything about an exchange base that is not the exchange. Every interval is an option. */
export interface ExchangeBaseOptions extends Omit<NetworkIteratorOptions, 'clock' | 'logger'> {
  /** Pairs whose order books are tracked (`orderBooks`). Orders can be placed on any pair with a trading rule. */
  tradingPairs?: readonly string[];
  /**
   * False for a market-data-only connector: no balances, user stream or order polling, and `ready`
   * needs only the symbol map, rules and books. Default true.
   */
  tradingRequired?: boolean;
  /**
   * Time for every loop and timeout. Default: a RealTimeClock ticking every `tickIntervalMs`, started
   * with the network and stopped with it. A clock passed in is ticked by its owner.
   */
  clock?: Clock;
  /** Tick interval of the default clock. Default 1000 ms (Hummingbot's). */
  tickIntervalMs?: number;
  logger?: Logger;
  /**
   * Where orders are saved. Default: a SQLite file at `databasePath`. The base closes a store it
   * opened, not one passed in.
   */
  store?: TrackingStore;
  /** Default `./data/venuekit.sqlite` (the spec's `/data` folder); `:memory:` keeps nothing. */
  databasePath?: string;
  /**
   * SQLite durability of that file: FULL (default) survives a power cut; NORMAL survives a crash or
   * `kill -9` of the process and saves an fsync per change (see `npm run bench:connector`).
   */
  databaseSync?: 'FULL' | 'NORMAL';
  /** Restore the store's active and lost orders when the base is built. Default true. */
  restore?: boolean;
  /** The client order id prefix that marks this bot's orders. Default: the connector's. */
  clientOrderIdPrefix?: string;
  /** The user's fee overrides by connector name (see parseFeeOverrides). */
  feeOverrides?: FeeOverrides;
  /** Fill barrier, lost-order rule and done-order cache of the order tracker. */
  tracker?: Pick<OrderTrackerOptions, 'fillWaitTimeoutMs' | 'doneCacheSize' | 'doneCacheTtlMs' | 'lostOrderCountLimit' | 'lostOrderMinSpacingMs'>;
  orderBooks?: Omit<OrderBookTrackerOptions, 'clock' | 'logger'>;
  /** Status poll while the user stream is down or silent, or while a create's outcome is unknown. Default 5 000 ms. */
  shortPollIntervalMs?: number;
  /** Status poll while the user stream is live. Default 120 000 ms. */
  longPollIntervalMs?: number;
  /** A user stream that received nothing for this long counts as silent. Default 60 000 ms. */
  userStreamSilenceMs?: number;
  /** Trading rules refresh. Default 30 minutes. */
  tradingRulesIntervalMs?: number;
  /** Pause after a failed poll or rules refresh before trying again. Default 500 ms. */
  retryDelayMs?: number;
  /** Default timeout of `cancelAll`. Default 10 000 ms. */
  cancelAllTimeoutMs?: number;
  /** The longest each phase of `stopNetwork` and `close` waits for a part that does not stop (logged, then left behind). Default 10 000 ms. */
  stopTimeoutMs?: number;
}

export const EXCHANGE_BASE_DEFAULTS = {
  tickIntervalMs: 1_000,
  shortPollIntervalMs: 5_000,
  longPollIntervalMs: 120_000,
  userStreamSilenceMs: 60_000,
  tradingRulesIntervalMs: 30 * 60_000,
  retryDelayMs: 500,
  cancelAllTimeoutMs: 10_000,
  stopTimeoutMs: 10_000,
} as const;

export type ExchangeBaseTimings = { readonly [K in keyof typeof EXCHANGE_BASE_DEFAULTS]: number };

export function timingsOf(options: ExchangeBaseOptions): ExchangeBaseTimings {
  const out = { ...EXCHANGE_BASE_DEFAULTS } as Record<keyof typeof EXCHANGE_BASE_DEFAULTS, number>;
  for (const key of Object.keys(EXCHANGE_BASE_DEFAULTS) as (keyof typeof EXCHANGE_BASE_DEFAULTS)[]) {
    const value = options[key];
    if (value !== undefined) {
      if (!(Number.isFinite(value) && value > 0)) throw new InvalidArgumentError(`${key} must be a positive number of milliseconds, got ${String(value)}`, key);
      out[key] = value;
    }
  }
  return out;
}
