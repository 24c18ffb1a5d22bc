import type { Command } from 'commander';
import { table } from '../manual/table.js';
import { addVenueOptions, withVenue, type VenueCommandOptions } from '../manual/venue-command.js';
import { num } from '../view/render.js';

/** `venuekit balance`: every asset with a balance, total and available. */
export function registerBalanceCommand(program: Command): void {
  addVenueOptions(program.command('balance').description('balances on the exchange: total and available per asset')).action(async (options: VenueCommandOptions) => {
    await withVenue('balance', options, async ({ exchange, print }) => {
      const rows = exchange
        .getAllBalances()
        .filter((b) => !b.total.isZero())
        .sort((a, b) => a.asset.localeCompare(b.asset))
        .map((b) => [b.asset, num(b.total), num(b.available)]);
      for (const line of table(['asset', 'total', 'available'], rows, [1, 2])) print(line);
    });
  });
}
