import { describe, expect, it } from 'vitest';
import { ClientOrderIdGenerator } from '../../../src/core/client-order-id.js';
import { OrderState, OrderType } from '../../../src/core/types.js';
import {
  BINANCE_ORDER_STATUSES,
  CLIENT_ORDER_ID_PATTERN,
  DEFAULT_FEE_SCHEMA,
  LIMIT_IDS,
  ORDER_STATE,
  PATHS,
  RATE_LIMITS,
  RATE_POOLS,
  USAGE_HEADER_POOLS,
  clientOrderIdRules,
  depthLimitId,
  depthStream,
  fromBinanceOrderType,
  simulatorUrls,
  toBinanceOrderType,
  tradeStream,
  urlsFor,
} from '../../../src/exchanges/binance/constants.js';
import { compileRateLimits } from '../../../src/net/rate-limits.js';
import { usageFromHeaders } from '../../../src/net/usage-headers.js';

describe('Binance constants', () => {
  it('rate limits compile, with a weight for every limit id and the documented pools', () => {
    const compiled = compileRateLimits(RATE_LIMITS);
    for (const id of Object.values(LIMIT_IDS)) expect(compiled.endpoints.has(id)).toBe(true);
    const pool = (id: string) => compiled.pools.get(id)!;
    expect([pool(RATE_POOLS.requestWeight).limit, pool(RATE_POOLS.requestWeight).intervalMs]).toEqual([6000, 60_000]);
    expect([pool(RATE_POOLS.orders10s).limit, pool(RATE_POOLS.orders10s).intervalMs]).toEqual([100, 10_000]);
    expect([pool(RATE_POOLS.orders1d).limit, pool(RATE_POOLS.orders1d).intervalMs]).toEqual([200_000, 86_400_000]);
    expect([pool(RATE_POOLS.rawRequests).limit, pool(RATE_POOLS.rawRequests).intervalMs]).toEqual([300_000, 300_000]);
    const weight = (id: string, p: string = RATE_POOLS.requestWeight) =>
      compiled.endpoints.get(id)!.charges.find((c) => c.pool === p)?.weight ?? 0;
    expect(weight(LIMIT_IDS.exchangeInfo)).toBe(20);
    expect(weight(LIMIT_IDS.queryOrder)).toBe(4);
    expect(weight(LIMIT_IDS.openOrdersAllSymbols)).toBe(80);
    expect(weight(LIMIT_IDS.myTradesForOrder)).toBe(5);
    // a failed order costs 1 (a successful one 0 since 2026-04-02): charge the worst case
    expect(weight(LIMIT_IDS.createOrder)).toBe(1);
    expect(weight(LIMIT_IDS.createOrder, RATE_POOLS.orders10s)).toBe(1);
    expect(weight(LIMIT_IDS.createOrder, RATE_POOLS.orders1d)).toBe(1);
    expect(weight(LIMIT_IDS.cancelOrder, RATE_POOLS.orders10s)).toBe(0);
    // cancel-all on the account would cancel other bots' orders: no limit id, so it cannot be sent
    expect(Object.values(LIMIT_IDS).some((id) => id.startsWith('DELETE /api/v3/openOrders'))).toBe(false);
  });

  it('depth weights follow the snapshot size', () => {
    const compiled = compileRateLimits(RATE_LIMITS);
    const w = (limit: number) => compiled.endpoints.get(depthLimitId(limit))!.charges.find((c) => c.pool === RATE_POOLS.requestWeight)!.weight;
    expect([w(5), w(100), w(101), w(500), w(1000), w(1001), w(5000), w(10_000)]).toEqual([5, 5, 25, 25, 50, 250, 250, 250]);
  });

  it('reads the usage headers into the pools', () => {
    const reader = usageFromHeaders(USAGE_HEADER_POOLS);
    expect([...reader.readUsage({ 'x-mbx-used-weight-1m': '42', 'x-mbx-order-count-10s': '3', 'x-mbx-order-count-1d': '9' })]).toEqual([
      { pool: RATE_POOLS.requestWeight, used: 42 },
      { pool: RATE_POOLS.orders10s, used: 3 },
      { pool: RATE_POOLS.orders1d, used: 9 },
    ]);
  });

  it('base URLs for production, testnet and a simulator', () => {
    expect(urlsFor('production').restUrl).toBe('https://api.binance.com');
    expect(urlsFor('testnet').wsApiUrl).toBe('wss://ws-api.testnet.binance.vision/ws-api/v3');
    expect(simulatorUrls({ restUrl: 'http://127.0.0.1:5000/', wsUrl: 'ws://127.0.0.1:5000', wsApiUrl: 'ws://127.0.0.1:5000/ws-api/v3' })).toEqual({
      restUrl: 'http://127.0.0.1:5000',
      streamUrl: 'ws://127.0.0.1:5000/ws',
      wsApiUrl: 'ws://127.0.0.1:5000/ws-api/v3',
    });
    expect(simulatorUrls({ restUrl: 'http://h:1', wsUrl: 'ws://h:2/ws', wsApiUrl: 'ws://h:3/x' }).streamUrl).toBe('ws://h:2/ws');
    expect(PATHS.order).toBe('/api/v3/order');
  });

  it('stream names are lower case', () => {
    expect(depthStream('BTCUSDT')).toBe('btcusdt@depth@100ms');
    expect(tradeStream('BNBBTC')).toBe('bnbbtc@trade');
  });

  it('order types: LIMIT is GTC, LIMIT_MAKER and MARKET carry no timeInForce; the mapping round-trips', () => {
    expect(toBinanceOrderType(OrderType.LIMIT)).toEqual({ type: 'LIMIT', timeInForce: 'GTC' });
    expect(toBinanceOrderType(OrderType.LIMIT_MAKER)).toEqual({ type: 'LIMIT_MAKER' });
    expect(toBinanceOrderType(OrderType.MARKET)).toEqual({ type: 'MARKET' });
    for (const t of Object.values(OrderType)) expect(fromBinanceOrderType(toBinanceOrderType(t).type)).toBe(t);
    expect(fromBinanceOrderType('STOP_LOSS_LIMIT')).toBeUndefined();
  });

  it('order statuses: expired is EXPIRED (not a failure), rejected is FAILED', () => {
    expect(ORDER_STATE.NEW).toBe(OrderState.OPEN);
    expect(ORDER_STATE.PENDING_CANCEL).toBe(OrderState.PENDING_CANCEL);
    expect(ORDER_STATE.EXPIRED).toBe(OrderState.EXPIRED);
    expect(ORDER_STATE.EXPIRED_IN_MATCH).toBe(OrderState.EXPIRED);
    expect(ORDER_STATE.REJECTED).toBe(OrderState.FAILED);
    expect(BINANCE_ORDER_STATUSES).toHaveLength(9);
  });

  it('client order ids from the core generator fit Binance (36 characters, [a-zA-Z0-9-_])', () => {
    const gen = new ClientOrderIdGenerator(clientOrderIdRules());
    for (let i = 0; i < 100; i++) {
      const id = gen.next();
      expect(id).toMatch(CLIENT_ORDER_ID_PATTERN);
      expect(id.startsWith('vk-')).toBe(true);
    }
    expect(CLIENT_ORDER_ID_PATTERN.test('a'.repeat(37))).toBe(false);
    expect(CLIENT_ORDER_ID_PATTERN.test('bad id')).toBe(false);
  });

  it('default fees: 0.1 % maker and taker, out of what is received', () => {
    expect(DEFAULT_FEE_SCHEMA.makerPercentFeeDecimal.toString()).toBe('0.001');
    expect(DEFAULT_FEE_SCHEMA.takerPercentFeeDecimal.toString()).toBe('0.001');
    expect(DEFAULT_FEE_SCHEMA.buyPercentFeeDeductedFromReturns).toBe(true);
  });
});
