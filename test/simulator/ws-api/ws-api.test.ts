import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type AccountHandle, type Simulator } from '../../../src/simulator/index.js';
import { TestClient } from '../support/client.js';
import { WsApiTestClient, wsPayload, wsSign } from '../support/ws-api-client.js';

// The documented example key and secret (web-socket-api.md "SIGNED request example (HMAC)", binance-spot-api.md §8.2).
const DOC_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const DOC_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const DOC_TIMESTAMP = 1645423376532;

/** Every key of an executionReport (§7.1) that the simulator always sends. */
const REPORT_KEYS = ['e', 'E', 's', 'c', 'S', 'o', 'f', 'q', 'p', 'P', 'F', 'g', 'C', 'x', 'X', 'r', 'i', 'l', 'z', 'L', 'n', 'N', 'T', 't', 'I', 'w', 'm', 'M', 'O', 'Z', 'Y', 'Q', 'V'];

let sim: Simulator;
let alice: AccountHandle;
let bob: AccountHandle;
let restAlice: TestClient;
let restBob: TestClient;
const clients: WsApiTestClient[] = [];

async function connect(account?: AccountHandle, query = ''): Promise<WsApiTestClient> {
  const c = await WsApiTestClient.open(`${sim.wsApiUrl}${query}`, account?.apiKey, account?.apiSecret);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sim = await startSimulator({ activity: false, seedLiquidity: false, demoAccount: false });
  alice = sim.admin.createAccount({ balances: { USDT: '100000', BTC: '10', ETH: '100' } });
  bob = sim.admin.createAccount({ balances: { USDT: '100000', BTC: '10', ETH: '100' } });
  restAlice = new TestClient(sim.restUrl, alice.apiKey, alice.apiSecret);
  restBob = new TestClient(sim.restUrl, bob.apiKey, bob.apiSecret);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
});

describe('framing', () => {
  it('answers {id, status, result} and {id, status, error}, with the id as sent', async () => {
    const c = await connect();
    expect(await c.ws.request({ id: 'abc', method: 'ping' })).toMatchObject({ id: 'abc', status: 200, result: {} });
    const time = await c.ws.request({ id: 7, method: 'v3/time' });
    expect(time).toMatchObject({ id: 7, status: 200 });
    expect(Math.abs(time.result.serverTime - Date.now())).toBeLessThan(5000);
    expect(await c.ws.request({ id: null, method: 'depth', params: { symbol: 'BTCUSDT', limit: 5 } })).toMatchObject({ id: null, status: 200, result: { bids: [], asks: [] } });
    expect(await c.ws.request({ id: 11, method: 'ticker.price', params: { symbol: 'ETHBTC' } })).toMatchObject({ status: 200, result: { symbol: 'ETHBTC', price: '0.00000000' } });
    expect(await c.ws.request({ id: 12, method: 'avgPrice', params: { symbol: 'ETHBTC' } })).toMatchObject({ status: 200, result: { mins: 5, price: '0.00000000' } });
    expect(await c.ws.request({ id: 8, method: 'no.such' })).toMatchObject({ id: 8, status: 400, error: { code: -1020 } });
    expect(await c.ws.request({ id: 9, method: 'depth', params: { symbol: 'NOPE' } })).toMatchObject({ id: 9, status: 400, error: { code: -1121, msg: 'Invalid symbol.' } });
    expect(await c.ws.request({ id: 10, method: 'time', params: { extra: 1 } })).toMatchObject({ id: 10, status: 400, error: { code: -1104 } });
    c.ws.send('{oops');
    expect(await c.ws.next((m) => m.error?.code === -1135)).toMatchObject({ id: null, status: 400 });
  });
});

describe('signed requests', () => {
  it('accepts the documented example request and its signature (apiKey included, sorted by name)', async () => {
    const doc = sim.admin.createAccount({ apiKey: DOC_KEY, apiSecret: DOC_SECRET, balances: { BTC: '1' } });
    const params = {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01000000',
      price: '52000.00',
      newOrderRespType: 'ACK',
      recvWindow: 100,
      timestamp: DOC_TIMESTAMP,
      apiKey: DOC_KEY,
    };
    expect(wsPayload(params)).toBe(
      `apiKey=${DOC_KEY}&newOrderRespType=ACK&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT`,
    );
    const signature = 'cc15477742bd704c29492d96c7ead9414dfd8e0ec4a00f947bb5bb454ddbd08a';
    expect(wsSign(DOC_SECRET, params)).toBe(signature);
    const c = await connect();
    // The exchange clock goes back to the example's time (the timestamp 900 ms ahead of it is accepted).
    sim.clock.offsetMs = DOC_TIMESTAMP - 900 - Date.now();
    try {
      const answer = await c.call('order.place', { ...params, signature });
      expect(answer).toMatchObject({ status: 200, result: { symbol: 'BTCUSDT', orderListId: -1, transactTime: expect.any(Number) } });
      expect(sim.admin.orders(doc.accountId)).toHaveLength(1);
      // binance-spot-api.md §8.2: the same request without newOrderRespType, and its check value.
      const { newOrderRespType: _ack, ...plain } = params;
      sim.clock.offsetMs = DOC_TIMESTAMP - 900 - Date.now();
      const second = await c.call('order.place', { ...plain, signature: 'aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24' });
      expect(second).toMatchObject({ status: 200, result: { status: 'NEW', fills: [] } });
      sim.engine.cancelAllOrders(doc.accountId, 'BTC-USDT'); // out of the later tests' way
    } finally {
      sim.clock.offsetMs = 0;
    }
  });

  it('refuses a bad signature, a missing key, an old timestamp', async () => {
    const c = await connect(alice);
    const params = { symbol: 'BTCUSDT', apiKey: alice.apiKey, timestamp: Date.now() };
    expect(await c.call('order.status', { ...params, orderId: 1, signature: '0'.repeat(64) })).toMatchObject({ status: 400, error: { code: -1022 } });
    expect(await c.call('account.status', { timestamp: Date.now(), signature: 'x' })).toMatchObject({ status: 401, error: { code: -2014 } });
    expect(await c.signed('account.status', {}, Date.now() - 60_000)).toMatchObject({ status: 400, error: { code: -1021 } });
  });
});

describe('trading over the WebSocket API', () => {
  it('order.place, order.status, order.cancel answer as their REST twins', async () => {
    const c = await connect(alice);
    const placed = await c.signed('order.place', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '2000', newClientOrderId: 'ws-1' });
    expect(placed).toMatchObject({ status: 200, result: { symbol: 'ETHUSDT', clientOrderId: 'ws-1', status: 'NEW', price: '2000.00000000', fills: [] } });
    const status = await c.signed('order.status', { symbol: 'ETHUSDT', origClientOrderId: 'ws-1' });
    const rest = await restAlice.signed('GET', '/api/v3/order', { symbol: 'ETHUSDT', origClientOrderId: 'ws-1' });
    expect(status.result).toEqual(rest.body);
    const cancelled = await c.signed('order.cancel', { symbol: 'ETHUSDT', orderId: placed.result.orderId, newClientOrderId: 'ws-cancel-1' });
    expect(cancelled.result).toMatchObject({ origClientOrderId: 'ws-1', clientOrderId: 'ws-cancel-1', status: 'CANCELED' });
    expect(await c.signed('order.status', { symbol: 'ETHUSDT', origClientOrderId: 'nope' })).toMatchObject({ status: 400, error: { code: -2013, msg: 'Order does not exist.' } });
    expect((await c.signed('account.status')).result.balances).toContainEqual({ asset: 'ETH', free: '100.00000000', locked: '0.00000000' });
  });
});

describe('user data stream', () => {
  it('subscribe.signature, session.subscriptions, one subscription per account, unsubscribe with eventStreamTerminated', async () => {
    const c = await connect(alice);
    expect(await c.signed('userDataStream.subscribe.signature')).toMatchObject({ status: 200, result: { subscriptionId: 0 } });
    expect(await c.signed('userDataStream.subscribe.signature')).toMatchObject({ status: 400, error: { code: -2035 } });
    const other = await c.call('userDataStream.subscribe.signature', (() => {
      const p = { apiKey: bob.apiKey, timestamp: Date.now() };
      return { ...p, signature: wsSign(bob.apiSecret, p) };
    })());
    expect(other.result).toEqual({ subscriptionId: 1 });
    expect((await c.call('session.subscriptions')).result).toEqual([{ subscriptionId: 0 }, { subscriptionId: 1 }]);
    expect(await c.call('userDataStream.unsubscribe', { subscriptionId: 0 })).toMatchObject({ status: 200, result: {} });
    expect(await c.ws.next((m) => m.event?.e === 'eventStreamTerminated')).toEqual({ subscriptionId: 0, event: { e: 'eventStreamTerminated', E: expect.any(Number) } });
    expect((await c.call('session.subscriptions')).result).toEqual([{ subscriptionId: 1 }]);
    expect(await c.call('userDataStream.unsubscribe', { subscriptionId: 0 })).toMatchObject({ status: 400, error: { code: -2036 } });
    expect(await c.call('userDataStream.unsubscribe')).toMatchObject({ status: 200 });
    expect((await c.call('session.subscriptions')).result).toEqual([]);
  });

  it('executionReport with every field, then one outboundAccountPosition per transaction', async () => {
    const c = await connect(alice);
    const { result } = await c.signed('userDataStream.subscribe.signature');
    const id = result.subscriptionId as number;
    await restAlice.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.5', price: '60000', newClientOrderId: 'sell-1' });
    const fresh = await c.event((e) => e.e === 'executionReport', id);
    expect(Object.keys(fresh)).toEqual(expect.arrayContaining([...REPORT_KEYS, 'W']));
    expect(fresh).toMatchObject({
      s: 'BTCUSDT', c: 'sell-1', S: 'SELL', o: 'LIMIT', f: 'GTC', q: '0.50000000', p: '60000.00000000', P: '0.00000000', F: '0.00000000',
      g: -1, C: '', x: 'NEW', X: 'NEW', r: 'NONE', l: '0.00000000', z: '0.00000000', L: '0.00000000', n: '0', N: null, t: -1, w: true, m: false, M: false,
      Z: '0.00000000', Y: '0.00000000', Q: '0.00000000', V: 'EXPIRE_MAKER',
    });
    expect(fresh.E).toBe(fresh.T);
    expect(fresh.j).toBeUndefined(); // strategy tags only when the order has them
    expect(fresh.J).toBeUndefined();
    expect(await c.event((e) => e.e === 'outboundAccountPosition', id)).toEqual({
      e: 'outboundAccountPosition', E: fresh.E, u: fresh.E, B: [{ a: 'BTC', f: '9.50000000', l: '0.50000000' }],
    });

    // bob takes 0.2: alice's maker fill, with commission in USDT (0.1 % of 12000)
    await restBob.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.2' });
    const fill = await c.event((e) => e.e === 'executionReport' && e.x === 'TRADE', id);
    expect(fill).toMatchObject({ c: 'sell-1', C: '', X: 'PARTIALLY_FILLED', l: '0.20000000', z: '0.20000000', L: '60000.00000000', n: '12.00000000', N: 'USDT', m: true, M: true, w: true, Y: '12000.00000000', Z: '12000.00000000' });
    expect(fill.t).toBeGreaterThan(0);
    expect(fill.I).toBeGreaterThan(fresh.I);
    expect((await c.event((e) => e.e === 'outboundAccountPosition', id)).B).toEqual([
      { a: 'BTC', f: '9.50000000', l: '0.30000000' },
      { a: 'USDT', f: '111988.00000000', l: '0.00000000' },
    ]);

    // a cancel carries the cancel request's own id in c and the order's id in C
    await restAlice.signed('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'sell-1', newClientOrderId: 'cancel-1' });
    const tagged = { strategyId: 9, strategyType: 1_000_001 };
    await restAlice.signed('POST', '/api/v3/order', { ...tagged, symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '90000', newClientOrderId: 'tagged' });
    expect(await c.event((e) => e.e === 'executionReport' && e.c === 'tagged', id)).toMatchObject({ x: 'NEW', j: 9, J: 1_000_001 });
    await restAlice.signed('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'tagged' });
    expect(await c.event((e) => e.e === 'executionReport' && e.C === 'tagged', id)).toMatchObject({ x: 'CANCELED', j: 9, J: 1_000_001 });
    const cancel = await c.event((e) => e.e === 'executionReport' && e.x === 'CANCELED' && e.C === 'sell-1', id);
    expect(cancel).toMatchObject({ c: 'cancel-1', C: 'sell-1', X: 'CANCELED', z: '0.20000000', w: false, l: '0.00000000', t: -1 });
    expect((await c.event((e) => e.e === 'outboundAccountPosition', id)).B).toEqual([{ a: 'BTC', f: '9.80000000', l: '0.00000000' }]);
  });

  it("the account's updateTime is the u of the latest outboundAccountPosition: placement, cancel, deposit", async () => {
    const carol = sim.admin.createAccount({ balances: { USDT: '10000' } });
    const rest = new TestClient(sim.restUrl, carol.apiKey, carol.apiSecret);
    const c = await connect(carol);
    const { result } = await c.signed('userDataStream.subscribe.signature');
    const position = () => c.event((e) => e.e === 'outboundAccountPosition', result.subscriptionId);
    const restUpdateTime = async () => (await rest.signed('GET', '/api/v3/account')).body.updateTime as number;
    const steps: [string, () => Promise<unknown>][] = [
      ['placement', () => rest.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '1000', newClientOrderId: 'carol-1' })],
      ['cancel', () => rest.signed('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'carol-1' })],
      ['deposit', async () => sim.admin.deposit(carol.accountId, 'USDT', '5')],
    ];
    try {
      for (const [i, [what, step]] of steps.entries()) {
        // Each step a second later on the exchange clock, so an updateTime that did not move cannot match.
        sim.clock.offsetMs = rest.clockOffset = (i + 1) * 1000;
        const event = position();
        await step();
        const { u } = await event;
        expect(u, what).toBeGreaterThanOrEqual(Date.now() + sim.clock.offsetMs - 5000);
        expect(await restUpdateTime(), what).toBe(u);
      }
    } finally {
      sim.clock.offsetMs = 0;
    }
  });

  it('a self-trade prevented (EXPIRE_MAKER): the maker’s TRADE_PREVENTION report with the match that did not happen', async () => {
    const dave = sim.admin.createAccount({ balances: { USDT: '10000', BTC: '1' } });
    const rest = new TestClient(sim.restUrl, dave.apiKey, dave.apiSecret);
    const c = await connect(dave);
    const { result } = await c.signed('userDataStream.subscribe.signature');
    const maker = await rest.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.3', price: '12345' });
    const taker = await rest.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '12345' });
    expect(taker.body.preventedMatches).toEqual([{ preventedMatchId: expect.any(Number), makerOrderId: maker.body.orderId, price: '12345.00000000', makerPreventedQuantity: '0.30000000' }]);
    const report = await c.event((e) => e.e === 'executionReport' && e.x === 'TRADE_PREVENTION', result.subscriptionId);
    expect(report).toMatchObject({
      i: maker.body.orderId, X: 'EXPIRED_IN_MATCH', v: taker.body.preventedMatches[0].preventedMatchId, A: '0.30000000', B: '0.30000000',
      U: taker.body.orderId, Cs: 'BTCUSDT', l: '0.00000000', L: '0.00000000', Y: '0.00000000', w: false,
      // what the taker's 0.1 would have traded at the maker's price
      pl: '0.10000000', pL: '12345.00000000', pY: '1234.50000000',
    });
    await rest.signed('DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
  });

  it('balanceUpdate for deposits and withdrawals, then the position', async () => {
    const c = await connect(bob);
    const { result } = await c.signed('userDataStream.subscribe.signature');
    sim.admin.deposit(bob.accountId, 'ETH', '2.5');
    sim.admin.deposit(bob.accountId, 'ETH', '-1');
    const first = await c.ws.next((m) => m.subscriptionId === result.subscriptionId);
    expect(first.event).toEqual({ e: 'balanceUpdate', E: expect.any(Number), a: 'ETH', d: '2.50000000', T: first.event.E });
    expect((await c.ws.next((m) => m.subscriptionId === result.subscriptionId)).event).toMatchObject({ e: 'outboundAccountPosition', B: [{ a: 'ETH', f: '102.50000000', l: '0.00000000' }] });
    expect((await c.ws.next((m) => m.subscriptionId === result.subscriptionId)).event).toMatchObject({ e: 'balanceUpdate', d: '-1.00000000' });
    expect((await c.ws.next((m) => m.subscriptionId === result.subscriptionId)).event).toMatchObject({ e: 'outboundAccountPosition', B: [{ a: 'ETH', f: '101.50000000' }] });
  });

  it('a market order filling several makers: its reports in execution order, then one position', async () => {
    const c = await connect(bob);
    const { result } = await c.signed('userDataStream.subscribe.signature');
    for (const price of ['3000', '3001', '3002']) {
      await restAlice.signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price });
    }
    const before = c.ws.messages.length;
    await restBob.signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '2.5' });
    await c.event((e) => e.e === 'outboundAccountPosition', result.subscriptionId);
    const events = c.ws.messages.slice(before).filter((m) => m.subscriptionId === result.subscriptionId).map((m) => m.event);
    expect(events.map((e) => `${e.e === 'executionReport' ? `${e.x}/${e.X}` : e.e}`)).toEqual([
      'NEW/NEW', 'TRADE/PARTIALLY_FILLED', 'TRADE/PARTIALLY_FILLED', 'TRADE/FILLED', 'outboundAccountPosition',
    ]);
    expect(new Set(events.map((e) => e.E)).size).toBe(1);
    // w is "on the book?": true on NEW, false on a market order's fills (Binance's market-orders FAQ sample).
    expect(events.slice(0, 4).map((e) => e.w)).toEqual([true, false, false, false]);
    const ids = events.slice(0, 4).map((e) => e.I);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(events[3]).toMatchObject({ z: '2.50000000', Z: '7502.00000000', w: false, N: 'ETH', n: '0.00050000' });
  });
});
