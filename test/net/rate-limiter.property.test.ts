import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SteppingClock } from './support/stepping-clock.js';
import { RateLimiter } from '../../src/net/rate-limiter.js';
import type { RateLimitConfig } from '../../src/net/rate-limits.js';
import { runs } from '../support/soak.js';

/**
 * Random limit configurations driven by random request schedules in virtual time. Each request is
 * granted, reaches the "exchange" at a random moment of its round trip, and completes after a
 * random latency. Whatever the schedule, the exchange must never count more than this process's
 * share of a pool in any window of the pool's interval: sliding windows, hence also fixed windows
 * aligned anywhere.
 */

interface Scenario {
  pools: Array<{ limit: number; intervalMs: number }>;
  endpoints: Array<number[]>; // weight per pool
  share: number;
  margin: number;
  requests: Array<{ gapMs: number; endpoint: number; latencyMs: number; arrival: number }>;
  pauses: Array<{ atMs: number; durationMs: number }>;
  reports: Array<{ atMs: number; pool: number; extra: number }>;
}

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    pools: fc.array(
      fc.record({ limit: fc.integer({ min: 1, max: 20 }), intervalMs: fc.integer({ min: 50, max: 3_000 }) }),
      { minLength: 1, maxLength: 3 },
    ),
    share: fc.constantFrom(1, 0.8, 0.5),
    margin: fc.constantFrom(0, 0.05),
  })
  .chain((base) => {
    const capacities = base.pools.map((p) => Math.max(1, Math.floor(p.limit * base.share)));
    const endpoint = fc.tuple(...capacities.map((c) => fc.integer({ min: 0, max: c }))).map((w) => [...w]);
    return fc.record({
      pools: fc.constant(base.pools),
      share: fc.constant(base.share),
      margin: fc.constant(base.margin),
      endpoints: fc.array(endpoint, { minLength: 1, maxLength: 4 }),
      requests: fc.array(
        fc.record({
          gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400 })),
          endpoint: fc.nat(),
          latencyMs: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 4_000 })),
          arrival: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        { minLength: 1, maxLength: 60 },
      ),
      pauses: fc.array(
        fc.record({ atMs: fc.integer({ min: 0, max: 5_000 }), durationMs: fc.integer({ min: 0, max: 2_000 }) }),
        { maxLength: 2 },
      ),
      reports: fc.array(
        fc.record({ atMs: fc.integer({ min: 0, max: 5_000 }), pool: fc.nat(), extra: fc.integer({ min: 0, max: 20 }) }),
        { maxLength: 3 },
      ),
    });
  });

interface Granted {
  seq: number;
  endpoint: number;
  grantedAt: number;
  arrivedAt: number;
}

async function play(s: Scenario): Promise<{ granted: Granted[]; violations: string[]; config: RateLimitConfig }> {
  const clock = new SteppingClock(0);
  const config: RateLimitConfig = {
    pools: s.pools.map((p, i) => ({ id: `P${i}`, ...p })),
    endpoints: Object.fromEntries(
      s.endpoints.map((weights, e) => [`E${e}`, Object.fromEntries(weights.map((w, i) => [`P${i}`, w]))]),
    ),
    share: s.share,
    safetyMargin: s.margin,
  };
  const limiter = new RateLimiter(config, { clock });
  const granted: Granted[] = [];
  const violations: string[] = [];

  type Event = { at: number; run: () => void };
  const events: Event[] = [];
  let at = 0;
  s.requests.forEach((r, seq) => {
    at += r.gapMs;
    const endpoint = r.endpoint % s.endpoints.length;
    events.push({
      at,
      run: () => {
        void limiter.acquire(`E${endpoint}`).then((permit) => {
          const now = clock.now();
          if (limiter.pausedUntil > now) violations.push(`request ${seq} granted during a pause`);
          granted.push({ seq, endpoint, grantedAt: now, arrivedAt: now + r.arrival * r.latencyMs });
          clock.schedule(r.latencyMs, () => permit.release());
        });
      },
    });
  });
  for (const p of s.pauses) events.push({ at: p.atMs, run: () => limiter.pause(p.durationMs) });
  for (const r of s.reports) {
    const pool = `P${r.pool % s.pools.length}`;
    // The exchange reports at least what this process has sent, plus another process's usage.
    events.push({ at: r.atMs, run: () => limiter.observeUsage(pool, limiter.used(pool) + r.extra) });
  }
  events.sort((a, b) => a.at - b.at);
  for (const e of events) {
    await clock.advanceTo(e.at);
    e.run();
  }
  await clock.runAll();
  return { granted, violations, config };
}

describe('RateLimiter properties (virtual time)', () => {
  it('never lets the exchange count more than the share of a pool in any window, and grants everything', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { granted, violations } = await play(s);
        expect(violations).toEqual([]);
        expect(granted.length).toBe(s.requests.length);

        s.pools.forEach((pool, p) => {
          const capacity = Math.max(1, Math.floor(pool.limit * s.share));
          const arrivals = granted
            .map((g) => ({ at: g.arrivedAt, weight: s.endpoints[g.endpoint]![p]! }))
            .filter((a) => a.weight > 0)
            .sort((a, b) => a.at - b.at);
          // Every sliding window (t - interval, t] ending at an arrival.
          let start = 0;
          let sum = 0;
          for (let end = 0; end < arrivals.length; end++) {
            sum += arrivals[end]!.weight;
            while (arrivals[start]!.at <= arrivals[end]!.at - pool.intervalMs) sum -= arrivals[start++]!.weight;
            expect(sum, `pool P${p} window ending ${arrivals[end]!.at}`).toBeLessThanOrEqual(capacity);
          }
        });
      }),
      { numRuns: runs(150, 5_000) },
    );
  });

  it('grants requests to the same limit id in the order they asked', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { granted } = await play(s);
        for (let e = 0; e < s.endpoints.length; e++) {
          const order = granted.filter((g) => g.endpoint === e).map((g) => g.seq);
          expect(order).toEqual([...order].sort((a, b) => a - b));
        }
      }),
      { numRuns: runs(100, 2_000) },
    );
  });
});
