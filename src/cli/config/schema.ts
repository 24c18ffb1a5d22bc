import type { z } from 'zod';
import { OrderType } from '../../core/types.js';
import { MARKET_MAKING_DEFAULTS, type MarketMakingParams } from '../../strategy/market-making/market-maker.js';
import { booleanField, decimalField, enumField, httpUrlField, integerField, millisField, section, textField, tradingPairField } from './fields.js';

export const STRATEGIES = ['market-making'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/**
 * The config file of `venuekit run` and `venuekit start` (YAML or JSON). Every field is optional;
 * the defaults are in DEFAULT_SETTINGS. API keys for the real Binance are never read from here.
 */
export const configSchema = section({
  strategy: enumField(STRATEGIES).optional(),
  marketMaking: section({
    tradingPair: tradingPairField().optional(),
    orderAmount: decimalField({ gt: '0' }).optional(),
    spread: decimalField({ gt: '0', lt: '1' }).optional(),
    refreshTolerance: decimalField({ gte: '0' }).optional(),
    maxOrderAgeMs: millisField().optional(),
    orderType: enumField([OrderType.LIMIT_MAKER, OrderType.LIMIT] as const).optional(),
    maxPosition: decimalField({ gt: '0' }).optional(),
    skew: decimalField({ gte: '0', lte: '1' }).optional(),
    cancelTimeoutMs: millisField().optional(),
  }).optional(),
  /** A Binance-compatible exchange that is not the real one (a `venuekit sim`): `--exchange-url` and its keys. */
  exchange: section({
    url: httpUrlField().optional(),
    apiKey: textField().optional(),
    apiSecret: textField().optional(),
    /** Without keys, the demo key of `venuekit sim --seed N` is used. */
    simSeed: integerField(0, 2 ** 31 - 1).optional(),
  }).optional(),
  bot: section({
    /** How often the strategy looks at the market. */
    tickIntervalMs: millisField().optional(),
    /** Where the tracking store (SQLite) and the log of the terminal view go. */
    dataDir: textField().optional(),
    /** On stop, how long to wait for the exchange to confirm the cancellations. */
    stopTimeoutMs: millisField().optional(),
  }).optional(),
  view: section({
    /** Redraw interval of the terminal view. */
    refreshMs: millisField().optional(),
    /** Book levels shown per side. */
    depth: integerField(1, 50).optional(),
    recentFills: integerField(1, 100).optional(),
    /** Without a terminal: a status line this often (events are printed as they come). */
    statusEveryMs: millisField().optional(),
  }).optional(),
  /** Intervals of the exchange connector. */
  connector: section({
    tickIntervalMs: millisField().optional(),
    shortPollIntervalMs: millisField().optional(),
    longPollIntervalMs: millisField().optional(),
  }).optional(),
  /** The embedded simulator (`venuekit start`, `venuekit run` without an exchange). */
  simulator: section({
    seed: integerField(0, 2 ** 31 - 1).optional(),
    activity: booleanField().optional(),
  }).optional(),
});

export type BotConfig = z.infer<typeof configSchema>;

export interface BotSettings {
  readonly strategy: StrategyName;
  readonly marketMaking: MarketMakingParams;
  readonly exchange: { readonly url?: string; readonly apiKey?: string; readonly apiSecret?: string; readonly simSeed: number };
  readonly bot: { readonly tickIntervalMs: number; readonly dataDir: string; readonly stopTimeoutMs: number };
  readonly view: { readonly refreshMs: number; readonly depth: number; readonly recentFills: number; readonly statusEveryMs: number };
  /** Unset intervals take the connector's defaults for the venue (shorter on a simulator). */
  readonly connector: { readonly tickIntervalMs?: number; readonly shortPollIntervalMs?: number; readonly longPollIntervalMs?: number };
  readonly simulator: { readonly seed: number; readonly activity: boolean };
}

export const DEFAULT_SETTINGS: BotSettings = {
  strategy: 'market-making',
  marketMaking: MARKET_MAKING_DEFAULTS,
  exchange: { simSeed: 1 },
  bot: { tickIntervalMs: 500, dataDir: 'data', stopTimeoutMs: 10_000 },
  view: { refreshMs: 500, depth: 5, recentFills: 8, statusEveryMs: 5_000 },
  connector: {},
  simulator: { seed: 1, activity: true },
};

/** The defaults with what the file sets on top. */
export function settingsFrom(config: BotConfig = {}): BotSettings {
  const d = DEFAULT_SETTINGS;
  const defined = <T extends object>(o: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    strategy: config.strategy ?? d.strategy,
    marketMaking: { ...d.marketMaking, ...defined(config.marketMaking) },
    exchange: { ...d.exchange, ...defined(config.exchange) },
    bot: { ...d.bot, ...defined(config.bot) },
    view: { ...d.view, ...defined(config.view) },
    connector: { ...d.connector, ...defined(config.connector) },
    simulator: { ...d.simulator, ...defined(config.simulator) },
  };
}
