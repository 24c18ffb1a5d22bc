import { afterAll, describe, expect, it } from 'vitest';
import { MarketActivity } from '../../src/simulator/activity/activity.js';
import { DEFAULT_MARKETS } from '../../src/simulator/defaults.js';
import { Engine } from '../../src/simulator/engine/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { waitFor } from '../support/wait.js';
import { TestClient } from './support/client.js';

function market(seed: number, steps: number) {
  let clock = 1_700_000_000_000;
  const engine = new Engine({ now: () => (clock += 7) });
  for (const spec of DEFAULT_MARKETS) engine.addMarket(spec);
  const activity = new MarketActivity(engine, { seed });
  activity.seed();
  for (let i = 0; i < steps; i++) {
    activity.quoteTick();
    activity.takerTick();
  }
  const books = DEFAULT_MARKETS.map((m) => engine.depth(m.pair, 50));
  const tapes = DEFAULT_MARKETS.map((m) => engine.market(m.pair)!.trades.toArray().map((t) => [t.price, t.lots]));
  return { engine, activity, books, tapes };
}

describe('market activity', () => {
  it('is deterministic from its seed', () => {
    const one = market(42, 40);
    const two = market(42, 40);
    const other = market(43, 40);
    expect(two.books).toEqual(one.books);
    expect(two.tapes).toEqual(one.tapes);
    expect(one.tapes.flat().length).toBeGreaterThan(10);
    expect(other.tapes).not.toEqual(one.tapes);
  });

  it('quotes every market on both sides at several levels around a consistent fair price', () => {
    const { engine, activity } = market(7, 20);
    for (const spec of DEFAULT_MARKETS) {
      const depth = engine.depth(spec.pair, 100)!;
      expect(depth.bids.length).toBeGreaterThanOrEqual(8);
      expect(depth.asks.length).toBeGreaterThanOrEqual(8);
      expect(depth.bids[0]!.price).toBeLessThan(depth.asks[0]!.price);
    }
    const cross = activity.fairPrice('ETH-BTC')!;
    expect(cross).toBeCloseTo(activity.fairPrice('ETH-USDT')! / activity.fairPrice('BTC-USDT')!, 12);
  });

  it('keeps quoting a market added later, from its starting price', () => {
    const { engine, activity } = market(3, 1);
    engine.addMarket({ pair: 'SOL-USDT', initialPrice: '150', rules: { tickSize: '0.01', stepSize: '0.001', minQty: '0.001' } });
    activity.quoteTick();
    const depth = engine.depth('SOL-USDT', 5)!;
    expect(depth.bids.length).toBe(5);
    expect(Number(engine.market('SOL-USDT')!.formatPrice(depth.bids[0]!.price))).toBeCloseTo(150, -1);
  });
});

describe('a live simulator', () => {
  let sim: Simulator;
  afterAll(() => sim?.close());

  it('fills a resting order near the touch within seconds', async () => {
    sim = await startSimulator({ activity: { quoteIntervalMs: 20, takerIntervalMs: 20 }, seed: 11 });
    const demo = sim.demo!;
    const client = new TestClient(sim.restUrl, demo.apiKey, demo.apiSecret);
    const depth = await client.get('/api/v3/depth', { symbol: 'BTCUSDT', limit: 5 });
    const bestBid = depth.body.bids[0][0] as string;
    const placed = await client.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: bestBid });
    expect(placed.status).toBe(200);
    await waitFor(() => sim.admin.order('BTC-USDT', placed.body.orderId)?.status === 'FILLED', 'the resting order to fill', 15_000);
    const fills = sim.admin.fills(demo.accountId, { pair: 'BTC-USDT' });
    expect(fills.length).toBeGreaterThan(0);
    expect(fills.every((f) => f.isMaker || f.price.lte(bestBid))).toBe(true);
  });
});
