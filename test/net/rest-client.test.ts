import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ExchangeError,
  ExchangeUnavailableError,
  InvalidArgumentError,
  NetworkError,
  RateLimitedError,
  RequestTimeoutError,
} from '../../src/core/errors.js';
import { RateLimiter } from '../../src/net/rate-limiter.js';
import { RestClient, type RestClientOptions } from '../../src/net/rest-client.js';
import { HttpExchange, type HttpExchangeOptions } from './support/http-exchange.js';
import { TestSigner, testErrorMapper, testLimits, testUsageReader, type TestLimitId } from './support/test-venue.js';
import { closedPort } from '../support/closed-port.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function exchange(options: HttpExchangeOptions = {}): Promise<HttpExchange> {
  const ex = await HttpExchange.start(options);
  cleanups.push(() => ex.close());
  return ex;
}

function client(
  ex: HttpExchange,
  options: Partial<RestClientOptions<TestLimitId>> = {},
): { rest: RestClient<TestLimitId>; limiter: RateLimiter<TestLimitId> } {
  const limiter = options.limiter ?? new RateLimiter(testLimits());
  const rest = new RestClient<TestLimitId>({
    baseUrl: ex.url,
    limiter,
    signer: new TestSigner(ex.apiKey, ex.secret),
    errorMapper: testErrorMapper,
    usageReader: testUsageReader,
    retry: { attempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
  cleanups.push(() => rest.close());
  return { rest, limiter };
}

describe('RestClient signing', () => {
  it('signs reads and writes so the exchange accepts them', async () => {
    const ex = await exchange();
    const { rest } = client(ex);
    await expect(rest.request({ path: '/api/account', signed: true, params: { symbol: 'BTC/USDT é' } })).resolves.toMatchObject({ ok: true });
    const order = await rest.request<{ params: Record<string, string> }>({
      method: 'POST',
      path: '/api/order',
      signed: true,
      body: { symbol: 'BTCUSDT', side: 'BUY', price: '0.10000000' },
    });
    expect(order.params).toEqual({ symbol: 'BTCUSDT', side: 'BUY', price: '0.10000000' });
  });

  it('refuses a request signed with the wrong secret with an AuthenticationError, sent once', async () => {
    const ex = await exchange();
    const { rest } = client(ex, { signer: new TestSigner(ex.apiKey, 'wrong-secret') });
    const err = await rest.request({ path: '/api/account', signed: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).exchangeCode).toBe(-1022);
    expect(ex.count('/api/account')).toBe(1);
  });

  it('signs only once the limiter grants the slot, so a long wait never makes the timestamp stale', async () => {
    const ex = await exchange();
    const { rest, limiter } = client(ex, { signer: new TestSigner(ex.apiKey, ex.secret, 300) });
    limiter.pause(600);
    await expect(rest.request({ path: '/api/account', signed: true })).resolves.toMatchObject({ ok: true });
    expect(ex.count('/api/account', 200)).toBe(1);
  });

  it('refuses a signed request without a signer, and an unknown limit id, before sending anything', async () => {
    const ex = await exchange();
    const { rest } = client(ex, { signer: undefined });
    await expect(rest.request({ path: '/api/account', signed: true })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(rest.request({ path: '/api/unknown' as TestLimitId })).rejects.toThrow(/unknown rate limit id/);
    expect(ex.log).toHaveLength(0);
  });

  it('refuses a usage reader for a pool the limiter lacks when the client is built', () => {
    expect(
      () =>
        new RestClient({
          baseUrl: 'http://127.0.0.1:1',
          limiter: new RateLimiter({ pools: [], endpoints: {} }),
          usageReader: testUsageReader,
        }),
    ).toThrow(/pool "WEIGHT"/);
  });
});

describe('RestClient errors and retries', () => {
  it('maps 5xx to ExchangeUnavailableError and retries reads with backoff until they succeed', async () => {
    const ex = await exchange();
    const { rest } = client(ex);
    await expect(rest.request({ path: '/api/fail', params: { key: 'a', times: 2 } })).resolves.toEqual({ attempts: 3 });
    const err = await rest.request({ path: '/api/fail', params: { key: 'b', times: 5 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExchangeUnavailableError);
    expect(ex.log.filter((r) => r.path === '/api/fail').length).toBe(3 + 3);
  });

  it('never retries a write unless the caller says it is safe', async () => {
    const ex = await exchange();
    const { rest } = client(ex);
    await expect(rest.request({ method: 'POST', path: '/api/fail', params: { key: 'c', times: 1 } })).rejects.toBeInstanceOf(
      ExchangeUnavailableError,
    );
    expect(ex.count('/api/fail')).toBe(1);
    await expect(rest.request({ method: 'POST', path: '/api/fail', params: { key: 'd', times: 1 }, retry: true })).resolves.toEqual({
      attempts: 2,
    });
  });

  it('maps a timeout to RequestTimeoutError', async () => {
    const ex = await exchange();
    const { rest } = client(ex);
    const err = await rest.request({ path: '/api/slow', params: { ms: 1_000 }, timeoutMs: 50, retry: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
  });

  it('maps a dropped socket and a refused connection to NetworkError', async () => {
    const ex = await exchange();
    const { rest } = client(ex);
    await expect(rest.request({ path: '/api/drop', retry: false })).rejects.toBeInstanceOf(NetworkError);

    const port = await closedPort();
    const dead = new RestClient({ baseUrl: `http://127.0.0.1:${port}`, retry: { attempts: 2, initialDelayMs: 1 } });
    cleanups.push(() => dead.close());
    const err = await dead.request({ path: '/x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('classifies an HTML error page by status and keeps secrets out of the message', async () => {
    const ex = await exchange();
    const { rest } = client(ex, { errorMapper: undefined });
    const err = (await rest.request({ path: '/api/html-error' as TestLimitId, limitId: '/api/ping', retry: false }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ExchangeUnavailableError);
    expect(err.message).toContain('<html>Bad gateway</html>');

    const { rest: signedBad } = client(ex, { signer: new TestSigner(ex.apiKey, 'wrong') });
    const refused = (await signedBad.request({ path: '/api/account', signed: true }).catch((e: unknown) => e)) as Error;
    expect(refused.message).not.toMatch(/signature=|test-key/);
  });

  it('returns an error answer instead of throwing when asked (return_err)', async () => {
    const ex = await exchange();
    const { rest } = client(ex, { signer: new TestSigner(ex.apiKey, 'wrong') });
    const response = await rest.requestResponse({ path: '/api/account', signed: true }, { returnErrors: true });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: -1022 });
  });

  it('falls back to the HTTP status when the error mapper throws', async () => {
    const ex = await exchange();
    const { rest } = client(ex, {
      errorMapper: {
        mapError: () => {
          throw new Error('bug');
        },
      },
    });
    await expect(rest.request({ method: 'POST', path: '/api/fail', params: { key: 'e' } })).rejects.toBeInstanceOf(
      ExchangeUnavailableError,
    );
    await expect(rest.request({ path: '/api/ping' })).resolves.toEqual({});
  });

  it('rejects with the caller abort reason', async () => {
    const ex = await exchange();
    const { rest } = client(ex);
    const controller = new AbortController();
    const pending = rest.request({ path: '/api/slow', params: { ms: 2_000 }, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller gave up')), 20);
    await expect(pending).rejects.toThrow('caller gave up');
  });

  it('honours another base URL for one request and a base URL path prefix', async () => {
    const ex = await exchange();
    const prefixed = new RestClient({ baseUrl: `${ex.url}/api/`, headers: { 'X-Extra': 'yes' } });
    cleanups.push(() => prefixed.close());
    await expect(prefixed.request({ path: '/ping' })).resolves.toEqual({});
    const other = new RestClient({ baseUrl: 'http://127.0.0.1:1' });
    cleanups.push(() => other.close());
    await expect(other.request({ path: '/api/ping', baseUrl: ex.url })).resolves.toEqual({});
  });
});

describe('RestClient and the exchange rate limits', () => {
  it('counts exactly what the exchange reports in its used-weight header', async () => {
    const ex = await exchange();
    const { rest, limiter } = client(ex);
    const paths: TestLimitId[] = ['/api/ping', '/api/account', '/api/heavy', '/api/time', '/api/account'];
    for (const path of paths) {
      const response = await rest.requestResponse({ path, signed: path === '/api/account' });
      expect(limiter.used('WEIGHT')).toBe(Number(response.headers['x-test-used-weight']));
    }
    await Promise.all(Array.from({ length: 20 }, () => rest.request({ path: '/api/ping' })));
    expect(limiter.used('WEIGHT')).toBe(ex.usedWeight());
  });

  it('takes on weight spent by another client on the same IP', async () => {
    const ex = await exchange();
    const { rest, limiter } = client(ex);
    ex.spendWeight(100);
    await rest.request({ path: '/api/ping' });
    expect(limiter.used('WEIGHT')).toBe(101);
    expect(limiter.usage().find((u) => u.pool === 'WEIGHT')).toMatchObject({ used: 101, external: 100 });
  });

  it('turns a 429 into a RateLimitedError with Retry-After and pauses every request', async () => {
    const ex = await exchange({ weightLimit: 2, windowMs: 60_000 });
    const { rest, limiter } = client(ex);
    await rest.request({ path: '/api/ping' });
    await rest.request({ path: '/api/ping' });
    const err = (await rest.request({ method: 'POST', path: '/api/order', signed: true }).catch((e: unknown) => e)) as RateLimitedError;
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.banned).toBe(false);
    expect(err.exchangeCode).toBe(-1003);
    expect(err.retryAfterMs).toBeGreaterThan(0);
    expect(limiter.pausedUntil).toBeGreaterThan(Date.now() + err.retryAfterMs - 1_000);
  });

  it('turns a 418 into a banned RateLimitedError', async () => {
    const ex = await exchange({ weightLimit: 1, windowMs: 60_000, banTolerance: 0 });
    const { rest } = client(ex, { limiter: new RateLimiter(testLimits()) });
    await rest.request({ path: '/api/ping' });
    await expect(rest.request({ path: '/api/ping', retry: false })).rejects.toMatchObject({ banned: false });
    // Without a shared limiter pause (a second client on the same IP), the next request is banned.
    const { rest: other, limiter: otherLimiter } = client(ex);
    const err = (await other.request({ path: '/api/ping', retry: false }).catch((e: unknown) => e)) as RateLimitedError;
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.banned).toBe(true);
    expect(err.retryAfterMs).toBe(120_000);
    // The ban pauses every request to the exchange for its Retry-After: the next one is not sent.
    expect(otherLimiter.pausedUntil).toBeGreaterThan(Date.now() + 110_000);
    const sent = ex.log.length;
    await expect(other.request({ path: '/api/ping', maxQueueMs: 20 })).rejects.toBeInstanceOf(RateLimitedError);
    expect(ex.log).toHaveLength(sent);
  });

  it('gives up waiting for a slot after maxQueueMs without sending', async () => {
    const ex = await exchange();
    const { rest, limiter } = client(ex);
    limiter.pause(10_000);
    await expect(rest.request({ path: '/api/ping', maxQueueMs: 20 })).rejects.toBeInstanceOf(RateLimitedError);
    expect(ex.log).toHaveLength(0);
  });

  it('maps other 4xx answers through the error mapper', async () => {
    const ex = await exchange();
    const { rest } = client(ex);
    const err = (await rest.request({ path: '/api/nothing' as TestLimitId, limitId: '/api/ping' }).catch((e: unknown) => e)) as ExchangeError;
    expect(err).toBeInstanceOf(ExchangeError);
    expect(err.httpStatus).toBe(404);
  });
});
