import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserStreamDataSource, UserStreamListener, UserStreamMessage } from '../../../../src/connector/user-stream-source.js';
import { ExchangeBase } from '../../../../src/connector/exchange-base.js';
import type { OrderEvent } from '../../../../src/core/events/order-events.js';
import { OrderState, TradeType } from '../../../../src/core/types.js';
import { simulatorUrls } from '../../../../src/exchanges/binance/constants.js';
import { BinanceConnector, type BinanceExchangeOptions } from '../../../../src/exchanges/binance/exchange.js';
import { fillFee } from '../../../../src/exchanges/binance/parse.js';
import { runs } from '../../../support/soak.js';
import { waitFor } from '../../../support/wait.js';
import { exchangeOrder, expectOrdersMatchExchange, take, useStillSimulator } from './support.js';

/** A user stream the test plays by hand: it delivers what it is told, when it is told. */
class ScriptedUserStream implements UserStreamDataSource {
  private listener: UserStreamListener | undefined;
  get subscribed(): boolean {
    return this.listener !== undefined;
  }
  get lastRecvTime(): number {
    return Date.now();
  }
  start(listener: UserStreamListener): Promise<void> {
    this.listener = listener;
    listener.onSubscribed();
    return Promise.resolve();
  }
  stop(): Promise<void> {
    this.listener = undefined;
    return Promise.resolve();
  }
  deliver(message: UserStreamMessage): void {
    this.listener?.onMessage(message);
  }
}

class ScriptedConnector extends BinanceConnector {
  readonly stream = new ScriptedUserStream();
  override createUserStreamDataSource(): UserStreamDataSource {
    return this.stream;
  }
}

/** The same exchange base, its user stream played by the test; REST is the real simulator. */
function scriptedExchange(options: BinanceExchangeOptions): { ex: ExchangeBase; stream: ScriptedUserStream } {
  let connector: ScriptedConnector | undefined;
  const ex = new ExchangeBase((context) => (connector = new ScriptedConnector(context, options)), options);
  return { ex, stream: connector!.stream };
}

/**
 * Exactly once, through the connector: whatever the user stream delivers of an order's fills and
 * states (some, all, twice, out of order, FILLED before its fills) and whenever REST polls happen in
 * between, every trade is announced once and the order ends equal to the exchange.
 */
describe('fills are counted once across random user stream / REST interleavings (property)', () => {
  const fx = useStillSimulator();

  it('each trade announced once, the order equal to the exchange', async () => {
    const fillSizes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });
    const steps = fc.array(fc.oneof(fc.record({ kind: fc.constant('stream' as const), pick: fc.nat() }), fc.constant({ kind: 'rest' as const })), { maxLength: 14 });
    await fc.assert(
      fc.asyncProperty(fillSizes, steps, fc.boolean(), async (sizes, plan, fillAll) => {
        const sim = fx.sim;
        const account = sim.admin.createAccount({ balances: { USDT: '100000', BTC: '10' } });
        const { ex, stream } = scriptedExchange({
          apiKey: account.apiKey,
          apiSecret: account.apiSecret,
          urls: simulatorUrls(sim),
          databasePath: ':memory:',
          tickIntervalMs: 10,
          shortPollIntervalMs: 60,
          longPollIntervalMs: 60_000,
          tracker: { fillWaitTimeoutMs: 200 },
        });
        const events: OrderEvent[] = [];
        ex.events.onAny((e) => void events.push(e));
        try {
          await ex.startNetwork();
          await waitFor(() => ex.ready, 'ready');
          const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '60000' });
          // Fills in thousandths of the amount; the last one completes the order when asked to.
          const total = sizes.reduce((a, b) => a + b, 0);
          const lots = fillAll ? sizes.map((s) => Math.round((s * 10) / total)).map((s, i, all) => (i === all.length - 1 ? 10 - all.slice(0, -1).reduce((a, b) => a + b, 0) : s)) : sizes.map(() => 1);
          for (const lot of lots.filter((l) => l > 0)) take(sim, fx.taker, 'BTC-USDT', 'SELL', '60000', (lot / 1000).toFixed(3));

          // What the stream would have carried, built from the exchange's truth: per fill, the trade then the order state.
          const truth = exchangeOrder(sim, account, order.clientOrderId)!;
          const fills = sim.admin.fills(account.accountId).filter((f) => f.orderId === truth.orderId);
          const messages: UserStreamMessage[] = [];
          let cumulative = fills[0]!.qty.minus(fills[0]!.qty);
          for (const f of fills) {
            cumulative = cumulative.plus(f.qty);
            messages.push({
              kind: 'trade',
              update: {
                tradeId: String(f.tradeId),
                clientOrderId: order.clientOrderId,
                exchangeOrderId: String(f.orderId),
                tradingPair: 'BTC-USDT',
                fillTimestamp: f.time,
                fillPrice: f.price,
                fillBaseAmount: f.qty,
                fillQuoteAmount: f.quoteQty,
                fee: fillFee(TradeType.BUY, f.commissionAsset, f.commission),
                isMaker: f.isMaker,
              },
            });
            messages.push({
              kind: 'order',
              update: {
                clientOrderId: order.clientOrderId,
                tradingPair: 'BTC-USDT',
                exchangeOrderId: String(f.orderId),
                newState: cumulative.eq(truth.origQty) ? OrderState.FILLED : OrderState.PARTIALLY_FILLED,
                updateTimestamp: f.time,
                cumulativeFilledAmount: cumulative,
              },
            });
          }
          for (const step of plan) {
            if (step.kind === 'stream') stream.deliver(messages[step.pick % messages.length]!);
            else await ex.reconcile();
          }
          // Whatever the stream missed, a poll catches up.
          await ex.reconcile();
          await waitFor(() => order.executedAmountBase.eq(truth.executedQty) && (!fillAll || order.isDone), 'caught up');

          const filled = events.filter((e) => e.type === 'OrderFilled');
          expect(filled.map((e) => (e.type === 'OrderFilled' ? e.tradeId : '')).sort()).toEqual(fills.map((f) => String(f.tradeId)).sort());
          expect(events.filter((e) => e.type === 'OrderCreated')).toHaveLength(1);
          expect(events.filter((e) => e.type === 'OrderCompleted')).toHaveLength(fillAll ? 1 : 0);
          expectOrdersMatchExchange(sim, account, [order]);
        } finally {
          await ex.close();
          sim.engine.cancelAllOrders(account.accountId, 'BTC-USDT');
        }
      }),
      { numRuns: runs(25, 300) },
    );
  }, runs(30_000, 600_000));
});
