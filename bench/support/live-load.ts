/**
 * The simulator under streaming load, for bench:simulator (run as a child process; prints one line
 * of JSON once ready, runs until SIGTERM).
 *
 *   depth <markets> <flushMs>  every market's book changes all the time (orders added and cancelled
 *                              straight into the engine); `<sym>@depth@100ms` flushes every flushMs.
 *   user                       one account trades with itself (a resting sell, then a buy that fills
 *                              it) as soon as someone subscribes to its user data stream: 6 events a pair.
 *
 * The driver pauses while any client has more than a few MB waiting, so the load follows what the
 * clients can take instead of growing the server's buffers.
 */
import { startSimulator, type MarketSpec } from '../../src/simulator/index.js';

const [mode = 'depth', marketsArg = '100', flushArg = '1'] = process.argv.slice(2);
const BACKLOG_BYTES = 4 * 1024 * 1024;

function pairs(n: number): MarketSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    pair: `M${String(i).padStart(3, '0')}-USDT`,
    rules: { tickSize: '0.01', minPrice: '0.01', maxPrice: '1000000', stepSize: '0.001', minQty: '0.001', maxQty: '100000', minNotional: '0', maxNumOrders: 0 },
  }));
}

const markets = mode === 'depth' ? pairs(Number(marketsArg)) : pairs(1);
const sim = await startSimulator({
  activity: false,
  seedLiquidity: false,
  demoAccount: false,
  markets,
  limits: { enforce: false },
  streams: { fastDepthMs: Number(flushArg), maxMessagesPerSecond: 0 },
});
const balances: Record<string, string> = { USDT: '10000000' };
for (const m of markets) balances[m.pair.split('-')[0]!] = '1000000';
const trader = sim.admin.createAccount({ balances, makerRate: '0', takerRate: '0' });
const sockets = () => [...sim.streams.group.sockets, ...sim.wsApi.group.sockets];
const backlogged = () => sockets().some((s) => s.ws.bufferedAmount > BACKLOG_BYTES);

let running = true;
let step = 0;

function driveDepth(): void {
  if (!running) return;
  if (!backlogged()) {
    // One order per market per turn, at one of 50 prices; the oldest goes once 50 rest.
    for (const m of markets) {
      const price = (100 + ((step * 7 + m.pair.length) % 50) * 0.01).toFixed(2);
      sim.engine.submitOrder({ accountId: trader.accountId, pair: m.pair, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price, quantity: '1' });
      const open = sim.engine.openOrders(trader.accountId, m.pair);
      if (open.length > 50) sim.engine.cancelOrder({ accountId: trader.accountId, pair: m.pair, orderId: open[0]!.id });
    }
    step++;
  }
  setImmediate(driveDepth);
}

function driveUser(): void {
  if (!running) return;
  const pair = markets[0]!.pair;
  if (sim.wsApi.hub.subscriptions(trader.accountId) > 0 && !backlogged()) {
    for (let i = 0; i < 50; i++) {
      const common = { accountId: trader.accountId, pair, type: 'LIMIT' as const, timeInForce: 'GTC' as const, price: '100.00', quantity: '1', stp: 'NONE' as const };
      sim.engine.submitOrder({ ...common, side: 'SELL' });
      sim.engine.submitOrder({ ...common, side: 'BUY' });
    }
  }
  setImmediate(driveUser);
}

if (mode === 'depth') driveDepth();
else driveUser();

process.stdout.write(
  `${JSON.stringify({
    wsUrl: sim.wsUrl,
    wsApiUrl: sim.wsApiUrl,
    apiKey: trader.apiKey,
    apiSecret: trader.apiSecret,
    streams: markets.map((m) => `${m.pair.replace('-', '').toLowerCase()}@depth@100ms`),
  })}\n`,
);

process.once('SIGTERM', () => {
  running = false;
  void sim.close().then(() => process.exit(0));
});
