import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientOrderIdGenerator } from '../../../../src/core/client-order-id.js';
import { Decimal } from '../../../../src/core/decimal.js';
import type { OrderEvent } from '../../../../src/core/events/order-events.js';
import { openTrackingStore } from '../../../../src/core/persistence/sqlite-tracking-store.js';
import { OrderState, OrderType, TradeType } from '../../../../src/core/types.js';
import { clientOrderIdRules } from '../../../../src/exchanges/binance/constants.js';
import type { BinanceExchange } from '../../../../src/exchanges/binance/exchange.js';
import type { OpenOrder } from '../../../../src/core/orders/open-order.js';
import type { AccountHandle } from '../../../../src/simulator/index.js';
import { tempDir } from '../../../support/tmp.js';
import { waitFor } from '../../../support/wait.js';
import { balancesSettle, expectOrdersMatchExchange, startReady, take, useStillSimulator } from './support.js';

/**
 * Crash recovery: a connector reopened on the same SQLite file takes its orders back
 * (restoreTrackingStates), queries every one of them, applies what it missed exactly once, and
 * reports open orders with its prefix that it does not track.
 */
describe('restart from the SQLite file', () => {
  const fx = useStillSimulator();

  function start(account: AccountHandle, path: string, options: Parameters<typeof fx.connect>[1] = {}): { ex: BinanceExchange; events: OrderEvent[] } {
    return fx.connect(account, { databasePath: path, ...options });
  }

  it('in the middle of partial fills: the fills and the end missed while down are applied once; a create that never left fails; untracked orders with our prefix are reported', async () => {
    const dir = tempDir();
    fx.after(() => dir.cleanup());
    const path = join(dir.path, 'venuekit.sqlite');
    const account = fx.account();

    // First run: one order partly filled, one order saved but never sent (the process died first).
    const first = start(account, path);
    await startReady(first.ex);
    const order = await first.ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '61000' });
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.002');
    await waitFor(() => order.executedAmountBase.eq('0.002'), 'the first partial fill');
    const ghost = first.ex.startTrackingOrder({ clientOrderId: 'vk-never-sent', tradingPair: 'BTC-USDT', tradeType: TradeType.SELL, orderType: OrderType.LIMIT, amount: new Decimal('0.001'), price: new Decimal('99000') });
    expect(ghost.currentState).toBe(OrderState.PENDING_CREATE);
    await first.ex.close();

    // While down: the rest of the order fills in two trades, and an order with our prefix appears.
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.003');
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.005');
    const stranger = new ClientOrderIdGenerator(clientOrderIdRules()).next();
    expect(fx.sim.engine.submitOrder({ accountId: account.accountId, pair: 'BTC-USDT', side: 'BUY', type: 'LIMIT', price: '20000', quantity: '0.001', clientOrderId: stranger }).ok).toBe(true);
    expect(fx.sim.engine.submitOrder({ accountId: account.accountId, pair: 'BTC-USDT', side: 'BUY', type: 'LIMIT', price: '20000', quantity: '0.001', clientOrderId: 'another-bot' }).ok).toBe(true);

    // Second run on the same file.
    const second = start(account, path, { recvWindowMs: 1_000 });
    const restored = second.ex.orderTracker.fetchOrder(order.clientOrderId)!;
    expect(restored.executedAmountBase.toString()).toBe('0.002');
    expect(Object.keys(second.ex.trackingStates).sort()).toEqual([order.clientOrderId, 'vk-never-sent'].sort());
    const untracked = new Promise<readonly OpenOrder[]>((resolve) => second.ex.statusEvents.once('UntrackedOrdersFound', (e) => resolve(e.orders)));
    await startReady(second.ex);

    await waitFor(() => restored.isDone, 'the restored order completed');
    expect(restored.currentState).toBe(OrderState.FILLED);
    expect(second.events.filter((e) => e.type === 'OrderFilled' && e.clientOrderId === order.clientOrderId).map((e) => (e.type === 'OrderFilled' ? e.amount.toString() : ''))).toEqual(['0.003', '0.005']);
    expect(second.events.filter((e) => e.type === 'OrderCompleted')).toHaveLength(1);
    expect(second.events.some((e) => e.type === 'OrderCreated' && e.clientOrderId === order.clientOrderId)).toBe(false);
    expectOrdersMatchExchange(fx.sim, account, [restored]);

    expect((await untracked).map((o) => o.clientOrderId)).toEqual([stranger]);

    const never = second.ex.orderTracker.fetchOrder('vk-never-sent')!;
    await waitFor(() => never.isDone, 'the never-sent order settled', 10_000);
    expect(never.currentState).toBe(OrderState.FAILED);
    expect(never.failure?.type).toBe('order_not_found');
    await balancesSettle(fx.sim, account, second.ex);
    await second.ex.close();

    // Across both runs the store announced each event once.
    const store = openTrackingStore({ path, connector: 'binance' });
    try {
      const history = store.listEvents({ clientOrderId: order.clientOrderId }).map((e) => e.type);
      expect(history).toEqual(['OrderCreated', 'OrderFilled', 'OrderFilled', 'OrderFilled', 'OrderCompleted']);
      expect(store.listFills({ clientOrderId: order.clientOrderId })).toHaveLength(3);
    } finally {
      store.close();
    }
  });

  it('restoreTrackingStates takes back saved states from another source (the spec\'s saved_states)', async () => {
    const dir = tempDir();
    fx.after(() => dir.cleanup());
    const account = fx.account();
    const first = start(account, join(dir.path, 'a.sqlite'));
    await startReady(first.ex);
    const order = await first.ex.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.01', price: '95000' });
    const saved = JSON.parse(JSON.stringify(first.ex.trackingStates)) as Record<string, unknown>;
    await first.ex.close();

    const second = start(account, join(dir.path, 'b.sqlite'));
    const result = second.ex.restoreTrackingStates({ ...saved, broken: { clientOrderId: 'x' } });
    expect(result.restored).toEqual([order.clientOrderId]);
    expect(result.skipped.map((s) => s.key)).toEqual(['broken']);
    await startReady(second.ex);
    expect(await second.ex.cancelAll()).toEqual([{ orderId: order.clientOrderId, success: true }]);
    expect(second.events.map((e) => e.type)).toEqual(['OrderCancelled']);
  });
});
