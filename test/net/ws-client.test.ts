import { afterEach, describe, expect, it } from 'vitest';
import {
  ExchangeError,
  InvalidArgumentError,
  NetworkError,
  RateLimitedError,
  RequestTimeoutError,
  type VenuekitError,
} from '../../src/core/errors.js';
import { RateLimiter } from '../../src/net/rate-limiter.js';
import { monotonicClock, type NetClock } from '../../src/net/clock.js';
import { WsClient, type WsClientOptions, type WsSubscription } from '../../src/net/ws-client.js';
import type { WsErrorMapper } from '../../src/net/ws-requests.js';
import { waitFor } from '../support/wait.js';
import { WsExchange } from './support/ws-exchange.js';
import { closedPort } from '../support/closed-port.js';

/** How a connector would read errors out of this venue's answers. */
const errorMapper: WsErrorMapper = {
  mapError(message: unknown): VenuekitError | undefined {
    const m = message as { code?: number; msg?: string; status?: number; error?: { code: number; msg: string; data?: { retryAfter?: number } } };
    if (m.status === 429 && m.error) {
      return new RateLimitedError(m.error.msg, Math.max(0, (m.error.data?.retryAfter ?? 0) - Date.now()), false, { exchangeCode: m.error.code });
    }
    if (m.error) return new ExchangeError(m.error.msg, { exchangeCode: m.error.code });
    if (typeof m.code === 'number') return new ExchangeError(m.msg ?? 'refused', { exchangeCode: m.code });
    return undefined;
  },
};

function streams(...names: string[]): WsSubscription {
  return {
    key: names.join(','),
    subscribe: async (client) => void (await client.request({ method: 'SUBSCRIBE', params: names })),
    unsubscribe: async (client) => void (await client.request({ method: 'UNSUBSCRIBE', params: names })),
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(options: Partial<WsClientOptions> = {}): Promise<{ ex: WsExchange; client: WsClient; messages: unknown[] }> {
  const ex = await WsExchange.start();
  cleanups.push(() => ex.close());
  const client = new WsClient({
    url: ex.url,
    name: 'test',
    errorMapper,
    pingIntervalMs: 50,
    idleTimeoutMs: 300,
    requestTimeoutMs: 1_000,
    reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
  cleanups.push(() => client.stop());
  const messages: unknown[] = [];
  client.on('message', (m) => messages.push(m));
  return { ex, client, messages };
}

describe('WsClient', () => {
  it('subscribes, receives stream data and correlates answers by id', async () => {
    const { ex, client, messages } = await setup();
    await client.subscribe(streams('btcusdt@depth'));
    await client.start();
    expect(ex.subscriptions()).toEqual(['btcusdt@depth']);
    ex.publish('btcusdt@depth', { u: 1 });
    await waitFor(() => messages.length === 1, 'stream message');
    expect(messages[0]).toEqual({ stream: 'btcusdt@depth', data: { u: 1 } });

    const answers = await Promise.all([1, 2, 3].map((n) => client.request<{ result: unknown }>({ method: 'echo', params: { n } })));
    expect(answers.map((a) => a.result)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await expect(client.request({ method: 'fail' })).rejects.toMatchObject({ exchangeCode: -1100 });
    expect(messages).toHaveLength(1); // answers never leak into the message stream
  });

  it('fails a request that gets no answer with RequestTimeoutError, and one sent while down with NetworkError', async () => {
    const { client } = await setup();
    await client.start();
    await expect(client.request({ method: 'never' }, { timeoutMs: 50 })).rejects.toBeInstanceOf(RequestTimeoutError);
    await client.stop();
    await expect(client.request({ method: 'echo' })).rejects.toBeInstanceOf(NetworkError);
  });

  it('reconnects after a dropped socket, resubscribes everything, then signals reconnected', async () => {
    const { ex, client, messages } = await setup();
    let reconnected = 0;
    const disconnects: string[] = [];
    client.on('reconnected', () => reconnected++);
    client.on('disconnected', (why) => disconnects.push(why));
    await client.start();
    await client.subscribe(streams('btcusdt@depth'));
    await client.subscribe(streams('ethusdt@trade', 'ethusdt@depth'));
    const pending = client.request({ method: 'never' });

    ex.dropAll();
    await expect(pending).rejects.toBeInstanceOf(NetworkError); // outcome unknown, never left hanging
    await waitFor(() => reconnected === 1, 'reconnected');
    expect(ex.accepted).toBe(2);
    expect(ex.subscriptions()).toEqual(['btcusdt@depth', 'ethusdt@depth', 'ethusdt@trade']);
    expect(disconnects).toHaveLength(1);
    ex.publish('ethusdt@trade', { t: 9 });
    await waitFor(() => messages.length === 1, 'message after reconnect');
  });

  it('detects a silent half-open connection and replaces it', async () => {
    const { ex, client } = await setup({ pingIntervalMs: 30, idleTimeoutMs: 300 });
    let reconnected = 0;
    client.on('reconnected', () => reconnected++);
    await client.subscribe(streams('btcusdt@bookTicker'));
    await client.start();
    // Pings keep a healthy but quiet connection alive well past the idle timeout.
    await waitFor(() => ex.pingsReceived >= 15, 'fifteen pings');
    expect(client.connectionCount).toBe(1);

    ex.silenceAll();
    await waitFor(() => reconnected === 1, 'replacement connection');
    expect(ex.open).toBe(1);
    expect(ex.subscriptions()).toEqual(['btcusdt@bookTicker']);
  });

  it('keeps retrying with backoff until the exchange is reachable', async () => {
    const ex = await WsExchange.start();
    const url = ex.url;
    await ex.close();
    const client = new WsClient({ url, reconnect: { initialDelayMs: 5, maxDelayMs: 20 } });
    cleanups.push(() => client.stop());
    const started = client.start();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(client.isOpen).toBe(false);
    await client.stop();
    await expect(started).rejects.toBeInstanceOf(NetworkError);
  });

  it('spaces reconnect attempts exponentially up to the cap while unreachable, then connects and subscribes', async () => {
    const ex = await WsExchange.start();
    cleanups.push(() => ex.close());
    const dead = `ws://127.0.0.1:${await closedPort()}/ws`;
    // Every delay the client schedules; before its first connection opens, only reconnects are scheduled.
    const delays: number[] = [];
    const clock: NetClock = {
      now: monotonicClock.now,
      schedule: (ms, task) => {
        delays.push(ms);
        return monotonicClock.schedule(ms, task);
      },
    };
    let attempts = 0;
    const client = new WsClient({
      url: () => (++attempts <= 5 ? dead : ex.url), // refused five times, then the exchange is back
      clock,
      random: () => 1, // jitter at its top: the delay is the exponential value itself
      pingIntervalMs: 0,
      reconnect: { initialDelayMs: 5, maxDelayMs: 30 },
    });
    cleanups.push(() => client.stop());
    await client.subscribe(streams('btcusdt@trade'));
    await client.start();
    expect(attempts).toBe(6);
    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 30, 30]);
    expect(client.connectionCount).toBe(1);
    expect(ex.subscriptions()).toEqual(['btcusdt@trade']);
  });

  it('drops a subscription the exchange refuses, and refuses a duplicate key', async () => {
    const { client } = await setup();
    await client.start();
    await expect(client.subscribe(streams('bad@stream'))).rejects.toBeInstanceOf(ExchangeError);
    expect(client.subscriptionKeys).toEqual([]);
    await client.subscribe(streams('btcusdt@trade'));
    await expect(client.subscribe(streams('btcusdt@trade'))).rejects.toBeInstanceOf(InvalidArgumentError);
    await client.unsubscribe('btcusdt@trade');
    expect(client.subscriptionKeys).toEqual([]);
  });

  it('answers server pings, sends application heartbeats, and skips undecodable frames', async () => {
    const { ex, client, messages } = await setup({ heartbeat: { intervalMs: 20, request: () => ({ method: 'ping' }) } });
    await client.start();
    await ex.pingAll();
    await waitFor(() => ex.methods.filter((m) => m === 'ping').length >= 2, 'application pings');
    ex.sendRaw('not json {');
    ex.sendRaw('{"e":"event"}');
    await waitFor(() => messages.length === 1, 'next valid message');
    expect(messages[0]).toEqual({ e: 'event' });
  });

  it('replaces a connection whose application stops answering heartbeats though the socket lives', async () => {
    const { ex, client } = await setup({ heartbeat: { intervalMs: 30, request: () => ({ method: 'never' }) }, idleTimeoutMs: 0 });
    let reconnected = 0;
    client.on('reconnected', () => reconnected++);
    await client.start();
    await waitFor(() => reconnected >= 1, 'replacement after an unanswered heartbeat');
    expect(ex.accepted).toBeGreaterThanOrEqual(2);
  });

  it('keeps delivering to other listeners when one throws', async () => {
    const { ex, client, messages } = await setup();
    client.on('message', () => {
      throw new Error('bad listener');
    });
    await client.start();
    ex.sendRaw('{"a":1}');
    ex.sendRaw('{"a":2}');
    await waitFor(() => messages.length === 2, 'both messages');
  });

  it('closes cleanly on stop and does not reconnect', async () => {
    const { ex, client } = await setup();
    await client.start();
    await client.stop();
    await waitFor(() => ex.closeCodes.length === 1, 'server saw the close');
    expect(ex.closeCodes).toEqual([1000]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ex.accepted).toBe(1);
    expect(client.state).toBe('stopped');
  });

  it('replaces the connection on demand (a shutdown notice)', async () => {
    const { ex, client } = await setup();
    let reconnected = 0;
    client.on('reconnected', () => reconnected++);
    await client.subscribe(streams('btcusdt@depth'));
    await client.start();
    client.reconnect('serverShutdown');
    await waitFor(() => reconnected === 1, 'reconnected');
    expect(ex.accepted).toBe(2);
    expect(ex.subscriptions()).toEqual(['btcusdt@depth']);
  });

  it('charges connection attempts and requests to the rate limiter, with a URL chosen per connection', async () => {
    const limiter = new RateLimiter({
      pools: [
        { id: 'CONNECTIONS', limit: 1, intervalMs: 600 },
        { id: 'WEIGHT', limit: 100, intervalMs: 60_000 },
      ],
      endpoints: { connect: { CONNECTIONS: 1, WEIGHT: 2 }, echo: { WEIGHT: 3 } },
      safetyMargin: 0,
    });
    let urls = 0;
    const { ex, client } = await setup({
      url: () => {
        urls++;
        return Promise.resolve(ex.url);
      },
      limiter,
      connectLimitId: 'connect',
    });
    await client.start();
    await client.request({ method: 'echo' }, { limitId: 'echo' });
    expect(limiter.used('WEIGHT')).toBe(5);
    ex.dropAll();
    await waitFor(() => ex.acceptedAt.length === 2, 'reconnected');
    // Reconnect delays are at most 50 ms here: a longer gap is the wait for the connection slot.
    expect(ex.acceptedAt[1]! - ex.acceptedAt[0]!).toBeGreaterThanOrEqual(300);
    expect(urls).toBe(2);
  });

  it('feeds usage from answers to the limiter and pauses it on a rate-limited answer', async () => {
    const limiter = new RateLimiter({ pools: [{ id: 'WEIGHT', limit: 100, intervalMs: 60_000 }], endpoints: { call: { WEIGHT: 1 } } });
    const { client } = await setup({
      limiter,
      usageReader: {
        pools: ['WEIGHT'],
        readUsage: (message) =>
          ((message as { rateLimits?: Array<{ count: number }> }).rateLimits ?? []).map((r) => ({ pool: 'WEIGHT', used: r.count })),
      },
    });
    await client.start();
    await client.request({ method: 'weighted', params: 40 }, { limitId: 'call' });
    expect(limiter.used('WEIGHT')).toBe(40);
    await expect(client.request({ method: 'limited' }, { limitId: 'call' })).rejects.toBeInstanceOf(RateLimitedError);
    expect(limiter.pausedUntil).toBeGreaterThan(Date.now());
  });
});
