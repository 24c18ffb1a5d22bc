import { InvalidArgumentError, type Command } from 'commander';
import { STRATEGIES, type StrategyName } from '../config/schema.js';
import { resolveVenue } from '../venue/venue.js';
import { addBotOptions, runBotCommand, type BotCommandOptions } from './bot-command.js';

interface RunOptions extends BotCommandOptions {
  strategy?: StrategyName;
  exchangeUrl?: string;
  live?: boolean;
  testnet?: boolean;
}

function strategyName(value: string): StrategyName {
  if (!(STRATEGIES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(value)}`);
  return value as StrategyName;
}

/**
 * `venuekit run`: a strategy on the embedded simulator, on another exchange (`--exchange-url`, such
 * as a separate `venuekit sim`), or on Binance (`--live`, keys from the environment only).
 */
export function registerRunCommand(program: Command): void {
  addBotOptions(
    program
      .command('run')
      .description('run a strategy: on the embedded simulator by default, on --exchange-url, or on Binance with --live')
      .option('--strategy <name>', `the strategy (${STRATEGIES.join(', ')}); default: the config's, else market-making`, strategyName)
      .option('--exchange-url <url>', 'a Binance-compatible exchange such as a running `venuekit sim` (http://127.0.0.1:8090); keys from the config or the simulator\'s demo key')
      .option('--live', 'trade on Binance for real, with keys from BINANCE_API_KEY and BINANCE_API_SECRET')
      .option('--testnet', 'with --live: Binance\'s spot testnet (play money)'),
  ).action(async (options: RunOptions) => {
    // One strategy so far: --strategy and the config's `strategy` can only name it (both are checked).
    await runBotCommand(options, (settings) =>
      resolveVenue(
        { ...(options.exchangeUrl !== undefined && { exchangeUrl: options.exchangeUrl }), live: options.live ?? false, testnet: options.testnet ?? false },
        settings,
      ),
    );
  });
}
