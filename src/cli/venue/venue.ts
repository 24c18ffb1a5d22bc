import { simulatorUrls, urlsFor, type BinanceUrls } from '../../exchanges/binance/constants.js';
import type { BotSettings } from '../config/schema.js';
import { readHttpBase } from '../config/fields.js';
import { demoCredentials } from '../../simulator/demo-key.js';

export type VenueKind = 'embedded' | 'url' | 'live' | 'testnet';

/** Where a command trades, and with which key. */
export interface Venue {
  readonly kind: VenueKind;
  /** For people: `Binance spot (LIVE: real money) https://api.binance.com`. */
  readonly label: string;
  readonly urls: BinanceUrls;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Names this venue's orders in the tracking store, so one file keeps venues apart. */
  readonly storeKey: string;
  /** A simulator (embedded or at a URL): shorter connector intervals are fine there. */
  readonly simulator: boolean;
}

/** The flags that pick a venue. */
export interface VenueFlags {
  readonly exchangeUrl?: string;
  readonly live?: boolean;
  readonly testnet?: boolean;
}

/** A command-line mistake about where to trade or with which key: printed as it is, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const LIVE_KEY_ENV = 'BINANCE_API_KEY';
export const LIVE_SECRET_ENV = 'BINANCE_API_SECRET';

function wsBase(restUrl: string): string {
  return restUrl.replace(/^http/, 'ws');
}

function urlBase(url: string): string {
  const base = readHttpBase(url);
  if (base === undefined) throw new UsageError(`--exchange-url must be an http:// or https:// address such as http://127.0.0.1:8090, got ${JSON.stringify(url)}`);
  return base;
}

/** A Binance-compatible exchange at a URL (a `venuekit sim`), with the key from the config or the simulator's demo key. */
function urlVenue(url: string, settings: BotSettings): Venue {
  const base = urlBase(url);
  const { apiKey, apiSecret, simSeed } = settings.exchange;
  if ((apiKey === undefined) !== (apiSecret === undefined)) {
    throw new UsageError('the config file sets only one of exchange.apiKey and exchange.apiSecret: set both, or neither to use the simulator\'s demo key');
  }
  const key = apiKey !== undefined && apiSecret !== undefined ? { apiKey, apiSecret } : demoCredentials(simSeed);
  const ws = wsBase(base);
  return {
    kind: 'url',
    label: `exchange at ${base} (a simulator: synthetic market, not real market data)`,
    urls: simulatorUrls({ restUrl: base, wsUrl: `${ws}/ws`, wsApiUrl: `${ws}/ws-api/v3` }),
    ...key,
    storeKey: urlStoreKey(base),
    simulator: true,
  };
}

const urlStoreKey = (base: string) => `binance@${base}`;
const liveStoreKey = (testnet: boolean) => (testnet ? 'binance-testnet' : 'binance');

function liveVenue(testnet: boolean, settings: BotSettings, env: NodeJS.ProcessEnv): Venue {
  if (settings.exchange.apiKey !== undefined || settings.exchange.apiSecret !== undefined) {
    throw new UsageError(
      `the config file sets exchange.apiKey/apiSecret: those are for a simulator. With --live the keys come only from ${LIVE_KEY_ENV} and ${LIVE_SECRET_ENV} in the environment; remove them from the file`,
    );
  }
  if (settings.exchange.url !== undefined) throw new UsageError('the config file sets exchange.url: --live trades on Binance only; remove exchange.url or drop --live');
  const apiKey = env[LIVE_KEY_ENV]?.trim();
  const apiSecret = env[LIVE_SECRET_ENV]?.trim();
  if (!apiKey || !apiSecret) {
    throw new UsageError(
      `--live needs ${LIVE_KEY_ENV} and ${LIVE_SECRET_ENV} in the environment (keys are never read from the command line or a config file); ${!apiKey ? LIVE_KEY_ENV : LIVE_SECRET_ENV} is not set`,
    );
  }
  const urls = urlsFor(testnet ? 'testnet' : 'production');
  return {
    kind: testnet ? 'testnet' : 'live',
    label: testnet ? `Binance spot TESTNET (play money) ${urls.restUrl}` : `Binance spot LIVE (real money) ${urls.restUrl}`,
    urls,
    apiKey,
    apiSecret,
    storeKey: liveStoreKey(testnet),
    simulator: false,
  };
}

/**
 * The venue the flags and the config name, or undefined when they name none (the caller runs the
 * embedded simulator, or refuses). `--live` and `--exchange-url` exclude each other; `--testnet`
 * goes with `--live`.
 */
export function resolveVenue(flags: VenueFlags, settings: BotSettings, env: NodeJS.ProcessEnv = process.env): Venue | undefined {
  checkFlags(flags);
  if (flags.live) return liveVenue(flags.testnet ?? false, settings, env);
  const url = flags.exchangeUrl ?? settings.exchange.url;
  return url === undefined ? undefined : urlVenue(url, settings);
}

/**
 * The tracking store key of the venue the flags name, without needing its keys (for `history`,
 * which reads the store only); undefined when they name none.
 */
export function storeKeyFor(flags: VenueFlags, settings: BotSettings): string | undefined {
  checkFlags(flags);
  if (flags.live) return liveStoreKey(flags.testnet ?? false);
  const url = flags.exchangeUrl ?? settings.exchange.url;
  return url === undefined ? undefined : urlStoreKey(urlBase(url));
}

function checkFlags(flags: VenueFlags): void {
  if (flags.testnet && !flags.live) throw new UsageError('--testnet picks Binance\'s testnet for --live: add --live (keys from BINANCE_API_KEY and BINANCE_API_SECRET)');
  if (flags.live && flags.exchangeUrl !== undefined) throw new UsageError('--live and --exchange-url exclude each other: --live trades on Binance, --exchange-url on another exchange such as a venuekit sim');
}

/** The in-process simulator of `venuekit start` (and `run` without a venue). */
export function embeddedVenue(sim: { restUrl: string; wsUrl: string; wsApiUrl: string; demo: { apiKey: string; apiSecret: string } | null }, runId: string): Venue {
  if (!sim.demo) throw new UsageError('the embedded simulator has no demo account');
  return {
    kind: 'embedded',
    label: `embedded simulator ${sim.restUrl} (synthetic market, not real market data)`,
    urls: simulatorUrls(sim),
    apiKey: sim.demo.apiKey,
    apiSecret: sim.demo.apiSecret,
    // A new exchange every run: its orders are not the previous run's to restore.
    storeKey: `binance@embedded-${runId}`,
    simulator: true,
  };
}

/** What a command that needs an exchange says when it was given none. */
export function noVenueMessage(command: string): string {
  return (
    `${command} needs an exchange: pass --exchange-url URL (for example a running \`venuekit sim\`, http://127.0.0.1:8090) ` +
    `or --live (Binance; keys from ${LIVE_KEY_ENV} and ${LIVE_SECRET_ENV}; add --testnet for the testnet). ` +
    'It does not start a throwaway simulator: orders placed there would vanish with it.'
  );
}
