import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type AccountHandle, type Simulator } from '../../../src/simulator/index.js';
import { waitFor } from '../../support/wait.js';
import { TestClient } from '../support/client.js';
import { WsApiTestClient } from '../support/ws-api-client.js';
import { WsTestClient } from '../support/ws-client.js';

let sim: Simulator;
let maker: AccountHandle;
let taker: AccountHandle;
let m: TestClient;
let t: TestClient;
const open: { close(): Promise<void> }[] = [];

async function stream(path: string): Promise<WsTestClient> {
  const c = await WsTestClient.open(`ws://127.0.0.1:${sim.port}${path}`);
  open.push(c);
  return c;
}

async function userStream(account: AccountHandle): Promise<{ ws: WsApiTestClient; id: number }> {
  const ws = await WsApiTestClient.open(sim.wsApiUrl, account.apiKey, account.apiSecret);
  open.push(ws);
  const { result } = await ws.signed('userDataStream.subscribe.signature');
  return { ws, id: result.subscriptionId as number };
}

/** A resting sell and a buy that fills it: trades on the tape, events for both accounts. */
async function trade(symbol = 'BTCUSDT', price = '60000'): Promise<void> {
  await m.signed('POST', '/api/v3/order', { symbol, side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price });
  await t.signed('POST', '/api/v3/order', { symbol, side: 'BUY', type: 'MARKET', quantity: '0.01' });
}

beforeAll(async () => {
  sim = await startSimulator({
    activity: false,
    seedLiquidity: false,
    demoAccount: false,
    limits: { enforce: false },
    streams: { fastDepthMs: 20, depthMs: 40, maxMessagesPerSecond: 0 },
    websocket: { pingIntervalMs: 25, pongTimeoutMs: 1000 },
  });
  maker = sim.admin.createAccount({ balances: { USDT: '1000000', BTC: '100', ETH: '1000' } });
  taker = sim.admin.createAccount({ balances: { USDT: '1000000', BTC: '100', ETH: '1000' } });
  m = new TestClient(sim.restUrl, maker.apiKey, maker.apiSecret);
  t = new TestClient(sim.restUrl, taker.apiKey, taker.apiSecret);
});
afterEach(async () => {
  sim.admin.faults.clear();
  await Promise.all(open.splice(0).map((c) => c.close()));
});
afterAll(() => sim.close());

describe('connections', () => {
  it('a stream connection dropped when its next message is due (code 1006), others untouched', async () => {
    const victim = await stream('/ws/btcusdt@trade');
    const witness = await stream('/ws/btcusdt@trade');
    const fault = sim.admin.faults.inject({ kind: 'disconnect', stream: 'btcusdt@trade', times: 1 });
    await trade();
    expect(await victim.closed).toBe(1006);
    expect(await witness.next((x) => x.e === 'trade')).toMatchObject({ p: '60000.00000000' });
    expect(fault.hits).toBe(1);
  });

  it('half-open: the server stops sending anything (pings, pongs, data) without closing', async () => {
    const victim = await stream('/ws/ethusdt@trade');
    const witness = await stream('/ws/ethusdt@trade');
    sim.admin.faults.inject({ kind: 'disconnect', stream: 'market', mode: 'half-open', times: 1 });
    await trade('ETHUSDT', '3000');
    await witness.next((x) => x.e === 'trade');
    const frozenPings = victim.pings;
    let pongs = 0;
    victim.ws.on('pong', () => pongs++);
    victim.ws.ping('are you there');
    await trade('ETHUSDT', '3000');
    await witness.next((x) => x.e === 'trade');
    const seen = witness.pings;
    await waitFor(() => witness.pings >= seen + 4, 'more server pings on the healthy connection');
    expect(victim.pings).toBe(frozenPings);
    expect(victim.messages).toEqual([]);
    expect(pongs).toBe(0);
    expect(victim.ws.readyState).toBe(WebSocket.OPEN);
    expect(sim.admin.faults.connections('streams')).toBe(2);
  });

  it('admin actions: drop, and a planned shutdown with serverShutdown first', async () => {
    const s1 = await stream('/ws');
    const { ws } = await userStream(maker);
    expect(await sim.admin.faults.disconnect('ws-api', 'drop')).toBe(1);
    expect(await ws.ws.closed).toBe(1006);
    expect(s1.ws.readyState).toBe(WebSocket.OPEN);
    const { ws: again } = await userStream(maker);
    expect(await sim.admin.faults.disconnect('all', 'shutdown')).toBe(2);
    expect(await again.ws.next((x) => x.event?.e === 'serverShutdown')).toEqual({ event: { e: 'serverShutdown', E: expect.any(Number) } });
    expect(await s1.next((x) => x.e === 'serverShutdown')).toMatchObject({ e: 'serverShutdown' });
    expect(await again.ws.closed).toBe(1001);
    expect(await s1.closed).toBe(1001);
  });
});

describe('depth streams', () => {
  /** Collects diffs of a stream; each should start where the previous ended. */
  async function diffs(name: string) {
    const c = await stream(`/ws/${name}`);
    return { c, next: () => c.next((x) => x.e === 'depthUpdate', 'a depth diff') };
  }

  it('stalled: no diffs while it lasts, then one diff covering the stall (no gap)', async () => {
    const { c, next } = await diffs('btcusdt@depth@100ms');
    await m.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '40000' });
    const before = await next();
    const stall = sim.admin.faults.inject({ kind: 'stall', stream: 'btcusdt@depth@100ms' });
    for (const price of ['40001', '40002', '40003']) {
      await m.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price });
    }
    await waitFor(() => stall.hits >= 3, 'three held-back flushes');
    expect(c.messages.filter((x) => x.e === 'depthUpdate')).toHaveLength(1);
    stall.clear();
    const after = await next();
    expect(after.U).toBe(before.u + 1);
    expect(after.b.map((l: string[]) => l[0])).toEqual(['40003.00000000', '40002.00000000', '40001.00000000']);
  });

  it('gap: a lost diff, so the next one does not chain', async () => {
    const { next } = await diffs('ethusdt@depth@100ms');
    await m.signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '2000' });
    const before = await next();
    const gap = sim.admin.faults.inject({ kind: 'gap', stream: 'ethusdt@depth@100ms', times: 1 });
    await m.signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '2001' });
    await waitFor(() => gap.hits === 1, 'the lost diff');
    await m.signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '2002' });
    const after = await next();
    expect(after.U).toBeGreaterThan(before.u + 1);
  });
});

describe('user data events', () => {
  const kinds = (ws: WsApiTestClient, id: number) => ws.ws.messages.filter((x) => x.subscriptionId === id).map((x) => (x.event.e === 'executionReport' ? `${x.event.x}` : x.event.e));

  it('duplicated', async () => {
    const { ws, id } = await userStream(taker);
    sim.admin.faults.inject({ kind: 'duplicate', stream: 'userData', accountId: taker.accountId, events: ['executionReport'] });
    await trade();
    await ws.event((e) => e.e === 'outboundAccountPosition', id);
    expect(kinds(ws, id)).toEqual(['NEW', 'NEW', 'TRADE', 'TRADE', 'outboundAccountPosition']);
  });

  it('lost', async () => {
    const { ws, id } = await userStream(taker);
    sim.admin.faults.inject({ kind: 'drop', stream: 'userData', events: ['executionReport'], times: 1 });
    await trade();
    await ws.event((e) => e.e === 'outboundAccountPosition', id);
    expect(kinds(ws, id)).toEqual(['TRADE', 'outboundAccountPosition']);
  });

  it('delayed past later events of another kind', async () => {
    const { ws, id } = await userStream(taker);
    sim.admin.faults.inject({ kind: 'delay', stream: 'userData', ms: 100, events: ['executionReport'] });
    await trade();
    await waitFor(() => kinds(ws, id).length === 3, 'three events');
    expect(kinds(ws, id)).toEqual(['outboundAccountPosition', 'NEW', 'TRADE']);
  });

  it('reordered within a window, reproducibly from the seed', async () => {
    const run = async () => {
      sim.admin.faults.clear();
      sim.admin.faults.reseed(7);
      const { ws, id } = await userStream(taker);
      sim.admin.faults.inject({ kind: 'reorder', stream: 'userData', windowMs: 60 });
      for (const price of ['61000', '61001', '61002']) {
        await m.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price });
      }
      await t.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.03' });
      await waitFor(() => kinds(ws, id).length === 5, 'five events');
      // Each event's rank in the order the engine produced them (the position comes last).
      const seen: number[] = ws.ws.messages.filter((x) => x.subscriptionId === id).map((x) => x.event.I ?? Infinity);
      await ws.close();
      const sorted = [...seen].sort((x, y) => x - y);
      return seen.map((i) => sorted.indexOf(i));
    };
    const first = await run();
    expect(first).not.toEqual([0, 1, 2, 3, 4]);
    expect(await run()).toEqual(first);
  });

  it('a user stream dropped during fills: the connection closes and the fill event is lost', async () => {
    const { ws, id } = await userStream(taker);
    sim.admin.faults.inject({ kind: 'disconnect', stream: 'userData', accountId: taker.accountId, times: 1 });
    await trade();
    expect(await ws.ws.closed).toBe(1006);
    expect(kinds(ws, id)).toEqual([]);
    expect(sim.wsApi.hub.subscriptions(taker.accountId)).toBe(0);
  });
});
