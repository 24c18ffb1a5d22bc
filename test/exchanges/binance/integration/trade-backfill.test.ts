import { describe, expect, it } from 'vitest';
import { ClientOrderIdGenerator } from '../../../../src/core/client-order-id.js';
import type { OrderEvent } from '../../../../src/core/events/order-events.js';
import { TradeType } from '../../../../src/core/types.js';
import { clientOrderIdRules } from '../../../../src/exchanges/binance/constants.js';
import { waitFor } from '../../../support/wait.js';
import { expectOrdersMatchExchange, onRest, recordRequests, startReady, take, useStillSimulator } from './support.js';

/** The trade backfill: the account's trades per pair since the last seen, each fill of a known order applied once. */
describe('trade backfill against the simulator', () => {
  const fx = useStillSimulator();
  const POLL = { longPollIntervalMs: 200 };

  it('fills missed while the network was down come from the account\'s trades, each once, when the per-order trades cannot be fetched', async () => {
    const account = fx.account();
    const { ex, events } = fx.connect(account, POLL);
    await startReady(ex);
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '61000' });
    await ex.stopNetwork();
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.004');
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.003');
    // Only the backfill's request (no orderId) gets through: the per-order fetch answers 503.
    let backfills = 0;
    fx.after(
      onRest(fx.sim, async (req, next) => {
        if (req.method !== 'GET' || req.path !== '/api/v3/myTrades') return next();
        if (!req.params?.has('orderId')) {
          backfills++;
          return next();
        }
        return { status: 503, body: { code: -1008, msg: 'busy' }, headers: {} };
      }),
    );
    await startReady(ex);
    await waitFor(() => order.executedAmountBase.eq('0.007'), 'the missed fills applied');
    // Runs later (the long poll, 200 ms), still each once.
    const after = backfills;
    await waitFor(() => backfills >= after + 2, 'two more backfill runs');
    expect(fx.sim.admin.fills(account.accountId)).toHaveLength(2);
    expect(events.filter((e: OrderEvent) => e.type === 'OrderFilled')).toHaveLength(2);
    expectOrdersMatchExchange(fx.sim, account, [order]);
  });

  it('a failing account trades request is retried after a backoff, not on every poll', async () => {
    const account = fx.account();
    const { ex } = fx.connect(account, { longPollIntervalMs: 50 });
    let backfills = 0;
    fx.after(
      onRest(fx.sim, async (req, next) => {
        if (req.method !== 'GET' || req.path !== '/api/v3/myTrades' || req.params?.has('orderId')) return next();
        backfills++;
        return { status: 503, body: { code: -1008, msg: 'busy' }, headers: {} };
      }),
    );
    const requests = recordRequests(fx.sim);
    fx.after(() => requests.stop());
    await startReady(ex);
    await waitFor(() => requests.count('GET /api/v3/account') >= 30, 'thirty account polls');
    // Each run is one request and the REST client's retries of the 503; runs are a second apart and more.
    expect(backfills).toBeLessThan(requests.count('GET /api/v3/account') / 3);
  });

  it('a trade of an order with this bot\'s prefix that no store here tracks is reported in health() and not applied; another bot\'s is not reported', async () => {
    const account = fx.account();
    const ours = new ClientOrderIdGenerator(clientOrderIdRules()).next();
    for (const clientOrderId of [ours, 'another-bot']) {
      expect(fx.sim.engine.submitOrder({ accountId: account.accountId, pair: 'BTC-USDT', side: 'BUY', type: 'LIMIT', price: '61000', quantity: '0.001', clientOrderId }).ok).toBe(true);
    }
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.002');
    expect(fx.sim.admin.fills(account.accountId)).toHaveLength(2);

    const { ex, events } = fx.connect(account, POLL);
    await startReady(ex);
    await waitFor(() => ex.health().untrackedTrades.length > 0, 'the untracked trade reported');
    const untracked = ex.health().untrackedTrades;
    expect(untracked).toHaveLength(1);
    expect(untracked[0]).toMatchObject({ tradingPair: 'BTC-USDT', clientOrderId: ours });
    expect(events.filter((e) => e.type === 'OrderFilled')).toEqual([]);
  });
});
