import type { Command } from 'commander';
import { addVenueOptions, withVenue, type VenueCommandOptions } from '../manual/venue-command.js';
import { UsageError } from '../venue/venue.js';

/**
 * `venuekit forget ID`: ends venuekit's tracking of one order the exchange no longer lists open (it
 * forgot it, or it ended while nothing could say so). Recorded in the store (OrderFailed, type
 * `forgotten`, for an order still active); refused for an order the exchange lists as open.
 */
export function registerForgetCommand(program: Command): void {
  addVenueOptions(
    program
      .command('forget')
      .description('stop tracking an order the exchange no longer lists open (by client order id or exchange order id); refused for an open one')
      .argument('<id>', 'client order id (vk-...) or exchange order id'),
  ).action(async (id: string, options: VenueCommandOptions) => {
    await withVenue('forget', options, async ({ exchange, store, venue, print }) => {
      const tracker = exchange.orderTracker;
      const clientOrderId = tracker.fetchOrder(id) ? id : (store.findClientOrderId(id) ?? id);
      let forgotten: boolean;
      try {
        forgotten = await exchange.forgetOrder(clientOrderId);
      } catch (err) {
        throw new UsageError(`not forgotten: ${(err as Error).message}`);
      }
      if (!forgotten) {
        const saved = store.loadOrder(clientOrderId);
        if (saved) throw new UsageError(`order ${clientOrderId} is not tracked: it ended ${saved.order.currentState}`);
        throw new UsageError(`no order ${id} in venuekit's tracking store for ${venue.label}`);
      }
      print(`${clientOrderId}: no longer tracked (${tracker.fetchOrder(clientOrderId)?.currentState ?? 'ended'})`);
    });
  });
}
