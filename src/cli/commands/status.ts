import type { Command } from 'commander';
import { pollUntil } from '../../core/poll-until.js';
import { addVenueOptions, withVenue, type VenueCommandOptions } from '../manual/venue-command.js';
import { describeAccount } from '../venue/connect.js';
import { viewConnector } from '../view/snapshot.js';

const USER_STREAM_WAIT_MS = 5_000;

/** `venuekit status`: the connector's view of the venue: each statusDict entry, streams, limits, tracked orders. */
export function registerStatusCommand(program: Command): void {
  addVenueOptions(program.command('status').description('the connector on the venue: readiness of each part, user stream, rate limits, tracked orders')).action(
    async (options: VenueCommandOptions) => {
      await withVenue('status', options, async ({ exchange, venue, print }) => {
        // A one-shot connector is ready before its user stream has subscribed (polling covers for
        // it): give the stream a few seconds, so the line below says whether it works.
        await pollUntil(() => exchange.health().userStream?.subscribed === true, USER_STREAM_WAIT_MS);
        const health = exchange.health();
        const tracker = exchange.orderTracker;
        print(`venue: ${venue.label}`);
        print(`account: ${await describeAccount(exchange, venue)}`);
        print(`ready: ${health.ready ? 'yes' : 'no'}`);
        for (const [name, ok] of Object.entries(health.status)) print(`  ${name}: ${ok ? 'yes' : 'NO'}`);
        print(`user stream: ${health.userStream?.subscribed ? 'subscribed' : `not subscribed after ${USER_STREAM_WAIT_MS / 1000} s (the status poll covers for it; the log says why)`}`);
        print(`server time offset: ${Math.round(exchange.connector.timeSync.offsetMs)} ms`);
        print(`markets: ${exchange.tradingRules.size}`);
        print(`tracked orders: ${tracker.activeOrders.size} active, ${tracker.lostOrders.size} lost, ${health.fillsOwed.length} owed fills`);
        for (const o of health.fillsOwed) {
          print(`  fills incomplete: ${o.clientOrderId} ${o.tradingPair} ${o.state}: fills add up to ${o.executedAmountBase.toString()} of ${o.reportedExecuted.toString()} the exchange reported executed (still fetched)`);
        }
        for (const lost of health.lostOrders) print(`  lost ${lost.clientOrderId} ${lost.tradingPair}: ${lost.reason}`);
        print(`rate limits: ${viewConnector(health).rateLimits.map((r) => `${r.pool} ${r.used}/${r.limit}`).join(', ')}`);
      });
    },
  );
}
