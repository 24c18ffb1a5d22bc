import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type AccountHandle, type Simulator } from '../../../src/simulator/index.js';
import { TestClient } from '../support/client.js';

let sim: Simulator;
let alice: AccountHandle;
let bob: AccountHandle;
let a: TestClient;
let b: TestClient;
let pub: TestClient;

beforeAll(async () => {
  sim = await startSimulator({ activity: false, seedLiquidity: false, demoAccount: false });
  alice = sim.admin.createAccount({ name: 'alice', balances: { USDT: '100000', BTC: '2', ETH: '10' } });
  bob = sim.admin.createAccount({ name: 'bob', balances: { USDT: '100000', BTC: '2', ETH: '10' }, makerRate: '0.001', takerRate: '0.001' });
  a = new TestClient(sim.restUrl, alice.apiKey, alice.apiSecret);
  b = new TestClient(sim.restUrl, bob.apiKey, bob.apiSecret);
  pub = new TestClient(sim.restUrl);
});
afterAll(() => sim.close());

describe('public endpoints', () => {
  it('ping, time, unknown paths', async () => {
    expect(await pub.get('/api/v3/ping')).toMatchObject({ status: 200, body: {} });
    const t = await pub.get('/api/v3/time');
    expect(Math.abs(t.body.serverTime - Date.now())).toBeLessThan(5000);
    expect((await pub.get('/api/v3/nothing')).status).toBe(404);
    expect((await pub.send('PUT', '/api/v3/order')).status).toBe(405);
  });

  it('exchangeInfo: all, one, several, unknown', async () => {
    const all = await pub.get('/api/v3/exchangeInfo');
    expect(all.body.symbols.map((s: { symbol: string }) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'ETHBTC']);
    expect(all.body.rateLimits[0]).toEqual({ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 });
    const one = await pub.get('/api/v3/exchangeInfo', { symbol: 'BTCUSDT' });
    const btc = one.body.symbols[0];
    expect(btc).toMatchObject({ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', status: 'TRADING', defaultSelfTradePreventionMode: 'EXPIRE_MAKER' });
    expect(btc.filters).toContainEqual({ filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' });
    expect(btc.filters).toContainEqual({ filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' });
    expect(btc.filters).toContainEqual({
      filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5,
    });
    const several = await pub.get('/api/v3/exchangeInfo', { symbols: '["ETHBTC","ETHUSDT"]' });
    expect(several.body.symbols.map((s: { symbol: string }) => s.symbol)).toEqual(['ETHBTC', 'ETHUSDT']);
    expect(await pub.get('/api/v3/exchangeInfo', { symbol: 'NOPE' })).toMatchObject({ status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
  });

  it('depth, trades, aggTrades, tickers follow the book and the tape', async () => {
    await a.signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '3000' });
    await a.signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '2', price: '3001.5' });
    await a.signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '2990' });
    const depth = await pub.get('/api/v3/depth', { symbol: 'ETHUSDT', limit: 5 });
    expect(depth.body).toEqual({
      lastUpdateId: depth.body.lastUpdateId,
      bids: [['2990.00000000', '1.00000000']],
      asks: [
        ['3000.00000000', '1.00000000'],
        ['3001.50000000', '2.00000000'],
      ],
    });
    await b.signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '1.5' });
    const after = await pub.get('/api/v3/depth', { symbol: 'ETHUSDT' });
    expect(after.body.lastUpdateId).toBe(depth.body.lastUpdateId + 2);
    expect(after.body.asks).toEqual([['3001.50000000', '1.50000000']]);
    const trades = await pub.get('/api/v3/trades', { symbol: 'ETHUSDT' });
    expect(trades.body.map((t: { price: string; qty: string; isBuyerMaker: boolean }) => [t.price, t.qty, t.isBuyerMaker])).toEqual([
      ['3000.00000000', '1.00000000', false],
      ['3001.50000000', '0.50000000', false],
    ]);
    expect(trades.body[0].quoteQty).toBe('3000.00000000');
    const aggs = await pub.get('/api/v3/aggTrades', { symbol: 'ETHUSDT' });
    expect(aggs.body).toHaveLength(2);
    expect(aggs.body[1]).toMatchObject({ p: '3001.50000000', q: '0.50000000', f: trades.body[1].id, l: trades.body[1].id, m: false, M: true });
    const book = await pub.get('/api/v3/ticker/bookTicker', { symbol: 'ETHUSDT' });
    expect(book.body).toEqual({ symbol: 'ETHUSDT', bidPrice: '2990.00000000', bidQty: '1.00000000', askPrice: '3001.50000000', askQty: '1.50000000' });
    const t24 = await pub.get('/api/v3/ticker/24hr', { symbol: 'ETHUSDT' });
    expect(t24.body).toMatchObject({
      symbol: 'ETHUSDT', openPrice: '3000.00000000', highPrice: '3001.50000000', lowPrice: '3000.00000000', lastPrice: '3001.50000000',
      volume: '1.50000000', quoteVolume: '4500.75000000', count: 2, priceChange: '1.50000000', priceChangePercent: '0.050', lastQty: '0.50000000',
      weightedAvgPrice: '3000.50000000',
    });
    expect((await pub.get('/api/v3/ticker/price', { symbol: 'ETHUSDT' })).body).toEqual({ symbol: 'ETHUSDT', price: '3001.50000000' });
    expect((await pub.get('/api/v3/ticker/price', { symbols: '["ETHBTC"]' })).body).toEqual([{ symbol: 'ETHBTC', price: '0.00000000' }]);
    // The volume-weighted price of the last avgPriceMins (5) minutes: 4500.75 / 1.5.
    expect((await pub.get('/api/v3/avgPrice', { symbol: 'ETHUSDT' })).body).toEqual({ mins: 5, price: '3000.50000000', closeTime: trades.body[1].time });
    const idle = await pub.get('/api/v3/ticker/24hr', { symbols: '["ETHBTC"]', type: 'MINI' });
    expect(idle.body[0]).toMatchObject({ symbol: 'ETHBTC', lastPrice: '0.00000000', count: 0, firstId: -1, lastId: -1 });
    expect(idle.body[0].bidPrice).toBeUndefined();
    const allBooks = await pub.get('/api/v3/ticker/bookTicker');
    expect(allBooks.body).toHaveLength(3);
  });
});

describe('orders', () => {
  it('FULL, RESULT and ACK responses with zero-padded decimals and commission in the received asset', async () => {
    await a.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '60000', newClientOrderId: 'ask-1' });
    const full = await b.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.15', price: '60000.5', newClientOrderId: 'bid-1' });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({
      symbol: 'BTCUSDT', clientOrderId: 'bid-1', orderListId: -1, price: '60000.50000000', origQty: '0.15000000', executedQty: '0.10000000',
      cummulativeQuoteQty: '6000.00000000', origQuoteOrderQty: '0.00000000', status: 'PARTIALLY_FILLED', timeInForce: 'GTC', type: 'LIMIT', side: 'BUY',
      selfTradePreventionMode: 'EXPIRE_MAKER',
    });
    expect(full.body.fills).toEqual([{ price: '60000.00000000', qty: '0.10000000', commission: '0.00010000', commissionAsset: 'BTC', tradeId: 1 }]);
    expect(full.body.transactTime).toBe(full.body.workingTime);
    const result = await b.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000', newOrderRespType: 'RESULT' });
    expect(result.body.fills).toBeUndefined();
    expect(result.body.status).toBe('NEW');
    const ack = await b.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000', newOrderRespType: 'ACK' });
    expect(Object.keys(ack.body).sort()).toEqual(['clientOrderId', 'orderId', 'orderListId', 'symbol', 'transactTime']);
    expect(ack.body.clientOrderId).toMatch(/^[A-Za-z0-9]{22}$/);
    // LIMIT_MAKER answers ACK by default.
    const maker = await b.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT_MAKER', quantity: '0.001', price: '50000' });
    expect(maker.body.status).toBeUndefined();
  });

  it('market orders by quantity and by quote amount; expiry when liquidity runs out', async () => {
    await a.signed('POST', '/api/v3/order', { symbol: 'ETHBTC', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '2', price: '0.05' });
    const byQuote = await b.signed('POST', '/api/v3/order', { symbol: 'ETHBTC', side: 'BUY', type: 'MARKET', quoteOrderQty: '0.01' });
    expect(byQuote.body).toMatchObject({ status: 'FILLED', executedQty: '0.20000000', cummulativeQuoteQty: '0.01000000', origQuoteOrderQty: '0.01000000', price: '0.00000000', timeInForce: 'GTC' });
    const byQty = await b.signed('POST', '/api/v3/order', { symbol: 'ETHBTC', side: 'BUY', type: 'MARKET', quantity: '5' });
    expect(byQty.body).toMatchObject({ status: 'EXPIRED', executedQty: '1.80000000', expiryReason: 'INSUFFICIENT_LIQUIDITY' });
  });

  it('queries by id and client id, cancels, cancels all, lists', async () => {
    const placed = await a.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '40000', newClientOrderId: 'q-1' });
    const id = placed.body.orderId;
    const byId = await a.signed('GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: id });
    expect(byId.body).toMatchObject({ orderId: id, clientOrderId: 'q-1', status: 'NEW', isWorking: true, stopPrice: '0.00000000', icebergQty: '0.00000000' });
    expect((await a.signed('GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'q-1' })).body.orderId).toBe(id);
    expect((await a.signed('GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: id, origClientOrderId: 'other' })).body).toEqual({
      code: -2039, msg: 'Client order ID is not correct for this order ID.',
    });
    expect((await a.signed('GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: 999999 })).body).toEqual({ code: -2013, msg: 'Order does not exist.' });
    expect((await b.signed('GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: id })).body.code).toBe(-2013);
    expect((await a.signed('GET', '/api/v3/order', { symbol: 'BTCUSDT' })).body).toEqual({
      code: -1102, msg: "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!",
    });
    const open = await a.signed('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
    expect(open.body.map((o: { orderId: number }) => o.orderId)).toContain(id);
    const cancel = await a.signed('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: id, newClientOrderId: 'cancel-q-1' });
    expect(cancel.body).toMatchObject({ orderId: id, origClientOrderId: 'q-1', clientOrderId: 'cancel-q-1', status: 'CANCELED', executedQty: '0.00000000' });
    expect((await a.signed('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: id })).body).toEqual({ code: -2011, msg: 'Unknown order sent.' });
    expect((await a.signed('GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'q-1' })).body.status).toBe('CANCELED');

    for (const price of ['41000', '42000']) {
      await a.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price });
    }
    const openBefore = (await a.signed('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body.length;
    const all = await a.signed('DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
    expect(all.body).toHaveLength(openBefore);
    expect(all.body.every((o: { status: string }) => o.status === 'CANCELED')).toBe(true);
    expect((await a.signed('DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body).toEqual({ code: -2011, msg: 'Unknown order sent.' });
    const history = await a.signed('GET', '/api/v3/allOrders', { symbol: 'BTCUSDT' });
    expect(history.body.map((o: { orderId: number }) => o.orderId)).toEqual([...history.body.map((o: { orderId: number }) => o.orderId)].sort((x: number, y: number) => x - y));
    expect(history.body.some((o: { clientOrderId: string }) => o.clientOrderId === 'q-1')).toBe(true);
    const fromId = await a.signed('GET', '/api/v3/allOrders', { symbol: 'BTCUSDT', orderId: id, limit: 1 });
    expect(fromId.body.map((o: { orderId: number }) => o.orderId)).toEqual([id]);
  });

  it('strategyId and strategyType come back in every answer about the order, also from history', async () => {
    const tags = { strategyId: 42, strategyType: 1_000_007 };
    const placed = await a.signed('POST', '/api/v3/order', { ...tags, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '40000', newOrderRespType: 'RESULT' });
    expect(placed.body).toMatchObject(tags);
    const ref = { symbol: 'BTCUSDT', orderId: placed.body.orderId };
    expect((await a.signed('GET', '/api/v3/order', ref)).body).toMatchObject(tags);
    expect((await a.signed('DELETE', '/api/v3/order', ref)).body).toMatchObject({ ...tags, status: 'CANCELED' });
    expect((await a.signed('GET', '/api/v3/order', ref)).body).toMatchObject({ ...tags, status: 'CANCELED' });
    const untagged = await a.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '40000', newOrderRespType: 'RESULT' });
    expect(untagged.body.strategyId).toBeUndefined();
    expect(untagged.body.strategyType).toBeUndefined();
    await a.signed('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: untagged.body.orderId });
  });

  it('account, myTrades and commission', async () => {
    const account = await b.signed('GET', '/api/v3/account');
    expect(account.body).toMatchObject({ makerCommission: 10, takerCommission: 10, canTrade: true, accountType: 'SPOT', permissions: ['SPOT'], uid: bob.accountId });
    expect(account.body.commissionRates).toEqual({ maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' });
    const usdt = account.body.balances.find((x: { asset: string }) => x.asset === 'USDT');
    expect(usdt.free).toMatch(/^\d+\.\d{8}$/);
    const truth = sim.admin.balances(bob.accountId).USDT!;
    expect(usdt).toEqual({ asset: 'USDT', free: truth.free.toFixed(8), locked: truth.locked.toFixed(8) });
    const trades = await b.signed('GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' });
    expect(trades.body[0]).toMatchObject({ symbol: 'BTCUSDT', id: 1, price: '60000.00000000', qty: '0.10000000', quoteQty: '6000.00000000', commission: '0.00010000', commissionAsset: 'BTC', isBuyer: true, isMaker: false });
    const sellerSide = await a.signed('GET', '/api/v3/myTrades', { symbol: 'BTCUSDT', fromId: 1, limit: 1 });
    expect(sellerSide.body[0]).toMatchObject({ id: 1, isBuyer: false, isMaker: true, commission: '6.00000000', commissionAsset: 'USDT' });
    expect((await a.signed('GET', '/api/v3/myTrades', { symbol: 'BTCUSDT', fromId: 1, startTime: 1 })).body.code).toBe(-1128);
    const commission = await b.signed('GET', '/api/v3/account/commission', { symbol: 'BTCUSDT' });
    expect(commission.body.standardCommission).toEqual({ maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' });
    const test = await b.signed('POST', '/api/v3/order/test', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000' });
    expect(test.body).toEqual({});
    const withRates = await b.signed('POST', '/api/v3/order/test', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000', computeCommissionRates: 'true' });
    expect(withRates.body.standardCommissionForOrder).toEqual({ maker: '0.00100000', taker: '0.00100000' });
  });
});

describe('errors, with Binance’s codes, messages and HTTP statuses', () => {
  const limit = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000' };
  const cases: [string, Record<string, string | number>, number, string][] = [
    ['missing price', { ...limit, price: '' }, -1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed."],
    ['missing timeInForce', { ...limit, timeInForce: '' }, -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed."],
    ['timeInForce on MARKET', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', timeInForce: 'GTC' }, -1106, "Parameter 'timeInForce' sent when not required."],
    ['no quantity on MARKET', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET' }, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!"],
    ['bad side', { ...limit, side: 'HOLD' }, -1117, 'Invalid side.'],
    ['bad type', { ...limit, type: 'ICEBERG' }, -1116, 'Invalid orderType.'],
    ['bad timeInForce', { ...limit, timeInForce: 'GTD' }, -1115, 'Invalid timeInForce.'],
    ['unknown symbol', { ...limit, symbol: 'DOGEUSDT' }, -1121, 'Invalid symbol.'],
    ['negative price', { ...limit, price: '-1' }, -1100, "Illegal characters found in parameter 'price'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'."],
    ['bad client id', { ...limit, newClientOrderId: 'has space' }, -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_]{1,36}$'."],
    ['too precise', { ...limit, quantity: '0.000000001' }, -1111, "Parameter 'quantity' has too much precision."],
    ['off tick', { ...limit, price: '30000.001' }, -1013, 'Filter failure: PRICE_FILTER'],
    ['off step', { ...limit, quantity: '0.000011' }, -1013, 'Filter failure: LOT_SIZE'],
    ['too small', { ...limit, quantity: '0.0001' }, -1013, 'Filter failure: NOTIONAL'],
    ['market lot', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '101' }, -1013, 'Filter failure: MARKET_LOT_SIZE'],
    ['stp not allowed', { ...limit, selfTradePreventionMode: 'DECREMENT' }, -1013, 'This symbol does not allow the specified self-trade prevention mode.'],
    ['insufficient', { ...limit, quantity: '10' }, -2010, 'Account has insufficient balance for requested action.'],
    ['stop orders', { symbol: 'BTCUSDT', side: 'BUY', type: 'STOP_LOSS', quantity: '0.01', stopPrice: '1' }, -2010, 'Stop loss orders are not supported for this symbol.'],
    ['strategyType below 1000000', { ...limit, strategyType: 999_999 }, -1134, '`strategyType` was less than 1000000.'],
    ['unknown parameter', { ...limit, colour: 'blue' }, -1104, "Not all sent parameters were read; read '8' parameter(s) but was sent '9'."],
  ];
  for (const [name, params, code, msg] of cases) {
    it(name, async () => {
      const r = await a.signed('POST', '/api/v3/order', params);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ code, msg });
    });
  }

  it('MAX_NUM_ORDERS and the older MIN_NOTIONAL filter answer -1013 through REST too', async () => {
    const carol = sim.admin.createAccount({ balances: { BTC: '1' } });
    const c = new TestClient(sim.restUrl, carol.apiKey, carol.apiSecret);
    const bid = { symbol: 'ETHBTC', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '0.01' };
    sim.admin.setTradingRules('ETH-BTC', { maxNumOrders: 1 });
    try {
      expect((await c.signed('POST', '/api/v3/order', bid)).status).toBe(200);
      expect(await c.signed('POST', '/api/v3/order', bid)).toMatchObject({ status: 400, body: { code: -1013, msg: 'Filter failure: MAX_NUM_ORDERS' } });
      await c.signed('DELETE', '/api/v3/openOrders', { symbol: 'ETHBTC' });
      sim.admin.setTradingRules('ETH-BTC', { maxNumOrders: 200, notionalFilter: 'MIN_NOTIONAL', minNotional: '0.01' });
      const info = await pub.get('/api/v3/exchangeInfo', { symbol: 'ETHBTC' });
      expect(info.body.symbols[0].filters).toContainEqual(expect.objectContaining({ filterType: 'MIN_NOTIONAL', minNotional: '0.01000000' }));
      expect(await c.signed('POST', '/api/v3/order', { ...bid, quantity: '0.5' })).toMatchObject({ status: 400, body: { code: -1013, msg: 'Filter failure: MIN_NOTIONAL' } });
    } finally {
      sim.admin.setTradingRules('ETH-BTC', { maxNumOrders: 200, notionalFilter: 'NOTIONAL', minNotional: '0.0001' });
    }
  });

  it('post-only that would take, and duplicates', async () => {
    await b.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '70000' });
    const taking = await a.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT_MAKER', quantity: '0.01', price: '70000' });
    expect(taking.body).toEqual({ code: -2010, msg: 'Order would immediately match and take.' });
    await a.signed('POST', '/api/v3/order', { ...limit, newClientOrderId: 'dup' });
    expect((await a.signed('POST', '/api/v3/order', { ...limit, newClientOrderId: 'dup' })).body).toEqual({ code: -2010, msg: 'Duplicate order sent.' });
  });

  it('duplicate parameters and the query-over-body rule', async () => {
    const dup = await pub.send('GET', '/api/v3/depth?symbol=BTCUSDT&symbol=ETHUSDT');
    expect(dup.body).toEqual({ code: -1101, msg: 'Duplicate values for a parameter detected.' });
    expect(Number(dup.headers.get('x-mbx-used-weight-1m'))).toBeGreaterThan(0); // counted and reported like any request
    const split = await a.signed('POST', '/api/v3/order', { ...limit, price: '30001' }, { where: 'split' });
    expect(split.status).toBe(200);
  });

  it('security: keys, timestamps, windows, signatures, permissions', async () => {
    const q = { symbol: 'BTCUSDT' };
    expect(await a.signed('GET', '/api/v3/openOrders', q, { apiKey: null })).toMatchObject({ status: 401, body: { code: -2014, msg: 'API-key format invalid.' } });
    expect(await a.signed('GET', '/api/v3/openOrders', q, { apiKey: 'x'.repeat(64) })).toMatchObject({
      status: 401, body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
    });
    expect(await a.signed('GET', '/api/v3/openOrders', q, { signature: 'ab'.repeat(32) })).toMatchObject({
      status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' },
    });
    expect(await a.signed('GET', '/api/v3/openOrders', q, { timestamp: Date.now() - 10_000 })).toMatchObject({
      status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
    });
    expect((await a.signed('GET', '/api/v3/openOrders', q, { timestamp: Date.now() - 10_000, recvWindow: 20_000 })).status).toBe(200);
    expect(await a.signed('GET', '/api/v3/openOrders', q, { timestamp: Date.now() + 5_000 })).toMatchObject({
      body: { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." },
    });
    expect((await a.signed('GET', '/api/v3/openOrders', q, { recvWindow: 60_001 })).body).toEqual({
      code: -1102, msg: "'recvWindow' contains unexpected value. Cannot be greater than '60000'.",
    });
    expect((await a.signed('GET', '/api/v3/openOrders', q, { timestamp: (Date.now() * 1000) as number })).status).toBe(200);
    const noTimestamp = await a.send('GET', `/api/v3/openOrders?symbol=BTCUSDT&signature=${'0'.repeat(64)}`, '', { 'X-MBX-APIKEY': alice.apiKey });
    expect(noTimestamp.body).toEqual({ code: -1102, msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed." });
    const noSignature = await a.send('GET', `/api/v3/openOrders?symbol=BTCUSDT&timestamp=${Date.now()}`, '', { 'X-MBX-APIKEY': alice.apiKey });
    expect(noSignature.body).toEqual({ code: -1102, msg: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed." });
    const readOnly = sim.admin.createApiKey(alice.accountId, { canTrade: false });
    const ro = new TestClient(sim.restUrl, readOnly.apiKey, readOnly.apiSecret);
    expect((await ro.signed('GET', '/api/v3/account')).status).toBe(200);
    expect(await ro.signed('POST', '/api/v3/order', limit)).toMatchObject({ status: 401, body: { code: -2015 } });
  });

  it('the exchange clock moves serverTime and the timestamp check together', async () => {
    sim.clock.offsetMs = 30_000;
    try {
      expect((await a.signed('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body.code).toBe(-1021);
      const serverTime = (await pub.get('/api/v3/time')).body.serverTime as number;
      a.clockOffset = serverTime - Date.now();
      expect((await a.signed('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).status).toBe(200);
    } finally {
      sim.clock.offsetMs = 0;
      a.clockOffset = 0;
    }
  });
});
