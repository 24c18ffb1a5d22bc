import { afterEach, describe, expect, it } from 'vitest';
import { TimestampError } from '../../src/core/errors.js';
import { RateLimiter } from '../../src/net/rate-limiter.js';
import { RestClient } from '../../src/net/rest-client.js';
import { ServerClockError, TimeSynchronizer } from '../../src/net/time-sync.js';
import { HttpExchange } from './support/http-exchange.js';
import { SteppingClock } from './support/stepping-clock.js';
import { TestSigner, testErrorMapper, testLimits, type TestLimitId } from './support/test-venue.js';

/** A server time source in virtual time: each call takes `legs` ms out and back. */
function virtualServer(clock: SteppingClock, offsetMs: number, legs: Array<[number, number]>): { fetch: () => Promise<number>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    fetch: async () => {
      const [out, back] = legs[calls++ % legs.length]!;
      await new Promise<void>((resolve) => clock.schedule(out, resolve));
      const serverTime = clock.now() + offsetMs;
      await new Promise<void>((resolve) => clock.schedule(back, resolve));
      return serverTime;
    },
  };
}

describe('TimeSynchronizer', () => {
  it('takes the median of samples measured at the middle of each round trip', async () => {
    const clock = new SteppingClock(1_000_000);
    // Symmetric legs measure exactly; the lopsided middle sample is off by 200 ms and is discarded.
    const server = virtualServer(clock, 5_000, [
      [10, 10],
      [400, 0],
      [20, 20],
    ]);
    const sync = new TimeSynchronizer({ fetchServerTime: server.fetch, clock, refreshIntervalMs: 0 });
    const started = sync.start();
    await clock.runAll();
    await started;
    expect(sync.offsetMs).toBe(5_000);
    expect(sync.now()).toBe(clock.now() + 5_000);
    expect(sync.samples.map((s) => s.roundTripMs)).toEqual([20, 400, 40]);
  });

  it('shares one measurement between concurrent resyncs and refreshes on its interval', async () => {
    const clock = new SteppingClock(1_700_000_000_000);
    const server = virtualServer(clock, -700, [[5, 5]]);
    const sync = new TimeSynchronizer({ fetchServerTime: server.fetch, clock, samples: 2, refreshIntervalMs: 60_000 });
    const started = sync.start();
    await clock.advance(100);
    await started;
    expect(server.calls()).toBe(2);
    const both = Promise.all([sync.resync(), sync.resync()]);
    await clock.advance(100);
    await both;
    expect(server.calls()).toBe(4);
    await clock.advance(60_000);
    expect(server.calls()).toBe(6);
    expect(sync.offsetMs).toBe(-700);
    sync.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('throws from start when no sample succeeds, and keeps the last offset when a refresh fails', async () => {
    const clock = new SteppingClock(0);
    let fail = true;
    const sync = new TimeSynchronizer({
      fetchServerTime: () => (fail ? Promise.reject(new Error('down')) : Promise.resolve(clock.now() + 42)),
      clock,
      refreshIntervalMs: 1_000,
    });
    await expect(sync.start()).rejects.toThrow('down');
    expect(sync.synced).toBe(false);
    fail = false;
    await sync.start();
    expect(sync.offsetMs).toBe(42);
    fail = true;
    await clock.advance(1_000);
    expect(sync.offsetMs).toBe(42);
    sync.stop();
  });

  it('refuses an absurd server time (negative, or years away), keeps the last good offset, and with none names the clock', async () => {
    const clock = new SteppingClock(1_700_000_000_000);
    let answer = (): number => -5;
    const sync = new TimeSynchronizer({ fetchServerTime: () => Promise.resolve(answer()), clock, refreshIntervalMs: 0 });
    const first = sync.start();
    await expect(first).rejects.toBeInstanceOf(ServerClockError);
    await expect(first).rejects.toThrow(/server clock/);
    expect(sync.synced).toBe(false);
    answer = () => clock.now() + 250;
    await sync.start();
    expect(sync.offsetMs).toBe(250);
    for (const absurd of [() => -1, () => clock.now() + 3 * 365 * 86_400_000, () => clock.now() - 3 * 365 * 86_400_000]) {
      answer = absurd;
      await expect(sync.resync()).rejects.toBeInstanceOf(ServerClockError);
      expect(sync.offsetMs).toBe(250);
      expect(sync.now()).toBe(clock.now() + 250);
    }
    sync.stop();
  });
});

describe('clock offset against a real exchange', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  async function setup(offsetMs: number): Promise<{ ex: HttpExchange; rest: RestClient<TestLimitId>; sync: TimeSynchronizer }> {
    const ex = await HttpExchange.start({ clockOffsetMs: offsetMs });
    cleanups.push(() => ex.close());
    const sync: TimeSynchronizer = new TimeSynchronizer({
      fetchServerTime: async () => (await rest.request<{ serverTime: number }>({ path: '/api/time' })).serverTime,
      refreshIntervalMs: 0,
    });
    const rest: RestClient<TestLimitId> = new RestClient<TestLimitId>({
      baseUrl: ex.url,
      limiter: new RateLimiter(testLimits()),
      signer: new TestSigner(ex.apiKey, ex.secret, 1_000),
      errorMapper: testErrorMapper,
      timeSync: sync,
    });
    cleanups.push(() => rest.close());
    cleanups.push(() => sync.stop());
    return { ex, rest, sync };
  }

  it('is measured at start, so signed requests to an exchange 3 s ahead are accepted', async () => {
    const { ex, rest, sync } = await setup(3_000);
    await sync.start();
    expect(Math.abs(sync.offsetMs - 3_000)).toBeLessThan(200);
    await expect(rest.request({ path: '/api/account', signed: true })).resolves.toMatchObject({ ok: true });
    expect(ex.count('/api/account', 400)).toBe(0);
  });

  it('resyncs after a -1021 and sends the request once more, reads and order creation alike', async () => {
    const { ex, rest, sync } = await setup(0);
    await sync.start();
    ex.clockOffsetMs = -4_000; // the exchange's clock steps back: our timestamps are now ahead
    await expect(rest.request({ path: '/api/account', signed: true })).resolves.toMatchObject({ ok: true });
    expect(ex.log.filter((r) => r.path === '/api/account').map((r) => [r.status, r.code])).toEqual([
      [400, -1021],
      [200, undefined],
    ]);
    expect(Math.abs(sync.offsetMs + 4_000)).toBeLessThan(200);

    ex.clockOffsetMs = 4_000;
    await expect(rest.request({ method: 'POST', path: '/api/order', signed: true, body: { side: 'BUY' } })).resolves.toMatchObject({
      ok: true,
    });
    expect(ex.log.filter((r) => r.path === '/api/order').map((r) => r.status)).toEqual([400, 200]);
  });

  it('retries a timestamp refusal only once', async () => {
    const { ex, rest, sync } = await setup(0);
    await sync.start();
    ex.refuseTimestamps = true;
    await expect(rest.request({ path: '/api/account', signed: true })).rejects.toBeInstanceOf(TimestampError);
    expect(ex.count('/api/account')).toBe(2);
    expect(ex.count('/api/time')).toBe(6); // 3 samples at start, 3 at the resync
  });
});
