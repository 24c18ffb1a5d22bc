import { BinanceExchange } from '../../src/exchanges/binance/exchange.js';
import { simulatorUrls } from '../../src/exchanges/binance/constants.js';
import type { AccountHandle, Simulator } from '../../src/simulator/index.js';
import { waitFor } from '../support/wait.js';

/** A Binance connector on the simulator with short intervals, ready to trade. */
export async function connect(sim: Simulator, account: AccountHandle, options: { databasePath?: string; tradingPairs?: string[] } = {}): Promise<BinanceExchange> {
  const exchange = new BinanceExchange({
    apiKey: account.apiKey,
    apiSecret: account.apiSecret,
    urls: simulatorUrls(sim),
    databasePath: options.databasePath ?? ':memory:',
    tradingPairs: options.tradingPairs ?? ['BTC-USDT'],
    tickIntervalMs: 20,
    shortPollIntervalMs: 50,
    ws: { reconnect: { initialDelayMs: 50, maxDelayMs: 200 } },
  });
  await exchange.startNetwork();
  await waitFor(() => exchange.ready, 'the connector to be ready');
  return exchange;
}
