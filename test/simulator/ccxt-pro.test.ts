import ccxt, { type Exchange, type Order } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type AccountHandle, type Simulator } from '../../src/simulator/index.js';
import { runs } from '../support/soak.js';
import { waitFor } from '../support/wait.js';
import { CCXT_OPTIONS, restUrls } from './support/ccxt.js';

/**
 * ccxt's websocket client (ccxt.pro.binance) against the simulator: the REST URLs as in the README
 * recipe, `urls.api.ws.spot` = wsUrl and `urls.api.ws['ws-api'].spot` = wsApiUrl.
 */
async function proClient(sim: Simulator, account: AccountHandle): Promise<Exchange> {
  const exchange = new ccxt.pro.binance({
    apiKey: account.apiKey,
    secret: account.apiSecret,
    enableRateLimit: false,
    options: CCXT_OPTIONS,
  });
  const api = exchange.urls['api'] as Record<string, unknown> & { ws: Record<string, unknown> & { 'ws-api': Record<string, unknown> } };
  exchange.urls['api'] = {
    ...api,
    ...restUrls(sim),
    ws: { ...api.ws, spot: sim.wsUrl, 'ws-api': { ...api.ws['ws-api'], spot: sim.wsApiUrl } },
  };
  await exchange.loadHttpProxyAgent(); // before the first plain ws:// connection
  await exchange.loadMarkets();
  return exchange;
}

const WATCH_MS = runs(2_500, 180_000);

let sim: Simulator;
let account: AccountHandle;
let ex: Exchange;

beforeAll(async () => {
  sim = await startSimulator({ seed: 5, demoAccount: false, activity: { quoteIntervalMs: 20, takerIntervalMs: 30, takerProbability: 0.9 } });
  account = sim.admin.createAccount({ balances: { USDT: '100000', BTC: '2', ETH: '20' } });
  ex = await proClient(sim, account);
});
afterAll(async () => {
  await ex.close();
  await sim.close();
});

describe('ccxt pro binance against the simulator', () => {
  it(`watchOrderBook stays in sync under activity (${WATCH_MS} ms), then equals the REST book at the same id`, async () => {
    const end = Date.now() + WATCH_MS;
    let updates = 0;
    while (Date.now() < end) {
      const book = await ex.watchOrderBook('BTC/USDT');
      expect(Number(book.bids[0]![0])).toBeLessThan(Number(book.asks[0]![0]));
      updates++;
    }
    expect(updates).toBeGreaterThan(5);
    sim.activity!.stop();
    try {
      const target = sim.engine.market('BTC-USDT')!.updateId;
      // ccxt's book as its watcher keeps it (watchOrderBook itself would wait for a change that never comes)
      const live = () => ex.orderbooks['BTC/USDT']!;
      await waitFor(() => live().nonce === target, `ccxt's book to reach update id ${target}`);
      const book = live();
      const rest = await ex.fetchOrderBook('BTC/USDT', 1000);
      expect(rest.nonce).toBe(target);
      expect(book.bids.slice(0, rest.bids.length)).toEqual(rest.bids);
      expect(book.asks.slice(0, rest.asks.length)).toEqual(rest.asks);
    } finally {
      sim.activity!.start();
    }
  });

  it('watchTrades sees a trade as the tape records it', async () => {
    const watching = ex.watchTrades('ETH/USDT');
    await waitFor(() => sim.streams.activeStreams().includes('ethusdt@trade'), 'the trade stream subscription');
    await ex.createOrder('ETH/USDT', 'market', 'buy', 0.05);
    const mine = sim.admin.fills(account.accountId, { pair: 'ETH-USDT' }).at(-1)!;
    let trades = await watching;
    while (!trades.some((t) => Number(t.id) === mine.tradeId)) trades = await ex.watchTrades('ETH/USDT');
    const seen = trades.find((t) => Number(t.id) === mine.tradeId)!;
    expect(seen).toMatchObject({ symbol: 'ETH/USDT', price: mine.price.toNumber(), amount: mine.qty.toNumber() });
  });

  it('watchOrders sees an order open, then cancelled; watchBalance follows the exchange', async () => {
    const balanceWatch = ex.watchBalance();
    const orders: Order[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) orders.push(...(await ex.watchOrders('BTC/USDT')));
    })();
    await waitFor(() => sim.wsApi.hub.subscriptions(account.accountId) > 0, 'the user data subscription');
    const bid = sim.admin.book('BTC-USDT', 1).bids[0]![0].toNumber();
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, Math.round(bid * 0.9));
    await waitFor(() => orders.some((o) => o.id === placed.id && o.status === 'open'), 'the order seen open');
    await ex.cancelOrder(String(placed.id), 'BTC/USDT');
    await waitFor(() => orders.some((o) => o.id === placed.id && o.status === 'canceled'), 'the order seen cancelled');
    watching = false;

    await balanceWatch;
    sim.admin.deposit(account.accountId, 'ETH', '1.5');
    const truth = sim.admin.balances(account.accountId);
    let balance = await ex.watchBalance();
    while (balance['ETH']?.free !== truth['ETH']!.free.toNumber()) balance = await ex.watchBalance();
    const resting = await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.01, Math.round(bid * 1.5));
    const after = sim.admin.balances(account.accountId);
    while (balance['BTC']?.used !== after['BTC']!.locked.toNumber()) balance = await ex.watchBalance();
    expect(balance['BTC']).toMatchObject({ free: after['BTC']!.free.toNumber(), used: after['BTC']!.locked.toNumber() });
    await ex.cancelOrder(String(resting.id), 'BTC/USDT');
    void watcher.catch(() => undefined);
  });
});
