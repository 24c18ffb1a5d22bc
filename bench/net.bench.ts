/**
 * `npm run bench:net`: a signed REST request's round trip through venuekit's RestClient against a
 * bare undici request to the same endpoint, side by side in one run.
 *
 * The endpoint is a signed account read on a loopback exchange running in its own process, which
 * verifies the HMAC signature and the timestamp of every request (test/net/support/http-exchange.ts;
 * the Binance simulator takes its place once it exists). Both contenders keep connections alive on
 * an undici Pool, sign with HMAC-SHA256 over the query and parse the JSON answer. venuekit's path
 * also runs the rate limiter, the server-clock timestamp, its timeout, the usage headers and the
 * error mapping: that is the overhead measured.
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
import { TestSigner, testErrorMapper, testUsageReader, API_KEY_HEADER } from '../test/net/support/test-venue.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const rounds = option('--rounds', quick ? 3 : 9);
const perRound = option('--requests', quick ? 300 : 2_000);
const CONCURRENCY = 16;
const PATH = '/api/account';

interface Target {
  url: string;
  apiKey: string;
  secret: string;
  stop: () => Promise<void>;
}

async function startExchange(): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/net/support/serve-http-exchange.ts'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const info = JSON.parse(line) as { url: string; apiKey: string; secret: string };
  return {
    ...info,
    stop: async () => {
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}

type Send = () => Promise<unknown>;

function venuekit(target: Target): { send: Send; close: () => Promise<void> } {
  const limiter = new RateLimiter({
    pools: [{ id: 'WEIGHT', limit: 1_000_000_000, intervalMs: 60_000 }],
    endpoints: { [PATH]: { WEIGHT: 5 }, '/api/time': { WEIGHT: 1 } },
  });
  const sync: TimeSynchronizer = new TimeSynchronizer({
    fetchServerTime: async () => (await rest.request<{ serverTime: number }>({ path: '/api/time' })).serverTime,
    refreshIntervalMs: 0,
  });
  const rest: RestClient = new RestClient({
    baseUrl: target.url,
    limiter,
    timeSync: sync,
    signer: new TestSigner(target.apiKey, target.secret),
    errorMapper: testErrorMapper,
    usageReader: testUsageReader,
  });
  return {
    send: async () => {
      if (!sync.synced) await sync.start();
      return rest.request({ path: PATH, signed: true });
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
        headers: { [API_KEY_HEADER]: target.apiKey },
      });
      const body = (await res.body.json()) as { ok?: boolean };
      if (res.statusCode !== 200 || body.ok !== true) throw new Error(`bare undici request refused: ${JSON.stringify(body)}`);
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
  console.log(`endpoint: signed GET ${PATH} on a loopback exchange in its own process (HMAC verified)`);
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
