import { afterEach, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/net/rate-limiter.js';
import { RestClient } from '../../src/net/rest-client.js';
import { HttpExchange } from './support/http-exchange.js';
import { testErrorMapper, testLimits, testUsageReader, type TestLimitId } from './support/test-venue.js';

const CALLERS = 12;
const REQUESTS_EACH = 8;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function storm(rest: RestClient<TestLimitId>): Promise<number> {
  let ok = 0;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      for (let i = 0; i < REQUESTS_EACH; i++) {
        await rest.request({ path: '/api/ping' });
        ok++;
      }
    }),
  );
  return ok;
}

describe('a 429 storm from many concurrent callers', () => {
  it('ends with no 418: every request pauses for Retry-After, then all resume and succeed', async () => {
    // The exchange allows 30 weight per 1 s window and bans anyone sending more than
    // 2 × CALLERS requests while a Retry-After runs (at most one request per caller can be in
    // flight when a 429 is sent, and one more can leave before its answer is read). The window is
    // long enough that even a loaded machine sends more than 30 requests inside one: the storm
    // must draw 429s (a 300 ms window did not, once, at a load average of 12).
    const ex = await HttpExchange.start({ weightLimit: 30, windowMs: 1_000, banTolerance: 2 * CALLERS });
    cleanups.push(() => ex.close());
    // This process believes it may use far more: only the exchange's 429s can hold it back.
    const limiter = new RateLimiter(testLimits(6_000, 60_000));
    const rest = new RestClient<TestLimitId>({
      baseUrl: ex.url,
      limiter,
      errorMapper: testErrorMapper,
      usageReader: testUsageReader,
      retry: { attempts: 50, initialDelayMs: 1, maxDelayMs: 5 },
    });
    cleanups.push(() => rest.close());

    expect(await storm(rest)).toBe(CALLERS * REQUESTS_EACH);

    const tooMany = ex.log.filter((r) => r.status === 429);
    expect(tooMany.length).toBeGreaterThan(0);
    expect(ex.log.filter((r) => r.status === 418)).toEqual([]);
    expect(ex.bans).toBe(0);
    // Nothing succeeded while a Retry-After was running, and traffic resumed once it ended.
    for (const limited of tooMany) {
      const during = ex.log.filter((r) => r.status === 200 && r.at > limited.at && r.at < limited.retryUntil! - 1);
      expect(during).toEqual([]);
    }
    const first = tooMany[0]!;
    expect(ex.log.some((r) => r.status === 200 && r.at >= first.retryUntil! - 1)).toBe(true);
  });

  it('never draws a single 429 when the limiter knows the exchange limit', async () => {
    const ex = await HttpExchange.start({ weightLimit: 30, windowMs: 300, banTolerance: 0 });
    cleanups.push(() => ex.close());
    const rest = new RestClient<TestLimitId>({
      baseUrl: ex.url,
      limiter: new RateLimiter(testLimits(30, 300)),
      errorMapper: testErrorMapper,
      usageReader: testUsageReader,
      retry: { attempts: 1 },
    });
    cleanups.push(() => rest.close());
    expect(await storm(rest)).toBe(CALLERS * REQUESTS_EACH);
    expect(ex.log.filter((r) => r.status !== 200)).toEqual([]);
  });
});
