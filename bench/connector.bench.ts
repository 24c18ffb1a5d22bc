/**
 * `npm run bench:connector`: the exchange base with the Binance connector against the simulator,
 * beside ccxt's binance client on the same simulator in the same run.
 *
 * 1. Time to ready: `new BinanceExchange(...)`, `startNetwork()`, until `ready` (time sync, rules and
 *    symbol map, the order book synchronized from snapshot + stream, balances, and the user stream
 *    subscribed or the first status poll done). Peer: what a ccxt bot does before its first order
 *    (loadMarkets, fetchBalance, fetchOrderBook).
 * 2. Order round trip: `await submitOrder(...)` until the exchange acknowledged the order (by the
 *    REST answer or the user stream, whichever comes first), the order saved before it was sent:
 *    with an in-memory store and with a SQLite file (synchronous FULL, the default, and NORMAL). Peer: ccxt
 *    `createOrder` (a REST round trip, nothing saved). Orders rest (a low buy price); they are
 *    cancelled between rounds, untimed.
 *
 * The simulator runs in its own process (`venuekit sim --no-rate-limits`); rounds alternate the
 * contenders; medians and 90th percentiles are printed. Options: --rounds N (default 5), --quick.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ccxt from 'ccxt';
import { createLogger } from '../src/core/logger.js';
import { TradeType } from '../src/core/types.js';
import { simulatorUrls } from '../src/exchanges/binance/constants.js';
import { BinanceExchange } from '../src/exchanges/binance/exchange.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : quick ? 3 : 5;
const ordersPerRound = quick ? 40 : 100;

interface Sim {
  readonly child: ChildProcess;
  readonly ready: { restUrl: string; wsUrl: string; wsApiUrl: string; apiKey: string; apiSecret: string };
}

/** `venuekit sim` in its own process: still markets, rate limits counted but never enforced (both contenders send more orders than Binance's ORDERS limit allows). */
async function startSim(): Promise<Sim> {
  const script = new URL('../src/cli/main.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, 'sim', '--json', '--no-activity', '--no-rate-limits', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VENUEKIT_LOG_LEVEL: 'warn' },
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { child, ready: JSON.parse(line) as Sim['ready'] };
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]): number => quantile(xs, 0.5);
const ms = (x: number): string => `${x.toFixed(2)} ms`;
const now = (): number => performance.now();

function venuekit(sim: Sim, databasePath = ':memory:', databaseSync: 'FULL' | 'NORMAL' = 'FULL'): BinanceExchange {
  return new BinanceExchange({
    apiKey: sim.ready.apiKey,
    apiSecret: sim.ready.apiSecret,
    urls: simulatorUrls(sim.ready),
    databasePath,
    databaseSync,
    tradingPairs: ['BTC-USDT'],
    logger: createLogger({ level: 'error' }),
  });
}

function ccxtClient(sim: Sim) {
  const exchange = new ccxt.binance({
    apiKey: sim.ready.apiKey,
    secret: sim.ready.apiSecret,
    enableRateLimit: false,
    options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
  });
  const api = `${sim.ready.restUrl}/api/v3`;
  exchange.urls.api = { ...exchange.urls.api, public: api, private: api, v1: `${sim.ready.restUrl}/api/v1`, sapi: `${sim.ready.restUrl}/sapi/v1` };
  return exchange;
}

async function untilReady(ex: BinanceExchange): Promise<void> {
  while (!ex.ready) await new Promise((r) => setImmediate(r));
}

async function timeToReady(sim: Sim): Promise<{ venuekit: number; ccxt: number }> {
  const ex = venuekit(sim);
  const t0 = now();
  await ex.startNetwork();
  await untilReady(ex);
  const ours = now() - t0;
  await ex.close();

  const peer = ccxtClient(sim);
  const t1 = now();
  await peer.loadMarkets();
  await peer.fetchBalance();
  await peer.fetchOrderBook('BTC/USDT', 100);
  return { venuekit: ours, ccxt: now() - t1 };
}

/** Round trips of `count` resting buys; the orders are cancelled afterwards, untimed. */
async function venuekitOrders(ex: BinanceExchange, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = now();
    await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.001', price: String(10_000 + i) });
    out.push(now() - t0);
  }
  await ex.cancelAll();
  return out;
}

async function ccxtOrders(peer: ReturnType<typeof ccxtClient>, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = now();
    await peer.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 10_000 + i);
    out.push(now() - t0);
  }
  await peer.cancelAllOrders('BTC/USDT');
  return out;
}

console.log('connector benchmark');
console.log(`node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg()[0]!.toFixed(1)}; ${rounds} rounds`);
const sim = await startSim();
try {
  console.log('\n1. startNetwork() to ready (venuekit) vs loadMarkets + fetchBalance + fetchOrderBook (ccxt)');
  await timeToReady(sim); // warm-up
  const ready = [];
  for (let r = 0; r < rounds; r++) ready.push(await timeToReady(sim));
  const ours = ready.map((x) => x.venuekit);
  const theirs = ready.map((x) => x.ccxt);
  console.log(`  venuekit ${ms(median(ours))} (${ms(Math.min(...ours))}–${ms(Math.max(...ours))}), ccxt ${ms(median(theirs))} (${ms(Math.min(...theirs))}–${ms(Math.max(...theirs))}); ratio ${(median(ours) / median(theirs)).toFixed(2)}x venuekit/ccxt`);

  console.log(`\n2. order round trip: await submitOrder (venuekit) vs await createOrder (ccxt), ${ordersPerRound} resting limit orders per round, one at a time`);
  const dir = mkdtempSync(join(os.tmpdir(), 'venuekit-bench-'));
  const memory = venuekit(sim);
  const file = venuekit(sim, join(dir, 'venuekit.sqlite'));
  const fileNormal = venuekit(sim, join(dir, 'normal.sqlite'), 'NORMAL');
  for (const ex of [memory, file, fileNormal]) {
    await ex.startNetwork();
    await untilReady(ex);
  }
  await new Promise((r) => setTimeout(r, 200)); // let the user streams subscribe
  const peer = ccxtClient(sim);
  await peer.loadMarkets();
  await venuekitOrders(memory, 20);
  await venuekitOrders(file, 20);
  await venuekitOrders(fileNormal, 20);
  await ccxtOrders(peer, 20);
  const inMemory: number[] = [];
  const onFile: number[] = [];
  const onFileNormal: number[] = [];
  const theirs2: number[] = [];
  for (let r = 0; r < rounds; r++) {
    inMemory.push(...(await venuekitOrders(memory, ordersPerRound)));
    onFile.push(...(await venuekitOrders(file, ordersPerRound)));
    onFileNormal.push(...(await venuekitOrders(fileNormal, ordersPerRound)));
    theirs2.push(...(await ccxtOrders(peer, ordersPerRound)));
  }
  await Promise.all([memory.close(), file.close(), fileNormal.close()]);
  rmSync(dir, { recursive: true, force: true });
  const line = (name: string, xs: number[]): string => `  ${name.padEnd(36)} median ${ms(median(xs))}, p90 ${ms(quantile(xs, 0.9))}; ratio ${(median(xs) / median(theirs2)).toFixed(2)}x of ccxt (lower is faster)`;
  console.log(line('venuekit, in-memory store', inMemory));
  console.log(line('venuekit, SQLite file (FULL sync)', onFile));
  console.log(line('venuekit, SQLite file (NORMAL sync)', onFileNormal));
  console.log(`  ${'ccxt createOrder'.padEnd(36)} median ${ms(median(theirs2))}, p90 ${ms(quantile(theirs2, 0.9))}`);
} finally {
  const exited = new Promise((resolve) => sim.child.once('exit', resolve));
  sim.child.kill('SIGTERM');
  await exited;
}
