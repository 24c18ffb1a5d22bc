import { afterEach, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../src/core/errors.js';
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
      log.push({ method: req.method, path: req.path, status: res.status });
      return res;
    },
    { before: 'route' },
  );
  return { sim, log, apiKey: sim.demo!.apiKey, apiSecret: sim.demo!.apiSecret };
}

function client(v: Venue, secret = v.apiSecret): ReturnType<typeof binanceRest> {
  const clients = binanceRest(v.sim.restUrl, new BinanceAuth(v.apiKey, secret));
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
    expect(v.log.slice(before)).toEqual([{ method: 'GET', path: PATHS.account, status: 400 }]);
  });

  it('corrects a clock offset: a -1021 resyncs the clock and the request is sent once more and accepted', async () => {
    const v = await venue();
    const { rest, timeSync } = client(v);
    await timeSync.start();
    await rest.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account });

    // The exchange's clock jumps 30 s ahead: signatures made with the old offset fall outside recvWindow.
    v.sim.clock.offsetMs = 30_000;
    const before = v.log.length;
    await rest.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account });
    expect(v.log.slice(before).map((r) => `${r.path} ${r.status}`)).toEqual([`${PATHS.account} 400`, `${PATHS.time} 200`, `${PATHS.account} 200`]);
    expect(timeSync.offsetMs).toBeGreaterThan(25_000);

    // An order too: refused for its timestamp, so not executed, so safe to send once more.
    v.sim.clock.offsetMs = -30_000;
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

  function liveSockets(v: Venue): number {
    return [...v.sim.streams.group.sockets].filter((s) => s.state === 'open').length;
  }

  it('reconnects after the exchange drops the socket and resubscribes before signalling reconnected', async () => {
    const v = await venue();
    const { client, events } = await streamClient(v, 5_000);
    expect(v.sim.streams.activeStreams()).toEqual(['btcusdt@trade']);
    for (const socket of v.sim.streams.group.sockets) socket.drop();
    await waitFor(() => events.includes('reconnected'), 'the reconnection');
    expect(events).toEqual(['disconnected', 'reconnected']);
    expect(client.connectionCount).toBe(2);
    expect(v.sim.streams.activeStreams()).toEqual(['btcusdt@trade']);
    expect(liveSockets(v)).toBe(1);
  });

  it('replaces a connection the exchange leaves silent and half-open', async () => {
    // The simulator pings every 100 ms: a healthy connection is never idle for 600 ms.
    const v = await venue({ websocket: { pingIntervalMs: 100 } });
    const { client, events } = await streamClient(v, 600);
    const [socket] = [...v.sim.streams.group.sockets];
    socket!.silence();
    await waitFor(() => events.includes('reconnected'), 'the replacement');
    expect(client.connectionCount).toBe(2);
    expect(liveSockets(v)).toBe(1);
    expect(v.sim.streams.activeStreams()).toEqual(['btcusdt@trade']);
  });
});
