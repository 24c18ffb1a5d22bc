import { describe, expect, it } from 'vitest';
import {
  ExchangeError,
  ExchangeUnavailableError,
  InvalidOrderError,
  NetworkError,
  RateLimitedError,
  RequestTimeoutError,
  UnknownOrderStatusError,
} from '../../src/core/errors.js';
import { backoffDelay } from '../../src/net/backoff.js';
import { DEFAULT_RETRY_AFTER, errorForResponse, errorForTransport, parseRetryAfter } from '../../src/net/http-errors.js';
import type { RequestInfo, RestResponse } from '../../src/net/rest-types.js';
import { usageFromHeaders } from '../../src/net/usage-headers.js';

const info: RequestInfo = { method: 'POST', path: '/api/order', limitId: '/api/order', signed: true };
const response = (status: number, headers: Record<string, string> = {}, body: unknown = { code: -1 }): RestResponse => ({
  status,
  headers,
  body,
});

describe('parseRetryAfter', () => {
  it('reads seconds, fractions and HTTP dates, and ignores junk', () => {
    expect(parseRetryAfter({ 'retry-after': '3' })).toBe(3_000);
    expect(parseRetryAfter({ 'retry-after': '0.25' })).toBe(250);
    expect(parseRetryAfter({ 'retry-after': new Date(10_000).toUTCString() }, 4_000)).toBe(6_000);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfter({})).toBeUndefined();
  });
});

describe('errorForResponse', () => {
  it('makes every 429 and 418 a RateLimitedError with Retry-After, whatever the mapper said', () => {
    const mapped = new ExchangeError('Too many new orders', { exchangeCode: -1015 });
    const err = errorForResponse(response(429, { 'retry-after': '2' }), info, mapped, DEFAULT_RETRY_AFTER) as RateLimitedError;
    expect(err).toBeInstanceOf(RateLimitedError);
    expect([err.retryAfterMs, err.banned, err.exchangeCode]).toEqual([2_000, false, -1015]);
    const ban = errorForResponse(response(418), info, undefined, DEFAULT_RETRY_AFTER) as RateLimitedError;
    expect([ban.retryAfterMs, ban.banned]).toEqual([DEFAULT_RETRY_AFTER.bannedMs, true]);
  });

  it('never lets a 5xx become a definite refusal, but keeps an outcome-unknown mapping', () => {
    const definite = errorForResponse(response(503), info, new InvalidOrderError('nope', 'LOT_SIZE'), DEFAULT_RETRY_AFTER);
    expect(definite).toBeInstanceOf(ExchangeUnavailableError);
    const unknown = new UnknownOrderStatusError('-1007', { exchangeCode: -1007 });
    expect(errorForResponse(response(500), info, unknown, DEFAULT_RETRY_AFTER)).toBe(unknown);
  });

  it('returns nothing for a success the mapper accepts, and the mapping otherwise', () => {
    expect(errorForResponse(response(200, {}, { ok: true }), info, undefined, DEFAULT_RETRY_AFTER)).toBeUndefined();
    const mapped = new InvalidOrderError('Filter failure: LOT_SIZE', 'LOT_SIZE');
    expect(errorForResponse(response(400), info, mapped, DEFAULT_RETRY_AFTER)).toBe(mapped);
    // An exchange that answers errors with HTTP 200 is covered by its mapper.
    expect(errorForResponse(response(200), info, mapped, DEFAULT_RETRY_AFTER)).toBe(mapped);
  });
});

describe('errorForTransport', () => {
  it('tells timeouts from other transport failures', () => {
    expect(errorForTransport(new Error('x'), info, 100)).toBeInstanceOf(RequestTimeoutError);
    expect(errorForTransport(Object.assign(new Error('slow'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), info)).toBeInstanceOf(RequestTimeoutError);
    const refused = errorForTransport(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), info);
    expect(refused).toBeInstanceOf(NetworkError);
    expect(refused.message).toBe('POST /api/order: ECONNREFUSED connect ECONNREFUSED');
  });
});

describe('backoffDelay', () => {
  it('grows exponentially to the cap, jittered within [1 - jitter, 1] of the exponential value', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0.5 };
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, options, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, options, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });
});

describe('usageFromHeaders', () => {
  it('reads numeric headers case-insensitively and skips missing or junk values', () => {
    const reader = usageFromHeaders({ 'X-Used-Weight-1M': 'WEIGHT', 'x-order-count-10s': 'ORDERS' });
    expect(reader.pools).toEqual(['WEIGHT', 'ORDERS']);
    expect([...reader.readUsage({ 'x-used-weight-1m': ['3', '7'], 'x-order-count-10s': 'n/a' })]).toEqual([{ pool: 'WEIGHT', used: 7 }]);
  });
});
