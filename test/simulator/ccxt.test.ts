import ccxt, { type Exchange } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CCXT_OPTIONS, restUrls } from './support/ccxt.js';

/** ccxt's binance client pointed at the simulator, as the README recipe says. */
function client(sim: Simulator, apiKey: string, secret: string): Exchange {
  const exchange = new ccxt.binance({
    apiKey,
    secret,
    enableRateLimit: false,
    options: CCXT_OPTIONS,
  });
  exchange.urls['api'] = { ...(exchange.urls['api'] as Record<string, unknown>), ...restUrls(sim) };
  return exchange;
}

describe('ccxt binance against the simulator', () => {
  let sim: Simulator;
  let ex: Exchange;

  beforeAll(async () => {
    sim = await startSimulator({ activity: false, seed: 3 });
    ex = client(sim, sim.demo!.apiKey, sim.demo!.apiSecret);
  });
  afterAll(() => sim.close());

  it('loads the markets with their limits and precision', async () => {
    const markets = await ex.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'ETH/BTC', 'ETH/USDT']);
    const btc = markets['BTC/USDT']!;
    expect(btc).toMatchObject({ id: 'BTCUSDT', spot: true, active: true });
    expect(btc.precision).toMatchObject({ price: 0.01, amount: 0.00001 });
    expect(btc.limits.cost?.min).toBe(5);
    const serverTime = await ex.fetchTime();
    expect(Math.abs((serverTime ?? 0) - Date.now())).toBeLessThan(5000);
  });

  it('reads the book, a ticker and trades', async () => {
    const book = await ex.fetchOrderBook('BTC/USDT', 5);
    const truth = sim.admin.book('BTC-USDT', 5);
    expect(book.nonce).toBe(truth.lastUpdateId);
    expect(book.bids[0]).toEqual([truth.bids[0]![0].toNumber(), truth.bids[0]![1].toNumber()]);
    expect(book.asks[0]).toEqual([truth.asks[0]![0].toNumber(), truth.asks[0]![1].toNumber()]);
    const ticker = await ex.fetchTicker('BTC/USDT');
    expect(ticker.bid).toBe(book.bids[0]![0]);
    expect(ticker.ask).toBe(book.asks[0]![0]);
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001);
    const trades = await ex.fetchTrades('BTC/USDT');
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.at(-1)).toMatchObject({ symbol: 'BTC/USDT', side: 'buy', price: book.asks[0]![0] });
  });

  it('trades: limit, market and post-only orders, queries, cancels, fills and balances', async () => {
    const bestBid = sim.admin.book('BTC-USDT', 1).bids[0]![0].toNumber();
    const limit = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.002, bestBid - 100);
    expect(limit).toMatchObject({ status: 'open', type: 'limit', side: 'buy', amount: 0.002, price: bestBid - 100, filled: 0 });
    const market = await ex.createOrder('ETH/USDT', 'market', 'sell', 0.05);
    expect(market.status).toBe('closed');
    expect(market.filled).toBe(0.05);
    expect(market.fee?.currency).toBe('USDT');
    const postOnly = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, bestBid - 200, { postOnly: true });
    expect(postOnly.status).toBe('open');
    expect(sim.admin.order('BTC-USDT', Number(postOnly.id))?.type).toBe('LIMIT_MAKER');

    const limitId = String(limit.id);
    const fetched = await ex.fetchOrder(limitId, 'BTC/USDT');
    expect(fetched).toMatchObject({ id: limit.id, status: 'open', clientOrderId: limit.clientOrderId });
    const open = await ex.fetchOpenOrders('BTC/USDT');
    expect(open.map((o) => o.id).sort()).toEqual([limit.id, postOnly.id].sort());
    const cancelled = await ex.cancelOrder(limitId, 'BTC/USDT');
    expect(cancelled.status).toBe('canceled');
    const all = await ex.cancelAllOrders('BTC/USDT');
    expect(all.map((o) => o.id)).toEqual([postOnly.id]);
    expect(await ex.fetchOpenOrders('BTC/USDT')).toEqual([]);

    const mine = await ex.fetchMyTrades('ETH/USDT');
    const truth = sim.admin.fills(sim.demo!.accountId, { pair: 'ETH-USDT' });
    expect(mine.map((t) => Number(t.id))).toEqual(truth.map((t) => t.tradeId));
    expect(mine.every((t) => t.side === 'sell' && t.takerOrMaker === 'taker')).toBe(true);

    const balance = await ex.fetchBalance();
    const exchangeTruth = sim.admin.balances(sim.demo!.accountId);
    for (const asset of ['USDT', 'BTC', 'ETH']) {
      expect(balance[asset]?.free).toBe(exchangeTruth[asset]!.free.toNumber());
      expect(balance[asset]?.used).toBe(exchangeTruth[asset]!.locked.toNumber());
    }
  });

  it('raises ccxt’s own error classes for the exchange’s refusals', async () => {
    // Each refusal comes from the simulator (its message is in ccxt's), not from ccxt's own checks.
    const refusal = async (call: Promise<unknown>) => call.then(() => new Error('accepted'), (e: unknown) => e as Error);
    const bestAsk = sim.admin.book('BTC-USDT', 1).asks[0]![0].toNumber();
    const takes = await refusal(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, bestAsk, { postOnly: true }));
    expect(takes).toBeInstanceOf(ccxt.OrderImmediatelyFillable);
    expect(takes.message).toContain('Order would immediately match and take.');

    sim.admin.setTradingRules('BTC-USDT', { minQty: '0.001' });
    try {
      const small = await refusal(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.0005, bestAsk - 1000));
      expect(small).toBeInstanceOf(ccxt.InvalidOrder);
      expect(small.message).toContain('Filter failure: LOT_SIZE');
    } finally {
      sim.admin.setTradingRules('BTC-USDT', { minQty: '0.00001' });
    }

    const poor = await refusal(ex.createOrder('BTC/USDT', 'limit', 'buy', 50, bestAsk - 1000));
    expect(poor).toBeInstanceOf(ccxt.InsufficientFunds);
    expect(poor.message).toContain('Account has insufficient balance for requested action.');

    const forger = client(sim, sim.demo!.apiKey, 'not-the-secret');
    forger.markets = ex.markets;
    forger.marketsById = ex.marketsById;
    const forged = await refusal(forger.fetchBalance());
    expect(forged).toBeInstanceOf(ccxt.AuthenticationError);
    expect(forged.message).toContain('-1022');
    const stranger = await refusal(client(sim, 'A'.repeat(64), 'whatever').fetchBalance());
    expect(stranger).toBeInstanceOf(ccxt.AuthenticationError);
    expect(stranger.message).toContain('-2015');
  });
});
