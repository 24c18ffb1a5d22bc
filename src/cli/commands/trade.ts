import type { Command } from 'commander';
import { OrderType, TradeType } from '../../core/types.js';
import { EXIT } from '../bot/run-bot.js';
import { readManualOrder } from '../manual/order-input.js';
import { addVenueOptions, withVenue, type VenueCommandOptions } from '../manual/venue-command.js';
import { num } from '../view/render.js';

interface TradeOptions extends VenueCommandOptions {
  type?: string;
}

function register(program: Command, side: TradeType): void {
  const name = side === TradeType.BUY ? 'buy' : 'sell';
  addVenueOptions(
    program
      .command(name)
      .description(`${name} by hand: a limit order at PRICE, or a market order without one; checked against the pair's rules before anything is sent`)
      .argument('<pair>', 'a trading pair such as BTC-USDT')
      .argument('<amount>', 'base amount, such as 0.001')
      .argument('[price]', 'limit price; leave out for a market order')
      .option('--type <type>', `${Object.values(OrderType).join(', ')} (default LIMIT with a price, MARKET without)`),
  ).action(async (pair: string, amount: string, price: string | undefined, options: TradeOptions) => {
    await withVenue(name, options, async ({ exchange, print }) => {
      const order = await readManualOrder(exchange, side, { pair, amount, ...(price !== undefined && { price }), ...(options.type !== undefined && { type: options.type }) });
      let placed;
      try {
        placed = await exchange.submitOrder(side, order, { timeoutMs: 30_000 });
      } catch (err) {
        process.stderr.write(`venuekit: the exchange refused the order: ${err instanceof Error ? err.message : String(err)}\n`);
        return EXIT.failed;
      }
      if (order.orderType === OrderType.MARKET) await placed.waitUntilDone(10_000).catch(() => undefined);
      const at = order.price ? ` @ ${num(order.price)}` : '';
      print(`${placed.clientOrderId}: ${side} ${num(order.amount)} ${order.tradingPair}${at} ${order.orderType}, exchange id ${placed.exchangeOrderId ?? '?'}, ${placed.currentState}`);
      if (placed.executedAmountBase.gt(0)) {
        print(`filled ${num(placed.executedAmountBase)} for ${num(placed.executedAmountQuote)}, average price ${num(placed.averageExecutedPrice)}`);
      }
      return EXIT.ok;
    });
  });
}

/** `venuekit buy PAIR AMOUNT [PRICE]` and `venuekit sell ...`. */
export function registerTradeCommands(program: Command): void {
  register(program, TradeType.BUY);
  register(program, TradeType.SELL);
}
