/**
 * One life of the chaos soak's trader: a BinanceExchange on the soak's SQLite file, driven only
 * through venuekit's public API. `chaos` places the soak's orders from where the store says the
 * last life stopped (every choice drawn from the seed and the order's index, so a restart picks up
 * the same plan) until all are placed, then closes cleanly. `reconcile` places nothing: it waits
 * until the connector is quiet, then writes its history and balances for the harness to compare.
 * Lines on stdout tell the harness where it is: `restored`, `ready`, `placed N`, `done`.
 */
import { writeFileSync } from 'node:fs';
import { BinanceExchange, Decimal, OrderState, OrderType, simulatorUrls } from '../src/index.js';
import { createLogger } from '../src/core/logger.js';
import { SeededRandom } from '../src/simulator/random.js';

interface Args {
  mode: 'chaos' | 'reconcile';
  db: string;
  seed: number;
  orders: number;
  out?: string;
  venue: { restUrl: string; wsUrl: string; wsApiUrl: string; apiKey: string; apiSecret: string };
}

const args = JSON.parse(process.argv[2]!) as Args;
const say = (line: string) => process.stdout.write(`${line}\n`);
export const PAIRS = ['BTC-USDT', 'ETH-USDT'] as const;
const SIZE: Record<string, [string, number]> = { 'BTC-USDT': ['0.001', 5], 'ETH-USDT': ['0.01', 5] };

const exchange = new BinanceExchange({
  apiKey: args.venue.apiKey,
  apiSecret: args.venue.apiSecret,
  urls: simulatorUrls(args.venue),
  tradingPairs: [...PAIRS],
  databasePath: args.db,
  tickIntervalMs: 250,
  shortPollIntervalMs: 1_000,
  longPollIntervalMs: 5_000,
  logger: createLogger({ level: process.env.SOAK_LOG_LEVEL ?? 'silent' }),
});
let lastEventAt = Date.now();
exchange.events.onAny(() => {
  lastEventAt = Date.now();
});
say('restored');
await exchange.startNetwork();
await exchange.waitUntilReady(120_000);
say('ready');

const unsettled = () => [...exchange.inFlightOrders.values()].filter((o) => o.currentState === OrderState.PENDING_CREATE || o.currentState === OrderState.PENDING_CANCEL).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (args.mode === 'chaos') {
  let placed = exchange.history().orders.length;
  while (placed < args.orders) {
    // A burst: up to 8 actions fired without waiting for their answers.
    const burst = new SeededRandom((args.seed * 1_000_003 + placed) >>> 0);
    const size = burst.int(1, 8);
    for (let k = 0; k < size && placed < args.orders; k++) {
      const rng = new SeededRandom((args.seed * 7_919 + placed * 104_729) >>> 0);
      const open = [...exchange.inFlightOrders.values()].filter((o) => o.isOpen && o.currentState !== OrderState.PENDING_CANCEL);
      if (open.length > 0 && (rng.chance(0.25) || open.length > 40)) {
        const victim = open[rng.int(0, open.length - 1)]!;
        exchange.cancel(victim.tradingPair, victim.clientOrderId);
      }
      const pair = PAIRS[rng.int(0, PAIRS.length - 1)]!;
      const mid = exchange.orderBooks.get(pair)?.midPrice();
      if (mid === undefined) break;
      const [unit, most] = SIZE[pair]!;
      const amount = new Decimal(unit).mul(rng.int(1, most));
      const buy = rng.chance(0.5);
      const kind = rng.next();
      // Offsets up to 0.3 % either side: some limits cross and take, some post-only quotes are refused.
      const price = mid.mul(new Decimal(1).plus(new Decimal(rng.int(-30, 30)).div(10_000)));
      const type = kind < 0.25 ? OrderType.MARKET : kind < 0.55 ? OrderType.LIMIT_MAKER : OrderType.LIMIT;
      if (buy) exchange.buy(pair, amount, type, type === OrderType.MARKET ? undefined : price);
      else exchange.sell(pair, amount, type, type === OrderType.MARKET ? undefined : price);
      placed++;
    }
    say(`placed ${placed}`);
    // Keep the number of unanswered requests bounded, as a bot would.
    while (unsettled() > 20) await sleep(20);
    await sleep(10);
  }
  say('done');
  await exchange.close();
  process.exit(0);
}

// reconcile: wait until nothing has happened for a while and nothing is unsettled or lost.
const started = Date.now();
const QUIET_MS = 6_000;
for (;;) {
  const quiet = Date.now() - lastEventAt >= QUIET_MS && unsettled() === 0 && exchange.orderTracker.lostOrders.size === 0 && Date.now() - started >= 12_000;
  if (quiet || Date.now() - started > 180_000) break;
  await sleep(200);
}
const snapshot = {
  quiet: Date.now() - started <= 180_000,
  history: exchange.history(),
  balances: exchange.getAllBalances().map((b) => ({ asset: b.asset, total: exchange.getBalance(b.asset).toFixed(), available: exchange.getAvailableBalance(b.asset).toFixed() })),
  lost: [...exchange.orderTracker.lostOrders.keys()],
};
writeFileSync(args.out!, JSON.stringify(snapshot));
say('done');
await exchange.close();
process.exit(0);
