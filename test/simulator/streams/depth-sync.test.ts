import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { runs } from '../../support/soak.js';
import { waitFor } from '../../support/wait.js';
import { TestClient } from '../support/client.js';
import { LocalBook } from '../support/local-book.js';

/**
 * Every book rebuilt from the REST snapshot plus the diff streams, under background activity (the
 * liquidity provider requoting, takers filling, a client adding and cancelling orders at many
 * prices), is compared level by level with GET /api/v3/depth at the same lastUpdateId. Comparisons
 * happen at pauses: activity stops, every local book catches up to the engine's update id, the REST
 * snapshot must carry that very id, and the books must be equal. Readers also join mid-run.
 */
// A fixed number of pauses, each after a fixed amount of engine activity: the verdict counts
// comparisons made, never how many fit in a time, so a busy machine is slower but not failed.
const ROUNDS = runs(3, 20);
const UPDATES_PER_ROUND = runs(20, 200);

let sim: Simulator;
let trader: TestClient;

beforeAll(async () => {
  sim = await startSimulator({
    seed: 11,
    demoAccount: false,
    activity: { quoteIntervalMs: 15, takerIntervalMs: 25, takerProbability: 0.9, levels: 12 },
    streams: { depthMs: 250, fastDepthMs: 100 },
    limits: { enforce: false }, // full-depth snapshots weigh 250 each: far more than a minute's budget
  });
  const account = sim.admin.createAccount({ balances: { USDT: '10000000', BTC: '1000', ETH: '10000' } });
  trader = new TestClient(sim.restUrl, account.apiKey, account.apiSecret);
});
afterAll(() => sim.close());

/** Random resting orders away from the touch and cancels of them: levels the activity never quotes. */
async function churn(stop: () => boolean): Promise<void> {
  const open: { symbol: string; orderId: number }[] = [];
  let n = 0;
  while (!stop()) {
    n++;
    const pick = n % 3;
    const symbol = ['BTCUSDT', 'ETHUSDT', 'ETHBTC'][pick]!;
    const mid = sim.activity!.fairPrice(['BTC-USDT', 'ETH-USDT', 'ETH-BTC'][pick]!)!;
    const buy = n % 2 === 0;
    const away = 1 + (buy ? -1 : 1) * (0.002 + ((n * 7) % 13) * 0.0005);
    const decimals = pick === 2 ? 5 : 2;
    const price = (mid * away).toFixed(decimals);
    const quantity = pick === 0 ? '0.01' : pick === 1 ? '0.1' : '0.1';
    const res = await trader.signed('POST', '/api/v3/order', { symbol, side: buy ? 'BUY' : 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity, price, newOrderRespType: 'ACK' });
    if (res.status === 200) open.push({ symbol, orderId: res.body.orderId });
    if (open.length > 20) {
      const victim = open.splice(n % open.length, 1)[0]!;
      await trader.signed('DELETE', '/api/v3/order', victim);
    }
  }
}

describe('depth diff streams rebuild the REST book exactly', () => {
  it(`at ${ROUNDS} pauses under activity, for every market, on both cadences`, async () => {
    const markets = [
      { pair: 'BTC-USDT', symbol: 'BTCUSDT' },
      { pair: 'ETH-USDT', symbol: 'ETHUSDT' },
      { pair: 'ETH-BTC', symbol: 'ETHBTC' },
    ];
    const books: LocalBook[] = [];
    const join = async (): Promise<void> => {
      const started = markets.flatMap((m) => [`${m.symbol.toLowerCase()}@depth@100ms`, `${m.symbol.toLowerCase()}@depth`].map((s) => new LocalBook(sim.wsUrl, sim.restUrl, m.symbol, s)));
      await Promise.all(started.map((b) => b.start()));
      books.push(...started);
    };
    await join();

    let stopped = false;
    let churning = churn(() => stopped);
    let comparisons = 0;
    const startId = (pair: string): number => sim.engine.market(pair)!.updateId;
    for (let round = 0; round < ROUNDS; round++) {
      // Activity until every market has moved by a fixed number of engine updates, however slowly.
      const from = markets.map((m) => startId(m.pair));
      await waitFor(
        () => markets.every((m, i) => startId(m.pair) >= from[i]! + UPDATES_PER_ROUND),
        `${UPDATES_PER_ROUND} engine updates in every market (round ${round})`,
        60_000,
      );
      if (round === 0) await join(); // readers that start while the market moves
      // Pause: no more engine transactions until the books are compared.
      sim.activity!.stop();
      stopped = true;
      await churning.catch(() => undefined);
      for (const m of markets) {
        const target = sim.engine.market(m.pair)!.updateId;
        const mine = books.filter((b) => b.symbol === m.symbol);
        await waitFor(() => mine.every((b) => b.id === target), `${m.symbol} books to reach update id ${target}`, 60_000);
        const rest = await mine[0]!.snapshot();
        expect(rest.lastUpdateId).toBe(target);
        for (const b of mine) {
          expect(b.gaps).toEqual([]);
          expect(b.levels()).toEqual({ bids: rest.bids, asks: rest.asks });
        }
        comparisons++;
      }
      if (round === ROUNDS - 1) break;
      stopped = false;
      sim.activity!.start();
      churning = churn(() => stopped);
    }
    for (const b of books) b.close();
    expect(comparisons).toBe(ROUNDS * markets.length);
    expect(books.every((b) => b.applied > 0)).toBe(true);
  }, 240_000); // the waits bound each step; this only stops a hung run
});
