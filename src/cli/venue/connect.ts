import { join } from 'node:path';
import { AuthenticationError, ExchangeUnavailableError, InvalidArgumentError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { isTradingPair } from '../../core/trading-pair.js';
import { NetworkStatus } from '../../core/network-iterator.js';
import { openTrackingStore, type SqliteTrackingStore } from '../../core/persistence/sqlite-tracking-store.js';
import { LIMIT_IDS, PATHS } from '../../exchanges/binance/constants.js';
import { BinanceExchange, type BinanceExchangeOptions } from '../../exchanges/binance/exchange.js';
import type { BotSettings } from '../config/schema.js';
import { UsageError, type Venue } from './venue.js';

/** The tracking store: `<dataDir>/venuekit.sqlite`, each venue's orders under its own key. */
export function openStore(storeKey: string, dataDir: string): SqliteTrackingStore {
  return openTrackingStore({ path: join(dataDir, 'venuekit.sqlite'), connector: storeKey });
}

export function openVenueStore(venue: Venue, dataDir: string): SqliteTrackingStore {
  return openStore(venue.storeKey, dataDir);
}

export interface OpenExchangeOptions {
  readonly settings: BotSettings;
  readonly dataDir: string;
  readonly tradingPairs: readonly string[];
  readonly logger: Logger;
  readonly store: SqliteTrackingStore;
}

/** The connector for a venue, not started. Simulators get shorter polling and network checks. */
export function createBotExchange(venue: Venue, options: OpenExchangeOptions): BinanceExchange {
  const c = options.settings.connector;
  const sim = venue.simulator;
  const exchangeOptions: BinanceExchangeOptions = {
    apiKey: venue.apiKey,
    apiSecret: venue.apiSecret,
    urls: venue.urls,
    store: options.store,
    tradingPairs: [...options.tradingPairs],
    logger: options.logger,
    ...(sim && { tickIntervalMs: 250, shortPollIntervalMs: 1_000, checkNetworkIntervalMs: 2_000, networkErrorWaitMs: 2_000 }),
    ...(c.tickIntervalMs !== undefined && { tickIntervalMs: c.tickIntervalMs }),
    ...(c.shortPollIntervalMs !== undefined && { shortPollIntervalMs: c.shortPollIntervalMs }),
    ...(c.longPollIntervalMs !== undefined && { longPollIntervalMs: c.longPollIntervalMs }),
  };
  return new BinanceExchange(exchangeOptions);
}

/** Fails with a clear message when the exchange does not answer a ping. */
export async function assertReachable(exchange: BinanceExchange, venue: Venue): Promise<void> {
  if ((await exchange.checkNetwork()) !== NetworkStatus.CONNECTED) {
    throw new UsageError(`cannot reach the exchange at ${venue.urls.restUrl}: is it running?`);
  }
}

/**
 * The account behind the key, in one line: what `--live` prints before its first order. A key the
 * exchange refuses is a UsageError at once (with what to check), not a wait for a connector that
 * can never be ready.
 */
export async function describeAccount(exchange: BinanceExchange, venue: Venue): Promise<string> {
  const account = await exchange.httpClient
    .request<{ uid?: number; accountType?: string; canTrade?: boolean; permissions?: string[] }>({
      path: PATHS.account,
      signed: true,
      limitId: LIMIT_IDS.account,
      params: { omitZeroBalances: true },
    })
    .catch((err: unknown) => {
      if (!(err instanceof AuthenticationError)) throw err;
      const check =
        venue.kind === 'url'
          ? 'the key from the config, or, without one, the demo key of `venuekit sim --seed N` (set exchange.simSeed to that N)'
          : 'BINANCE_API_KEY and BINANCE_API_SECRET, and the key\'s permissions and IP restrictions';
      throw new UsageError(`the exchange refused the API key (${err.message}): check ${check}`);
    });
  const key = venue.apiKey.length > 8 ? `${venue.apiKey.slice(0, 4)}…${venue.apiKey.slice(-4)}` : '…';
  const parts = [
    account.uid !== undefined ? `uid ${account.uid}` : undefined,
    account.accountType,
    account.canTrade === undefined ? undefined : `can trade: ${account.canTrade ? 'yes' : 'NO'}`,
    `API key ${key}`,
  ].filter((p): p is string => p !== undefined);
  return parts.join(', ');
}

/** The pair, if the exchange lists it; the error lists what it does. */
export function knownPair(exchange: BinanceExchange, pair: string): string {
  if (!isTradingPair(pair)) throw new UsageError(`PAIR must be BASE-QUOTE in capitals, such as BTC-USDT, got ${JSON.stringify(pair)}`);
  if (exchange.tradingRules.has(pair)) return pair;
  const listed = [...exchange.tradingRules.keys()].sort();
  throw new UsageError(`unknown pair ${pair}: the exchange lists ${listed.slice(0, 20).join(', ')}${listed.length > 20 ? ` and ${listed.length - 20} more` : ''}`);
}

/** Waits until the connector is ready; the error names what is not. */
export async function waitUntilReady(exchange: BinanceExchange, timeoutMs: number): Promise<void> {
  await exchange.waitUntilReady(timeoutMs).catch((err: unknown) => {
    throw err instanceof ExchangeUnavailableError ? new UsageError(err.message) : err;
  });
}

/** The connector started for a one-shot command (balance, buy...): network up and ready. */
export async function connectOnce(venue: Venue, options: OpenExchangeOptions, readyTimeoutMs = 15_000): Promise<BinanceExchange> {
  const exchange = createBotExchange(venue, options);
  try {
    await assertReachable(exchange, venue);
    await describeAccount(exchange, venue);
    await exchange.startNetwork();
    await waitUntilReady(exchange, readyTimeoutMs);
    return exchange;
  } catch (err) {
    await exchange.close().catch(() => undefined);
    throw err instanceof InvalidArgumentError ? new UsageError(err.message) : err;
  }
}
