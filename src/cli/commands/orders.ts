import type { Command } from 'commander';
import { table } from '../manual/table.js';
import { addVenueOptions, withVenue, type VenueCommandOptions } from '../manual/venue-command.js';
import { num } from '../view/render.js';

/** `venuekit orders`: the account's open orders on the exchange, venuekit's marked. */
export function registerOrdersCommand(program: Command): void {
  addVenueOptions(program.command('orders').description('open orders on the exchange (all of the account\'s; those venuekit tracks are marked)')).action(
    async (options: VenueCommandOptions) => {
      await withVenue('orders', options, async ({ exchange, store, print }) => {
        const open = await exchange.getOpenOrders();
        const rows = open.map((o) => [
          o.clientOrderId,
          o.exchangeOrderId,
          o.tradingPair,
          o.isBuy ? 'BUY' : 'SELL',
          num(o.price),
          num(o.amount),
          num(o.executedAmount),
          store.loadOrder(o.clientOrderId) ? 'venuekit' : 'other',
        ]);
        print(`${open.length} open order${open.length === 1 ? '' : 's'}`);
        if (rows.length > 0) for (const line of table(['client id', 'exchange id', 'pair', 'side', 'price', 'amount', 'filled', 'placed by'], rows, [4, 5, 6])) print(line);
      });
    },
  );
}
