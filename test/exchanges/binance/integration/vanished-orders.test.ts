import { afterEach, describe, expect, it } from 'vitest';
import type { OrderEvent, OrderFailedEvent } from '../../../../src/core/events/order-events.js';
import { VANISHED_ORDER_ERROR_TYPE } from '../../../../src/core/tracker/options.js';
import { OrderState, TradeType } from '../../../../src/core/types.js';
import type { BinanceExchange } from '../../../../src/exchanges/binance/exchange.js';
import type { Simulator } from '../../../../src/simulator/index.js';
import { waitFor } from '../../../support/wait.js';
import { connect, onRest, recordRequests, startReady, startStillSimulator, take } from './support.js';

const KEY = { apiKey: 'vanishedTestKey1', apiSecret: 'vanishedTestSecret1' };
/** The status poll queries tracked orders every 100 ms even while the user stream is live. */
const POLL = { longPollIntervalMs: 100 };

/**
 * An acknowledged order the exchange forgets (here: the simulator stopped and a fresh one started
 * on the same port, as after a testnet reset) gets an end. Before, the connector logged "the
 * exchange does not find an order it acknowledged: ignored" for ever and kept the order OPEN.
 */
describe('an acknowledged order the exchange no longer knows', () => {
  const closing: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });

  it('ends FAILED (order_vanished) once the exchange twice does not find it by its exchange id and does not list it open; health says why', async () => {
    const first = await startStillSimulator();
    const port = first.port;
    first.admin.createAccount({ ...KEY, balances: { USDT: '10000', BTC: '1' } });
    const ex: BinanceExchange = connect(first, { accountId: 0, ...KEY }, POLL);
    closing.push(() => ex.close());
    const events: OrderEvent[] = [];
    for (const type of ['OrderCreated', 'OrderFilled', 'OrderFailed', 'OrderCancelled'] as const) ex.events.on(type, (e) => {
      events.push(e);
    });
    await startReady(ex);
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '20000' });
    expect(order.currentState).toBe(OrderState.OPEN);

    await first.close();
    const second: Simulator = await startStillSimulator({ port });
    closing.push(() => second.close());
    const account = second.admin.createAccount({ ...KEY, balances: { USDT: '10000', BTC: '1' } });
    // The fresh exchange gives the forgotten order's exchange id to another order of the account:
    // not our order, whatever its id.
    expect(second.engine.submitOrder({ accountId: account.accountId, pair: 'BTC-USDT', side: 'BUY', type: 'LIMIT', price: '19000', quantity: '0.001', clientOrderId: 'another-bot' }).ok).toBe(true);
    expect(second.admin.orders(account.accountId)[0]?.orderId).toBe(Number(order.exchangeOrderId));

    await waitFor(() => events.some((e) => e.type === 'OrderFailed'), 'the vanished order ends', 20_000);
    const failed = events.find((e): e is OrderFailedEvent => e.type === 'OrderFailed')!;
    expect(failed.clientOrderId).toBe(order.clientOrderId);
    expect(failed.errorType).toBe(VANISHED_ORDER_ERROR_TYPE);
    expect(failed.errorMessage).toMatch(/no longer knows this order/);
    expect(order.currentState).toBe(OrderState.FAILED);
    expect(ex.inFlightOrders.has(order.clientOrderId)).toBe(false);
    // Still watched as lost creates are, and health says so with the reason.
    expect(ex.orderTracker.lostOrders.has(order.clientOrderId)).toBe(true);
    const lost = ex.health().lostOrders;
    expect(lost.map((o) => o.clientOrderId)).toEqual([order.clientOrderId]);
    expect(lost[0]!.reason).toMatch(/does not list it open/);
    // The other order that took its exchange id is untouched.
    expect(second.admin.orders(account.accountId)[0]?.status).toBe('NEW');
    expect(events.filter((e) => e.type === 'OrderFailed')).toHaveLength(1);

    // The other order trades: its trade carries the vanished order's exchange id, and is not ours.
    const recorder = recordRequests(second);
    closing.push(async () => recorder.stop());
    const taker = second.admin.createAccount({ balances: { BTC: '1' } });
    take(second, taker, 'BTC-USDT', 'SELL', '19000', '0.001');
    await waitFor(() => recorder.count('GET /api/v3/myTrades') >= 2, 'two trade backfills after the trade');
    expect(order.executedAmountBase.isZero()).toBe(true);
    expect(events.filter((e) => e.type === 'OrderFilled')).toEqual([]);

    // Confirmed unknown again once watched past a recvWindow: no longer watched, and the poll is long again.
    await waitFor(() => !ex.orderTracker.lostOrders.has(order.clientOrderId), 'the lost order no longer watched', 20_000);
    await waitFor(() => ex.pollIntervalMs === 100, 'the long poll interval again');
  });

  it('stays OPEN while the exchange lists it open, even if a query does not find it', async () => {
    const sim = await startStillSimulator();
    closing.push(() => sim.close());
    const account = sim.admin.createAccount({ balances: { USDT: '10000', BTC: '1' } });
    const ex = connect(sim, account, POLL);
    closing.push(() => ex.close());
    await startReady(ex);
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '20000' });
    // GET /api/v3/order answers "does not exist" for every query; the open orders still list it.
    let notFound = 0;
    closing.push(async () => undo());
    const undo = onRest(sim, async (req, next) => {
      if (req.method !== 'GET' || req.path !== '/api/v3/order') return next();
      notFound++;
      return { status: 400, body: { code: -2013, msg: 'Order does not exist.' }, headers: {} };
    });
    await waitFor(() => notFound >= 4, 'several not-found answers, spaced', 20_000);
    expect(order.currentState).toBe(OrderState.OPEN);
    expect(ex.inFlightOrders.has(order.clientOrderId)).toBe(true);
    expect(ex.health().lostOrders).toEqual([]);
  });
});
