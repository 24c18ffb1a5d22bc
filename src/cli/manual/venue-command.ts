import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '../../core/logger.js';
import type { SqliteTrackingStore } from '../../core/persistence/sqlite-tracking-store.js';
import type { BinanceExchange } from '../../exchanges/binance/exchange.js';
import { EXIT } from '../bot/run-bot.js';
import { reportCommandError } from '../commands/bot-command.js';
import { loadSettings } from '../config/load.js';
import type { BotSettings } from '../config/schema.js';
import { connectOnce, openStore, openVenueStore } from '../venue/connect.js';
import { noVenueMessage, resolveVenue, storeKeyFor, UsageError, type Venue, type VenueFlags } from '../venue/venue.js';

/** The flags every hand-trading command takes. */
export interface VenueCommandOptions {
  exchangeUrl?: string;
  live?: boolean;
  testnet?: boolean;
  config?: string;
  dataDir?: string;
}

export function addVenueOptions(command: Command): Command {
  return command
    .option('--exchange-url <url>', 'a Binance-compatible exchange such as a running `venuekit sim` (keys from the config, else the simulator\'s demo key)')
    .option('--live', 'Binance itself, with keys from BINANCE_API_KEY and BINANCE_API_SECRET')
    .option('--testnet', 'with --live: Binance\'s spot testnet')
    .option('--config <file>', 'a config file (exchange.url and keys for a simulator, bot.dataDir)')
    .option('--data-dir <dir>', 'where the tracking store is (default ./data, or bot.dataDir)');
}

function flagsOf(options: VenueCommandOptions): VenueFlags {
  return { ...(options.exchangeUrl !== undefined && { exchangeUrl: options.exchangeUrl }), live: options.live ?? false, testnet: options.testnet ?? false };
}

export interface VenueContext {
  readonly venue: Venue;
  readonly settings: BotSettings;
  readonly store: SqliteTrackingStore;
  readonly exchange: BinanceExchange;
  /** Prints one line of the command's output. */
  readonly print: (line: string) => void;
}

/**
 * Runs a hand-trading command on the venue its flags name: the connector started (orders this
 * venue's store tracks are restored and reconciled), ready, then closed. Without a venue it says so.
 * Resolves to the exit code, also set on the process.
 */
export async function withVenue(command: string, options: VenueCommandOptions, body: (ctx: VenueContext) => Promise<number | void>): Promise<void> {
  let store: SqliteTrackingStore | undefined;
  let exchange: BinanceExchange | undefined;
  try {
    const settings = loadSettings(options.config);
    const venue = resolveVenue(flagsOf(options), settings);
    if (!venue) throw new UsageError(noVenueMessage(command));
    const dataDir = resolve(options.dataDir ?? settings.bot.dataDir);
    store = openVenueStore(venue, dataDir);
    const logger = createLogger({ level: process.env.VENUEKIT_LOG_LEVEL ?? 'error' });
    exchange = await connectOnce(venue, { settings, dataDir, tradingPairs: [], logger, store });
    process.exitCode = (await body({ venue, settings, store, exchange, print: (line) => process.stdout.write(`${line}\n`) })) ?? EXIT.ok;
  } catch (err) {
    reportCommandError(err);
  } finally {
    await exchange?.close().catch(() => undefined);
    store?.close();
  }
  setTimeout(() => process.exit(), 2_000).unref();
}

/** For commands that only read the tracking store (history): no connection, no keys. */
export async function withStore(command: string, options: VenueCommandOptions, body: (store: SqliteTrackingStore, print: (line: string) => void) => void): Promise<void> {
  let store: SqliteTrackingStore | undefined;
  try {
    const settings = loadSettings(options.config);
    const key = storeKeyFor(flagsOf(options), settings);
    if (key === undefined) throw new UsageError(noVenueMessage(command));
    const dataDir = resolve(options.dataDir ?? settings.bot.dataDir);
    store = openStore(key, dataDir);
    body(store, (line) => process.stdout.write(`${line}\n`));
    process.exitCode = EXIT.ok;
  } catch (err) {
    reportCommandError(err);
  } finally {
    store?.close();
  }
}
