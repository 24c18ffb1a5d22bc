import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RateLimitInfo, type Simulator } from '../../../src/simulator/index.js';
import { waitFor } from '../../support/wait.js';
import { TestClient } from '../support/client.js';
import { WsApiTestClient } from '../support/ws-api-client.js';

const weightPer = (interval: RateLimitInfo['interval'], limit: number): RateLimitInfo => ({ rateLimitType: 'REQUEST_WEIGHT', interval, intervalNum: 1, limit });
const ordersPer = (intervalNum: number, limit: number): RateLimitInfo => ({ rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum, limit });

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Puts the exchange clock 100 ms into a fresh window of `lengthMs`, so a test never straddles a reset. */
function startOfWindow(s: Simulator, lengthMs: number): number {
  s.clock.offsetMs = lengthMs - (Date.now() % lengthMs) + 100;
  return s.clock.offsetMs;
}

describe('usage headers', () => {
  it('X-MBX-USED-WEIGHT-1M counts each endpoint\'s weight; order placements carry X-MBX-ORDER-COUNT-10S/1D and cost 0 when they succeed', async () => {
    sim = await startSimulator({ activity: false, demoAccount: false });
    const offset = startOfWindow(sim, 60_000);
    const acct = sim.admin.createAccount({ balances: { USDT: '100000' } });
    const c = new TestClient(sim.restUrl, acct.apiKey, acct.apiSecret, offset);
    const first = await c.get('/api/v3/ping');
    expect(first.headers.get('x-mbx-used-weight-1m')).toBe('1');
    expect((await c.get('/api/v3/depth', { symbol: 'BTCUSDT', limit: 1000 })).headers.get('x-mbx-used-weight-1m')).toBe('51');
    expect((await c.get('/api/v3/exchangeInfo')).headers.get('x-mbx-used-weight-1m')).toBe('71');
    const placed = await c.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000' });
    expect(placed.status).toBe(200);
    expect(placed.headers.get('x-mbx-used-weight-1m')).toBe('71');
    expect(placed.headers.get('x-mbx-order-count-10s')).toBe('1');
    expect(placed.headers.get('x-mbx-order-count-1d')).toBe('1');
    const refused = await c.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '1' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-mbx-used-weight-1m')).toBe('72'); // failures pay the documented weight
    expect(sim.admin.limits.status('127.0.0.1').limits.find((l) => l.rateLimitType === 'REQUEST_WEIGHT')?.count).toBe(72);
  });

  it('exchangeInfo publishes the limits in force, also after a change at run time', async () => {
    sim = await startSimulator({ activity: false, demoAccount: false, limits: { rateLimits: [weightPer('MINUTE', 100)] } });
    const c = new TestClient(sim.restUrl);
    expect((await c.get('/api/v3/exchangeInfo')).body.rateLimits).toEqual([weightPer('MINUTE', 100)]);
    sim.admin.limits.set({ rateLimits: [weightPer('SECOND', 700), ordersPer(10, 2)] });
    expect((await c.get('/api/v3/exchangeInfo')).body.rateLimits).toEqual([weightPer('SECOND', 700), ordersPer(10, 2)]);
  });
});

describe('429 then 418', () => {
  it('drives a raw client that ignores Retry-After from 429 into a 418 ban, which ends', async () => {
    sim = await startSimulator({
      activity: false,
      demoAccount: false,
      limits: { rateLimits: [weightPer('MINUTE', 20)], backoffGraceMs: 0, violationsBeforeBan: 3, banMs: 300 },
    });
    startOfWindow(sim, 60_000);
    const c = new TestClient(sim.restUrl);
    const answers = [];
    for (let i = 0; i < 30; i++) {
      const r = await c.get('/api/v3/ping');
      answers.push(r);
      if (r.status === 418) break;
    }
    const statuses = answers.map((r) => r.status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
    expect(statuses.slice(20)).toEqual([429, 429, 429, 418]);
    const tooMuch = answers[20]!;
    expect(tooMuch.body).toEqual({
      code: -1003,
      msg: 'Too much request weight used; current limit is 20 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
    });
    expect(Number(tooMuch.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const ban = answers.at(-1)!;
    expect(ban.body.code).toBe(-1003);
    expect(ban.body.msg).toMatch(/^Way too much request weight used; IP banned until \d+\. Please use WebSocket Streams for live updates to avoid bans\.$/);
    expect(Number(ban.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await c.get('/api/v3/time')).status).toBe(418); // still banned: everything is refused
    const standing = sim.admin.limits.status('127.0.0.1');
    expect(standing).toMatchObject({ bans: 1 });
    expect(standing.bannedUntil).toBeGreaterThan(0);
    await waitFor(() => sim!.admin.limits.status('127.0.0.1').bannedUntil === 0, 'the ban to end');
    expect((await c.get('/api/v3/ping')).status).toBe(429); // the minute is still used up: told to wait, not banned
    sim.admin.limits.reset();
    expect((await c.get('/api/v3/ping')).status).toBe(200);
  });

  it('a client that waits Retry-After out is never banned, and is served again', async () => {
    sim = await startSimulator({ activity: false, demoAccount: false, limits: { rateLimits: [weightPer('SECOND', 5)], backoffGraceMs: 0, violationsBeforeBan: 1 } });
    const c = new TestClient(sim.restUrl);
    let r = await c.get('/api/v3/ping');
    for (let i = 0; i < 10 && r.status === 200; i++) r = await c.get('/api/v3/ping');
    expect(r.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, Number(r.headers.get('retry-after')) * 1000));
    expect((await c.get('/api/v3/ping')).status).toBe(200);
    expect(sim.admin.limits.status('127.0.0.1').bans).toBe(0);
  });

  it('orders per 10 seconds: -1015 with 429, counted per account', async () => {
    sim = await startSimulator({ activity: false, demoAccount: false, limits: { rateLimits: [weightPer('MINUTE', 6000), ordersPer(10, 3)] } });
    const offset = startOfWindow(sim, 10_000);
    const accounts = [0, 1].map(() => sim!.admin.createAccount({ balances: { USDT: '100000' } }));
    const [a, b] = accounts.map((acct) => new TestClient(sim!.restUrl, acct.apiKey, acct.apiSecret, offset));
    const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000' };
    for (let i = 1; i <= 3; i++) expect((await a!.signed('POST', '/api/v3/order', order)).headers.get('x-mbx-order-count-10s')).toBe(String(i));
    const refused = await a!.signed('POST', '/api/v3/order', order);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ code: -1015, msg: 'Too many new orders; current limit is 3 orders per 10 SECOND.' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await b!.signed('POST', '/api/v3/order', order)).status).toBe(200);
    expect(sim.admin.orders(accounts[0]!.accountId)).toHaveLength(3);
  });

  it('an order that trades gives its count back (Binance\'s unfilled order count), as taker or as maker', async () => {
    sim = await startSimulator({ activity: false, seedLiquidity: false, demoAccount: false, limits: { rateLimits: [weightPer('MINUTE', 6000), ordersPer(10, 3)] } });
    const offset = startOfWindow(sim, 10_000);
    const [a, b] = [0, 1].map(() => sim!.admin.createAccount({ balances: { USDT: '100000', BTC: '1' } })).map((acct) => new TestClient(sim!.restUrl, acct.apiKey, acct.apiSecret, offset));
    const count = (r: { headers: Headers }) => r.headers.get('x-mbx-order-count-10s');
    await b!.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '60000' });
    // Five market orders that fill at once: each counts and gives back, so none is refused.
    for (let i = 0; i < 5; i++) expect(count(await a!.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' }))).toBe('0');
    const resting = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000' };
    for (let i = 1; i <= 3; i++) expect(count(await a!.signed('POST', '/api/v3/order', resting))).toBe(String(i));
    expect((await a!.signed('POST', '/api/v3/order', resting)).status).toBe(429);
    // b sells into a's best bid: that maker's first fill gives one back.
    await b!.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.0005' });
    expect(count(await a!.signed('POST', '/api/v3/order', resting))).toBe('3');
  });

  it('per API key, two clients on one IP do not share a budget', async () => {
    sim = await startSimulator({ activity: false, demoAccount: false, limits: { scope: 'apiKey', rateLimits: [weightPer('MINUTE', 40)] } });
    const offset = startOfWindow(sim, 60_000);
    const [x, y] = [0, 1].map(() => sim!.admin.createAccount({ balances: { USDT: '1' } }));
    const cx = new TestClient(sim.restUrl, x!.apiKey, x!.apiSecret, offset);
    const cy = new TestClient(sim.restUrl, y!.apiKey, y!.apiSecret, offset);
    expect((await cx.signed('GET', '/api/v3/account')).headers.get('x-mbx-used-weight-1m')).toBe('20');
    expect((await cx.signed('GET', '/api/v3/account')).headers.get('x-mbx-used-weight-1m')).toBe('40');
    expect((await cx.signed('GET', '/api/v3/account')).status).toBe(429);
    expect((await cy.signed('GET', '/api/v3/account')).status).toBe(200);
    expect(sim.admin.limits.status(sim.admin.limits.clientKey('127.0.0.1', x!.apiKey)).backoffUntil).toBeGreaterThan(0);
  });
});

describe('WebSocket API', () => {
  it('rateLimits in every answer (unless turned off), connection weight 2, shared with REST', async () => {
    sim = await startSimulator({ activity: false, demoAccount: false, limits: { rateLimits: [weightPer('MINUTE', 6000), ordersPer(10, 50)] } });
    const offset = startOfWindow(sim, 60_000);
    const acct = sim.admin.createAccount({ balances: { USDT: '100000' } });
    const ws = await WsApiTestClient.open(sim.wsApiUrl, acct.apiKey, acct.apiSecret);
    try {
      expect((await ws.call('ping')).rateLimits).toEqual([{ ...weightPer('MINUTE', 6000), count: 3 }]);
      await new TestClient(sim.restUrl).get('/api/v3/depth', { symbol: 'BTCUSDT' });
      expect((await ws.call('time')).rateLimits).toEqual([{ ...weightPer('MINUTE', 6000), count: 9 }]);
      const placed = await ws.signed('order.place', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000' }, Date.now() + offset);
      expect(placed.rateLimits).toEqual([
        { ...weightPer('MINUTE', 6000), count: 9 },
        { ...ordersPer(10, 50), count: 1 },
      ]);
      expect(await ws.call('time', { returnRateLimits: false })).not.toHaveProperty('rateLimits');
    } finally {
      await ws.close();
    }
    const quiet = await WsApiTestClient.open(`${sim.wsApiUrl}?returnRateLimits=false`);
    try {
      expect(await quiet.call('ping')).not.toHaveProperty('rateLimits');
      expect((await quiet.call('ping', { returnRateLimits: true })).rateLimits).toEqual([{ ...weightPer('MINUTE', 6000), count: 14 }]);
    } finally {
      await quiet.close();
    }
  });

  it('429 answers say when to retry in error.data; a banned client is refused and disconnected', async () => {
    sim = await startSimulator({ activity: false, demoAccount: false, limits: { rateLimits: [weightPer('MINUTE', 10)], backoffGraceMs: 0, violationsBeforeBan: 2, banMs: 60_000 } });
    startOfWindow(sim, 60_000);
    const ws = await WsApiTestClient.open(sim.wsApiUrl);
    const answers = [];
    for (let i = 0; i < 20; i++) {
      const a = await ws.call('ping');
      answers.push(a);
      if (a.status === 418) break;
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429, 429, 418]);
    const limited = answers[8];
    expect(limited.error).toMatchObject({ code: -1003, data: { serverTime: expect.any(Number), retryAfter: expect.any(Number) } });
    expect(limited.error.data.retryAfter).toBeGreaterThan(limited.error.data.serverTime);
    expect(answers[10].error.msg).toContain('IP banned until');
    expect(await ws.ws.closed).toBe(1008);
    await expect(WsApiTestClient.open(sim.wsApiUrl)).rejects.toThrow(/418/);
  });
});
