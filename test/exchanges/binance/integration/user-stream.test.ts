import { describe, expect, it } from 'vitest';
import type { TradeUpdate } from '../../../../src/core/orders/updates.js';
import { OrderState, TradeType } from '../../../../src/core/types.js';
import { BinanceExchange } from '../../../../src/exchanges/binance/exchange.js';
import { waitFor } from '../../../support/wait.js';
import {
  balancesSettle,
  expectBalancesMatchExchange,
  expectOrdersMatchExchange,
  onRest,
  recordRequests,
  startReady,
  take,
  useStillSimulator,
} from './support.js';

/** Counts every fill the base is handed, whichever way it came (the user stream or REST). */
class WatchedExchange extends BinanceExchange {
  readonly tradesSeen: string[] = [];
  protected override processTradeMessage(trade: TradeUpdate): boolean {
    this.tradesSeen.push(trade.tradeId);
    return super.processTradeMessage(trade);
  }
}

/**
 * The user data stream over the WebSocket API (executionReport, outboundAccountPosition,
 * balanceUpdate) feeding the exchange base, racing REST answers, and going down in the middle of
 * fills while polling covers for it.
 */
describe('the user stream against the simulator', () => {
  const fx = useStillSimulator();

  it('orders, fills and balances arrive by the stream alone: nothing is polled while it is live', async () => {
    const acct = fx.account();
    const { ex, events } = fx.connect(acct);
    await startReady(ex);
    await waitFor(() => ex.userStreamLive, 'the user stream live');
    expect(ex.pollIntervalMs).toBe(60_000);
    await balancesSettle(fx.sim, acct, ex);
    const recorder = recordRequests(fx.sim);
    fx.after(() => recorder.stop());

    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '61000' });
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.004');
    await waitFor(() => order.executedAmountBase.eq('0.004'), 'the partial fill by the stream');
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.006');
    await waitFor(() => order.isDone, 'filled by the stream');
    await balancesSettle(fx.sim, acct, ex);

    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled', 'OrderFilled', 'OrderCompleted']);
    expect(events.find((e) => e.type === 'OrderCompleted')).toMatchObject({ fillsComplete: true });
    expectOrdersMatchExchange(fx.sim, acct, [order]);
    // The fills came by the stream: no order was queried, no order's trades fetched (an account
    // poll and the trade backfill may still have been finishing what the subscription started).
    const polled = ['GET /api/v3/account', 'GET /api/v3/myTrades'];
    expect(recorder.requests.filter((r) => !polled.includes(r))).toEqual(['POST /api/v3/order']);
    expect(recorder.count('GET /api/v3/account')).toBeLessThanOrEqual(1);
    expect(recorder.count('GET /api/v3/myTrades')).toBeLessThanOrEqual(1);
  });

  it('an executionReport that arrives before the REST create answer, with the same fills: each fill announced once, acknowledged by whichever came first', async () => {
    const acct = fx.account();
    const { ex, events } = fx.connectWith(WatchedExchange, acct);
    await startReady(ex);
    await waitFor(() => ex.userStreamLive, 'the user stream live');
    // Liquidity for our buy to take at once: two resting asks, two trades.
    fx.sim.engine.submitOrder({ accountId: fx.taker.accountId, pair: 'BTC-USDT', side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.003' });
    fx.sim.engine.submitOrder({ accountId: fx.taker.accountId, pair: 'BTC-USDT', side: 'SELL', type: 'LIMIT', price: '60010', quantity: '0.002' });
    let answerReleasedAt = 0;
    fx.after(
      onRest(fx.sim, async (req, next) => {
        const res = await next();
        if (req.method === 'POST' && req.path === '/api/v3/order') {
          // Hold the answer until the stream has told everything.
          await waitFor(() => events.some((e) => e.type === 'OrderCompleted'), 'the stream completing the order first');
          answerReleasedAt = Date.now();
        }
        return res;
      }),
    );
    const eventTimes: number[] = [];
    ex.events.onAny(() => void eventTimes.push(Date.now()));

    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.005', price: '60010' });
    await waitFor(() => answerReleasedAt > 0 && order.isDone, 'the answer processed');
    await new Promise((r) => setTimeout(r, 50));
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled', 'OrderFilled', 'OrderCompleted']);
    expect(Math.max(...eventTimes)).toBeLessThanOrEqual(answerReleasedAt);
    // Both trades reached the base twice (stream, then the FULL answer) and were counted once.
    const ids = [...order.orderFills.keys()];
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(ex.tradesSeen.filter((t) => t === id).length).toBeGreaterThanOrEqual(2);
    expect(order.currentState).toBe(OrderState.FILLED);
    expectOrdersMatchExchange(fx.sim, acct, [order]);
    await balancesSettle(fx.sim, acct, ex);
  });

  it('the stream drops in the middle of fills: polling takes over within the short interval (a fill seen by the stream comes again by REST: one event), the stream comes back, nothing is missed or doubled', async () => {
    const acct = fx.account();
    // The short interval is wide enough that a poll slowed by a loaded machine still lands inside
    // the two intervals that `ready` allows it (60 ms flickered under a load average of 10).
    const { ex, events } = fx.connectWith(WatchedExchange, acct, { shortPollIntervalMs: 400 });
    await startReady(ex);
    await waitFor(() => ex.userStreamLive, 'the user stream live');
    const order = await ex.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.01', price: '63000' });
    take(fx.sim, fx.taker, 'BTC-USDT', 'BUY', '63000', '0.002');
    await waitFor(() => order.executedAmountBase.eq('0.002'), 'the first fill by the stream');

    // Long after the last poll (the stream was live): the drop must not make the connector unready.
    await waitFor(() => !ex.pollingCovers, 'the last poll older than two short intervals');
    let unready = 0;
    const sampler = setInterval(() => void (ex.ready || unready++), 1);
    fx.after(() => clearInterval(sampler));
    for (const socket of fx.sim.wsApi.group.sockets) socket.drop();
    await waitFor(() => !ex.userStreamLive, 'the stream seen down');
    expect(ex.pollIntervalMs).toBe(400);
    const downAt = Date.now();
    take(fx.sim, fx.taker, 'BTC-USDT', 'BUY', '63000', '0.003');
    await waitFor(() => order.executedAmountBase.eq('0.005'), 'the fill made while the stream was down');
    expect(Date.now() - downAt).toBeLessThan(3_000);
    expect(ex.statusDict.userStream).toBe(true);
    clearInterval(sampler);
    expect(unready).toBe(0);
    // The REST fetch of the missed fill also brought the first one, already known from the stream: counted once.
    const [firstTrade] = [...order.orderFills.keys()].sort((a, b) => Number(a) - Number(b));
    expect(ex.tradesSeen.filter((t) => t === firstTrade).length).toBeGreaterThanOrEqual(2);

    await waitFor(() => ex.userStreamLive, 'the stream back');
    take(fx.sim, fx.taker, 'BTC-USDT', 'BUY', '63000', '0.005');
    await waitFor(() => order.isDone, 'filled');
    await balancesSettle(fx.sim, acct, ex);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled', 'OrderFilled', 'OrderFilled', 'OrderCompleted']);
    expectOrdersMatchExchange(fx.sim, acct, [order]);
    expectBalancesMatchExchange(fx.sim, acct, ex);
  });

  it('a deposit (balanceUpdate) is applied once, whether its position came first or not', async () => {
    const acct = fx.account();
    const { ex } = fx.connect(acct);
    await startReady(ex);
    await waitFor(() => ex.userStreamLive, 'the user stream live');
    await balancesSettle(fx.sim, acct, ex);
    fx.sim.admin.deposit(acct.accountId, 'USDT', '250.5');
    fx.sim.admin.deposit(acct.accountId, 'ETH', '3');
    await waitFor(() => ex.getBalance('ETH').eq(3) && ex.getBalance('USDT').eq('10250.5'), 'the deposits');
    await new Promise((r) => setTimeout(r, 50));
    expectBalancesMatchExchange(fx.sim, acct, ex);
  });
});
