import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type AccountHandle, type Simulator } from '../../../src/simulator/index.js';
import { waitFor } from '../../support/wait.js';
import { TestClient } from '../support/client.js';
import { WsApiTestClient } from '../support/ws-api-client.js';

let sim: Simulator;
let alice: AccountHandle;
let a: TestClient;
let n = 0;

const limitBuy = (extra: Record<string, string | number> = {}) => ({
  symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000', newClientOrderId: `f-${++n}`, ...extra,
});
const known = (clientOrderId: string) => sim.admin.orders(alice.accountId).some((o) => o.clientOrderId === clientOrderId);

beforeAll(async () => {
  sim = await startSimulator({ activity: false, demoAccount: false, limits: { enforce: false } });
  alice = sim.admin.createAccount({ balances: { USDT: '1000000', BTC: '10' } });
  a = new TestClient(sim.restUrl, alice.apiKey, alice.apiSecret);
});
afterEach(() => {
  sim.admin.faults.clear();
  sim.admin.faults.setClockOffset(0);
});
afterAll(() => sim.close());

describe('latency', () => {
  it('on the way in ages the request: a short recvWindow then fails with -1021', async () => {
    const fault = sim.admin.faults.inject({ kind: 'latency', endpoint: 'POST /api/v3/order', ms: 300, times: 1 });
    const started = Date.now();
    const late = await a.signed('POST', '/api/v3/order', limitBuy(), { recvWindow: 100 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(late).toMatchObject({ status: 400, body: { code: -1021 } });
    expect(fault.hits).toBe(1);
    expect(fault.active).toBe(false);
    expect((await a.signed('POST', '/api/v3/order', limitBuy(), { recvWindow: 100 })).status).toBe(200);
  });

  it('on the way back delays an answer that was executed at once', async () => {
    sim.admin.faults.inject({ kind: 'latency', endpoint: 'order.place', ms: 200, phase: 'response', times: 1 });
    const order = limitBuy();
    const answer = a.signed('POST', '/api/v3/order', order);
    await waitFor(() => known(order.newClientOrderId), 'the order on the exchange');
    expect((await answer).status).toBe(200);
  });
});

describe('lost answers', () => {
  it('5xx: never executed by default, executed with execute: before-response', async () => {
    sim.admin.faults.inject({ kind: 'server-error', endpoint: 'order.place', status: 503, times: 1 });
    const first = limitBuy();
    expect(await a.signed('POST', '/api/v3/order', first)).toMatchObject({ status: 503, body: { code: -1001 } });
    expect(known(first.newClientOrderId)).toBe(false);
    sim.admin.faults.inject({ kind: 'server-error', endpoint: 'POST /api/v3/order', status: 502, execute: 'before-response', times: 1 });
    const second = limitBuy();
    const lost = await fetchRaw(second);
    expect(lost.status).toBe(502);
    expect(lost.text).toContain('Bad Gateway');
    expect(known(second.newClientOrderId)).toBe(true);
  });

  it('-1007 with HTTP 408 after the order executed', async () => {
    const handle = sim.admin.faults.inject({ kind: 'timeout', endpoint: 'POST /api/v3/order', times: 1 });
    const order = limitBuy();
    expect(await a.signed('POST', '/api/v3/order', order)).toMatchObject({
      status: 408,
      body: { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' },
    });
    expect(known(order.newClientOrderId)).toBe(true);
    expect(handle.hits).toBe(1);
  });

  it('-1007 and the create reaches the engine only after the first status query, which finds nothing', async () => {
    sim.admin.faults.inject({ kind: 'timeout', endpoint: 'order.place', execute: 'after-first-query', times: 1 });
    const order = limitBuy();
    expect((await a.signed('POST', '/api/v3/order', order, { recvWindow: 10_000 })).body.code).toBe(-1007);
    expect(known(order.newClientOrderId)).toBe(false);
    const first = await a.signed('GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: order.newClientOrderId });
    expect(first).toMatchObject({ status: 400, body: { code: -2013 } });
    expect(known(order.newClientOrderId)).toBe(true);
    const second = await a.signed('GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: order.newClientOrderId });
    expect(second.body).toMatchObject({ clientOrderId: order.newClientOrderId, status: 'NEW' });
  });

  it('-1007 after-first-query with no query: executes anyway before its recvWindow runs out', async () => {
    sim.admin.faults.inject({ kind: 'timeout', endpoint: 'order.place', execute: 'after-first-query', times: 1 });
    const order = limitBuy();
    expect((await a.signed('POST', '/api/v3/order', order, { recvWindow: 400 })).status).toBe(408);
    expect(known(order.newClientOrderId)).toBe(false);
    await waitFor(() => known(order.newClientOrderId), 'the held order to execute');
  });

  it('the same faults on the WebSocket API (by method name)', async () => {
    const ws = await WsApiTestClient.open(sim.wsApiUrl, alice.apiKey, alice.apiSecret);
    try {
      sim.admin.faults.inject({ kind: 'timeout', endpoint: 'order.place', times: 1 });
      const order = limitBuy();
      expect(await ws.signed('order.place', order)).toMatchObject({ status: 408, error: { code: -1007 } });
      expect(known(order.newClientOrderId)).toBe(true);
      sim.admin.faults.inject({ kind: 'server-error', endpoint: 'order.status', status: 500, times: 1 });
      expect(await ws.signed('order.status', { symbol: 'BTCUSDT', origClientOrderId: order.newClientOrderId })).toMatchObject({ status: 500, error: { code: -1000 } });
    } finally {
      await ws.close();
    }
  });
});

describe('events before the answer', () => {
  it('the executionReport of a create is written before its REST answer, even when events are slow', async () => {
    const ws = await WsApiTestClient.open(sim.wsApiUrl, alice.apiKey, alice.apiSecret);
    try {
      await ws.signed('userDataStream.subscribe.signature');
      const reports = (id: string) => ws.ws.messages.filter((m) => m.event?.c === id).map((m) => m.event.x);
      // Events 200 ms late would come after the answer; the fault holds the answer until they are written.
      sim.admin.faults.inject({ kind: 'delay', stream: 'userData', ms: 200 });
      sim.admin.faults.inject({ kind: 'events-before-response', endpoint: 'order.place', ms: 20 });
      const held = limitBuy();
      await a.signed('POST', '/api/v3/order', held);
      expect(reports(held.newClientOrderId)).toEqual(['NEW']);
    } finally {
      await ws.close();
    }
  });
});

describe('reproducible and clock', () => {
  it('probabilities replay from the fault seed', async () => {
    const pattern = async () => {
      sim.admin.faults.clear();
      sim.admin.faults.reseed(42);
      sim.admin.faults.inject({ kind: 'server-error', endpoint: 'ping', probability: 0.5 });
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await a.get('/api/v3/ping')).status);
      return out;
    };
    const first = await pattern();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await pattern()).toEqual(first);
  });

  it('a server clock offset moves serverTime and the timestamp checks (-1021)', async () => {
    sim.admin.faults.setClockOffset(20_000);
    expect((await a.get('/api/v3/time')).body.serverTime - Date.now()).toBeGreaterThan(15_000);
    expect((await a.signed('GET', '/api/v3/account')).body.code).toBe(-1021);
    a.clockOffset = 20_000;
    try {
      expect((await a.signed('GET', '/api/v3/account')).status).toBe(200);
    } finally {
      a.clockOffset = 0;
    }
  });

  it('refuses a malformed fault at once', () => {
    expect(() => sim.admin.faults.inject({ kind: 'latency', endpoint: [], ms: 5 })).toThrow(RangeError);
    expect(() => sim.admin.faults.inject({ kind: 'timeout', endpoint: 'order.place', times: 0 })).toThrow(/times/);
    expect(() => sim.admin.faults.inject({ kind: 'server-error', endpoint: '*', probability: 2 })).toThrow(/probability/);
  });
});

/** A signed order whose answer is read as text (a proxy's 502 body is not JSON). */
async function fetchRaw(params: Record<string, string | number>): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams(Object.entries({ ...params, timestamp: Date.now() }).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const signature = createHmac('sha256', alice.apiSecret).update(body).digest('hex');
  const res = await fetch(`${sim.restUrl}/api/v3/order`, {
    method: 'POST',
    headers: { 'X-MBX-APIKEY': alice.apiKey, 'content-type': 'application/x-www-form-urlencoded' },
    body: `${body}&signature=${signature}`,
  });
  return { status: res.status, text: await res.text() };
}
