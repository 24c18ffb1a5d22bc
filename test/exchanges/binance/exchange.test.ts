import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/core/decimal.js';
import { ExchangeUnavailableError, InsufficientFundsError, InvalidArgumentError } from '../../../src/core/errors.js';
import { NetworkStatus } from '../../../src/core/network-iterator.js';
import { OrderState, OrderType, TradeType } from '../../../src/core/types.js';
import { waitFor } from '../../support/wait.js';
import { balancesSettle, exchangeOrder, expectOrdersMatchExchange, onRest, recordRequests, startReady, take, useStillSimulator } from './integration/support.js';

/**
 * The Exchange API end to end: every public function of the spec through BinanceExchange against
 * the simulator over real HTTP and WebSocket on 127.0.0.1, each result compared with the exchange's
 * own truth (the admin handle).
 */
describe('BinanceExchange against the simulator', () => {
  const fx = useStillSimulator();

  it('waitUntilReady resolves once ready after start(); a connector that cannot get ready rejects naming what is missing', async () => {
    const account = fx.account();
    const { ex: exchange } = fx.connect(account);
    exchange.start();
    await exchange.waitUntilReady(10_000);
    expect(exchange.ready).toBe(true);
    await exchange.waitUntilReady(0); // already ready: at once

    // A key the exchange refuses: rules and books come, balances and the user stream never do.
    const { ex: refused } = fx.connect({ ...account, apiSecret: 'not-the-secret' });
    refused.start();
    const err = await refused.waitUntilReady(1_500).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExchangeUnavailableError);
    expect((err as Error).message).toMatch(/^binance was not ready after 1\.5 s \(not ready: balances, userStream\)/);
    expect((err as ExchangeUnavailableError).retryable).toBe(true);
  });

  it('startNetwork brings every component up: ready, statusDict, name, rules, quanta, books, fees, network check, HTTP client', async () => {
    const account = fx.account();
    const { ex: exchange } = fx.connect(account);
    expect(exchange.ready).toBe(false);
    expect(exchange.statusDict).toEqual({ symbolMap: false, orderBooks: true, balances: false, tradingRules: false, userStream: false });
    await startReady(exchange);
    expect(exchange.statusDict).toEqual({ symbolMap: true, orderBooks: true, balances: true, tradingRules: true, userStream: true });
    expect(exchange.name).toBe('binance');

    const rule = exchange.tradingRules.get('BTC-USDT')!;
    expect(rule.minPriceIncrement.toString()).toBe('0.01');
    expect(rule.minBaseAmountIncrement.toString()).toBe('0.00001');
    expect(rule.minNotionalSize.toString()).toBe('5');
    expect([...exchange.tradingRules.keys()].sort()).toEqual(['BTC-USDT', 'ETH-BTC', 'ETH-USDT']);
    expect(exchange.getOrderPriceQuantum('BTC-USDT', new Decimal('65000.123')).toString()).toBe('0.01');
    expect(exchange.getOrderSizeQuantum('ETH-USDT', new Decimal('1.23456')).toString()).toBe('0.0001');
    expect(() => exchange.getOrderPriceQuantum('DOGE-USDT')).toThrow(InvalidArgumentError);

    expect([...exchange.orderBooks.keys()]).toEqual(['BTC-USDT']);
    expect(exchange.getOrderBook('BTC-USDT').updateId).toBeGreaterThanOrEqual(0);
    expect(() => exchange.getOrderBook('ETH-BTC')).toThrow(InvalidArgumentError);

    expect(exchange.supportedOrderTypes()).toEqual([OrderType.LIMIT, OrderType.LIMIT_MAKER, OrderType.MARKET]);
    const fee = exchange.getFee({ baseCurrency: 'BTC', quoteCurrency: 'USDT', orderType: OrderType.LIMIT_MAKER, tradeType: TradeType.BUY, amount: new Decimal(1), price: new Decimal(60000) });
    expect(fee.percent.toString()).toBe('0.001');
    expect(await exchange.checkNetwork()).toBe(NetworkStatus.CONNECTED);
    expect(exchange.httpClient.baseUrl).toBe(`${fx.sim.restUrl}/`);
    expect(exchange.getBalance('USDT').toString()).toBe('10000');
    expect(exchange.getAvailableBalance('BTC').toString()).toBe('1');
  });

  it('buy and sell return the client id at once, track PENDING_CREATE, and announce OrderCreated when the exchange has the order', async () => {
    const account = fx.account();
    const { ex: exchange, events } = fx.connect(account);
    await startReady(exchange);

    const buyId = exchange.buy('BTC-USDT', '0.01', OrderType.LIMIT, '60000');
    const sellId = exchange.sell('BTC-USDT', new Decimal('0.02'), OrderType.LIMIT_MAKER, new Decimal('70000.009'));
    expect(exchange.inFlightOrders.get(buyId)?.currentState).toBe(OrderState.PENDING_CREATE);
    expect(Object.keys(exchange.trackingStates).sort()).toEqual([buyId, sellId].sort());
    expect(exchange.getAvailableBalance('USDT').toString()).toBe('9400');
    expect(exchange.getAvailableBalance('BTC').toString()).toBe('0.98');

    await waitFor(() => events.filter((e) => e.type === 'OrderCreated').length === 2, 'both orders created');
    const sell = exchange.inFlightOrders.get(sellId)!;
    expect(sell.price?.toString()).toBe('70000');
    expect(exchange.limitOrders.map((o) => [o.clientOrderId, o.isBuy, o.price.toString(), o.quantity.toString()]).sort()).toEqual(
      [
        [buyId, true, '60000', '0.01'],
        [sellId, false, '70000', '0.02'],
      ].sort(),
    );
    expectOrdersMatchExchange(fx.sim, account, [...exchange.inFlightOrders.values()]);

    const open = await exchange.getOpenOrders();
    expect(open.map((o) => o.clientOrderId).sort()).toEqual([buyId, sellId].sort());
    expect(open.find((o) => o.clientOrderId === sellId)).toMatchObject({ tradingPair: 'BTC-USDT', isBuy: false, orderType: OrderType.LIMIT_MAKER, status: 'NEW' });
    await balancesSettle(fx.sim, account, exchange);
    expect(exchange.getAvailableBalance('USDT').toString()).toBe('9400');
  });

  it('fills: a partial then the rest, one OrderFilled per trade, OrderCompleted, equal to the exchange', async () => {
    const account = fx.account();
    const { ex: exchange, events } = fx.connect(account);
    await startReady(exchange);
    const order = await exchange.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '61000' });

    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.004');
    await waitFor(() => order.executedAmountBase.eq('0.004'), 'the partial fill');
    expect(order.currentState).toBe(OrderState.PARTIALLY_FILLED);
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.006');
    await waitFor(() => order.isDone, 'the order filled');

    const fills = events.filter((e) => e.type === 'OrderFilled');
    expect(fills.map((e) => e.amount.toString())).toEqual(['0.004', '0.006']);
    expect(events.filter((e) => e.type === 'OrderCompleted')).toHaveLength(1);
    expect(order.currentState).toBe(OrderState.FILLED);
    expect(order.averageExecutedPrice?.toString()).toBe('61000');
    expect(order.cumulativeFeePaid('BTC').toString()).toBe('0.00001');
    expectOrdersMatchExchange(fx.sim, account, [order]);
    expect(exchange.inFlightOrders.has(order.clientOrderId)).toBe(false);
    await balancesSettle(fx.sim, account, exchange);
  });

  it('a market order takes liquidity: fills from the create answer, completed at once', async () => {
    const account = fx.account();
    const { ex: exchange, events } = fx.connect(account, { tradingPairs: ['ETH-USDT'] });
    await startReady(exchange);
    fx.sim.engine.submitOrder({ accountId: fx.taker.accountId, pair: 'ETH-USDT', side: 'SELL', type: 'LIMIT', price: '3000', quantity: '0.5' });
    await waitFor(() => exchange.getOrderBook('ETH-USDT').bestAsk() !== undefined, 'the ask in the book');

    const order = await exchange.submitOrder(TradeType.BUY, { tradingPair: 'ETH-USDT', amount: '0.2', orderType: OrderType.MARKET });
    await waitFor(() => order.isDone, 'the market order done');
    expect(order.currentState).toBe(OrderState.FILLED);
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderFilled', 'OrderCompleted']);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, exchange);
  });

  it('cancel: by client id, OrderCancelled once, the locked balance released; an id nobody tracks is left alone', async () => {
    const account = fx.account();
    const { ex: exchange, events } = fx.connect(account);
    await startReady(exchange);
    const order = await exchange.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.5', price: '80000' });
    expect(exchange.cancel('BTC-USDT', order.clientOrderId)).toBe(order.clientOrderId);
    await waitFor(() => order.isCancelled, 'the cancel');
    expect(events.filter((e) => e.type === 'OrderCancelled')).toHaveLength(1);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, exchange);
    expect(exchange.getAvailableBalance('BTC').toString()).toBe('1');

    const recorder = recordRequests(fx.sim);
    exchange.cancel('BTC-USDT', 'vk-not-ours');
    exchange.cancel('BTC-USDT', order.clientOrderId);
    await new Promise((r) => setTimeout(r, 50));
    recorder.stop();
    expect(recorder.count('DELETE /api/v3/order')).toBe(0);
  });

  it('cancelOrder resolves once the order has ended: cancelled, an id nobody tracks at once, a cancel slower than its timeout, an order still PENDING_CREATE', async () => {
    const account = fx.account();
    const { ex: exchange, events } = fx.connect(account);
    await startReady(exchange);
    const order = await exchange.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.5', price: '80000' });
    expect(await exchange.cancelOrder('BTC-USDT', order.clientOrderId)).toEqual({ orderId: order.clientOrderId, success: true });
    expect(order.isCancelled).toBe(true);
    expect(events.filter((e) => e.type === 'OrderCancelled')).toHaveLength(1);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    expect(await exchange.cancelOrder('BTC-USDT', 'vk-not-ours')).toEqual({ orderId: 'vk-not-ours', success: false });
    expect(await exchange.cancelOrder('BTC-USDT', order.clientOrderId)).toEqual({ orderId: order.clientOrderId, success: true });

    const isRequest = (req: { method: string; path: string }, method: string) => req.method === method && req.path === '/api/v3/order';
    let releaseCancels!: () => void;
    const cancelsHeld = new Promise<void>((resolve) => (releaseCancels = resolve));
    const holdCancels = onRest(fx.sim, async (req, next) => {
      if (isRequest(req, 'DELETE')) await cancelsHeld;
      return next();
    });
    const slow = await exchange.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.1', price: '80001' });
    expect(await exchange.cancelOrder('BTC-USDT', slow.clientOrderId, { timeoutMs: 100 })).toEqual({ orderId: slow.clientOrderId, success: false });
    expect(slow.isDone).toBe(false);
    releaseCancels();
    await waitFor(() => slow.isCancelled, 'the late cancel landed');
    holdCancels();

    // The exchange does not know the order yet: the cancel goes again once the create is acknowledged.
    let releaseCreate!: () => void;
    const createHeld = new Promise<void>((resolve) => (releaseCreate = resolve));
    let deletes = 0;
    fx.after(
      onRest(fx.sim, async (req, next) => {
        if (isRequest(req, 'POST')) await createHeld;
        if (isRequest(req, 'DELETE')) deletes++;
        return next();
      }),
    );
    const pendingId = exchange.sell('BTC-USDT', '0.1', OrderType.LIMIT, '80002');
    const result = exchange.cancelOrder('BTC-USDT', pendingId);
    await waitFor(() => deletes === 1, 'the first cancel refused');
    releaseCreate();
    expect(await result).toEqual({ orderId: pendingId, success: true });
    expect(deletes).toBe(2);
    expectOrdersMatchExchange(fx.sim, account, [slow, exchange.orderTracker.fetchOrder(pendingId)!]);
  });

  it('an order below the minimum size or notional fails with a clear OrderFailed naming the rule, and no request is sent', async () => {
    const account = fx.account();
    const { ex: exchange, events } = fx.connect(account);
    await startReady(exchange);
    const recorder = recordRequests(fx.sim);

    const tooSmall = exchange.buy('BTC-USDT', '0.000001', OrderType.LIMIT, '60000');
    const tooCheap = exchange.buy('BTC-USDT', '0.00005', OrderType.LIMIT, '60000');
    await waitFor(() => events.filter((e) => e.type === 'OrderFailed').length === 2, 'two failures');
    const failed = events.filter((e) => e.type === 'OrderFailed');
    expect(failed.find((e) => e.clientOrderId === tooSmall)).toMatchObject({ errorType: 'TradingRuleViolation' });
    expect(failed.find((e) => e.clientOrderId === tooSmall)?.errorMessage).toMatch(/amount 0.000001 is below the minimum 0.00001.*\[rule: min_order_size\]/);
    expect(failed.find((e) => e.clientOrderId === tooCheap)?.errorMessage).toMatch(/notional 3 is below the minimum 5 \(short by 2\).*\[rule: min_notional\]/);
    await expect(exchange.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.00001', price: '1' })).rejects.toMatchObject({
      name: 'TradingRuleViolation',
      rule: 'min_notional',
    });
    recorder.stop();
    expect(recorder.count('POST /api/v3/order')).toBe(0);
    expect(events.some((e) => e.type === 'OrderCreated')).toBe(false);
    expect(exchange.inFlightOrders.size).toBe(0);
  });

  it('insufficient balance: the exchange refuses, OrderFailed, submitOrder rejects with InsufficientFundsError, balances unchanged', async () => {
    const account = fx.account({ USDT: '100' });
    const { ex: exchange, events } = fx.connect(account);
    await startReady(exchange);
    const attempt = exchange.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '60000' });
    await expect(attempt).rejects.toBeInstanceOf(InsufficientFundsError);
    expect(events.map((e) => e.type)).toEqual(['OrderFailed']);
    expect(events[0]).toMatchObject({ errorType: 'InsufficientFundsError' });
    expect(fx.sim.admin.orders(account.accountId)).toEqual([]);
    await balancesSettle(fx.sim, account, exchange);
    expect(exchange.getAvailableBalance('USDT').toString()).toBe('100');
  });

  it('bad arguments throw InvalidArgumentError at once; nothing is tracked or sent', async () => {
    const account = fx.account();
    const { ex: exchange } = fx.connect(account);
    await startReady(exchange);
    const ex = exchange;
    expect(() => ex.buy('btcusdt', '1', OrderType.LIMIT, '1')).toThrow(InvalidArgumentError);
    expect(() => ex.buy('BTC-USDT', 0.1 as unknown as string, OrderType.LIMIT, '60000')).toThrow(/float may be inexact/);
    expect(() => ex.buy('BTC-USDT', '-1', OrderType.LIMIT, '60000')).toThrow(/amount must be above zero/);
    expect(() => ex.sell('BTC-USDT', '1', OrderType.LIMIT)).toThrow(/price is required/);
    expect(() => ex.sell('BTC-USDT', '1', 'STOP' as OrderType, '1')).toThrow(/orderType/);
    await expect(ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: 'lots', price: '1' })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(ex.inFlightOrders.size).toBe(0);
    expect(ex.trackingStates).toEqual({});
  });

  it('cancelAll: only tracked orders, each by client id, one result per order; a cancel that fails is reported and the rest go through', async () => {
    const account = fx.account();
    const { ex: exchange } = fx.connect(account);
    await startReady(exchange);
    const a = await exchange.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.001', price: '50000' });
    const b = await exchange.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.001', price: '50001' });
    const c = await exchange.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.001', price: '90000' });
    // Another bot on the same account: its order must survive.
    const other = fx.sim.engine.submitOrder({ accountId: account.accountId, pair: 'BTC-USDT', side: 'BUY', type: 'LIMIT', price: '40000', quantity: '0.001', clientOrderId: 'other-bot-1' });
    expect(other.ok).toBe(true);
    // c fills behind the connector's back: its cancel is refused (-2011) and the query finds it FILLED.
    take(fx.sim, fx.taker, 'BTC-USDT', 'BUY', '90000', '0.001');
    const recorder = recordRequests(fx.sim);

    const results = await exchange.cancelAll();
    recorder.stop();
    expect(results).toEqual([
      { orderId: a.clientOrderId, success: true },
      { orderId: b.clientOrderId, success: true },
      { orderId: c.clientOrderId, success: false },
    ]);
    expect(recorder.count('DELETE /api/v3/openOrders')).toBe(0);
    expect(recorder.count('DELETE /api/v3/order')).toBe(3);
    expect(c.currentState).toBe(OrderState.FILLED);
    expect(exchangeOrder(fx.sim, account, 'other-bot-1')?.status).toBe('NEW');
    expectOrdersMatchExchange(fx.sim, account, [a, b, c]);
    await balancesSettle(fx.sim, account, exchange);
    expect(await exchange.cancelAll()).toEqual([]);
  });

  it('cancelAll answers within its timeout: a cancel the exchange does not answer is reported unsuccessful, the others confirmed', async () => {
    const account = fx.account();
    const { ex: exchange, events } = fx.connect(account);
    await startReady(exchange);
    const a = await exchange.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.001', price: '50000' });
    const b = await exchange.submitOrder(TradeType.SELL, { tradingPair: 'BTC-USDT', amount: '0.001', price: '90000' });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    fx.after(release);
    let heldCancels = 0;
    fx.after(
      onRest(fx.sim, async (req, next) => {
        if (req.method === 'DELETE' && req.path === '/api/v3/order' && req.params?.optional('origClientOrderId') === b.clientOrderId) {
          heldCancels++;
          await released;
        }
        return next();
      }),
    );

    const startedAt = Date.now();
    const results = await exchange.cancelAll(300);
    const took = Date.now() - startedAt;
    expect(results).toEqual([
      { orderId: a.clientOrderId, success: true },
      { orderId: b.clientOrderId, success: false },
    ]);
    expect(heldCancels).toBe(1);
    // The timeout bounds the call (generous margin for a loaded machine; the held cancel would never end it).
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(3_000);
    expect(a.isCancelled).toBe(true);
    expect(b.isDone).toBe(false);

    // The cancel that got no answer in time still lands: the order ends cancelled, announced once.
    release();
    await waitFor(() => b.isCancelled, 'the late cancel');
    expect(events.filter((e) => e.type === 'OrderCancelled').map((e) => e.clientOrderId).sort()).toEqual([a.clientOrderId, b.clientOrderId].sort());
    expectOrdersMatchExchange(fx.sim, account, [a, b]);
    await balancesSettle(fx.sim, account, exchange);
  });

  it('startTrackingOrder and stopTrackingOrder: an order tracked by hand is polled; one no longer tracked is not', async () => {
    const account = fx.account();
    const { ex: exchange } = fx.connect(account);
    await startReady(exchange);
    const placed = fx.sim.engine.submitOrder({ accountId: account.accountId, pair: 'BTC-USDT', side: 'BUY', type: 'LIMIT', price: '30000', quantity: '0.001', clientOrderId: 'vk-by-hand' });
    expect(placed.ok).toBe(true);
    const order = exchange.startTrackingOrder({ clientOrderId: 'vk-by-hand', tradingPair: 'BTC-USDT', tradeType: TradeType.BUY, orderType: OrderType.LIMIT, amount: new Decimal('0.001'), price: new Decimal('30000') });
    await waitFor(() => order.currentState === OrderState.OPEN, 'the poll finds it');
    expect(order.exchangeOrderId).toBe(String(exchangeOrder(fx.sim, account, 'vk-by-hand')!.orderId));
    expect(exchange.stopTrackingOrder('vk-by-hand')).toBe(true);
    expect(exchange.inFlightOrders.has('vk-by-hand')).toBe(false);
    expect(await exchange.cancelAll()).toEqual([]);
    expect(exchangeOrder(fx.sim, account, 'vk-by-hand')?.status).toBe('NEW');
  });

  it('the trading rules polling loop refreshes the rules and the symbol map from the exchange', async () => {
    const account = fx.account();
    const { ex: exchange } = fx.connect(account, { tradingRulesIntervalMs: 50 });
    await startReady(exchange);
    expect(exchange.tradingRules.get('ETH-USDT')?.minNotionalSize.toString()).toBe('5');
    fx.sim.admin.setTradingRules('ETH-USDT', { minNotional: '12' });
    try {
      await waitFor(() => exchange.tradingRules.get('ETH-USDT')?.minNotionalSize.eq(12) === true, 'the new rule');
      const failed = new Promise((resolve) => exchange.events.once('OrderFailed', resolve));
      exchange.buy('ETH-USDT', '0.003', OrderType.LIMIT, '3000');
      expect(await failed).toMatchObject({ errorType: 'TradingRuleViolation' });
    } finally {
      fx.sim.admin.setTradingRules('ETH-USDT', { minNotional: '5' });
    }
  });

  it('checkNetwork says NOT_CONNECTED when the exchange cannot be reached, and startNetwork fails', async () => {
    const account = fx.account();
    const { ex: exchange } = fx.connect(account, { urls: { restUrl: 'http://127.0.0.1:1', wsApiUrl: 'ws://127.0.0.1:1/ws-api/v3', streamUrl: 'ws://127.0.0.1:1/ws' }, requestTimeoutMs: 500, rest: { retry: { attempts: 1 } } });
    expect(await exchange.checkNetwork()).toBe(NetworkStatus.NOT_CONNECTED);
    await expect(exchange.startNetwork()).rejects.toThrow();
    expect(exchange.ready).toBe(false);
  });

  it('the network iterator: start() checks the network and starts it; stop() stops it; startNetwork() again restarts it; close() releases everything', async () => {
    const account = fx.account();
    const { ex: exchange } = fx.connect(account);
    exchange.start();
    await waitFor(() => exchange.ready, 'ready through the network iterator');
    expect(exchange.networkStatus).toBe(NetworkStatus.CONNECTED);
    await exchange.stop();
    expect(exchange.networkStatus).toBe(NetworkStatus.STOPPED);
    expect(exchange.ready).toBe(false);
    // The network can be started again: streams, books and polling come back.
    await startReady(exchange);
    await waitFor(() => exchange.userStreamLive, 'the user stream back');
    expect((await exchange.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.001', price: '40000' })).isAcknowledged).toBe(true);
    await exchange.close();
    expect(() => exchange.buy('BTC-USDT', '1', OrderType.LIMIT, '1')).toThrow(/closed/);
  });
});
