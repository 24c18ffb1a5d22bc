import { afterEach, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../src/core/errors.js';
import { RATE_POOLS } from '../../src/exchanges/binance/constants.js';
import { BinanceUserStreamSource } from '../../src/exchanges/binance/user-stream-source.js';
import type { RestClient } from '../../src/net/rest-client.js';
import { WsClient, type WsSubscription } from '../../src/net/ws-client.js';
import { BinanceAuth } from '../../src/exchanges/binance/auth.js';
import { LIMIT_IDS, PATHS, type BinanceLimitId } from '../../src/exchanges/binance/constants.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { binanceRest } from '../exchanges/binance/support/sim-venue.js';
import { waitFor } from '../support/wait.js';

/**
 * The network layer against the simulator over real HTTP and WebSocket on 127.0.0.1, wired as the
 * Binance connector wires it (its signer, error mapper, limits and usage reader): what
 * test/net/*.test.ts prove against small purpose-built servers, checked against the exchange
 * venuekit ships.
 */

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface Logged {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** When the simulator answered (wall clock, ms). */
  readonly at: number;
}

interface Venue {
  readonly sim: Simulator;
  /** Every REST request the simulator answered, in order. */
  readonly log: Logged[];
  readonly apiKey: string;
  readonly apiSecret: string;
}

async function venue(options: SimulatorOptions = {}): Promise<Venue> {
  const sim = await startSimulator({ activity: false, ...options });
  cleanups.push(() => sim.close());
  const log: Logged[] = [];
  sim.server.pipeline.use(
    'test log',
    async (req, next) => {
      const res = await next();
      log.push({ method: req.method, path: req.path, status: res.status, at: Date.now() });
      return res;
    },
    { before: 'route' },
  );
  return { sim, log, apiKey: sim.demo!.apiKey, apiSecret: sim.demo!.apiSecret };
}

function client(v: Venue, secret = v.apiSecret, options: Parameters<typeof binanceRest>[2] = {}): ReturnType<typeof binanceRest> {
  const clients = binanceRest(v.sim.restUrl, new BinanceAuth(v.apiKey, secret), options);
  cleanups.push(() => clients.rest.close());
  return clients;
}

/** A resting limit buy on BTC-USDT (below the market), signed and sent through `rest`. */
function placeRestingBuy(rest: RestClient<BinanceLimitId>, clientOrderId: string): Promise<{ status: string }> {
  return rest.request({
    method: 'POST',
    path: PATHS.order,
    body: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '30000', newClientOrderId: clientOrderId },
    signed: true,
    limitId: LIMIT_IDS.createOrder,
  });
}

describe('network layer against the simulator: signing and time', () => {
  it('signs reads and orders so the simulator accepts them, and a wrong secret is refused once with AuthenticationError', async () => {
    const v = await venue();
    const { rest } = client(v);
    const account = await rest.request<{ balances: unknown[] }>({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account });
    expect(account.balances.length).toBeGreaterThan(0);
    const order = await placeRestingBuy(rest, 'vk-net-1');
    expect(order.status).toBe('NEW');
    expect(v.sim.admin.orders(v.sim.demo!.accountId, { openOnly: true }).map((o) => o.clientOrderId)).toEqual(['vk-net-1']);

    const wrong = client(v, 'not-the-secret').rest;
    const before = v.log.length;
    const refused = await wrong.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect((refused as AuthenticationError).exchangeCode).toBe(-1022);
    expect((refused as Error).message).not.toContain('not-the-secret');
    expect(v.log.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`GET ${PATHS.account} 400`]);
  });

  it('corrects a clock offset: a -1021 resyncs the clock and the request is sent once more and accepted', async () => {
    const v = await venue();
    const { rest, timeSync } = client(v);
    await timeSync.start();
    await rest.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account });

    // The exchange's clock jumps 30 s ahead: signatures made with the old offset fall outside recvWindow.
    v.sim.admin.faults.setClockOffset(30_000);
    const before = v.log.length;
    await rest.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account });
    expect(v.log.slice(before).map((r) => `${r.path} ${r.status}`)).toEqual([`${PATHS.account} 400`, `${PATHS.time} 200`, `${PATHS.account} 200`]);
    expect(timeSync.offsetMs).toBeGreaterThan(25_000);

    // An order too: refused for its timestamp, so not executed, so safe to send once more.
    v.sim.admin.faults.setClockOffset(-30_000);
    const created = await placeRestingBuy(rest, 'vk-net-2');
    expect(created.status).toBe('NEW');
    expect(v.sim.admin.orders(v.sim.demo!.accountId, { openOnly: true }).filter((o) => o.clientOrderId === 'vk-net-2')).toHaveLength(1);
  });
});

describe('network layer against the simulator: WebSocket liveness', () => {
  const tradeStream: WsSubscription = {
    key: 'btcusdt@trade',
    subscribe: async (c) => void (await c.request({ method: 'SUBSCRIBE', params: ['btcusdt@trade'] })),
  };

  async function streamClient(v: Venue, idleTimeoutMs: number): Promise<{ client: WsClient; events: string[] }> {
    // Pings at most once a second: the simulator, as Binance, closes a connection sending more than 5 frames a second.
    const client = new WsClient({ url: v.sim.wsUrl, pingIntervalMs: 1_000, idleTimeoutMs, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
    cleanups.push(() => client.stop());
    const events: string[] = [];
    client.on('disconnected', () => void events.push('disconnected'));
    client.on('reconnected', () => void events.push('reconnected'));
    await client.subscribe(tradeStream);
    await client.start();
    return { client, events };
  }


  it('reconnects after the exchange drops the socket and resubscribes before signalling reconnected', async () => {
    const v = await venue();
    const { client, events } = await streamClient(v, 5_000);
    expect(v.sim.streams.activeStreams()).toEqual(['btcusdt@trade']);
    expect(await v.sim.admin.faults.disconnect('streams', 'drop')).toBe(1);
    await waitFor(() => events.includes('reconnected'), 'the reconnection');
    expect(events).toEqual(['disconnected', 'reconnected']);
    expect(client.connectionCount).toBe(2);
    expect(v.sim.streams.activeStreams()).toEqual(['btcusdt@trade']);
    await waitFor(() => v.sim.admin.faults.connections('streams') === 1, 'one connection left on the exchange');
    // Frames of the open connection are seen; a stopped client has none.
    expect(client.lastReceivedAt).toBeGreaterThan(0);
    await client.stop();
    expect(client.lastReceivedAt).toBe(0);
  });

  it('replaces a connection the exchange leaves silent and half-open', async () => {
    // The simulator pings every 100 ms: a healthy connection is never idle for 600 ms.
    const v = await venue({ websocket: { pingIntervalMs: 100 } });
    const { client, events } = await streamClient(v, 600);
    expect(await v.sim.admin.faults.disconnect('streams', 'half-open')).toBe(1);
    await waitFor(() => events.includes('reconnected'), 'the replacement');
    expect(client.connectionCount).toBe(2);
    await waitFor(() => v.sim.admin.faults.connections('streams') === 1, 'one connection left on the exchange');
    expect(v.sim.streams.activeStreams()).toEqual(['btcusdt@trade']);
  });
});

describe('network layer against the simulator: rate limits', () => {
  it('rides out a 429 storm: every caller pauses for Retry-After, no 418, and all requests succeed afterwards', async () => {
    // 20 weight a second on the exchange; this process believes it has 6000 a minute, so only the
    // exchange's 429s can hold it back.
    const v = await venue({
      limits: { rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: 1, limit: 20 }, { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 300_000 }] },
    });
    const { rest, limiter } = client(v, v.apiSecret, { retry: { attempts: 20, initialDelayMs: 5, maxDelayMs: 20 } });
    const callers = 8;
    const each = 5;
    let ok = 0;
    await Promise.all(
      Array.from({ length: callers }, async () => {
        for (let i = 0; i < each; i++) {
          await rest.request({ path: PATHS.ping, limitId: LIMIT_IDS.ping });
          ok++;
        }
      }),
    );
    expect(ok).toBe(callers * each);
    const tooMany = v.log.filter((r) => r.status === 429);
    expect(tooMany.length).toBeGreaterThan(0);
    expect(v.log.filter((r) => r.status === 418)).toEqual([]);
    // The exchange's own verdict: nobody kept sending while told to wait.
    const status = v.sim.admin.limits.status('127.0.0.1');
    expect(status.limits.find((l) => l.rateLimitType === 'RAW_REQUESTS')!.count).toBe(v.log.length);
    expect([status.bans, status.violations]).toEqual([0, 0]);
    // Traffic resumed once the first Retry-After (1 s) was over.
    expect(v.log.some((r) => r.status === 200 && r.at >= tooMany[0]!.at + 1_000)).toBe(true);
    expect(limiter.pausedUntil).toBeGreaterThan(0);
  });

  it('counts the weight the simulator reports in X-MBX-USED-WEIGHT-1M, REST and WebSocket API alike', async () => {
    const v = await venue();
    const { rest, limiter, timeSync } = client(v);
    const minute = (): number => Math.floor(v.sim.clock.now() / 60_000);
    const startMinute = minute();
    const used = (): number => limiter.used(RATE_POOLS.requestWeight);
    /** Within one exchange minute the counts are equal; across a minute boundary the exchange starts over and this process never counts less. */
    const expectAgreement = (reported: number, extra = 0): void => {
      if (minute() === startMinute) expect(used()).toBe(reported + extra);
      else expect(used()).toBeGreaterThanOrEqual(reported + extra);
    };
    const header = (headers: Record<string, string | string[] | undefined>): number => Number(headers['x-mbx-used-weight-1m']);

    const reads = [
      { path: PATHS.time, limitId: LIMIT_IDS.time },
      { path: PATHS.exchangeInfo, limitId: LIMIT_IDS.exchangeInfo },
      { path: PATHS.depth, params: { symbol: 'BTCUSDT', limit: 1000 }, limitId: LIMIT_IDS.depth1000 },
      { path: PATHS.depth, params: { symbol: 'BTCUSDT', limit: 100 }, limitId: LIMIT_IDS.depth100 },
      { path: PATHS.ticker24hr, params: { symbol: 'ETHUSDT' }, limitId: LIMIT_IDS.ticker24hr },
      { path: PATHS.account, signed: true, limitId: LIMIT_IDS.account },
      { path: PATHS.openOrders, params: { symbol: 'BTCUSDT' }, signed: true, limitId: LIMIT_IDS.openOrders },
      { path: PATHS.myTrades, params: { symbol: 'BTCUSDT' }, signed: true, limitId: LIMIT_IDS.myTrades },
    ] as const;
    let reported = 0;
    for (const req of reads) {
      reported = header((await rest.requestResponse(req)).headers);
      expectAgreement(reported);
    }
    expect(reported).toBe(1 + 20 + 50 + 5 + 2 + 20 + 6 + 20);

    // A successful order costs the exchange nothing since 2026-04; this process charged 1 before knowing.
    await placeRestingBuy(rest, 'vk-weight-1');
    reported = header((await rest.requestResponse(reads[0])).headers);
    expectAgreement(reported, 1);

    // The WebSocket API: connection (2) and subscription (2), read back from the answer's rateLimits.
    await timeSync.start();
    const stream = new BinanceUserStreamSource({
      wsApiUrl: v.sim.wsApiUrl,
      auth: new BinanceAuth(v.apiKey, v.apiSecret),
      timeSync,
      symbols: () => ({ symbolToPair: new Map() }),
      limiter,
      ws: { pingIntervalMs: 1_000, idleTimeoutMs: 5_000 },
    });
    cleanups.push(() => stream.stop());
    await stream.start({ onMessage: () => undefined, onSubscribed: () => undefined, onDisconnected: () => undefined });
    await waitFor(() => stream.subscribed, 'the user data subscription');
    const exchangeCount = v.sim.admin.limits.status('127.0.0.1').limits.find((l) => l.rateLimitType === 'REQUEST_WEIGHT')!.count;
    expect(exchangeCount).toBe(reported + 1 + 2 + 2);
    expectAgreement(exchangeCount, 1);
  });
});
