import { InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { createLogger, type Logger } from '../../core/logger.js';
import { EXIT, runBot } from '../bot/run-bot.js';
import { ConfigError, loadSettings } from '../config/load.js';
import type { BotSettings } from '../config/schema.js';
import { UsageError, type Venue } from '../venue/venue.js';

/** Options `start` and `run` share. */
export interface BotCommandOptions {
  config?: string;
  duration?: number;
  dataDir?: string;
  jsonSummary?: boolean;
  plain?: boolean;
}

export function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CommanderArgumentError(`must be a number of seconds above zero, got ${JSON.stringify(value)}`);
  return n;
}

export function addBotOptions(command: Command): Command {
  return command
    .option('--config <file>', 'settings in a YAML or JSON file (strategy, intervals, view); see the README')
    .option('--duration <seconds>', 'stop by itself after this long, exactly as Ctrl-C does', positiveSeconds)
    .option('--data-dir <dir>', 'where the tracking store (venuekit.sqlite) and the log go (default ./data, or bot.dataDir)')
    .option('--json-summary', 'after the summary, print it again as one line of JSON')
    .option('--plain', 'print plain log lines even on a terminal (the default when output is not a terminal)');
}

/**
 * The log of a bot goes to `<dataDir>/venuekit.log` (info and up; VENUEKIT_LOG_LEVEL changes it).
 * Without a terminal, warnings and errors also go to standard error; on a terminal nothing does,
 * since it would tear the view apart. Routine refusals (a post-only quote the market moved into, a
 * cancel that lost the race to a fill) are logged at info: the view shows them as order events.
 */
function botLogger(tty: boolean, dataDir: string): Logger {
  mkdirSync(dataDir, { recursive: true });
  const file = pino.destination({ dest: join(dataDir, 'venuekit.log'), sync: true });
  const streams: pino.StreamEntry[] = [{ level: 'trace', stream: file }];
  if (!tty) streams.push({ level: 'warn', stream: process.stderr });
  return createLogger({ level: process.env.VENUEKIT_LOG_LEVEL ?? 'info', destination: pino.multistream(streams) });
}

/** Prints a usage or config mistake and sets the exit code; rethrows anything else. */
export function reportCommandError(err: unknown): void {
  if (err instanceof UsageError || err instanceof ConfigError) {
    process.stderr.write(`venuekit: ${err.message}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  process.stderr.write(`venuekit: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = EXIT.failed;
}

/** Runs the bot for `start` or `run`, then leaves: the exit code says how the stop went. */
export async function runBotCommand(options: BotCommandOptions, pickVenue: (settings: BotSettings) => Venue | undefined): Promise<void> {
  try {
    const settings = loadSettings(options.config);
    const venue = pickVenue(settings);
    const dataDir = resolve(options.dataDir ?? settings.bot.dataDir);
    const tty = !options.plain && process.stdout.isTTY === true;
    const logger = botLogger(tty, dataDir);
    process.exitCode = await runBot({
      settings,
      venue,
      dataDir,
      ...(options.duration !== undefined && { durationMs: options.duration * 1000 }),
      out: process.stdout,
      tty,
      jsonSummary: options.jsonSummary ?? false,
      logger,
      logFile: join(dataDir, 'venuekit.log'),
    });
  } catch (err) {
    reportCommandError(err);
  }
  // Connections are closed by now; should anything still hold the process, it does not hold it long.
  setTimeout(() => process.exit(), 2_000).unref();
}
