import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type AccountHandle, type Simulator } from '../../../src/simulator/index.js';
import { waitFor } from '../../support/wait.js';
import { TestClient } from '../support/client.js';
import { WsTestClient } from '../support/ws-client.js';

let sim: Simulator;
let alice: AccountHandle;
let a: TestClient;
let b: TestClient;
const open: WsTestClient[] = [];

async function connect(path: string, options: WebSocket.ClientOptions = {}): Promise<WsTestClient> {
  const client = await WsTestClient.open(`ws://127.0.0.1:${sim.port}${path}`, options);
  open.push(client);
  return client;
}

function order(params: Record<string, string>, client = a) {
  return client.signed('POST', '/api/v3/order', { type: 'LIMIT', timeInForce: 'GTC', ...params });
}

beforeAll(async () => {
  sim = await startSimulator({
    activity: false,
    seedLiquidity: false,
    demoAccount: false,
    streams: { depthMs: 60, fastDepthMs: 20, maxMessagesPerSecond: 0 },
    websocket: { pingIntervalMs: 50, pongTimeoutMs: 150 },
  });
  alice = sim.admin.createAccount({ balances: { USDT: '1000000', BTC: '100', ETH: '1000' } });
  a = new TestClient(sim.restUrl, alice.apiKey, alice.apiSecret);
  const bob = sim.admin.createAccount({ balances: { USDT: '1000000', BTC: '100', ETH: '1000' } });
  b = new TestClient(sim.restUrl, bob.apiKey, bob.apiSecret);
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await sim.close();
});

describe('control messages', () => {
  it('SUBSCRIBE, LIST_SUBSCRIPTIONS, UNSUBSCRIBE and the combined property, answered with the request id', async () => {
    const c = await connect('/ws/0'); // ccxt's numbered path: the segment names no stream and is ignored
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 1 })).toEqual({ result: [], id: 1 });
    expect(await c.request({ method: 'SUBSCRIBE', params: ['btcusdt@trade', 'ethusdt@depth@100ms'], id: 2 })).toEqual({ result: null, id: 2 });
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 'x3' })).toEqual({ result: ['btcusdt@trade', 'ethusdt@depth@100ms'], id: 'x3' });
    expect(await c.request({ method: 'UNSUBSCRIBE', params: ['btcusdt@trade'], id: 4 })).toEqual({ result: null, id: 4 });
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 5 })).toEqual({ result: ['ethusdt@depth@100ms'], id: 5 });
    expect(await c.request({ method: 'GET_PROPERTY', params: ['combined'], id: 6 })).toEqual({ result: false, id: 6 });
    expect(await c.request({ method: 'SET_PROPERTY', params: ['combined', true], id: 7 })).toEqual({ result: null, id: 7 });
    expect(await c.request({ method: 'GET_PROPERTY', params: ['combined'], id: 8 })).toEqual({ result: true, id: 8 });
    expect(sim.streams.activeStreams()).toContain('ethusdt@depth@100ms');
  });

  it("refuses what Binance refuses, with its codes", async () => {
    const c = await connect('/ws');
    expect(await c.request({ method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 1 })).toEqual({ error: { code: 1, msg: 'Invalid value type: expected Boolean' }, id: 1 });
    expect(await c.request({ method: 'GET_PROPERTY', params: ['colour'], id: 2 })).toEqual({ error: { code: 0, msg: 'Unknown property' }, id: 2 });
    expect(await c.request({ method: 'SUBSCRIBE', params: ['nosuch@trade'], id: 3 })).toMatchObject({ error: { code: 2 }, id: 3 });
    expect(await c.request({ method: 'SUBSCRIBE', params: ['BTCUSDT@trade'], id: 4 })).toMatchObject({ error: { code: 2 }, id: 4 });
    expect(await c.request({ method: 'DANCE', id: 5 })).toMatchObject({ error: { code: 2 }, id: 5 });
    c.send('{not json');
    expect(await c.next((m) => m.error?.code === 3)).toMatchObject({ error: { code: 3 }, id: null });
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 6 })).toEqual({ result: [], id: 6 });
  });

  it('closes a connection that sends more than 5 messages in a second (Binance\'s limit by default)', async () => {
    const own = await startSimulator({ activity: false, demoAccount: false });
    const c = await WsTestClient.open(own.wsUrl);
    for (let i = 0; i < 8; i++) c.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    expect(await c.closed).toBe(1008);
    expect(c.messages.length).toBeLessThanOrEqual(5);
    await own.close();
  });
});

describe('events', () => {
  it('trade and bookTicker in real time, raw on /ws/<stream> and wrapped on /stream', async () => {
    const raw = await connect('/ws/btcusdt@trade/btcusdt@bookTicker');
    const combined = await connect('/stream?streams=btcusdt@trade/btcusdt@aggTrade');
    const sold = await order({ symbol: 'BTCUSDT', side: 'SELL', quantity: '0.5', price: '60000' });
    expect(sold.status).toBe(200);
    const ticker = await raw.next((m) => m.u !== undefined && m.s === 'BTCUSDT');
    expect(ticker).toEqual({ u: ticker.u, s: 'BTCUSDT', b: '0.00000000', B: '0.00000000', a: '60000.00000000', A: '0.50000000' });
    await order({ symbol: 'BTCUSDT', side: 'BUY', quantity: '0.2', price: '60000' }, b);
    const trade = await raw.next((m) => m.e === 'trade');
    expect(trade).toEqual({ e: 'trade', E: trade.E, s: 'BTCUSDT', t: trade.t, p: '60000.00000000', q: '0.20000000', T: trade.T, m: false, M: true });
    expect(await raw.next((m) => m.u !== undefined)).toMatchObject({ a: '60000.00000000', A: '0.30000000' });
    const wrapped = await combined.next((m) => m.stream === 'btcusdt@trade');
    expect(wrapped.data).toEqual(trade);
    const agg = await combined.next((m) => m.stream === 'btcusdt@aggTrade');
    expect(agg.data).toMatchObject({ e: 'aggTrade', s: 'BTCUSDT', p: '60000.00000000', q: '0.20000000', f: trade.t, l: trade.t, m: false });
  });

  it('depth diffs carry every touched level (adds, fills, cancels) and chain from the REST snapshot', async () => {
    const c = await connect('/ws/ethusdt@depth@100ms');
    const snapshot = (await a.get('/api/v3/depth', { symbol: 'ETHUSDT', limit: 5000 })).body;
    const placed = await order({ symbol: 'ETHUSDT', side: 'SELL', quantity: '1', price: '3000' });
    await order({ symbol: 'ETHUSDT', side: 'BUY', quantity: '2', price: '2990' });
    await order({ symbol: 'ETHUSDT', side: 'BUY', quantity: '0.4', price: '3000' }, b); // fills part of the sell
    await a.signed('DELETE', '/api/v3/order', { symbol: 'ETHUSDT', orderId: placed.body.orderId }); // cancels the rest
    const after = (await a.get('/api/v3/depth', { symbol: 'ETHUSDT', limit: 5000 })).body;
    const diffs: { U: number; u: number; b: string[][]; a: string[][] }[] = [];
    await waitFor(async () => {
      const d = await c.next((m) => m.e === 'depthUpdate');
      diffs.push(d);
      return d.u >= after.lastUpdateId;
    }, 'diffs up to the second snapshot');
    // The first diff joins the snapshot; each next one starts where the previous ended.
    const first = diffs.findIndex((d) => d.u > snapshot.lastUpdateId);
    expect(diffs[first]!.U).toBeLessThanOrEqual(snapshot.lastUpdateId + 1);
    for (let i = first + 1; i < diffs.length; i++) expect(diffs[i]!.U).toBe(diffs[i - 1]!.u + 1);
    expect(diffs.at(-1)!.u).toBe(after.lastUpdateId);
    const touched = new Map<string, string>();
    for (const d of diffs.slice(first)) for (const [p, q] of [...d.b, ...d.a]) touched.set(p!, q!);
    expect(touched.get('3000.00000000')).toBe('0.00000000'); // added, partly filled, cancelled: gone
    expect(touched.get('2990.00000000')).toBe('2.00000000');
  });

  it('partial depth sends the top levels on its cadence', async () => {
    const c = await connect('/ws/ethusdt@depth5@100ms');
    await order({ symbol: 'ETHUSDT', side: 'BUY', quantity: '1', price: '2980' });
    const book = await c.next((m) => m.lastUpdateId !== undefined && m.bids.some((l: string[]) => l[0] === '2980.00000000'));
    const rest = (await a.get('/api/v3/depth', { symbol: 'ETHUSDT', limit: 5 })).body;
    expect(book).toEqual(rest);
  });
});

describe('connection lifecycle', () => {
  it('pings on schedule; a client that answers stays, one that does not is disconnected', async () => {
    const answering = await connect('/ws');
    const silent = await connect('/ws', { autoPong: false });
    expect(await silent.closed).toBe(1006);
    await waitFor(() => answering.pings >= 4, 'pings');
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('serverShutdown before a planned close, raw and combined', async () => {
    const own = await startSimulator({ activity: false, demoAccount: false });
    const raw = await WsTestClient.open(`${own.wsUrl}`);
    const combined = await WsTestClient.open(`ws://127.0.0.1:${own.port}/stream?streams=btcusdt@trade`);
    const closing = own.close();
    expect(await raw.next((m) => m.e === 'serverShutdown')).toEqual({ e: 'serverShutdown', E: expect.any(Number) });
    expect(await combined.next((m) => m.stream === '!serverShutdown')).toMatchObject({ data: { e: 'serverShutdown' } });
    expect(await raw.closed).toBe(1001);
    expect(await combined.closed).toBe(1001);
    await closing;
  });
});
