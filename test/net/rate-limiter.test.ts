import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, RateLimitedError } from '../../src/core/errors.js';
import { SteppingClock } from './support/stepping-clock.js';
import { RateLimiter, type RatePermit } from '../../src/net/rate-limiter.js';
import type { RateLimitConfig } from '../../src/net/rate-limits.js';

type Id = 'read' | 'heavy' | 'order';

const config: RateLimitConfig<Id> = {
  pools: [
    { id: 'WEIGHT', limit: 10, intervalMs: 1_000 },
    { id: 'ORDERS', limit: 2, intervalMs: 10_000 },
  ],
  endpoints: {
    read: { WEIGHT: 1 },
    heavy: { WEIGHT: 5 },
    order: { WEIGHT: 1, ORDERS: 1 },
  },
  safetyMargin: 0,
};

/** Tracks a promise's outcome without awaiting it. */
function watch<T>(promise: Promise<T>): { settled: () => boolean; value: () => T | undefined; error: () => unknown } {
  let done = false;
  let value: T | undefined;
  let error: unknown;
  promise.then(
    (v) => {
      done = true;
      value = v;
    },
    (e: unknown) => {
      done = true;
      error = e;
    },
  );
  return { settled: () => done, value: () => value, error: () => error };
}

function setup(overrides: Partial<RateLimitConfig<Id>> = {}): { clock: SteppingClock; limiter: RateLimiter<Id> } {
  const clock = new SteppingClock();
  return { clock, limiter: new RateLimiter<Id>({ ...config, ...overrides }, { clock }) };
}

describe('RateLimiter configuration', () => {
  it('refuses an endpoint charging an unknown pool when it is built', () => {
    expect(() => new RateLimiter({ pools: [], endpoints: { x: { NOPE: 1 } } })).toThrow(InvalidArgumentError);
  });

  it('refuses a weight larger than the pool could ever grant', () => {
    expect(
      () => new RateLimiter({ pools: [{ id: 'P', limit: 10, intervalMs: 1 }], endpoints: { x: { P: 6 } }, share: 0.5 }),
    ).toThrow(/could never be sent/);
  });

  it('refuses duplicate pools, bad limits and bad shares', () => {
    const pool = { id: 'P', limit: 10, intervalMs: 1000 };
    expect(() => new RateLimiter({ pools: [pool, pool], endpoints: {} })).toThrow(/twice/);
    expect(() => new RateLimiter({ pools: [{ ...pool, limit: 0 }], endpoints: {} })).toThrow(/limit/);
    expect(() => new RateLimiter({ pools: [pool], endpoints: {}, share: 1.5 })).toThrow(/share/);
  });

  it('rejects an unknown limit id before anything is sent', async () => {
    const { limiter } = setup();
    await expect(limiter.acquire('nope' as Id)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => limiter.assertLimit('nope')).toThrow(/unknown rate limit id "nope"/);
    expect(limiter.hasLimit('read')).toBe(true);
  });

  it('scales every pool by the configured share', () => {
    const { limiter } = setup({ share: 0.5 });
    expect(limiter.usage().map((u) => [u.pool, u.capacity, u.limit])).toEqual([
      ['WEIGHT', 5, 10],
      ['ORDERS', 1, 2],
    ]);
  });
});

describe('RateLimiter granting', () => {
  it('grants up to the limit, then waits until a released weight has aged one interval', async () => {
    const { clock, limiter } = setup();
    const permits: RatePermit[] = [];
    for (let i = 0; i < 10; i++) permits.push(await limiter.acquire('read'));
    const eleventh = watch(limiter.acquire('read'));
    await clock.advance(5_000);
    expect(eleventh.settled()).toBe(false); // nothing released: in-flight weight keeps counting

    permits[0]!.release();
    const releasedAt = clock.now();
    await clock.advance(999);
    expect(eleventh.settled()).toBe(false);
    await clock.advance(1);
    expect(eleventh.settled()).toBe(true);
    expect(clock.now() - releasedAt).toBe(1_000);
  });

  it('charges linked pools and serves each pool first come first served', async () => {
    const { clock, limiter } = setup();
    (await limiter.acquire('order')).release();
    (await limiter.acquire('order')).release();
    const third = watch(limiter.acquire('order'));
    const read = watch(limiter.acquire('read'));
    await clock.advance(0);
    expect(third.settled()).toBe(false);
    expect(read.settled()).toBe(true); // the order pool being full does not hold up reads

    const fourth = watch(limiter.acquire('order'));
    const fifth = watch(limiter.acquire('order'));
    await clock.advance(10_000);
    expect([third.settled(), fourth.settled(), fifth.settled()]).toEqual([true, true, false]);
    third.value()!.release();
    await clock.advance(9_999);
    expect(fifth.settled()).toBe(false);
    await clock.advance(1);
    expect(fifth.settled()).toBe(true);
  });

  it('does not let light requests starve a heavy one waiting on the same pool', async () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 8; i++) (await limiter.acquire('read')).release();
    const heavy = watch(limiter.acquire('heavy'));
    const light = watch(limiter.acquire('read'));
    await clock.advance(0);
    expect(heavy.settled()).toBe(false);
    expect(light.settled()).toBe(false); // would fit, but the heavy one asked first
    await clock.advance(1_000);
    expect(heavy.settled()).toBe(true);
    expect(light.settled()).toBe(true);
  });

  it('holds every request during a pause, and a pause only extends', async () => {
    const { clock, limiter } = setup();
    limiter.pause(2_000);
    limiter.pause(500);
    const read = watch(limiter.acquire('read'));
    await clock.advance(1_999);
    expect(read.settled()).toBe(false);
    await clock.advance(1);
    expect(read.settled()).toBe(true);
  });

  it('raises its count to the usage the exchange reports, never lowers it, and forgets it after an interval', async () => {
    const { clock, limiter } = setup();
    (await limiter.acquire('heavy')).release();
    limiter.observeUsage('WEIGHT', 3); // lags behind what was sent: ignored
    expect(limiter.used('WEIGHT')).toBe(5);
    limiter.observeUsage('WEIGHT', 9); // another process on the same IP used 4
    expect(limiter.used('WEIGHT')).toBe(9);
    const usage = limiter.usage().find((u) => u.pool === 'WEIGHT')!;
    expect(usage.external).toBe(4);
    const heavy = watch(limiter.acquire('heavy'));
    await clock.advance(999);
    expect(heavy.settled()).toBe(false);
    await clock.advance(1);
    expect(heavy.settled()).toBe(true);
    limiter.observeUsage('NOPE', 1); // logged and ignored
  });

  it('clamps a reported usage far above the limit to the limit (a hostile header says no more than "full")', async () => {
    const { limiter } = setup();
    limiter.observeUsage('WEIGHT', 999_999);
    expect(limiter.used('WEIGHT')).toBe(10);
    expect(limiter.usage().find((u) => u.pool === 'WEIGHT')!.external).toBe(10);
  });

  it('keeps this process within its share and the whole IP within the limit', async () => {
    const { clock, limiter } = setup({ share: 0.5 });
    limiter.observeUsage('WEIGHT', 8); // others use 8 of 10
    for (let i = 0; i < 2; i++) (await limiter.acquire('read')).release();
    const third = watch(limiter.acquire('read'));
    await clock.advance(0);
    expect(third.settled()).toBe(false);
    await clock.advance(1_000);
    expect(third.settled()).toBe(true);
  });

  it('gives up after maxWaitMs with a RateLimitedError and lets the next waiter in', async () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 2; i++) (await limiter.acquire('order')).release();
    const impatient = watch(limiter.acquire('order', { maxWaitMs: 100 }));
    const patient = watch(limiter.acquire('order'));
    await clock.advance(100);
    expect(impatient.error()).toBeInstanceOf(RateLimitedError);
    expect(patient.settled()).toBe(false);
    await clock.advance(10_000);
    expect(patient.settled()).toBe(true);
    expect(limiter.queued).toBe(0);
  });

  it('rejects an aborted wait with the abort reason', async () => {
    const { clock, limiter } = setup();
    limiter.pause(1_000);
    const controller = new AbortController();
    const waiting = watch(limiter.acquire('read', { signal: controller.signal }));
    controller.abort(new Error('caller gave up'));
    await clock.advance(0);
    expect((waiting.error() as Error).message).toBe('caller gave up');
    expect(limiter.queued).toBe(0);
  });

  it('cancelAll rejects every waiter', async () => {
    const { clock, limiter } = setup();
    limiter.pause(1_000);
    const a = watch(limiter.acquire('read'));
    const b = watch(limiter.acquire('order'));
    limiter.cancelAll(new Error('stopping'));
    await clock.advance(0);
    expect([a.error(), b.error()].map((e) => (e as Error).message)).toEqual(['stopping', 'stopping']);
    expect(clock.pendingTimers).toBe(0);
  });
});
