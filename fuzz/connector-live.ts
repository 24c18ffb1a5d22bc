import { Decimal } from '../src/core/decimal.js';
import { OrderType } from '../src/core/types.js';
import { BinanceExchange } from '../src/exchanges/binance/exchange.js';
import { startSimulator } from '../src/simulator/index.js';
import { HostileExchange } from './hostile-exchange.js';
import { describe, heapMb, trapFatal, type Counts, type FuzzArgs } from './lib/report.js';
import { Rng } from './lib/rng.js';
import type { FuzzResult } from './simulator.js';

/**
 * A real BinanceExchange trading through a hostile exchange (the simulator behind a mutating
 * proxy): it places and cancels orders while a share of every answer and event it receives is
 * mutated. Counted: crashes, unhandled rejections, a close() that does not return within the bound,
 * heap growth, and impossible states (a non-finite or negative balance, an order filled above its
 * amount without the overfill flag, an unsorted or crossed book). Messages are the answers and
 * events delivered to the connector; the run lasts until `messages` were delivered.
 */

const CLOSE_BOUND_MS = 15_000;
const MUTATED_SHARE = 0.05;

export async function runLiveConnectorFuzz(args: FuzzArgs): Promise<FuzzResult> {
  const counts: Counts = { crashes: 0, unhandledRejections: 0, closeHangs: 0, impossibleStates: 0, heapGrowth: 0 };
  const examples: string[] = [];
  const untrap = trapFatal(counts, examples);
  const rng = new Rng(args.seed);
  const started = Date.now();
  const sim = await startSimulator({ seed: args.seed, activity: { quoteIntervalMs: 50, takerIntervalMs: 50 }, limits: { enforce: false } });
  const demo = sim.demo as { apiKey: string; apiSecret: string };
  const hostile = new HostileExchange({ restUrl: sim.restUrl, wsBase: `ws://127.0.0.1:${sim.port}` }, rng, MUTATED_SHARE);
  const urls = await hostile.listen();
  const exchange = new BinanceExchange({
    apiKey: demo.apiKey,
    apiSecret: demo.apiSecret,
    urls,
    databasePath: ':memory:',
    tradingPairs: ['BTC-USDT'],
    tickIntervalMs: 20,
    shortPollIntervalMs: 200,
    longPollIntervalMs: 2_000,
    retryDelayMs: 50,
    requestTimeoutMs: 3_000,
    checkNetworkIntervalMs: 200,
    ws: { reconnect: { initialDelayMs: 20, maxDelayMs: 500 }, pingIntervalMs: 1_000, idleTimeoutMs: 5_000 },
  });
  const note = (what: string) => {
    counts.impossibleStates = (counts.impossibleStates ?? 0) + 1;
    if (examples.length < 20) examples.push(`after ${hostile.delivered} messages: ${what}`);
  };
  let baseline = 0;
  let orders = 0;
  try {
    await exchange.startNetwork();
    while (hostile.delivered < args.messages) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const mid = exchange.ready ? exchange.getOrderBook('BTC-USDT').midPrice() : undefined;
      if (mid !== undefined && mid.isFinite() && mid.gt(0)) {
        const price = mid.mul(1 + (rng.next() - 0.5) * 0.002).toDecimalPlaces(2);
        try {
          if (rng.chance(0.5)) exchange.buy('BTC-USDT', '0.001', OrderType.LIMIT, price);
          else exchange.sell('BTC-USDT', '0.001', OrderType.LIMIT, price);
          orders++;
        } catch {
          // A refusal of the order (rules not loaded, balance short) is the connector's answer, not a defect.
        }
        if (orders % 10 === 0) void exchange.cancelAll(2_000).catch(() => undefined);
      }
      for (const b of exchange.getAllBalances()) {
        if (!b.total.isFinite() || !b.available.isFinite() || b.total.isNegative() || b.available.isNegative()) note(`balance ${b.asset}: total ${b.total.toString()}, available ${b.available.toString()}`);
      }
      for (const order of exchange.inFlightOrders.values()) {
        if (order.executedAmountBase.gt(order.amount) && !order.isOverfilled) note(`order ${order.clientOrderId} filled ${order.executedAmountBase.toString()} of ${order.amount.toString()} without the overfill flag`);
      }
      const { bids, asks } = exchange.getOrderBook('BTC-USDT').snapshot();
      for (let i = 1; i < bids.length; i++) if (!new Decimal(bids[i - 1]?.price ?? 0).gt(bids[i]?.price ?? 0)) note('bids not sorted');
      for (let i = 1; i < asks.length; i++) if (!new Decimal(asks[i - 1]?.price ?? 0).lt(asks[i]?.price ?? 0)) note('asks not sorted');
      if (bids[0] !== undefined && asks[0] !== undefined && !new Decimal(bids[0].price).lt(asks[0].price)) note(`crossed book ${bids[0].price} >= ${asks[0].price}`);
      if (baseline === 0 && hostile.delivered > Math.min(args.messages / 2, 2_000)) baseline = heapMb();
    }
  } catch (error) {
    counts.crashes = (counts.crashes ?? 0) + 1;
    examples.push(`run failed: ${describe(error)}`);
  } finally {
    const closing = exchange.close().then(() => true);
    const inTime = await Promise.race([closing, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CLOSE_BOUND_MS).unref())]);
    if (!inTime) {
      counts.closeHangs = 1;
      examples.push(`close() did not return within ${CLOSE_BOUND_MS} ms`);
    }
    await hostile.close();
    await sim.close();
    untrap();
  }
  const final = heapMb();
  if (baseline > 0 && final - baseline > args.heapLimitMb) {
    counts.heapGrowth = 1;
    examples.push(`heap grew from ${baseline.toFixed(1)} MiB to ${final.toFixed(1)} MiB`);
  }
  return { counts, figures: { delivered: hostile.delivered, mutated: hostile.mutated, orders, heapFinalMb: Math.round(final), seconds: Math.round((Date.now() - started) / 100) / 10 }, examples };
}
