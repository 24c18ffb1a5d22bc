import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/core/logger.js';
import { OrderState } from '../../../src/core/types.js';
import { BinanceAuth } from '../../../src/exchanges/binance/auth.js';
import { LIMIT_IDS, PATHS } from '../../../src/exchanges/binance/constants.js';
import { BinanceUserStreamSource, type BinanceUserStreamSourceOptions } from '../../../src/exchanges/binance/user-stream-source.js';
import { waitFor } from '../../support/wait.js';
import { fixture, patched } from './support.js';
import { startSimVenue, type SimVenue } from './support/sim-venue.js';
import { RecordingUserStreamListener } from './support/user-stream-listener.js';
import { WsApiEndpoint } from './support/ws-api-endpoint.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const API_KEY = 'vkTestKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR';
const API_SECRET = 'vkTestSecret9876543210zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONM';
const FAST_WS = { pingIntervalMs: 50, idleTimeoutMs: 400, requestTimeoutMs: 2_000, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } };
const SYMBOLS = { symbolToPair: new Map([['ETHBTC', 'ETH-BTC']]) };

/**
 * The user data stream protocol against a bare loopback WebSocket API endpoint, for what the
 * simulator never sends: malformed events, chosen refusals. Orders placed on the simulator and
 * followed through this source are tested below.
 */
describe('BinanceUserStreamSource: WebSocket API protocol', () => {
  async function setup(options: Partial<BinanceUserStreamSourceOptions> = {}): Promise<{
    endpoint: WsApiEndpoint;
    source: BinanceUserStreamSource;
    listener: RecordingUserStreamListener;
    resyncs: () => number;
  }> {
    const endpoint = await WsApiEndpoint.start(API_KEY, API_SECRET);
    cleanups.push(() => endpoint.close());
    let resyncs = 0;
    const source = new BinanceUserStreamSource({
      wsApiUrl: endpoint.url,
      auth: new BinanceAuth(API_KEY, API_SECRET),
      timeSync: { now: () => Date.now(), resync: async () => void resyncs++ },
      symbols: () => SYMBOLS,
      ws: FAST_WS,
      ...options,
    });
    cleanups.push(() => source.stop());
    const listener = new RecordingUserStreamListener();
    return { endpoint, source, listener, resyncs: () => resyncs };
  }

  const report = (patch: Record<string, unknown>): unknown => patched(fixture('execution-report-new'), patch);

  it('subscribes with a signed request and turns events into messages: trade before order, positions and deltas with their exchange times', async () => {
    const { endpoint, source, listener } = await setup();
    expect(source.lastRecvTime).toBe(0);
    await source.start(listener);
    await waitFor(() => source.subscribed, 'the subscription');
    expect(listener.calls).toEqual(['subscribed']);
    expect(endpoint.requests).toEqual([{ method: 'userDataStream.subscribe.signature', params: ['apiKey', 'recvWindow', 'signature', 'timestamp'] }]);
    expect(source.subscriptionId).toBe(0);
    expect(source.lastRecvTime).toBeGreaterThan(0);

    endpoint.push(report({ x: 'TRADE', X: 'PARTIALLY_FILLED', l: '0.40000000', z: '0.40000000', L: '0.10264410', n: '0.00040000', N: 'ETH', t: 901, Y: '0.04105764' }));
    endpoint.push({ e: 'outboundAccountPosition', E: 1499405658849, u: 1499405658848, B: [{ a: 'ETH', f: '10.40000000', l: '0.00000000' }] });
    endpoint.push({ e: 'balanceUpdate', E: 1573200697110, a: 'BTC', d: '-0.50000000', T: 1573200697068 });
    endpoint.push({ e: 'listStatus', E: 1, s: 'ETHBTC' });
    await waitFor(() => listener.messages.length === 4, 'four messages');
    expect(listener.calls).toEqual(['subscribed', 'trade', 'order', 'balances', 'balance_delta']);

    const [trade] = listener.of('trade');
    expect(trade!.update).toMatchObject({ tradeId: '901', clientOrderId: 'mUvoqJxFIILMdfAW5iGSOW', exchangeOrderId: '4293153', tradingPair: 'ETH-BTC' });
    expect(trade!.update.fillBaseAmount.toString()).toBe('0.4');
    expect(trade!.update.fillQuoteAmount.toString()).toBe('0.04105764');
    const [order] = listener.of('order');
    expect(order!.update).toMatchObject({ clientOrderId: 'mUvoqJxFIILMdfAW5iGSOW', newState: OrderState.PARTIALLY_FILLED, updateTimestamp: 1499405658657 });
    const [balances] = listener.of('balances');
    expect(balances!.exchangeTime).toBe(1499405658848);
    expect(balances!.balances.map((b) => [b.asset, b.total.toString(), b.available.toString()])).toEqual([['ETH', '10.4', '10.4']]);
    const [delta] = listener.of('balance_delta');
    expect([delta!.asset, delta!.delta.toString(), delta!.exchangeTime]).toEqual(['BTC', '-0.5', 1573200697068]);
  });

  it('logs and skips what it cannot read, and keeps delivering', async () => {
    const { endpoint, source, listener } = await setup();
    await source.start(listener);
    await waitFor(() => source.subscribed, 'the subscription');
    endpoint.sendRaw('{"subscriptionId":0,"event":');
    endpoint.sendRaw('"just a string"');
    endpoint.sendRaw(JSON.stringify({ subscriptionId: 0, event: { E: 1 } })); // no event type
    endpoint.push(report({ q: 1.5 })); // a float where Binance sends a string
    endpoint.push(report({ s: 'XRPBTC' })); // a market outside the symbol map
    endpoint.push(report({ x: 'TRADE', X: 'FILLED', t: -1, l: '1.00000000' })); // a fill without a trade id
    endpoint.push({ e: 'outboundAccountPosition', E: 1, u: 1, B: [{ a: 'ETH', f: '-1', l: '0' }] });
    endpoint.sendRaw(JSON.stringify({ id: 'nobody-asked', status: 200, result: {} }));
    endpoint.push(report({ x: 'NEW', X: 'NEW' }));
    await waitFor(() => listener.messages.length === 1, 'the good report');
    expect(listener.calls).toEqual(['subscribed', 'order']);
    expect(source.subscribed).toBe(true);
    expect(endpoint.accepted).toBe(1);
  });

  it('reconnects and subscribes again after eventStreamTerminated, serverShutdown or a dropped connection', async () => {
    const { endpoint, source, listener } = await setup();
    await source.start(listener);
    await waitFor(() => listener.subscriptions === 1, 'the first subscription');

    endpoint.terminate();
    await waitFor(() => listener.subscriptions === 2, 'the subscription after termination');
    endpoint.sendRaw(JSON.stringify({ event: { e: 'serverShutdown', E: 1 } }));
    await waitFor(() => listener.subscriptions === 3, 'the subscription after the shutdown notice');
    endpoint.dropAll();
    await waitFor(() => listener.subscriptions === 4, 'the subscription after the drop');

    expect(endpoint.accepted).toBe(4);
    expect(listener.calls).toEqual([
      'subscribed',
      'disconnected eventStreamTerminated',
      'subscribed',
      'disconnected serverShutdown',
      'subscribed',
      expect.stringMatching(/^disconnected connection closed/),
      'subscribed',
    ]);
    expect(source.subscribed).toBe(true);
  });

  it('reports a refused subscription, tries again later, and subscribes once the key is accepted', async () => {
    const { endpoint, source, listener } = await setup({ refusedRetryMs: 100 });
    endpoint.refuseWith = { status: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.', times: 2 };
    await source.start(listener);
    await waitFor(() => listener.subscriptions === 1, 'the subscription after two refusals');
    expect(listener.disconnections).toHaveLength(2);
    expect(listener.disconnections[0]).toMatch(/subscription refused: .*-2015 Invalid API-key/);
    // Refusals do not replace the connection: the same one subscribes in the end.
    expect(endpoint.accepted).toBe(1);
  });

  it('resyncs the clock and signs again once after a timestamp refusal', async () => {
    const { endpoint, source, listener, resyncs } = await setup();
    endpoint.refuseWith = { status: 400, code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.', times: 1 };
    await source.start(listener);
    await waitFor(() => source.subscribed, 'the subscription');
    expect(resyncs()).toBe(1);
    expect(endpoint.requests.map((r) => r.method)).toEqual(['userDataStream.subscribe.signature', 'userDataStream.subscribe.signature']);
    expect(endpoint.accepted).toBe(1);
    expect(listener.disconnections).toEqual([]);
  });

  it('keeps delivering when the listener throws', async () => {
    const { endpoint, source, listener } = await setup();
    let throwing = 0;
    await source.start({
      onMessage: (m) => {
        listener.onMessage(m);
        if (m.kind === 'trade') {
          throwing++;
          throw new Error('listener bug');
        }
      },
      onSubscribed: () => listener.onSubscribed(),
      onDisconnected: (r) => listener.onDisconnected(r),
    });
    await waitFor(() => source.subscribed, 'the subscription');
    endpoint.push(report({ x: 'TRADE', X: 'FILLED', l: '1.00000000', z: '1.00000000', L: '0.1', n: '0', N: 'ETH', t: 5 }));
    endpoint.push(report({ x: 'NEW', X: 'NEW', c: 'second' }));
    await waitFor(() => listener.messages.length === 3, 'every message');
    expect(listener.calls).toEqual(['subscribed', 'trade', 'order', 'order']);
    expect(throwing).toBe(1);
  });

  it('never logs the key, the secret or a signature', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
    const { endpoint, source, listener } = await setup({ logger });
    endpoint.refuseWith = { status: 400, code: -1022, msg: 'Signature for this request is not valid.', times: 1 };
    await source.start(listener);
    await waitFor(() => listener.disconnections.length === 1, 'the refusal');
    await source.stop();
    const log = lines.join('\n');
    expect(log).toContain('-1022');
    expect(log).not.toContain(API_KEY);
    expect(log).not.toContain(API_KEY.slice(0, 12));
    expect(log).not.toContain(API_SECRET.slice(0, 12));
    expect(log).not.toMatch(/[0-9a-f]{64}/);
  });

  it('gives lastRecvTime on the clock the exchange base reads it with', async () => {
    let baseNow = 5_000_000;
    const { source, listener } = await setup({ now: () => baseNow });
    await source.start(listener);
    await waitFor(() => source.subscribed, 'the subscription');
    const received = source.lastRecvTime;
    expect(received).toBeLessThanOrEqual(baseNow);
    expect(baseNow - received).toBeLessThan(2_000);
    // Read against another base time, the age is still the time since the last frame.
    baseNow += 60_000;
    expect(baseNow - source.lastRecvTime).toBeLessThan(2_000);
  });

  it('stops cleanly: not subscribed, lastRecvTime 0, no reconnection', async () => {
    const { endpoint, source, listener } = await setup();
    await source.start(listener);
    await waitFor(() => source.subscribed, 'the subscription');
    await source.stop();
    expect(source.subscribed).toBe(false);
    expect(source.lastRecvTime).toBe(0);
    await waitFor(() => endpoint.subscribed === 0, 'the connection closed');
    expect(endpoint.accepted).toBe(1);
  });
});

/**
 * Against the simulator's WebSocket API: orders placed and cancelled over REST, followed through
 * this source, compared with what the exchange itself says (its admin handle).
 */
describe('BinanceUserStreamSource: orders on the simulator', () => {
  const SIM_WS = { pingIntervalMs: 1_000, idleTimeoutMs: 5_000, requestTimeoutMs: 5_000, reconnect: { initialDelayMs: 10, maxDelayMs: 100 } };

  async function setup(options: Partial<BinanceUserStreamSourceOptions> = {}): Promise<{
    venue: SimVenue;
    source: BinanceUserStreamSource;
    listener: RecordingUserStreamListener;
    accountId: number;
  }> {
    const venue = await startSimVenue({ activity: false });
    cleanups.push(() => venue.close());
    const source = new BinanceUserStreamSource({
      wsApiUrl: venue.urls.wsApiUrl,
      auth: venue.auth,
      timeSync: venue.timeSync,
      symbols: () => venue.markets,
      limiter: venue.limiter,
      ws: SIM_WS,
      ...options,
    });
    cleanups.push(() => source.stop());
    const listener = new RecordingUserStreamListener();
    await source.start(listener);
    await waitFor(() => source.subscribed, 'the subscription');
    return { venue, source, listener, accountId: venue.sim.demo!.accountId };
  }

  function order(venue: SimVenue, params: Record<string, string>): Promise<{ orderId: number; status: string }> {
    return venue.rest.request({ method: 'POST', path: PATHS.order, body: params, signed: true, limitId: LIMIT_IDS.createOrder });
  }

  /** Waits until the exchange wrote every event so far and `done` holds. */
  async function settled(venue: SimVenue, accountId: number, done: () => boolean, what: string): Promise<void> {
    await venue.sim.wsApi.hub.idle(accountId);
    await waitFor(done, what);
  }

  it('delivers the order, trade and balance messages of orders placed over REST, equal to the exchange', async () => {
    const { venue, listener, accountId } = await setup();

    // A resting buy: NEW, then the position with the quote locked.
    const resting = await order(venue, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.00100', price: '30000.00', newClientOrderId: 'vk-rest-1' });
    await settled(venue, accountId, () => listener.of('balances').length === 1, 'the resting order');
    expect(listener.calls.slice(1)).toEqual(['order', 'balances']);
    expect(listener.of('order')[0]!.update).toMatchObject({ clientOrderId: 'vk-rest-1', tradingPair: 'BTC-USDT', newState: OrderState.OPEN, exchangeOrderId: String(resting.orderId) });
    const usdt = listener.of('balances')[0]!.balances.find((b) => b.asset === 'USDT')!;
    const truth = venue.sim.admin.balances(accountId).USDT!;
    expect([usdt.available.toString(), usdt.total.toString()]).toEqual([truth.free.toString(), truth.free.plus(truth.locked).toString()]);
    expect(truth.locked.toString()).toBe('30');

    // A market buy that takes several levels: one trade message before each order message.
    listener.messages.length = 0;
    listener.calls.length = 0;
    await order(venue, { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '2.0000', newClientOrderId: 'vk-taker-1' });
    await settled(venue, accountId, () => listener.of('balances').length === 1, 'the fills');
    const fills = venue.sim.admin.fills(accountId, { pair: 'ETH-USDT' });
    expect(fills.length).toBeGreaterThan(1);
    expect(listener.calls).toEqual(['order', ...fills.flatMap(() => ['trade', 'order']), 'balances']);
    expect(
      listener.of('trade').map((t) => [t.update.tradeId, t.update.fillPrice.toString(), t.update.fillBaseAmount.toString(), t.update.fee.flatFees[0]!.amount.toString(), t.update.fee.flatFees[0]!.token]),
    ).toEqual(fills.map((f) => [String(f.tradeId), f.price.toString(), f.qty.toString(), f.commission.toString(), f.commissionAsset]));
    const last = listener.of('order').at(-1)!.update;
    expect(last).toMatchObject({ clientOrderId: 'vk-taker-1', newState: OrderState.FILLED });
    expect(last.cumulativeFilledAmount!.toString()).toBe('2');
    const positions = listener.of('balances')[0]!;
    const balances = venue.sim.admin.balances(accountId);
    for (const entry of positions.balances) {
      expect([entry.asset, entry.available.toString(), entry.total.toString()]).toEqual([
        entry.asset,
        balances[entry.asset]!.free.toString(),
        balances[entry.asset]!.free.plus(balances[entry.asset]!.locked).toString(),
      ]);
    }
    expect(positions.balances.map((b) => b.asset).sort()).toEqual(['ETH', 'USDT']);

    // A deposit: a delta as of the time it cleared.
    venue.sim.admin.deposit(accountId, 'BTC', '0.25');
    await settled(venue, accountId, () => listener.of('balance_delta').length === 1, 'the deposit');
    const delta = listener.of('balance_delta')[0]!;
    expect([delta.asset, delta.delta.toString()]).toEqual(['BTC', '0.25']);
    expect(delta.exchangeTime).toBeGreaterThan(0);
  });

  it('names a cancelled order by its own client id (C), not the cancel request\'s (c)', async () => {
    const { venue, listener, accountId } = await setup();
    await order(venue, { symbol: 'ETHBTC', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1.0000', price: '0.09000', newClientOrderId: 'vk-to-cancel' });
    await venue.rest.request({
      method: 'DELETE',
      path: PATHS.order,
      params: { symbol: 'ETHBTC', origClientOrderId: 'vk-to-cancel', newClientOrderId: 'cancel-request-7' },
      signed: true,
      limitId: LIMIT_IDS.cancelOrder,
    });
    await settled(venue, accountId, () => listener.of('order').some((m) => m.update.newState === OrderState.CANCELED), 'the cancellation');
    expect(listener.of('order').map((m) => [m.update.clientOrderId, m.update.newState])).toEqual([
      ['vk-to-cancel', OrderState.OPEN],
      ['vk-to-cancel', OrderState.CANCELED],
    ]);
  });

  it('subscribes again with onSubscribed after a dropped connection and after serverShutdown, and misses nothing sent afterwards', async () => {
    const { venue, source, listener, accountId } = await setup();
    expect(await venue.sim.admin.faults.disconnect('ws-api', 'drop')).toBe(1);
    await waitFor(() => listener.subscriptions === 2, 'the second subscription');
    await venue.sim.admin.faults.disconnect('ws-api', 'shutdown');
    await waitFor(() => listener.subscriptions === 3, 'the third subscription');
    expect(listener.disconnections).toHaveLength(2);
    expect(listener.disconnections[1]).toBe('serverShutdown');
    expect(source.connectionCount).toBe(3);
    expect(venue.sim.wsApi.hub.subscriptions(accountId)).toBe(1);

    await order(venue, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.00100', price: '30000.00', newClientOrderId: 'vk-after' });
    await settled(venue, accountId, () => listener.of('order').length === 1, 'the order event');
    expect(listener.of('order')[0]!.update.clientOrderId).toBe('vk-after');
  });

  it('replaces a connection that goes half-open instead of delivering an event, and subscribes again', async () => {
    const { venue, source, listener, accountId } = await setup({ ws: { ...SIM_WS, pingIntervalMs: 100, idleTimeoutMs: 500 } });
    venue.sim.admin.faults.inject({ kind: 'disconnect', stream: 'userData', mode: 'half-open', times: 1 });
    await order(venue, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.00100', price: '30000.00', newClientOrderId: 'vk-lost' });
    await waitFor(() => listener.subscriptions === 2, 'the subscription on a new connection');
    // The event went down with the silent connection: onSubscribed is the base's cue to reconcile over REST.
    expect(listener.calls).toEqual(['subscribed', expect.stringMatching(/^disconnected connection closed/), 'subscribed']);
    expect(source.connectionCount).toBe(2);
    await order(venue, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.00100', price: '30000.00', newClientOrderId: 'vk-seen' });
    await settled(venue, accountId, () => listener.of('order').length === 1, 'the next order event');
    expect(listener.of('order')[0]!.update.clientOrderId).toBe('vk-seen');
  });

  it('is refused with a wrong secret and says why', async () => {
    const venue = await startSimVenue({ activity: false });
    cleanups.push(() => venue.close());
    const source = new BinanceUserStreamSource({
      wsApiUrl: venue.urls.wsApiUrl,
      auth: new BinanceAuth(venue.sim.demo!.apiKey, 'wrong-secret'),
      timeSync: venue.timeSync,
      symbols: () => venue.markets,
      ws: SIM_WS,
    });
    cleanups.push(() => source.stop());
    const listener = new RecordingUserStreamListener();
    await source.start(listener);
    await waitFor(() => listener.disconnections.length === 1, 'the refusal');
    expect(listener.disconnections[0]).toMatch(/subscription refused: .*-1022/);
    expect(source.subscribed).toBe(false);
    expect(listener.subscriptions).toBe(0);
  });

  it('signs again after the exchange clock jumps: -1021, one resync, subscribed', async () => {
    const { venue, source, listener } = await setup();
    venue.sim.admin.faults.setClockOffset(30_000);
    await venue.sim.admin.faults.disconnect('ws-api', 'drop');
    await waitFor(() => listener.subscriptions === 2, 'the subscription after the jump');
    expect(venue.timeSync.offsetMs).toBeGreaterThan(25_000);
    expect(source.subscribed).toBe(true);
    expect(listener.disconnections).toHaveLength(1);
  });
});
