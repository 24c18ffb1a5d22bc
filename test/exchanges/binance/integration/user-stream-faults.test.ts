import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../../../src/core/events/order-events.js';
import { OrderState, TradeType } from '../../../../src/core/types.js';
import type { BinanceExchange } from '../../../../src/exchanges/binance/exchange.js';
import type { AccountHandle } from '../../../../src/simulator/index.js';
import { waitFor } from '../../../support/wait.js';
import { balancesSettle, expectOrdersMatchExchange, startReady, take, useStillSimulator } from './support.js';

/**
 * The real user stream under the simulator's faults (admin.faults): executionReports lost,
 * duplicated and reordered; a connection gone half-open; a create that reaches the engine only
 * after the first query. Each ends equal to the exchange with every fill announced once.
 */
describe('the user stream under faults', () => {
  const fx = useStillSimulator({ seed: 7 });

  function setup(options: Parameters<typeof fx.connect>[1] = {}): { account: AccountHandle; ex: BinanceExchange; events: OrderEvent[] } {
    const account = fx.account();
    return { account, ...fx.connect(account, options) };
  }

  it('executionReports lost, duplicated and reordered: every fill announced once, the order and balances equal to the exchange', async () => {
    // The long poll is the net for a lost last report (nothing on the stream would tell).
    const { account, ex, events } = setup({ longPollIntervalMs: 300 });
    await startReady(ex);
    await waitFor(() => ex.userStreamLive, 'the user stream live');
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.02', price: '61000' });
    const scope = { accountId: account.accountId, probability: 0.4 };
    fx.sim.admin.faults.inject({ kind: 'drop', stream: 'userData', events: ['executionReport'], ...scope });
    fx.sim.admin.faults.inject({ kind: 'duplicate', stream: 'userData', copies: 2, ...scope });
    fx.sim.admin.faults.inject({ kind: 'reorder', stream: 'userData', windowMs: 30, accountId: account.accountId });
    for (const qty of ['0.003', '0.002', '0.005', '0.001', '0.004', '0.005']) take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', qty);

    await waitFor(() => order.isDone, 'the order filled');
    fx.sim.admin.faults.clear();
    await waitFor(() => events.filter((e) => e.type === 'OrderFilled').length === 6, 'every fill');
    expect(order.currentState).toBe(OrderState.FILLED);
    expect(events.filter((e) => e.type === 'OrderCompleted')).toHaveLength(1);
    expect(new Set(events.filter((e) => e.type === 'OrderFilled').map((e) => (e.type === 'OrderFilled' ? e.tradeId : ''))).size).toBe(6);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, ex);
  });

  it('a connection gone half-open: detected by its silence, replaced, and polling covers the gap', async () => {
    const { account, ex, events } = setup({ ws: { pingIntervalMs: 100, idleTimeoutMs: 600, reconnect: { initialDelayMs: 20, maxDelayMs: 100 } } });
    await startReady(ex);
    await waitFor(() => ex.userStreamLive, 'the user stream live');
    const order = await ex.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.01', price: '64000' });
    expect(await fx.sim.admin.faults.disconnect('ws-api', 'half-open')).toBeGreaterThanOrEqual(1);
    take(fx.sim, fx.taker, 'BTC-USDT', 'BUY', '64000', '0.004');
    await waitFor(() => order.executedAmountBase.eq('0.004'), 'the fill made while the stream was silent');
    await waitFor(() => ex.userStreamLive, 'a new stream');
    take(fx.sim, fx.taker, 'BTC-USDT', 'BUY', '64000', '0.006');
    await waitFor(() => order.isDone, 'filled');
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled', 'OrderFilled', 'OrderCompleted']);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, ex);
  });

  it("a create refused with a timeout that reaches the engine only after the first query (the simulator's fault): ends tracked as the exchange has it", async () => {
    const { account, ex, events } = setup();
    await startReady(ex);
    fx.sim.admin.faults.inject({ kind: 'timeout', endpoint: 'POST /api/v3/order', execute: 'after-first-query', times: 1, accountId: account.accountId });
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '55000' });
    expect(order.currentState).toBe(OrderState.OPEN);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated']);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, ex);
  });

  it('the user data events written before the REST answer (the simulator\'s events-before-response): acknowledged once, nothing doubled', async () => {
    const { account, ex, events } = setup();
    await startReady(ex);
    await waitFor(() => ex.userStreamLive, 'the user stream live');
    fx.sim.engine.submitOrder({ accountId: fx.taker.accountId, pair: 'BTC-USDT', side: 'SELL', type: 'LIMIT', price: '60500', quantity: '0.004' });
    fx.sim.admin.faults.inject({ kind: 'events-before-response', endpoint: 'POST /api/v3/order', ms: 30, accountId: account.accountId });
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '60500' });
    await waitFor(() => order.executedAmountBase.eq('0.004'), 'the fill');
    await new Promise((r) => setTimeout(r, 50));
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled']);
    expect(order.currentState).toBe(OrderState.PARTIALLY_FILLED);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, ex);
  });
});
