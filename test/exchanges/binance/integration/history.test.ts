import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrderState, TradeType } from '../../../../src/core/types.js';
import { tempDir } from '../../../support/tmp.js';
import { waitFor } from '../../../support/wait.js';
import { startReady, take, useStillSimulator } from './support.js';

/** exchange.history(): the store's orders and fills through the connector, across a restart, no SQLite key needed. */
describe('exchange.history()', () => {
  const fx = useStillSimulator();

  it('lists every order and fill of every run on the store, narrowed by pair, since and limit', async () => {
    const dir = tempDir();
    fx.after(() => dir.cleanup());
    const path = join(dir.path, 'venuekit.sqlite');
    const account = fx.account({ USDT: '10000', BTC: '1', ETH: '1' });

    const first = fx.connect(account, { databasePath: path, tradingPairs: ['BTC-USDT', 'ETH-USDT'] });
    await startReady(first.ex);
    const filled = await first.ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '61000' });
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.004');
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.006');
    await waitFor(() => filled.isDone, 'the BTC order filled');
    await first.ex.close();

    const second = fx.connect(account, { databasePath: path, tradingPairs: ['BTC-USDT', 'ETH-USDT'] });
    await startReady(second.ex);
    const resting = await second.ex.submitOrder(TradeType.SELL, { tradingPair: 'ETH-USDT', amount: '0.1', price: '9000' });
    await waitFor(() => resting.currentState === OrderState.OPEN, 'the ETH order open');

    const all = second.ex.history();
    expect(all.orders.map((o) => [o.clientOrderId, o.tradingPair, o.state, o.executedAmountBase.toString()])).toEqual([
      [filled.clientOrderId, 'BTC-USDT', OrderState.FILLED, '0.01'],
      [resting.clientOrderId, 'ETH-USDT', OrderState.OPEN, '0'],
    ]);
    expect(all.orders[0]!.tracking).toBe('done');
    expect(all.fills.map((f) => [f.clientOrderId, f.trade.fillBaseAmount.toString(), f.trade.fillPrice.toString()])).toEqual([
      [filled.clientOrderId, '0.004', '61000'],
      [filled.clientOrderId, '0.006', '61000'],
    ]);
    const exchangeTrades = fx.sim.admin.fills(account.accountId, { pair: 'BTC-USDT' }).map((f) => String(f.tradeId));
    expect(all.fills.map((f) => f.trade.tradeId)).toEqual(exchangeTrades);

    const eth = second.ex.history({ tradingPair: 'ETH-USDT' });
    expect(eth.orders.map((o) => o.clientOrderId)).toEqual([resting.clientOrderId]);
    expect(eth.fills).toEqual([]);

    const later = second.ex.history({ since: resting.creationTimestamp });
    expect(later.orders.map((o) => o.clientOrderId)).toEqual([resting.clientOrderId]);
    expect(later.fills).toEqual([]);

    const newest = second.ex.history({ limit: 1 });
    expect(newest.orders.map((o) => o.clientOrderId)).toEqual([resting.clientOrderId]);
    expect(newest.fills.map((f) => f.trade.fillBaseAmount.toString())).toEqual(['0.006']);
    await second.ex.close();
  });
});
