import type { Command } from 'commander';
import type { ReadonlyInFlightOrder } from '../../core/orders/in-flight-order.js';
import { EXIT } from '../bot/run-bot.js';
import { addVenueOptions, withVenue, type VenueCommandOptions } from '../manual/venue-command.js';
import { UsageError } from '../venue/venue.js';

/**
 * A client order id as given, else the open order with that exchange id (exchange ids are per
 * pair: two open orders may share one, and then the client id must be given), else the store's.
 */
function resolveId(id: string, open: readonly ReadonlyInFlightOrder[], fromStore: (exchangeId: string) => string | undefined): string {
  if (open.some((o) => o.clientOrderId === id)) return id;
  const matches = open.filter((o) => o.exchangeOrderId === id);
  if (matches.length > 1) throw new UsageError(`exchange order id ${id} is open on ${matches.map((o) => `${o.tradingPair} (${o.clientOrderId})`).join(' and ')}: give the client order id`);
  return matches[0]?.clientOrderId ?? fromStore(id) ?? id;
}

/** `venuekit cancel ID`: cancels an order venuekit tracks, by its client order id or the exchange's id. */
export function registerCancelCommand(program: Command): void {
  addVenueOptions(
    program
      .command('cancel')
      .description('cancel an open order venuekit placed (by client order id, or the exchange\'s order id) and wait for the exchange to confirm')
      .argument('<id>', 'client order id (vk-...) or exchange order id'),
  ).action(async (id: string, options: VenueCommandOptions) => {
    await withVenue('cancel', options, async ({ exchange, store, venue, print }) => {
      const clientOrderId = resolveId(id, [...exchange.inFlightOrders.values()], (x) => store.findClientOrderId(x));
      const order = exchange.inFlightOrders.get(clientOrderId);
      if (!order) {
        const saved = store.loadOrder(clientOrderId);
        if (saved) throw new UsageError(`order ${clientOrderId} is not open: it ended ${saved.order.currentState}`);
        throw new UsageError(`no order ${id} in venuekit's tracking store for ${venue.label}: venuekit cancels only orders it placed (see venuekit orders)`);
      }
      const { success } = await exchange.cancelOrder(order.tradingPair, clientOrderId, { timeoutMs: 15_000 });
      if (!order.isDone) {
        process.stderr.write(`venuekit: the exchange did not confirm the cancel of ${clientOrderId} (refused, or no answer within 15 s); it is still open and tracked\n`);
        return EXIT.failed;
      }
      print(`${clientOrderId}: ${order.currentState}${order.executedAmountBase.gt(0) ? ` (filled ${order.executedAmountBase.toFixed()} before)` : ''}`);
      return success ? EXIT.ok : EXIT.failed;
    });
  });
}
