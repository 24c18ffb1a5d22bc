import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ExchangeError,
  ExchangeUnavailableError,
  InsufficientFundsError,
  InvalidOrderError,
  OrderNotFoundError,
  RateLimitedError,
  TimestampError,
  UnknownOrderStatusError,
  isOutcomeUnknown,
  type VenuekitError,
} from '../../../src/core/errors.js';
import { binanceErrorMapper, binanceWsErrorMapper, mapBinanceError } from '../../../src/exchanges/binance/parse.js';
import { errorForResponse, DEFAULT_RETRY_AFTER } from '../../../src/net/http-errors.js';
import type { RequestInfo, ResponseHeaders } from '../../../src/net/rest-types.js';
import { fixture } from './support.js';

const CREATE: RequestInfo = { method: 'POST', path: '/api/v3/order', limitId: 'POST /api/v3/order', signed: true };
const QUERY: RequestInfo = { method: 'GET', path: '/api/v3/order', limitId: 'GET /api/v3/order', signed: true };
const CANCEL: RequestInfo = { method: 'DELETE', path: '/api/v3/order', limitId: 'DELETE /api/v3/order', signed: true };
const NOW = 1_700_000_000_000;
const rest = binanceErrorMapper({ now: () => NOW });

function map(status: number, body: unknown, request: RequestInfo = CREATE, headers: ResponseHeaders = {}): VenuekitError | undefined {
  return rest.mapError({ status, headers, body }, request);
}

describe('Binance REST error mapping (codes and messages of binance-spot-api.md §4)', () => {
  it('success is no error', () => {
    expect(map(200, { orderId: 1 })).toBeUndefined();
  });

  it.each<[string, number, { code: number; msg: string }, RequestInfo, new (...args: never[]) => VenuekitError, string | undefined]>([
    ['-1021 timestamp', 400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' }, CREATE, TimestampError, undefined],
    ['-1021 ahead', 400, { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." }, QUERY, TimestampError, undefined],
    ['-1022 signature', 400, { code: -1022, msg: 'Signature for this request is not valid.' }, CREATE, AuthenticationError, undefined],
    ['-2014 key format', 401, { code: -2014, msg: 'API-key format invalid.' }, QUERY, AuthenticationError, undefined],
    ['-2015 key rejected', 401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' }, CREATE, AuthenticationError, undefined],
    ['-1013 lot size', 400, { code: -1013, msg: 'Filter failure: LOT_SIZE' }, CREATE, InvalidOrderError, 'LOT_SIZE'],
    ['-1013 notional', 400, { code: -1013, msg: 'Filter failure: NOTIONAL' }, CREATE, InvalidOrderError, 'NOTIONAL'],
    ['-1013 percent price', 400, { code: -1013, msg: 'Filter failure: PERCENT_PRICE_BY_SIDE' }, CREATE, InvalidOrderError, 'PERCENT_PRICE_BY_SIDE'],
    ['-1013 STP mode', 400, { code: -1013, msg: 'This symbol does not allow the specified self-trade prevention mode.' }, CREATE, InvalidOrderError, 'self_trade_prevention_mode'],
    ['-2010 balance', 400, { code: -2010, msg: 'Account has insufficient balance for requested action.' }, CREATE, InsufficientFundsError, undefined],
    ['-2010 post-only', 400, { code: -2010, msg: 'Order would immediately match and take.' }, CREATE, InvalidOrderError, 'post_only'],
    ['-2010 duplicate', 400, { code: -2010, msg: 'Duplicate order sent.' }, CREATE, InvalidOrderError, 'duplicate_client_order_id'],
    ['-2010 closed', 400, { code: -2010, msg: 'Market is closed.' }, CREATE, InvalidOrderError, 'market_closed'],
    ['-2010 other', 400, { code: -2010, msg: 'Something new.' }, CREATE, InvalidOrderError, undefined],
    ['-2011 unknown order', 400, { code: -2011, msg: 'Unknown order sent.' }, CANCEL, OrderNotFoundError, undefined],
    ['-2013 no such order', 400, { code: -2013, msg: 'Order does not exist.' }, QUERY, OrderNotFoundError, undefined],
    ['-1007 timeout', 408, { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' }, CREATE, UnknownOrderStatusError, undefined],
    ['-1006 unexpected', 400, { code: -1006, msg: 'An unexpected response was received from the message bus. Execution status unknown.' }, CREATE, UnknownOrderStatusError, undefined],
    ['-1001 disconnected', 400, { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' }, CREATE, ExchangeUnavailableError, undefined],
    ['-1100 on a create', 400, { code: -1100, msg: "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_]{1,36}$'." }, CREATE, InvalidOrderError, undefined],
    ['-1102 on a query', 400, { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." }, QUERY, ExchangeError, undefined],
    ['-1121 on a query', 400, { code: -1121, msg: 'Invalid symbol.' }, QUERY, ExchangeError, undefined],
    ['-2026 archived', 400, { code: -2026, msg: 'Order was canceled or expired with no executed qty over 90 days ago and has been archived.' }, QUERY, ExchangeError, undefined],
  ])('%s', (_name, status, body, request, type, rule) => {
    const err = map(status, body, request)!;
    expect(err).toBeInstanceOf(type);
    expect(err.exchangeCode).toBe(body.code);
    expect(err.httpStatus).toBe(status);
    expect(err.message).toContain(String(body.code));
    expect(err.message).toContain(body.msg);
    if (err instanceof InvalidOrderError) expect(err.rule).toBe(rule);
  });

  it('-2011 for cancel restrictions is not "not found": the order exists', () => {
    const err = map(400, { code: -2011, msg: 'Order was not canceled due to cancel restrictions.' }, CANCEL);
    expect(err).toBeInstanceOf(ExchangeError);
    expect(err).not.toBeInstanceOf(OrderNotFoundError);
  });

  it('429 -1003 and -1015 are rate limits; Retry-After wins', () => {
    const weight = map(429, { code: -1003, msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.' }, QUERY, { 'retry-after': '7' });
    expect(weight).toBeInstanceOf(RateLimitedError);
    expect((weight as RateLimitedError).retryAfterMs).toBe(7000);
    expect((weight as RateLimitedError).banned).toBe(false);
    const orders = map(429, { code: -1015, msg: 'Too many new orders; current limit is 100 orders per 10 SECOND.' });
    expect(orders).toBeInstanceOf(RateLimitedError);
    expect((orders as RateLimitedError).retryAfterMs).toBe(DEFAULT_RETRY_AFTER.tooManyRequestsMs);
  });

  it('418 is a ban; its end comes from Retry-After or else the message', () => {
    const until = NOW + 120_000;
    const ban = map(418, { code: -1003, msg: `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.` }, QUERY);
    expect(ban).toBeInstanceOf(RateLimitedError);
    expect(ban).toMatchObject({ banned: true, retryAfterMs: 120_000, httpStatus: 418 });
    const bare = map(418, undefined, QUERY);
    expect(bare).toMatchObject({ banned: true, retryAfterMs: DEFAULT_RETRY_AFTER.bannedMs });
  });

  it('a 5xx leaves the outcome unknown whatever the body says', () => {
    for (const body of [undefined, '<html>bad gateway</html>', { code: -2010, msg: 'Account has insufficient balance for requested action.' }, { code: -1000, msg: 'An unknown error occurred while processing the request.' }]) {
      const err = map(503, body)!;
      expect(isOutcomeUnknown(err), JSON.stringify(body)).toBe(true);
    }
    expect(map(504, { code: -1007, msg: 'Timeout waiting for response from backend server.' })).toBeInstanceOf(UnknownOrderStatusError);
  });

  it('other statuses without a Binance body: 401 authentication, the rest ExchangeError; long bodies cut', () => {
    expect(map(401, 'nope')).toBeInstanceOf(AuthenticationError);
    const err = map(403, 'x'.repeat(1000))!;
    expect(err).toBeInstanceOf(ExchangeError);
    expect(err.message.length).toBeLessThan(300);
  });

  it('agrees with src/net when the client combines it with the HTTP status', () => {
    const cases: Array<[number, unknown]> = [
      [400, { code: -2010, msg: 'Account has insufficient balance for requested action.' }],
      [429, { code: -1003, msg: 'Too much request weight used' }],
      [503, { code: -2013, msg: 'Order does not exist.' }],
      [400, { code: -2013, msg: 'Order does not exist.' }],
    ];
    for (const [status, body] of cases) {
      const response = { status, headers: {}, body };
      const mapped = rest.mapError(response, CREATE);
      const final = errorForResponse(response, CREATE, mapped, DEFAULT_RETRY_AFTER)!;
      expect(final.kind).toBe(mapped!.kind);
    }
  });
});

describe('Binance WebSocket API error mapping', () => {
  const ws = binanceWsErrorMapper({ now: () => NOW });

  it('maps the documented answers', () => {
    expect(ws.mapError(fixture('ws-api-subscribe-response'))).toBeUndefined();
    expect(ws.mapError({ event: { e: 'x' } })).toBeUndefined();
    expect(ws.mapError(null)).toBeUndefined();
    expect(ws.mapError(fixture('ws-api-error-insufficient'))).toBeInstanceOf(InsufficientFundsError);
    const ban = ws.mapError(fixture('ws-api-banned'));
    expect(ban).toBeInstanceOf(RateLimitedError);
    // data.retryAfter - data.serverTime
    expect(ban).toMatchObject({ banned: true, retryAfterMs: 1659146400000 - 1659142907531, httpStatus: 418 });
  });

  it('applies the status rules itself (no HTTP layer behind it)', () => {
    const busy = ws.mapError({ id: 1, status: 503, error: { code: -2010, msg: 'Account has insufficient balance for requested action.' } })!;
    expect(isOutcomeUnknown(busy)).toBe(true);
    const limited = ws.mapError({ id: 1, status: 429, error: { code: -1015, msg: 'Too many new orders', data: { retryAfter: NOW + 5000 } } });
    expect(limited).toMatchObject({ retryAfterMs: 5000, banned: false });
    expect(ws.mapError({ id: 1, status: 400, error: { code: -2035, msg: 'User Data Stream subscription already active.' } })).toBeInstanceOf(ExchangeError);
    expect(ws.mapError({ id: 1, status: 400, error: 'garbage' })).toBeInstanceOf(ExchangeError);
  });

  it('mapBinanceError can be used directly', () => {
    expect(mapBinanceError(-1021, 'x', { where: 'test' })).toBeInstanceOf(TimestampError);
  });
});
