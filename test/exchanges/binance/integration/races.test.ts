import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../../../src/core/events/order-events.js';
import { OrderState, TradeType } from '../../../../src/core/types.js';
import { simulatorUrls } from '../../../../src/exchanges/binance/constants.js';
import type { BinanceExchange } from '../../../../src/exchanges/binance/exchange.js';
import type { AccountHandle } from '../../../../src/simulator/index.js';
import { waitFor } from '../../../support/wait.js';
import { balancesSettle, expectOrdersMatchExchange, onRest, startReady, take, useStillSimulator } from './support.js';

/**
 * Races between the connector and the exchange, over REST with the user stream unreachable, so
 * every change is learnt by polling (the user stream's own races are in user-stream.test.ts).
 */
describe('races against the simulator (user stream down, polling covers)', () => {
  const fx = useStillSimulator();

  async function setup(): Promise<{ account: AccountHandle; ex: BinanceExchange; events: OrderEvent[] }> {
    const account = fx.account();
    // Nothing listens on port 1: the user stream never connects.
    const { ex, events } = fx.connect(account, { urls: { ...simulatorUrls(fx.sim), wsApiUrl: 'ws://127.0.0.1:1/ws-api/v3' } });
    await startReady(ex);
    expect(ex.userStreamLive).toBe(false);
    return { account, ex, events };
  }

  const isCancel = (req: { method: string; path: string }) => req.method === 'DELETE' && req.path === '/api/v3/order';

  it('a cancel that loses the race against the last fill: refused (-2011), the query finds FILLED, the fills are applied, no cancel is announced', async () => {
    const { account, ex, events } = await setup();
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '61000' });
    fx.after(
      onRest(fx.sim, (req, next) => {
        if (isCancel(req)) take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.01');
        return next();
      }),
    );
    const [result] = await ex.cancelAll();
    expect(result).toEqual({ orderId: order.clientOrderId, success: false });
    expect(order.currentState).toBe(OrderState.FILLED);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled', 'OrderCompleted']);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, ex);
  });

  it('a cancel that wins after a partial fill: the fill the cancel answer counts is fetched and announced before the cancel', async () => {
    const { account, ex, events } = await setup();
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '61000' });
    fx.after(
      onRest(fx.sim, (req, next) => {
        if (isCancel(req)) take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.004');
        return next();
      }),
    );
    const [result] = await ex.cancelAll();
    expect(result).toEqual({ orderId: order.clientOrderId, success: true });
    expect(order.currentState).toBe(OrderState.CANCELED);
    expect(order.executedAmountBase.toString()).toBe('0.004');
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled', 'OrderCancelled']);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, ex);
  });

  it('FILLED reported before its fills can be fetched: the fill barrier holds the end until the fills arrive, then completes once', async () => {
    const { account, ex, events } = await setup();
    const order = await ex.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.01', price: '62000' });
    let refusedTrades = 0;
    fx.after(
      onRest(fx.sim, (req, next) => {
        if (req.method === 'GET' && req.path === '/api/v3/myTrades' && refusedTrades < 1) {
          refusedTrades++;
          return Promise.resolve({ status: 503, headers: {}, body: 'Service Unavailable' });
        }
        return next();
      }),
    );
    take(fx.sim, fx.taker, 'BTC-USDT', 'BUY', '62000', '0.006');
    take(fx.sim, fx.taker, 'BTC-USDT', 'BUY', '62000', '0.004');
    await waitFor(() => order.isDone, 'the order completed');
    expect(refusedTrades).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled', 'OrderFilled', 'OrderCompleted']);
    const completed = events.find((e) => e.type === 'OrderCompleted');
    expect(completed).toMatchObject({ fillsComplete: true });
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, ex);
  });

  it('fills that cannot be fetched in time: the order completes when the fill barrier times out, and the fills are announced when they come', async () => {
    const { account, ex, events } = await setup();
    const order = await ex.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.01', price: '62500' });
    let tradesDown = true;
    fx.after(
      onRest(fx.sim, (req, next) => {
        if (req.method === 'GET' && req.path === '/api/v3/myTrades' && tradesDown) return Promise.resolve({ status: 503, headers: {}, body: 'down' });
        return next();
      }),
    );
    take(fx.sim, fx.taker, 'BTC-USDT', 'BUY', '62500', '0.01');
    await waitFor(() => order.isDone, 'completed by the fill barrier timeout');
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderCompleted']);
    expect(events[1]).toMatchObject({ fillsComplete: false });
    tradesDown = false;
    await waitFor(() => events.some((e) => e.type === 'OrderFilled'), 'the late fill');
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderCompleted', 'OrderFilled']);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, ex);
  });
});
