import { InvalidArgumentError, type Command } from 'commander';
import { table } from '../manual/table.js';
import { addVenueOptions, withVenue, type VenueCommandOptions } from '../manual/venue-command.js';
import { knownPair, waitUntilReady } from '../venue/connect.js';
import { num } from '../view/render.js';

function depth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError(`must be a whole number from 1 to 1000, got ${JSON.stringify(value)}`);
  return n;
}

/** `venuekit orderbook PAIR [--depth N]`: the top of the book as the connector keeps it (snapshot + diffs). */
export function registerOrderbookCommand(program: Command): void {
  addVenueOptions(
    program
      .command('orderbook')
      .description('the top of a pair\'s order book')
      .argument('<pair>', 'a trading pair such as BTC-USDT')
      .option('--depth <n>', 'levels per side', depth, 10),
  ).action(async (pair: string, options: VenueCommandOptions & { depth: number }) => {
    await withVenue('orderbook', options, async ({ exchange, print }) => {
      knownPair(exchange, pair);
      await exchange.addTradingPair(pair);
      await waitUntilReady(exchange, 15_000);
      const book = exchange.getOrderBook(pair);
      const bids = book.topBids(options.depth);
      const asks = book.topAsks(options.depth);
      print(`${pair}  best bid ${num(bids[0]?.price)}  best ask ${num(asks[0]?.price)}  (update ${book.updateId})`);
      const rows = Array.from({ length: Math.max(bids.length, asks.length) }, (_, i) => [
        bids[i] ? num(bids[i].amount) : '',
        bids[i] ? num(bids[i].price) : '',
        asks[i] ? num(asks[i].price) : '',
        asks[i] ? num(asks[i].amount) : '',
      ]);
      for (const line of table(['bid amount', 'bid', 'ask', 'ask amount'], rows, [0, 1])) print(line);
    });
  });
}
