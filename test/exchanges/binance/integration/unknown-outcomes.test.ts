import { describe, expect, it } from 'vitest';
import { OrderNotFoundError } from '../../../../src/core/errors.js';
import type { OrderEvent } from '../../../../src/core/events/order-events.js';
import { OrderState, OrderType, TradeType } from '../../../../src/core/types.js';
import type { BinanceExchange } from '../../../../src/exchanges/binance/exchange.js';
import type { AccountHandle, RestResponse } from '../../../../src/simulator/index.js';
import { waitFor } from '../../../support/wait.js';
import { balancesSettle, exchangeOrder, expectOrdersMatchExchange, onRest, startReady, useStillSimulator } from './support.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isCreate = (req: { method: string; path: string }) => req.method === 'POST' && req.path === '/api/v3/order';
const isQuery = (req: { method: string; path: string }) => req.method === 'GET' && req.path === '/api/v3/order';
const code = (res: RestResponse) => (res.body as { code?: number } | null)?.code;

/**
 * Orders whose create outcome is unknown (timeouts, 5xx, -1007): they stay PENDING_CREATE and are
 * settled by queries by client id; "not found" counts only once the create can no longer execute
 * (the exchange's clock past its timestamp + recvWindow), twice, a second apart; transport errors
 * never count; an acknowledged order is never failed on "not found".
 */
describe('unknown create outcomes against the simulator', () => {
  const fx = useStillSimulator();

  function setup(options: Parameters<typeof fx.connect>[1] = {}): { account: AccountHandle; ex: BinanceExchange; events: OrderEvent[] } {
    const account = fx.account();
    return { account, ...fx.connect(account, options) };
  }

  it('a create that times out but executes on the exchange, even after a first query found nothing, ends tracked as the exchange has it', async () => {
    const { account, ex, events } = setup({ createTimeoutMs: 200 });
    await startReady(ex);
    let landed = false;
    let notFoundBeforeLanding = 0;
    fx.after(
      onRest(fx.sim, async (req, next) => {
        if (isCreate(req)) {
          await delay(700);
          const res = await next();
          landed = true;
          return res;
        }
        const res = await next();
        if (isQuery(req) && !landed && code(res) === -2013) notFoundBeforeLanding++;
        return res;
      }),
    );
    const submitted = ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '60000' });
    const id = [...ex.inFlightOrders.keys()][0]!;
    await waitFor(() => notFoundBeforeLanding > 0, 'a query answered -2013 before the order landed');
    expect(ex.inFlightOrders.get(id)?.currentState).toBe(OrderState.PENDING_CREATE);
    const order = await submitted;
    expect(order.clientOrderId).toBe(id);
    expect(order.currentState).toBe(OrderState.OPEN);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated']);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, ex);
  });

  it('-1007 (the exchange timed out internally) on a create that executed: the query finds it', async () => {
    const { account, ex, events } = setup();
    await startReady(ex);
    fx.after(
      onRest(fx.sim, async (req, next) => {
        if (!isCreate(req)) return next();
        await next();
        return { status: 408, headers: {}, body: { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' } };
      }),
    );
    const order = await ex.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.1', price: '90000' });
    expect(order.currentState).toBe(OrderState.OPEN);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated']);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, ex);
  });

  it('a create answered with a 5xx after the user stream acknowledged it: the order stays as the stream said, nothing left unknown', async () => {
    const { account, ex, events } = setup();
    await startReady(ex);
    await waitFor(() => ex.userStreamLive, 'the user stream live');
    let answered = false;
    let queries = 0;
    fx.after(
      onRest(fx.sim, async (req, next) => {
        if (isQuery(req)) queries++;
        if (!isCreate(req)) return next();
        await next();
        await waitFor(() => events.some((e) => e.type === 'OrderCreated'), 'the stream acknowledging first');
        answered = true;
        return { status: 504, headers: {}, body: 'Gateway Timeout' };
      }),
    );
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '56000' });
    await waitFor(() => answered, 'the 504 sent');
    // Several short poll intervals: an outcome left unknown would be queried on each.
    await new Promise((r) => setTimeout(r, 300));
    expect(ex.pollIntervalMs).toBe(60_000);
    expect(queries).toBe(0);
    expect(order.currentState).toBe(OrderState.OPEN);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated']);
    expectOrdersMatchExchange(fx.sim, account, [order]);
  });

  it('a 5xx create that never reached the engine fails only after its recvWindow and two not-found answers a second apart; 5xx on queries never count', async () => {
    const { account, ex, events } = setup({ recvWindowMs: 1_000 });
    await startReady(ex);
    let queriesDown = true;
    const notFoundAt: number[] = [];
    fx.after(
      onRest(fx.sim, async (req, next) => {
        if (isCreate(req)) return { status: 503, headers: {}, body: 'Service Unavailable' };
        if (isQuery(req) && queriesDown) return { status: 502, headers: {}, body: 'Bad Gateway' };
        const res = await next();
        if (isQuery(req) && code(res) === -2013) notFoundAt.push(req.receivedAt);
        return res;
      }),
    );
    const failedAt = fx.sim.clock.now();
    const submitted = ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '60000' });
    const rejected = submitted.then(
      () => undefined,
      (err: unknown) => err,
    );
    // Queries fail with 502 well past the deadline: nothing counts.
    await delay(1_500);
    const [order] = [...ex.inFlightOrders.values()];
    expect(order?.currentState).toBe(OrderState.PENDING_CREATE);
    expect(events).toEqual([]);
    queriesDown = false;

    const err = await rejected;
    expect(err).toBeInstanceOf(OrderNotFoundError);
    expect(events.map((e) => e.type)).toEqual(['OrderFailed']);
    expect(events[0]).toMatchObject({ errorType: 'order_not_found' });
    // Counted answers: both after the deadline (failure time + recvWindow), a second apart.
    const counted = notFoundAt.filter((t) => t > failedAt + 1_000);
    expect(counted.length).toBeGreaterThanOrEqual(2);
    expect(counted.at(-1)! - counted[0]!).toBeGreaterThanOrEqual(1_000);
    expect(fx.sim.admin.orders(account.accountId)).toEqual([]);
    expect(ex.inFlightOrders.size).toBe(0);
  });

  it('an acknowledged order is never failed on a not-found answer', async () => {
    // Polled often even while the user stream is live.
    const { account, ex, events } = setup({ recvWindowMs: 1_000, longPollIntervalMs: 60 });
    await startReady(ex);
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '59000' });
    let answered = 0;
    fx.after(
      onRest(fx.sim, async (req, next) => {
        if (!isQuery(req)) return next();
        answered++;
        return { status: 400, headers: {}, body: { code: -2013, msg: 'Order does not exist.' } };
      }),
    );
    await waitFor(() => answered >= 5, 'several not-found answers');
    await delay(1_200);
    expect(order.currentState).toBe(OrderState.OPEN);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated']);
    expectOrdersMatchExchange(fx.sim, account, [order]);
  });

  it('cancelling an order still PENDING_CREATE: the exchange does not know it yet, so the cancel goes again once it is acknowledged', async () => {
    const { account, ex, events } = setup();
    await startReady(ex);
    let cancelsAnswered = 0;
    fx.after(
      onRest(fx.sim, async (req, next) => {
        if (isCreate(req)) await delay(400);
        const res = await next();
        if (req.method === 'DELETE') cancelsAnswered++;
        return res;
      }),
    );
    const id = ex.buy('BTC-USDT', '0.01', OrderType.LIMIT, '58000');
    ex.cancel('BTC-USDT', id);
    await waitFor(() => cancelsAnswered === 1, 'the first cancel answered');
    expect(ex.inFlightOrders.get(id)?.currentState).toBe(OrderState.PENDING_CREATE);
    await waitFor(() => events.some((e) => e.type === 'OrderCancelled'), 'cancelled');
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderCancelled']);
    expect(cancelsAnswered).toBe(2);
    expect(exchangeOrder(fx.sim, account, id)?.status).toBe('CANCELED');
    await balancesSettle(fx.sim, account, ex);
  });

  it('-1021 after the exchange clock jumps ahead: the clock is resynced and the order signed again, once', async () => {
    const { account, ex, events } = setup();
    await startReady(ex);
    const before = ex.connector.timeSync.offsetMs;
    let refused = 0;
    fx.after(
      onRest(
        fx.sim,
        async (req, next) => {
          const res = await next();
          if (code(res) === -1021) refused++;
          return res;
        },
        { before: 'route' },
      ),
    );
    fx.sim.clock.offsetMs = 30_000;
    try {
      const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '57000' });
      expect(order.currentState).toBe(OrderState.OPEN);
      expect(refused).toBeGreaterThanOrEqual(1);
      expect(ex.connector.timeSync.offsetMs - before).toBeGreaterThan(25_000);
      expect(events.map((e) => e.type)).toEqual(['OrderCreated']);
      expectOrdersMatchExchange(fx.sim, account, [order]);
      await balancesSettle(fx.sim, account, ex);
    } finally {
      fx.sim.clock.offsetMs = 0;
    }
  });
});
