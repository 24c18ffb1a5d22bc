/**
 * `npm run bench:net`: a signed REST request's round trip through venuekit's RestClient against a
 * bare undici request to the same endpoint, side by side in one run.
 *
 * The endpoint is the simulator's signed `GET /api/v3/account`, served by `venuekit sim` in its own
 * process (`--no-activity --no-rate-limits`: usage counted and reported, never refused), which
 * checks the API key, the HMAC signature and the timestamp of every request. Both contenders keep
 * connections alive on an undici Pool, sign with HMAC-SHA256 over the query and parse the JSON
 * answer. venuekit's path is the Binance connector's wiring (BinanceAuth, its error mapper and
 * usage-header reader, its endpoint weights with the pool limits lifted, since the bench sends far
 * more than a minute's weight) plus the server-clock timestamp and the timeout: that is the
 * overhead measured.
 *
 * Sequential round trips measure latency; rounds alternate the two so a noisy neighbour hits both
 * alike, and the median round is reported with the spread. A concurrent pass (16 in flight)
 * measures throughput the same way.
 *
 * Options: --rounds N (default 9), --requests N per round (default 2000), --quick.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { RateLimiter } from '../src/net/rate-limiter.js';
import { RestClient } from '../src/net/rest-client.js';
import { TimeSynchronizer } from '../src/net/time-sync.js';
import { BinanceAuth } from '../src/exchanges/binance/auth.js';
import { LIMIT_IDS, PATHS, RATE_LIMITS, type BinanceLimitId } from '../src/exchanges/binance/constants.js';
import { binanceErrorMapper, binanceUsageReader } from '../src/exchanges/binance/parse.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const rounds = option('--rounds', quick ? 3 : 9);
const perRound = option('--requests', quick ? 300 : 2_000);
const CONCURRENCY = 16;
const PATH = PATHS.account;

interface Target {
  url: string;
  apiKey: string;
  secret: string;
  stop: () => Promise<void>;
}

/** `venuekit sim` in its own process; its `--json` line names the URL and the demo key. */
async function startExchange(): Promise<Target> {
  const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'sim', '--json', '--no-activity', '--no-rate-limits', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VENUEKIT_LOG_LEVEL: 'warn' },
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const info = JSON.parse(line) as { restUrl: string; apiKey: string; apiSecret: string };
  return {
    url: info.restUrl,
    apiKey: info.apiKey,
    secret: info.apiSecret,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

type Send = () => Promise<unknown>;

function venuekit(target: Target): { send: Send; close: () => Promise<void> } {
  // Binance's pools and weights, every limit lifted: the limiter does all its work and never waits.
  const limiter = new RateLimiter<BinanceLimitId>({ ...RATE_LIMITS, pools: RATE_LIMITS.pools.map((p) => ({ ...p, limit: p.limit * 1_000_000 })) });
  const sync: TimeSynchronizer = new TimeSynchronizer({
    fetchServerTime: async () => (await rest.request<{ serverTime: number }>({ path: PATHS.time, limitId: LIMIT_IDS.time })).serverTime,
    refreshIntervalMs: 0,
  });
  const rest: RestClient<BinanceLimitId> = new RestClient<BinanceLimitId>({
    baseUrl: target.url,
    limiter,
    timeSync: sync,
    signer: new BinanceAuth(target.apiKey, target.secret),
    errorMapper: binanceErrorMapper(),
    usageReader: binanceUsageReader,
  });
  return {
    send: async () => {
      if (!sync.synced) await sync.start();
      return rest.request({ path: PATH, signed: true, limitId: LIMIT_IDS.account });
    },
    close: async () => {
      sync.stop();
      await rest.close();
    },
  };
}

function bareUndici(target: Target): { send: Send; close: () => Promise<void> } {
  const pool = new Pool(target.url, { connections: 16 });
  return {
    send: async () => {
      const query = `timestamp=${Date.now()}`;
      const signature = createHmac('sha256', target.secret).update(query).digest('hex');
      const res = await pool.request({
        method: 'GET',
        path: `${PATH}?${query}&signature=${signature}`,
        headers: { 'x-mbx-apikey': target.apiKey },
      });
      const body = (await res.body.json()) as { balances?: unknown[] };
      if (res.statusCode !== 200 || !Array.isArray(body.balances)) throw new Error(`bare undici request refused: ${JSON.stringify(body)}`);
      return body;
    },
    close: () => pool.close(),
  };
}

interface Round {
  /** Wall-clock microseconds per request. */
  wall: number;
  /** This process's CPU microseconds per request: the client's own cost, whatever the neighbours do. */
  cpu: number;
}

/** Sends `count` requests with `parallel` in flight. */
async function timeRound(send: Send, count: number, parallel: number): Promise<Round> {
  let next = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next++ < count) await send();
    }),
  );
  const wall = Number(process.hrtime.bigint() - start) / 1_000 / count;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / count };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function compare(
  label: string,
  contenders: Array<{ name: string; send: Send }>,
  parallel: number,
): Promise<void> {
  const rounds_ = contenders.map(() => [] as Round[]);
  for (const c of contenders) await timeRound(c.send, Math.min(200, perRound), parallel); // warm-up
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? contenders.map((_, i) => i) : contenders.map((_, i) => contenders.length - 1 - i);
    for (const i of order) rounds_[i]!.push(await timeRound(contenders[i]!.send, perRound, parallel));
  }
  console.log(`\n${label}`);
  const wall = rounds_.map((rs) => rs.map((r) => r.wall));
  const cpu = rounds_.map((rs) => rs.map((r) => r.cpu));
  const base = median(wall[1]!);
  contenders.forEach((c, i) => {
    const m = median(wall[i]!);
    const spread = `${Math.min(...wall[i]!).toFixed(1)}–${Math.max(...wall[i]!).toFixed(1)}`;
    console.log(
      `  ${c.name.padEnd(22)} ${m.toFixed(1).padStart(8)} µs/request (rounds ${spread}), client CPU ${median(cpu[i]!).toFixed(1)} µs/request`,
    );
  });
  console.log(`  ratio venuekit / bare undici: ${(median(wall[0]!) / base).toFixed(2)}x (target ≤ 1.30x)`);
}

const target = await startExchange();
const vk = venuekit(target);
const bare = bareUndici(target);
try {
  console.log(`bench:net  node ${process.version}, ${os.cpus().length} cores, ${rounds} rounds × ${perRound} requests`);
  console.log(`endpoint: signed GET ${PATH} on venuekit sim in its own process (API key, HMAC and timestamp checked)`);
  const contenders = [
    { name: 'venuekit RestClient', send: vk.send },
    { name: 'bare undici', send: bare.send },
  ];
  await compare('sequential round trip (latency)', contenders, 1);
  await compare(`${CONCURRENCY} in flight (throughput)`, contenders, CONCURRENCY);
} finally {
  await vk.close();
  await bare.close();
  await target.stop();
}
