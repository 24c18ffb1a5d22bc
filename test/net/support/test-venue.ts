import { createHmac } from 'node:crypto';
import {
  AuthenticationError,
  ExchangeError,
  RateLimitedError,
  TimestampError,
  type VenuekitError,
} from '../../../src/core/errors.js';
import type { RateLimitConfig } from '../../../src/net/rate-limits.js';
import type { ErrorMapper, PreparedRequest, RequestSigner, RestResponse } from '../../../src/net/rest-types.js';
import { usageFromHeaders } from '../../../src/net/usage-headers.js';

/**
 * What a connector supplies to the network layer, for a Binance-like test venue: HMAC-SHA256 over
 * the percent-encoded query plus body, error codes, limits and the used-weight header. The Binance
 * connector's own versions live in src/exchanges/binance; these exist so src/net is tested with
 * no exchange inside it.
 */
export const API_KEY_HEADER = 'x-test-apikey';
export const USED_WEIGHT_HEADER = 'x-test-used-weight';

export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

export class TestSigner implements RequestSigner {
  constructor(
    private readonly apiKey: string,
    private readonly secret: string,
    private readonly recvWindowMs?: number,
  ) {}

  sign(request: PreparedRequest, timestampMs: number): PreparedRequest {
    const window = this.recvWindowMs === undefined ? '' : `&recvWindow=${this.recvWindowMs}`;
    const query = `${request.query ? `${request.query}&` : ''}timestamp=${timestampMs}${window}`;
    request.query = `${query}&signature=${hmacHex(this.secret, query + (request.body ?? ''))}`;
    request.headers[API_KEY_HEADER] = this.apiKey;
    return request;
  }
}

export const testErrorMapper: ErrorMapper = {
  mapError(response: RestResponse): VenuekitError | undefined {
    if (response.status < 400) return undefined;
    const body = response.body as { code?: number; msg?: string } | undefined;
    if (typeof body?.code !== 'number') return undefined;
    const options = { exchangeCode: body.code, httpStatus: response.status };
    const msg = body.msg ?? 'error';
    switch (body.code) {
      case -1021:
        return new TimestampError(msg, options);
      case -1022:
      case -2015:
        return new AuthenticationError(msg, options);
      case -1003:
        return new RateLimitedError(msg, 0, response.status === 418, options);
      default:
        return new ExchangeError(msg, options);
    }
  },
};

export const testUsageReader = usageFromHeaders({ [USED_WEIGHT_HEADER]: 'WEIGHT' });

export type TestLimitId = '/api/time' | '/api/ping' | '/api/account' | '/api/heavy' | '/api/order' | '/api/slow' | '/api/fail' | '/api/drop';

export function testLimits(weightLimit = 6_000, intervalMs = 60_000): RateLimitConfig<TestLimitId> {
  return {
    pools: [
      { id: 'WEIGHT', limit: weightLimit, intervalMs },
      { id: 'ORDERS', limit: 100, intervalMs: 10_000 },
    ],
    endpoints: {
      '/api/time': { WEIGHT: 1 },
      '/api/ping': { WEIGHT: 1 },
      '/api/account': { WEIGHT: 5 },
      '/api/heavy': { WEIGHT: 20 },
      '/api/order': { WEIGHT: 1, ORDERS: 1 },
      '/api/slow': { WEIGHT: 1 },
      '/api/fail': { WEIGHT: 1 },
      '/api/drop': { WEIGHT: 1 },
    },
    safetyMargin: 0,
  };
}

/** Weights the test exchange charges, matching `testLimits`. */
export const TEST_WEIGHTS: Readonly<Record<string, number>> = {
  '/api/time': 1,
  '/api/ping': 1,
  '/api/account': 5,
  '/api/heavy': 20,
  '/api/order': 1,
};
