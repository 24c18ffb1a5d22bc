import { InvalidArgumentError, type Command } from 'commander';
import { table } from '../manual/table.js';
import { addVenueOptions, withStore, type VenueCommandOptions } from '../manual/venue-command.js';
import { feeText } from '../view/fee-text.js';
import { num } from '../view/render.js';

interface HistoryOptions extends VenueCommandOptions {
  pair?: string;
  limit: number;
}

function limit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`must be a whole number above zero, got ${JSON.stringify(value)}`);
  return n;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** `venuekit history`: orders and fills from the SQLite tracking store (no connection needed). */
export function registerHistoryCommand(program: Command): void {
  addVenueOptions(
    program
      .command('history')
      .description('orders and fills venuekit recorded for the venue, from its SQLite tracking store')
      .option('--pair <pair>', 'only this trading pair')
      .option('--limit <n>', 'the newest N orders and N fills', limit, 50),
  ).action(async (options: HistoryOptions) => {
    await withStore('history', options, (store, print) => {
      const query = options.pair === undefined ? {} : { tradingPair: options.pair };
      const orders = store.listOrders(query).slice(-options.limit);
      const fills = store.listFills(query).slice(-options.limit);
      print(`orders (${orders.length}, oldest first)`);
      const orderRows = orders.map((o) => [
        iso(o.creationTimestamp),
        o.clientOrderId,
        o.exchangeOrderId ?? '-',
        o.tradingPair,
        o.side,
        num(o.price),
        num(o.amount),
        num(o.executedAmountBase),
        o.fillsOwed ? `${o.state}, fills incomplete (exchange: ${num(o.fillsOwed.reportedExecuted)})` : o.state,
      ]);
      if (orderRows.length > 0) for (const line of table(['created', 'client id', 'exchange id', 'pair', 'side', 'price', 'amount', 'filled', 'state'], orderRows, [5, 6, 7])) print(`  ${line}`);
      print(`fills (${fills.length}, oldest first)`);
      const fillRows = fills.map((f) => [iso(f.trade.fillTimestamp), f.clientOrderId, f.trade.tradeId, f.trade.tradingPair, num(f.trade.fillPrice), num(f.trade.fillBaseAmount), feeText(f.trade.fee)]);
      if (fillRows.length > 0) for (const line of table(['time', 'client id', 'trade id', 'pair', 'price', 'amount', 'fee'], fillRows, [4, 5])) print(`  ${line}`);
    });
  });
}
