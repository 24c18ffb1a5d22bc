/**
 * `npm run bench:simulator`: the exchange simulator's speed, each number beside a named peer measured
 * in the same run.
 *
 * 1. Matching engine, in process: orders per second on the workload printed below, against the
 *    decimal.js engine of bench/support/naive-engine.ts (the usual first implementation) — with and
 *    without an event listener attached (part 2's streams listen to every transaction).
 * 2. REST, on loopback: signed POST /api/v3/order round trips per second through a keep-alive undici
 *    pool to `venuekit sim` in its own process, against a bare node:http server answering the same
 *    requests with a fixed body (the HTTP ceiling).
 * 3. Depth diffs fanned out: `<sym>@depth@100ms` events per second delivered to 10 subscribers of 100
 *    constantly changing books (bench/support/live-load.ts), every diff checked to chain U = u + 1,
 *    against a bare `ws` server sending messages of the same size as fast as the clients take them.
 * 4. User data: events per second (executionReport, outboundAccountPosition) delivered to one
 *    WebSocket API subscriber of an account trading with itself, against the bare `ws` server
 *    sending messages of the same size as fast as the client takes them.
 *
 * Rounds alternate the contenders so a noisy neighbour hits both alike; medians are reported.
 * Options: --rounds N (default 5), --quick (smaller workloads, for a smoke run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import WebSocket from 'ws';
import { Engine, type EngineTransaction, type NewOrder } from '../src/simulator/engine/index.js';
import { generateWorkload, type Workload, type WorkloadOrder } from './support/matching-workload.js';
import { NaiveEngine } from './support/naive-engine.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : quick ? 3 : 5;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const thousands = (x: number): string => `${Math.round(x / 1000).toLocaleString('en-US')} k`;
const range = (xs: number[], f: (x: number) => string): string => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;

// ---- 1. matching engine ------------------------------------------------------------------------

interface EngineRun {
  ordersPerSecond: number;
  trades: number;
  rejected: number;
  levels: { bids: number; asks: number };
  minLevels: number;
  events: number;
}

function venuekitEngine(workload: Workload, listen: boolean): EngineRun {
  const engine = new Engine({ seed: 1 });
  engine.addMarket({ pair: 'BTC-USDT', rules: { maxNumOrders: 0 } });
  const ids: number[] = [];
  for (let i = 0; i < workload.accounts; i++) {
    const id = engine.createAccount({ makerRate: '0.001', takerRate: '0.001' }).id;
    for (const [asset, amount] of Object.entries(workload.balances)) engine.setBalance(id, asset, amount);
    ids.push(id);
  }
  const request = (o: WorkloadOrder): NewOrder => ({
    accountId: ids[o.account]!,
    pair: 'BTC-USDT',
    side: o.side,
    type: 'LIMIT',
    timeInForce: o.tif,
    price: o.price,
    quantity: o.quantity,
  });
  for (const o of workload.prefill) engine.submitOrder(request(o));
  const requests = workload.orders.map(request);
  let events = 0;
  if (listen) engine.subscribe((tx: EngineTransaction) => (events += tx.orders.length + tx.trades.length + tx.balances.length));
  const market = engine.market('BTC-USDT')!;
  const first = market.nextTradeId;
  let rejected = 0;
  let minLevels = Infinity;
  const start = process.hrtime.bigint();
  for (let i = 0; i < requests.length; i++) {
    if (!engine.submitOrder(requests[i]!).ok) rejected++;
    if ((i & 8191) === 0) minLevels = Math.min(minLevels, market.book.bids.depth, market.book.asks.depth);
  }
  const ns = Number(process.hrtime.bigint() - start);
  return {
    ordersPerSecond: requests.length / (ns / 1e9),
    trades: market.nextTradeId - first,
    rejected,
    levels: { bids: market.book.bids.depth, asks: market.book.asks.depth },
    minLevels,
    events,
  };
}

function naiveEngine(workload: Workload): EngineRun {
  const engine = new NaiveEngine(workload.accounts, workload.balances);
  for (const o of workload.prefill) engine.submit(o);
  const first = engine.trades;
  const start = process.hrtime.bigint();
  for (const o of workload.orders) engine.submit(o);
  const ns = Number(process.hrtime.bigint() - start);
  const levels = engine.levels();
  return { ordersPerSecond: workload.orders.length / (ns / 1e9), trades: engine.trades - first, rejected: engine.rejected, levels, minLevels: NaN, events: 0 };
}

function engineSection(): void {
  const workload = generateWorkload({ seed: 20260101, orders: quick ? 100_000 : 1_000_000, accounts: 100, levels: 2000 });
  const peerWorkload = { ...workload, orders: workload.orders.slice(0, quick ? 20_000 : 100_000) };
  console.log('\n1. matching engine, in process');
  console.log(`  workload: ${workload.describe}`);
  console.log('  market: tick 0.01, step 0.00001, NOTIONAL min 5, MAX_NUM_ORDERS off; commissions 0.1 %; history 1,000 orders and fills per account');
  venuekitEngine({ ...workload, orders: workload.orders.slice(0, 50_000) }, false); // warm-up
  const plain: EngineRun[] = [];
  const listened: EngineRun[] = [];
  const naive: EngineRun[] = [];
  for (let r = 0; r < rounds; r++) {
    plain.push(venuekitEngine(workload, false));
    naive.push(naiveEngine(peerWorkload));
    listened.push(venuekitEngine(workload, true));
  }
  const last = plain.at(-1)!;
  const crossing = workload.orders.filter((o) => o.crossing).length;
  console.log(
    `  per run: ${crossing.toLocaleString('en-US')} crossing orders made ${last.trades.toLocaleString('en-US')} trades (${(last.trades / crossing).toFixed(2)} per crossing order), ` +
      `${last.rejected} rejected; book ${last.levels.bids.toLocaleString('en-US')} bid / ${last.levels.asks.toLocaleString('en-US')} ask levels at the end, never under ${last.minLevels.toLocaleString('en-US')} per side`,
  );
  const rate = (runs: EngineRun[]) => runs.map((x) => x.ordersPerSecond);
  console.log(`  venuekit engine            ${thousands(median(rate(plain)))} orders/s (median; ${range(rate(plain), thousands)})`);
  console.log(
    `  venuekit engine + listener ${thousands(median(rate(listened)))} orders/s (median; ${range(rate(listened), thousands)}; ${listened.at(-1)!.events.toLocaleString('en-US')} event items per run)`,
  );
  console.log(
    `  naive decimal.js engine    ${thousands(median(rate(naive)))} orders/s (median; ${range(rate(naive), thousands)}; first ${peerWorkload.orders.length.toLocaleString('en-US')} orders of the same workload)`,
  );
  const ratios = plain.map((x, i) => x.ordersPerSecond / naive[i]!.ordersPerSecond);
  console.log(`  ratio ${median(ratios).toFixed(1)}x venuekit/naive (rounds ${range(ratios, (x) => `${x.toFixed(1)}x`)}); target 200 k orders/s: ${median(rate(plain)) >= 200_000 ? 'met' : 'NOT met'}`);
}

// ---- 2. REST round trips -----------------------------------------------------------------------

interface Server {
  child: ChildProcess;
  ready: Record<string, string>;
}

async function startChild(script: string, childArgs: string[]): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...childArgs], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VENUEKIT_LOG_LEVEL: 'warn' } });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, ready: JSON.parse(line) as Record<string, string> };
}

async function stopChild(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** Sends `count` signed orders (alternately a resting sell and a buy that fills it) with `concurrency` in flight. */
async function orderRoundTrips(url: string, apiKey: string, apiSecret: string, count: number, concurrency: number): Promise<number> {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const side = i % 2 === 0 ? 'SELL' : 'BUY';
      const payload = `symbol=BTCUSDT&side=${side}&type=LIMIT&timeInForce=GTC&quantity=0.00100&price=65000.00&selfTradePreventionMode=NONE&newOrderRespType=FULL&timestamp=${Date.now()}`;
      const signature = createHmac('sha256', apiSecret).update(payload).digest('hex');
      const { statusCode, body } = await pool.request({
        path: '/api/v3/order',
        method: 'POST',
        headers: { 'x-mbx-apikey': apiKey, 'content-type': 'application/x-www-form-urlencoded' },
        body: `${payload}&signature=${signature}`,
      });
      const text = await body.text();
      if (statusCode !== 200) {
        failures++;
        if (failures === 1) console.error(`  request failed: ${statusCode} ${text}`);
      }
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ns = Number(process.hrtime.bigint() - start);
  await pool.close();
  if (failures > 0) throw new Error(`${failures} of ${count} order requests failed`);
  return count / (ns / 1e9);
}

async function restSection(): Promise<void> {
  const sim = await startChild(new URL('../src/cli/main.ts', import.meta.url).pathname, ['sim', '--json', '--no-activity', '--no-rate-limits', '--port', '0']);
  const peer = await startChild(new URL('./support/raw-http-peer.ts', import.meta.url).pathname, []);
  const { restUrl, apiKey, apiSecret } = sim.ready as { restUrl: string; apiKey: string; apiSecret: string };
  const count = quick ? 2_000 : 10_000;
  console.log('\n2. REST order round trips, loopback, keep-alive undici pool');
  console.log(
    `  ${count.toLocaleString('en-US')} signed POST /api/v3/order per round (FULL response), alternately a resting sell and a buy that fills it; ` +
      'the server is `venuekit sim --no-activity --no-rate-limits` in its own process (usage still counted); the client signs every request',
  );
  try {
    for (const concurrency of [1, 16]) {
      await orderRoundTrips(restUrl, apiKey, apiSecret, 500, concurrency); // warm-up
      await orderRoundTrips(peer.ready.restUrl!, apiKey, apiSecret, 500, concurrency);
      const ours: number[] = [];
      const bare: number[] = [];
      for (let r = 0; r < rounds; r++) {
        ours.push(await orderRoundTrips(restUrl, apiKey, apiSecret, count, concurrency));
        bare.push(await orderRoundTrips(peer.ready.restUrl!, apiKey, apiSecret, count, concurrency));
      }
      const ratios = ours.map((x, i) => x / bare[i]!);
      const fmt = (x: number): string => `${Math.round(x).toLocaleString('en-US')}/s`;
      console.log(`  ${String(concurrency).padStart(2)} in flight: simulator ${fmt(median(ours))} (${range(ours, fmt)}), bare node:http ${fmt(median(bare))} (${range(bare, fmt)}); ratio ${median(ratios).toFixed(2)}x of the HTTP ceiling`);
    }
  } finally {
    await Promise.all([stopChild(sim), stopChild(peer)]);
  }
}

// ---- 3. and 4. streaming ------------------------------------------------------------------------

interface StreamRun {
  /** Messages per second, all subscribers together. */
  perSecond: number;
  avgBytes: number;
  /** Diffs that did not start right after the previous one of their stream. */
  broken: number;
}

/** Opens `subscribers` connections to `url` (after `prepare`), then counts what arrives during `durationMs` after a warm-up. */
async function countMessages(url: string, subscribers: number, durationMs: number, prepare?: (ws: WebSocket) => Promise<void>): Promise<StreamRun> {
  let counting = false;
  let messages = 0;
  let bytes = 0;
  let broken = 0;
  const clients: WebSocket[] = [];
  for (let i = 0; i < subscribers; i++) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const last = new Map<string, number>();
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      const msg = JSON.parse(text) as { stream?: string; data?: { U?: number; u?: number } };
      const d = msg.data;
      if (msg.stream !== undefined && d?.U !== undefined && d.u !== undefined) {
        const prev = last.get(msg.stream);
        if (prev !== undefined && counting && d.U !== prev + 1) broken++;
        last.set(msg.stream, d.u);
      }
      if (!counting) return;
      messages++;
      bytes += text.length;
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    if (prepare) await prepare(ws);
    clients.push(ws);
  }
  await new Promise((r) => setTimeout(r, 300));
  counting = true;
  const start = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, durationMs));
  counting = false;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  for (const ws of clients) ws.terminate();
  return { perSecond: messages / seconds, avgBytes: messages > 0 ? bytes / messages : 0, broken };
}

/** Subscribes a WebSocket API connection to the account's user data stream (signed as the docs say). */
function subscribeUserData(apiKey: string, apiSecret: string) {
  return (ws: WebSocket) =>
    new Promise<void>((resolve, reject) => {
      const params: Record<string, string | number> = { apiKey, timestamp: Date.now() };
      const payload = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
      const signature = createHmac('sha256', apiSecret).update(payload).digest('hex');
      ws.once('message', (data: Buffer) => {
        const answer = JSON.parse(data.toString()) as { status: number };
        if (answer.status === 200) resolve();
        else reject(new Error(`subscribe failed: ${data.toString()}`));
      });
      ws.send(JSON.stringify({ id: 1, method: 'userDataStream.subscribe.signature', params: { ...params, signature } }));
    });
}

/**
 * Alternates the simulator and the bare peer (started once the simulator's message size is known)
 * for `rounds` rounds and prints both rates and their ratio.
 */
async function sideBySide(sim: Server, measureOurs: () => Promise<StreamRun>, peerArgs: (avgBytes: number) => string[], measurePeer: (peer: Server) => Promise<StreamRun>, what: string, extra: (ours: StreamRun[]) => string): Promise<void> {
  const fmt = (x: number): string => `${Math.round(x).toLocaleString('en-US')}/s`;
  let peer: Server | null = null;
  try {
    const ours: StreamRun[] = [];
    const bare: StreamRun[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(await measureOurs());
      peer ??= await startChild(new URL('./support/ws-peer.ts', import.meta.url).pathname, peerArgs(Math.round(ours[0]!.avgBytes)));
      bare.push(await measurePeer(peer));
    }
    const rate = (xs: StreamRun[]) => xs.map((x) => x.perSecond);
    const ratios = ours.map((x, i) => x.perSecond / bare[i]!.perSecond);
    console.log(`   simulator  ${fmt(median(rate(ours)))} ${what} (${range(rate(ours), fmt)}); ${Math.round(ours[0]!.avgBytes)} bytes each${extra(ours)}`);
    console.log(`   bare ws    ${fmt(median(rate(bare)))} messages of the same size (${range(rate(bare), fmt)})`);
    console.log(`   ratio ${median(ratios).toFixed(2)}x of the WebSocket ceiling`);
  } finally {
    await stopChild(sim);
    if (peer) await stopChild(peer);
  }
}

async function streamSections(): Promise<void> {
  const load = new URL('./support/live-load.ts', import.meta.url).pathname;
  const durationMs = quick ? 1_500 : 3_000;
  const markets = 100;
  const subscribers = 10;

  console.log(`\n3. depth diff fan-out: ${subscribers} subscribers, each on ${markets} <sym>@depth@100ms streams (one combined connection each), books changing constantly`);
  console.log(`   the 100 ms cadence is set to 1 ms so the server, not the clock, is the limit; ${durationMs} ms per round; every diff checked to chain`);
  const depth = await startChild(load, ['depth', String(markets), '1']);
  const streams = (depth.ready as unknown as { streams: string[] }).streams;
  const depthUrl = `${depth.ready.wsUrl!.replace(/\/ws$/, '')}/stream?streams=${streams.join('/')}`;
  await sideBySide(
    depth,
    () => countMessages(depthUrl, subscribers, durationMs),
    (bytes) => ['depth', String(bytes), String(markets)],
    (peer) => countMessages(`${peer.ready.url!}/stream`, subscribers, durationMs),
    `diff events delivered to ${subscribers} subscribers`,
    (ours) => `; broken chains: ${ours.reduce((n, x) => n + x.broken, 0)}`,
  );

  console.log('\n4. user data events: one WebSocket API subscriber of an account trading with itself (6 events per filled pair of orders)');
  const user = await startChild(load, ['user']);
  const { wsApiUrl, apiKey, apiSecret } = user.ready as { wsApiUrl: string; apiKey: string; apiSecret: string };
  await sideBySide(
    user,
    () => countMessages(wsApiUrl, 1, durationMs, subscribeUserData(apiKey, apiSecret)),
    (bytes) => ['user', String(bytes)],
    (peer) => countMessages(peer.ready.url!, 1, durationMs),
    'user data events',
    () => '',
  );
}

// ---- main ---------------------------------------------------------------------------------------

console.log('simulator benchmark');
console.log(`node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg()[0]!.toFixed(1)}; ${rounds} rounds`);
engineSection();
await restSection();
await streamSections();
