import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../../../src/core/errors.js';
import { OrderState, OrderType, TradeType } from '../../../../src/core/types.js';
import { simulatorUrls } from '../../../../src/exchanges/binance/constants.js';
import { waitFor } from '../../../support/wait.js';
import { balancesSettle, connect, exchangeOrder, expectOrdersMatchExchange, onRest, startReady, startStillSimulator, take, useStillSimulator } from './support.js';

/**
 * A 429 storm: the exchange answers every request "too many requests, retry after 1 s". The
 * connector must go quiet for that second each time (its rate limiter pauses every request, polls
 * and creates alike), never take a 429 as evidence about an order, fail a create refused by a 429
 * (definitely not executed) rather than leave it unknown, and catch up once the storm is over.
 */
describe('429 storm against the simulator', () => {
  const fx = useStillSimulator();

  it('the connector backs off for Retry-After, loses nothing, and ends equal to the exchange', async () => {
    const sim = fx.sim;
    const account = fx.account();
    const { ex, events } = fx.connect(account, { urls: { ...simulatorUrls(sim), wsApiUrl: 'ws://127.0.0.1:1/ws-api/v3' } });
    await startReady(ex);
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '61000' });

    let storming = true;
    const arrivals: number[] = [];
    let refusedCreates = 0;
    const removeStorm = onRest(
      sim,
      (req, next) => {
        if (!storming) return next();
        arrivals.push(Date.now());
        if (req.method === 'POST') refusedCreates++;
        return Promise.resolve({
          status: 429,
          headers: { 'retry-after': '1' },
          body: { code: -1003, msg: 'Too many requests; current limit of IP(127.0.0.1) request weight is 6000 per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.' },
        });
      },
      { before: 'route' },
    );
    try {
      take(sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.004');
      await waitFor(() => arrivals.length > 0, 'the first refused request');
      const attempt = ex.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.001', price: '99000' }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(await attempt).toBeInstanceOf(RateLimitedError);
      await waitFor(() => Date.now() - arrivals[0]! > 2_200, 'two pauses');
    } finally {
      storming = false;
      removeStorm();
    }

    // Quiet for a second after each refusal: arrivals come in bursts at least ~1 s apart.
    const bursts: number[][] = [];
    for (const at of arrivals) {
      const last = bursts.at(-1);
      if (last && at - last[0]! < 500) last.push(at);
      else bursts.push([at]);
    }
    expect(bursts.length).toBeGreaterThanOrEqual(2);
    expect(bursts.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < bursts.length; i++) expect(bursts[i]![0]! - bursts[i - 1]![0]!).toBeGreaterThanOrEqual(950);
    // Without backing off, a 60 ms poll of two requests would have sent ~70 in that time.
    expect(arrivals.length).toBeLessThan(16);
    expect(refusedCreates).toBe(1);

    // Afterwards: the fill missed during the storm is applied once, nothing was failed for lack of answers.
    await waitFor(() => order.executedAmountBase.eq('0.004'), 'the fill made during the storm');
    expect(order.currentState).toBe(OrderState.PARTIALLY_FILLED);
    const failed = events.filter((e) => e.type === 'OrderFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ errorType: 'RateLimitedError' });
    expect(exchangeOrder(sim, account, failed[0]!.clientOrderId)).toBeUndefined();
    expect(events.filter((e) => e.type === 'OrderFilled')).toHaveLength(1);
    expectOrdersMatchExchange(sim, account, [order]);
    await balancesSettle(sim, account, ex);
    // And it trades again.
    const after = await ex.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.001', price: '99000', orderType: OrderType.LIMIT_MAKER });
    expect(after.currentState).toBe(OrderState.OPEN);
  });

  it("the simulator's own limiter, far below what the connector assumes: it backs off each time it is told, is never banned, and catches up", async () => {
    const tight = await startStillSimulator({
      limits: {
        scope: 'apiKey',
        // 80 weight a second: a 60 ms poll (account 20 + order 4) goes over within the first second.
        rateLimits: [
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: 1, limit: 80 },
          { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
        ],
      },
    });
    const seller = tight.admin.createAccount({ balances: { BTC: '10' } });
    const account = tight.admin.createAccount({ balances: { USDT: '10000', BTC: '1' } });
    const ex = connect(tight, account, { urls: { ...simulatorUrls(tight), wsApiUrl: 'ws://127.0.0.1:1/ws-api/v3' } });
    const statuses: number[] = [];
    const removeRecorder = onRest(
      tight,
      async (req, next) => {
        const res = await next();
        if (req.headers['x-mbx-apikey'] === account.apiKey) statuses.push(res.status);
        return res;
      },
      { before: 'route' },
    );
    try {
      await startReady(ex);
      // The polls may already have spent this second's weight (a loaded machine shifts them): a create
      // refused by a 429 is definitely not executed, fails, and is placed again, as a user would.
      let placed: Awaited<ReturnType<typeof ex.submitOrder>> | undefined;
      for (let attempt = 0; !placed; attempt++) {
        try {
          placed = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '61000' });
        } catch (err) {
          expect(err).toBeInstanceOf(RateLimitedError);
          expect(attempt).toBeLessThan(20);
        }
      }
      const order = placed;
      take(tight, seller, 'BTC-USDT', 'SELL', '61000', '0.003');
      await waitFor(() => statuses.includes(429), 'a 429 from the simulator');
      take(tight, seller, 'BTC-USDT', 'SELL', '61000', '0.007');
      await waitFor(() => order.isDone, 'filled, learnt by polling through the refusals');
      expect(order.currentState).toBe(OrderState.FILLED);
      expectOrdersMatchExchange(tight, account, [order]);
      await balancesSettle(tight, account, ex);
      const status = tight.admin.limits.status(tight.admin.limits.clientKey('127.0.0.1', account.apiKey));
      expect(status.bans).toBe(0);
      expect(statuses).not.toContain(418);
    } finally {
      removeRecorder();
      await ex.close();
      await tight.close();
    }
  });
});
