import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/core/logger.js';
import { NetworkStatus } from '../../../src/core/network-iterator.js';
import { OrderType, TradeType } from '../../../src/core/types.js';
import { waitFor } from '../../support/wait.js';
import { onRest, startReady, take, useStillSimulator } from './integration/support.js';

interface LogLine {
  level: number;
  msg: string;
  err?: { stack?: string; type?: string };
  refusal?: { kind: string; code?: number | string; message: string; rule?: string };
  [key: string]: unknown;
}

/** A real venuekit logger (redaction and all) whose lines land in an array. */
function capturedLogger() {
  const lines: LogLine[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } });
  return { logger, lines };
}

const INFO = 30;
const WARN = 40;

/**
 * What a connector tells those who watch it, through the public API against the simulator:
 * `health()` and `isOrderBookReady(pair)`, and the level each failed order request is logged at.
 */
describe('BinanceExchange health and logs', () => {
  const fx = useStillSimulator();

  it('health(): network, statusDict, the user stream, each book and the rate limiter, before and after the start', async () => {
    const account = fx.account();
    const { ex } = fx.connect(account);
    const before = ex.health();
    expect(before).toMatchObject({ network: NetworkStatus.STOPPED, ready: false, queuedRequests: 0 });
    expect(before.status).toEqual(ex.statusDict);
    expect(before.userStream).toEqual({ subscribed: false, live: false, lastRecvTime: 0, reconnects: 0, pollingCovers: false });
    expect(before.orderBooks).toEqual([]);
    expect(before.rateLimits.map((p) => p.pool)).toContain('REQUEST_WEIGHT');
    expect(ex.isOrderBookReady('BTC-USDT')).toBe(false);

    await startReady(ex);
    await waitFor(() => ex.health().userStream?.live === true, 'the user stream live');
    const after = ex.health();
    expect(after.ready).toBe(true);
    expect(Object.values(after.status).every(Boolean)).toBe(true);
    expect(after.userStream).toMatchObject({ subscribed: true, live: true, reconnects: 0 });
    expect(after.userStream!.lastRecvTime).toBeGreaterThan(0);
    expect(after.orderBooks).toHaveLength(1);
    expect(after.orderBooks[0]).toMatchObject({ tradingPair: 'BTC-USDT', ready: true, resyncs: 0, gaps: 0 });
    const weight = after.rateLimits.find((p) => p.pool === 'REQUEST_WEIGHT')!;
    expect(weight.used).toBeGreaterThan(0);
    expect(weight.limit).toBeGreaterThan(weight.used);
    expect(ex.isOrderBookReady('BTC-USDT')).toBe(true);
    expect(ex.isOrderBookReady('ETH-USDT')).toBe(false);

    // A pair added at run time is ready once its own book is, whatever the others do.
    await ex.addTradingPair('ETH-USDT');
    await waitFor(() => ex.isOrderBookReady('ETH-USDT'), 'the ETH-USDT book synchronized');
    expect(ex.health().orderBooks.map((b) => b.tradingPair)).toEqual(['BTC-USDT', 'ETH-USDT']);
  });

  it('a pair added at run time is tracked again after the network went down and came back', async () => {
    const account = fx.account();
    const { ex } = fx.connect(account);
    const bid = (price: string) => fx.sim.engine.submitOrder({ accountId: fx.taker.accountId, pair: 'ETH-USDT', side: 'BUY', type: 'LIMIT', price, quantity: '0.1' });
    bid('3000');
    ex.start(); // the network iterator: ping every checkNetworkIntervalMs, startNetwork / stopNetwork
    await ex.waitUntilReady(10_000);
    await ex.addTradingPair('ETH-USDT');
    await waitFor(() => ex.isOrderBookReady('ETH-USDT') && ex.getOrderBook('ETH-USDT').bestBid()?.price === '3000.00000000', 'the ETH-USDT book synchronized');

    let down = true;
    const release = onRest(fx.sim, async (req, next) => (down && req.path === '/api/v3/ping' ? { status: 503, headers: {}, body: 'Service Unavailable' } : next()), { before: 'route' });
    fx.after(release);
    await waitFor(() => ex.health().network === NetworkStatus.NOT_CONNECTED && !ex.isOrderBookReady('ETH-USDT'), 'the network seen down');
    // While down, the books are there, empty and not ready: asking for one is not an error.
    expect(ex.getOrderBook('ETH-USDT').bidCount).toBe(0);
    bid('3001'); // the market moves while we are away
    down = false;
    await waitFor(() => ex.health().network === NetworkStatus.CONNECTED && ex.isOrderBookReady('ETH-USDT') && ex.isOrderBookReady('BTC-USDT'), 'both books back');
    expect(ex.health().orderBooks.map((b) => b.tradingPair)).toEqual(['BTC-USDT', 'ETH-USDT']);
    expect(ex.getOrderBook('ETH-USDT').topBids(2).map((l) => l.price)).toEqual(['3001.00000000', '3000.00000000']);
  });

  it('health() counts user stream reconnects and book resyncs after a gap in the diffs', async () => {
    const account = fx.account();
    const { ex } = fx.connect(account);
    await startReady(ex);
    await waitFor(() => ex.userStreamLive, 'the user stream live');

    for (const socket of fx.sim.wsApi.group.sockets) socket.drop();
    await waitFor(() => ex.health().userStream?.reconnects === 1 && ex.userStreamLive, 'the user stream subscribed again');

    const gap = fx.sim.admin.faults.inject({ kind: 'gap', stream: 'btcusdt@depth@100ms', times: 1 });
    let price = 30_000;
    const quote = () => fx.sim.engine.submitOrder({ accountId: fx.taker.accountId, pair: 'BTC-USDT', side: 'BUY', type: 'LIMIT', price: String(price++), quantity: '0.001' });
    quote();
    await waitFor(() => gap.hits === 1, 'a diff lost');
    await waitFor(() => {
      quote();
      return (ex.health().orderBooks[0]?.gaps ?? 0) >= 1;
    }, 'the gap seen by the book');
    await waitFor(() => ex.isOrderBookReady('BTC-USDT'), 'the book synchronized again');
    expect(ex.health().orderBooks[0]).toMatchObject({ tradingPair: 'BTC-USDT', ready: true });
    expect(ex.health().orderBooks[0]!.resyncs).toBeGreaterThanOrEqual(1);
  });

  it('a market-data-only connector has no user stream in its health', async () => {
    const { ex } = fx.connect(fx.account(), { tradingRequired: false });
    await startReady(ex);
    expect(ex.health()).toMatchObject({ ready: true, userStream: undefined });
  });

  it('a routine refusal (a post-only quote that would take, -2010) is logged at info with its kind, code and message, without a stack', async () => {
    const { logger, lines } = capturedLogger();
    const account = fx.account();
    const { ex, events } = fx.connect(account, { logger });
    await startReady(ex);
    fx.sim.engine.submitOrder({ accountId: fx.taker.accountId, pair: 'BTC-USDT', side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.01' });
    await waitFor(() => ex.getOrderBook('BTC-USDT').bestAsk() !== undefined, 'the ask in the book');

    const id = ex.buy('BTC-USDT', '0.001', OrderType.LIMIT_MAKER, '60000');
    await waitFor(() => events.some((e) => e.type === 'OrderFailed'), 'the refusal');
    const refused = lines.find((l) => l.msg === 'order create refused' && l.clientOrderId === id)!;
    expect(refused.level).toBe(INFO);
    expect(refused.refusal).toMatchObject({ kind: 'invalid_order', code: -2010, rule: 'post_only' });
    expect(refused.refusal!.message).toMatch(/immediately match and take/);
    expect(refused.err).toBeUndefined();
    expect(JSON.stringify(refused)).not.toContain('    at ');

    // A cancel that lost the race to a fill (-2011): routine too; the query says the order filled.
    const order = await ex.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.001', price: '70000' });
    fx.after(
      onRest(fx.sim, (req, next) => {
        if (req.method === 'DELETE' && req.path === '/api/v3/order') take(fx.sim, fx.taker, 'BTC-USDT', 'BUY', '70000', '0.001');
        return next();
      }),
    );
    expect(await ex.cancelOrder('BTC-USDT', order.clientOrderId)).toEqual({ orderId: order.clientOrderId, success: false });
    expect(order.isFilled).toBe(true);
    expect(lines.filter((l) => l.level >= WARN)).toEqual([]);
  });

  it('an unexpected refusal (an error code venuekit does not map) is logged at warn with the error and its stack', async () => {
    const { logger, lines } = capturedLogger();
    const { ex, events } = fx.connect(fx.account(), { logger });
    await startReady(ex);
    fx.after(
      onRest(fx.sim, (req, next) => {
        if (req.method === 'POST' && req.path === '/api/v3/order') return Promise.resolve({ status: 400, headers: {}, body: { code: -1099, msg: 'Something odd.' } });
        return next();
      }),
    );
    const id = ex.buy('BTC-USDT', '0.001', OrderType.LIMIT, '50000');
    await waitFor(() => events.some((e) => e.type === 'OrderFailed'), 'the refusal');
    const refused = lines.find((l) => l.msg === 'order create refused' && l.clientOrderId === id)!;
    expect(refused.level).toBe(WARN);
    expect(refused.err?.type).toBe('ExchangeError');
    expect(refused.err?.stack).toContain('    at ');
  });
});
