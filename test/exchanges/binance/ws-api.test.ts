import { describe, expect, it } from 'vitest';
import { RATE_POOLS } from '../../../src/exchanges/binance/constants.js';
import {
  binanceUsageReader,
  binanceWsUsageReader,
  parseSessionSubscriptions,
  parseSubscribeResult,
  parseUserDataEvent,
  parseWsApiMessage,
} from '../../../src/exchanges/binance/parse.js';
import { SYMBOLS, expectOk, fixture } from './support.js';

describe('WebSocket API frames', () => {
  it('an answer: id, status, result and rate limits; the subscription id from the result', () => {
    const msg = expectOk(parseWsApiMessage(fixture('ws-api-subscribe-response')));
    expect(msg).toEqual({ kind: 'response', id: 1, status: 200, result: { subscriptionId: 0 }, rateLimits: [] });
    if (msg.kind !== 'response') throw new Error('unreachable');
    expect(expectOk(parseSubscribeResult(msg.result))).toBe(0);
    expect(expectOk(parseSessionSubscriptions([{ subscriptionId: 0 }, { subscriptionId: 3 }]))).toEqual([0, 3]);
    expect(parseSubscribeResult({ subscriptionId: -1 }).ok).toBe(false);
    expect(parseSubscribeResult({}).ok).toBe(false);
  });

  it('an error answer carries code, msg, data and the rate limits', () => {
    const msg = expectOk(parseWsApiMessage(fixture('ws-api-banned')));
    if (msg.kind !== 'response') throw new Error('expected a response');
    expect(msg.status).toBe(418);
    expect(msg.error).toMatchObject({ code: -1003, data: { serverTime: 1659142907531, retryAfter: 1659146400000 } });
    expect(msg.rateLimits).toEqual([{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 2411 }]);
  });

  it('events: subscription id and type; serverShutdown on its own; eventStreamTerminated and unknown events', () => {
    expect(expectOk(parseWsApiMessage({ event: { e: 'serverShutdown', E: 1770123456789 } }))).toEqual({ kind: 'serverShutdown', eventTime: 1770123456789 });
    const terminated = expectOk(parseWsApiMessage({ subscriptionId: 2, event: { e: 'eventStreamTerminated', E: 5 } }));
    expect(terminated).toMatchObject({ kind: 'event', subscriptionId: 2, eventType: 'eventStreamTerminated' });
    if (terminated.kind !== 'event') throw new Error('unreachable');
    expect(expectOk(parseUserDataEvent(terminated.event, SYMBOLS))).toEqual({ type: 'eventStreamTerminated', eventTime: 5 });
    expect(expectOk(parseUserDataEvent({ e: 'externalLockUpdate', E: 1, a: 'BTC', d: '1', T: 1 }, SYMBOLS))).toEqual({ type: 'ignored', eventType: 'externalLockUpdate' });
    expect(expectOk(parseUserDataEvent({ e: 'listStatus' }, SYMBOLS))).toEqual({ type: 'ignored', eventType: 'listStatus' });
    const balance = expectOk(parseUserDataEvent(fixture('balance-update'), SYMBOLS));
    expect(balance.type).toBe('balanceUpdate');
  });

  it('refuses frames that are neither answers nor events, and events without a type', () => {
    for (const bad of [null, 1, 'x', [], {}, { id: 1 }, { id: 1, status: 'ok' }, { id: 1, status: 500 }, { event: {} }, { event: { e: 1 } }, { subscriptionId: 'a', event: { e: 'x' } }]) {
      const r = parseWsApiMessage(bad);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
    }
    for (const bad of [null, {}, { e: '' }, { e: 5 }]) expect(parseUserDataEvent(bad, SYMBOLS).ok).toBe(false);
  });
});

describe('usage readers', () => {
  it('WebSocket API rateLimits feed REQUEST_WEIGHT and the ORDERS pools', () => {
    expect([...binanceWsUsageReader.readUsage(fixture('ws-api-error-insufficient'))]).toEqual([
      { pool: RATE_POOLS.orders10s, used: 13 },
      { pool: RATE_POOLS.orders1d, used: 4044 },
      { pool: RATE_POOLS.requestWeight, used: 322 },
    ]);
    for (const nothing of [null, {}, { rateLimits: 'x' }, { rateLimits: [null, { rateLimitType: 'X', interval: 'DAY', intervalNum: 1, count: 1 }] }]) {
      expect([...binanceWsUsageReader.readUsage(nothing)]).toEqual([]);
    }
  });

  it('REST headers feed the same pools', () => {
    expect([...binanceUsageReader.readUsage({ 'x-mbx-used-weight-1m': '7' })]).toEqual([{ pool: RATE_POOLS.requestWeight, used: 7 }]);
  });
});
