import type { Command } from 'commander';
import { addBotOptions, runBotCommand, type BotCommandOptions } from './bot-command.js';

/**
 * `venuekit start` (what `npm start` runs): the market maker on the embedded simulator, always,
 * whatever the environment holds; no key and no network beyond loopback.
 */
export function registerStartCommand(program: Command): void {
  addBotOptions(
    program
      .command('start')
      .description('the demo: a market-making bot through the Binance connector on the embedded simulator (a synthetic market), with a live view'),
  ).action(async (options: BotCommandOptions) => {
    await runBotCommand(options, () => undefined);
  });
}
