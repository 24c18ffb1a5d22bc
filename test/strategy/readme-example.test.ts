import { afterEach, describe, expect, it } from 'vitest';
// The README's example strategy, as a user writes it (imports from the package entry).
import { BinanceExchange, simulatorUrls, Strategy, type OrderFilledEvent } from '../../src/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { TestClient } from '../simulator/support/client.js';
import { waitFor } from '../support/wait.js';

/** Keeps one bid 0.1 % under the mid, and reports each fill. */
class DipBuyer extends Strategy {
  readonly name = 'dip-buyer';
  readonly tradingPairs = ['BTC-USDT'];
  readonly bought: string[] = [];

  protected override onTick(): void {
    const book = this.orderBook('BTC-USDT'); // undefined until the book is synchronized
    if (!book || this.activeOrders.length > 0) return;
    const price = book.midPrice()!.mul('0.999'); // the connector floors it to the pair's tick
    this.buy('BTC-USDT', '0.001', price);
  }

  protected override onOrderFilled(e: OrderFilledEvent): void {
    this.bought.push(`${e.amount.toFixed()} @ ${e.price.toFixed()}`);
  }
}

describe('the README example strategy', () => {
  let sim: Simulator;
  let exchange: BinanceExchange;
  afterEach(async () => {
    await exchange.close();
    await sim.close();
  });

  it('places its bid, gets filled, and stops with nothing open', async () => {
    sim = await startSimulator({ activity: false });
    const { apiKey, apiSecret } = sim.demo!;
    exchange = new BinanceExchange({ apiKey, apiSecret, urls: simulatorUrls(sim), tradingPairs: ['BTC-USDT'], databasePath: ':memory:', shortPollIntervalMs: 100 });
    await exchange.startNetwork();
    await waitFor(() => exchange.ready, 'ready');

    const strategy = new DipBuyer({ tickIntervalMs: 20 });
    await strategy.start(exchange);
    await waitFor(() => sim.admin.orders(sim.demo!.accountId, { openOnly: true }).length === 1, 'the bid');
    const [bid] = sim.admin.orders(sim.demo!.accountId, { openOnly: true });

    // Someone sells down to the bot's bid.
    const seller = sim.admin.createAccount({ balances: { BTC: '10' } });
    const client = new TestClient(sim.restUrl, seller.apiKey, seller.apiSecret);
    await client.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'IOC', quantity: '1', price: bid!.price.toFixed() });
    await waitFor(() => strategy.bought.length > 0, 'a fill');
    expect(strategy.bought[0]).toBe(`0.001 @ ${bid!.price.toFixed()}`);

    await strategy.stop();
    await exchange.cancelAll();
    expect(sim.admin.orders(sim.demo!.accountId, { openOnly: true })).toEqual([]);
  });
});
