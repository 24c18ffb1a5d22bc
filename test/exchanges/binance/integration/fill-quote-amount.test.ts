import { describe, expect, it } from 'vitest';
import type { OrderFilledEvent } from '../../../../src/core/events/order-events.js';
import { TradeType } from '../../../../src/core/types.js';
import { waitFor } from '../../../support/wait.js';
import { startReady, useStillSimulator } from './support.js';

/**
 * ETH-BTC: price × qty has 9 places and BTC 8, so the raw product differs from the exchange's
 * amount. A fill delivered first by the create answer (FULL, no quote amount per fill) is recorded
 * with the exchange's amount, as if the stream's `Y` or myTrades' `quoteQty` had brought it.
 */
describe("a fill's quote amount, whatever the source", () => {
  const fx = useStillSimulator();

  it('a fill from the create answer has the quote amount the exchange reports for the trade', async () => {
    const account = fx.account({ BTC: '1' });
    // The stream loses the order's events: the create answer is the first (and only quick) source.
    fx.sim.admin.faults.inject({ kind: 'drop', stream: 'userData', events: ['executionReport'], accountId: account.accountId });
    const { ex, events } = fx.connect(account, { tradingPairs: ['ETH-BTC'] });
    await startReady(ex);
    const resting = fx.sim.engine.submitOrder({ accountId: fx.taker.accountId, pair: 'ETH-BTC', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '0.04923', quantity: '0.0123' });
    expect(resting.ok).toBe(true);
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'ETH-BTC', amount: '0.0123', price: '0.04923' });
    await waitFor(() => order.isFilled, 'filled from the create answer');

    const [trade] = fx.sim.admin.fills(account.accountId, { pair: 'ETH-BTC' });
    expect(trade!.quoteQty.toString()).toBe('0.00060552');
    const filled = events.filter((e): e is OrderFilledEvent => e.type === 'OrderFilled');
    expect(filled.map((e) => [e.tradeId, e.quoteAmount.toString()])).toEqual([[String(trade!.tradeId), '0.00060552']]);
    expect([...order.orderFills.values()].map((f) => f.fillQuoteAmount.toString())).toEqual(['0.00060552']);
    expect(order.executedAmountQuote.toString()).toBe('0.00060552');
  });
});
