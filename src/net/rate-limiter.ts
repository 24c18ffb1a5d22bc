import { InvalidArgumentError, RateLimitedError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { abortReason, monotonicClock, type Cancel, type NetClock } from './clock.js';
import { compileRateLimits, type CompiledPool, type RateLimitConfig } from './rate-limits.js';

/** A granted slot. Call `release()` once the request has completed or failed (idempotent). */
export interface RatePermit {
  release(): void;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Give up (RateLimitedError, nothing sent) if the slot is not granted within this time. */
  maxWaitMs?: number;
}

export interface PoolUsage {
  readonly pool: string;
  /** Weight counted now: this process's requests plus usage the exchange reported beyond them. */
  readonly used: number;
  /** Weight of granted requests whose response has not arrived. */
  readonly inFlight: number;
  /** Usage the exchange reported that this process's own log does not explain. */
  readonly external: number;
  readonly capacity: number;
  readonly limit: number;
}

export interface RateLimiterOptions {
  clock?: NetClock;
  logger?: Logger;
}

interface Expiring {
  weight: number;
  readonly expiresAt: number;
  /** Reported by the exchange rather than sent by this process. */
  readonly external: boolean;
}

class PoolState {
  inFlight = 0;
  own = 0;
  external = 0;
  waiting = 0;
  private queue: Expiring[] = [];
  private head = 0;

  constructor(readonly spec: CompiledPool) {}

  /** Drops weights whose time has passed. */
  prune(now: number): void {
    while (this.head < this.queue.length && this.queue[this.head]!.expiresAt <= now) {
      const e = this.queue[this.head++]!;
      if (e.external) this.external -= e.weight;
      else this.own -= e.weight;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Counts `weight` until `expiresAt`. Expiries are rounded up to a thousandth of the interval and
   * merged, so the queue stays short at any request rate, at the cost of holding a weight at most
   * 0.1% longer. Entries are added at `now + holdMs`, so the queue stays sorted by expiry.
   */
  hold(weight: number, expiresAt: number, external: boolean): void {
    const bucket = this.spec.bucketMs;
    const at = Math.ceil(expiresAt / bucket) * bucket;
    const last = this.queue.length > this.head ? this.queue[this.queue.length - 1] : undefined;
    if (last && last.expiresAt === at && last.external === external) last.weight += weight;
    else this.queue.push({ weight, expiresAt: at, external });
    if (external) this.external += weight;
    else this.own += weight;
  }

  ownUsed(): number {
    return this.inFlight + this.own;
  }

  fits(weight: number): boolean {
    const mine = this.ownUsed() + weight;
    return mine <= this.spec.capacity && mine + this.external <= this.spec.limit;
  }

  /**
   * When enough weight will have expired for `weight` to fit, or undefined if that needs requests
   * still in flight to complete (their release re-evaluates the queue).
   */
  fitsAt(weight: number): number | undefined {
    let needOwn = this.ownUsed() + weight - this.spec.capacity;
    let needTotal = this.ownUsed() + this.external + weight - this.spec.limit;
    if (needOwn <= 0 && needTotal <= 0) return 0;
    for (let i = this.head; i < this.queue.length; i++) {
      const e = this.queue[i]!;
      if (!e.external) needOwn -= e.weight;
      needTotal -= e.weight;
      if (needOwn <= 0 && needTotal <= 0) return e.expiresAt;
    }
    return undefined;
  }
}

interface Charge {
  readonly pool: PoolState;
  readonly weight: number;
}

interface Waiter {
  readonly charges: readonly Charge[];
  readonly resolve: (permit: RatePermit) => void;
  readonly reject: (err: unknown) => void;
  cleanup: () => void;
}

/**
 * Client-side rate limiting for one exchange (one IP / one key), with weighted endpoints charging
 * linked pools.
 *
 * A request's weight counts from the moment its slot is granted until one pool interval (plus the
 * safety margin) after its response arrived. The request reached the exchange somewhere in
 * between, so whatever window the exchange counts it in (sliding, or fixed and aligned to the
 * clock), every request it counts together with this one was still counted here when this one
 * was granted: the exchange can never see more than the limit from this process, whatever the
 * latencies. Waiters are served first come first served on each pool they are short of, so orders
 * waiting for the order pool do not hold up market-data reads that only need request weight.
 */
export class RateLimiter<L extends string = string> {
  private readonly clock: NetClock;
  private readonly logger: Logger;
  private readonly pools = new Map<string, PoolState>();
  private readonly endpoints = new Map<string, readonly Charge[]>();
  private waiters: Waiter[] = [];
  private pausedUntilMs = 0;
  private cancelWake: Cancel | undefined;
  private wakeAt = Infinity;

  constructor(config: RateLimitConfig<L>, options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? monotonicClock;
    this.logger = options.logger ?? silentLogger();
    const compiled = compileRateLimits(config);
    for (const [id, spec] of compiled.pools) this.pools.set(id, new PoolState(spec));
    for (const [id, endpoint] of compiled.endpoints) {
      this.endpoints.set(
        id,
        endpoint.charges.map((c) => ({ pool: this.pools.get(c.pool)!, weight: c.weight })),
      );
    }
  }

  hasLimit(limitId: string): limitId is L {
    return this.endpoints.has(limitId);
  }

  hasPool(poolId: string): boolean {
    return this.pools.has(poolId);
  }

  /** Throws at once if `limitId` was not configured: use it to check a connector's constants when it is built. */
  assertLimit(limitId: string): void {
    if (!this.endpoints.has(limitId)) {
      throw new InvalidArgumentError(`unknown rate limit id "${limitId}"`, 'limitId');
    }
  }

  /** Waits until a request under `limitId` fits every pool it charges, then takes the slot. */
  acquire(limitId: L, options: AcquireOptions = {}): Promise<RatePermit> {
    const charges = this.endpoints.get(limitId);
    if (!charges) return Promise.reject(new InvalidArgumentError(`unknown rate limit id "${limitId}"`, 'limitId'));
    if (options.signal?.aborted) return Promise.reject(abortReason(options.signal));

    const now = this.clock.now();
    if (now >= this.pausedUntilMs && charges.every((c) => c.pool.waiting === 0) && this.fits(charges, now)) {
      return Promise.resolve(this.grant(charges));
    }
    return new Promise<RatePermit>((resolve, reject) => {
      const waiter: Waiter = { charges, resolve, reject, cleanup: () => undefined };
      this.enqueue(waiter, options);
      this.drain();
    });
  }

  /**
   * Stops granting anything until `durationMs` from now (an HTTP 429 or 418 with Retry-After).
   * Pauses only ever extend.
   */
  pause(durationMs: number, reason = 'rate limited'): void {
    const until = this.clock.now() + Math.max(0, durationMs);
    if (until <= this.pausedUntilMs) return;
    this.pausedUntilMs = until;
    this.logger.warn({ pauseMs: durationMs, reason }, 'pausing every request to this exchange');
    this.scheduleWake(until);
  }

  /** Epoch ms until which nothing is granted (0 or a past time when not paused). */
  get pausedUntil(): number {
    return this.pausedUntilMs;
  }

  /**
   * The exchange reported `used` weight on `poolId` in its current window (a used-weight header).
   * When that is more than this process accounts for (another process on the same IP, a restart),
   * the difference counts for one interval. The count is never lowered: a report can lag requests
   * still in flight. A report is clamped to the pool's limit.
   */
  observeUsage(poolId: string, used: number): void {
    const pool = this.pools.get(poolId);
    if (!pool || !Number.isFinite(used)) {
      this.logger.warn({ poolId, used }, 'usage report for an unknown pool or not a number; ignored');
      return;
    }
    const now = this.clock.now();
    pool.prune(now);
    // A report beyond the limit (a hostile or broken header) says no more than "full".
    const missing = Math.min(used, pool.spec.limit) - pool.ownUsed() - pool.external;
    if (missing > 0) pool.hold(missing, now + pool.spec.holdMs, true);
  }

  /** Weight counted now on `poolId`. */
  used(poolId: string): number {
    const pool = this.pools.get(poolId);
    if (!pool) throw new InvalidArgumentError(`unknown rate limit pool "${poolId}"`, 'poolId');
    pool.prune(this.clock.now());
    return pool.ownUsed() + pool.external;
  }

  usage(): PoolUsage[] {
    const now = this.clock.now();
    return [...this.pools.values()].map((p) => {
      p.prune(now);
      return {
        pool: p.spec.id,
        used: p.ownUsed() + p.external,
        inFlight: p.inFlight,
        external: p.external,
        capacity: p.spec.capacity,
        limit: p.spec.limit,
      };
    });
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiters.length;
  }

  /** Rejects every waiting request with `reason` (connector stopping). Granted permits are unaffected. */
  cancelAll(reason: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      this.forget(w);
      w.reject(reason);
    }
    this.clearWake();
  }

  private fits(charges: readonly Charge[], now: number): boolean {
    for (const c of charges) {
      c.pool.prune(now);
      if (!c.pool.fits(c.weight)) return false;
    }
    return true;
  }

  private grant(charges: readonly Charge[]): RatePermit {
    for (const c of charges) c.pool.inFlight += c.weight;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const now = this.clock.now();
        for (const c of charges) {
          c.pool.inFlight -= c.weight;
          c.pool.hold(c.weight, now + c.pool.spec.holdMs, false);
        }
        if (this.waiters.length > 0) this.drain();
      },
    };
  }

  private enqueue(waiter: Waiter, options: AcquireOptions): void {
    this.waiters.push(waiter);
    for (const c of waiter.charges) c.pool.waiting++;
    const { signal, maxWaitMs } = options;
    let cancelTimer: Cancel | undefined;
    const giveUp = (err: unknown): void => {
      if (!this.remove(waiter)) return;
      waiter.reject(err);
      this.drain();
    };
    const onAbort = (): void => giveUp(abortReason(signal!));
    if (maxWaitMs !== undefined) {
      cancelTimer = this.clock.schedule(maxWaitMs, () => {
        const retryAfterMs = Math.max(0, this.pausedUntilMs - this.clock.now());
        giveUp(new RateLimitedError(`no rate limit slot within ${maxWaitMs} ms; request not sent`, retryAfterMs));
      });
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    waiter.cleanup = () => {
      cancelTimer?.();
      signal?.removeEventListener('abort', onAbort);
    };
  }

  private remove(waiter: Waiter): boolean {
    const i = this.waiters.indexOf(waiter);
    if (i < 0) return false;
    this.waiters.splice(i, 1);
    this.forget(waiter);
    return true;
  }

  private forget(waiter: Waiter): void {
    waiter.cleanup();
    for (const c of waiter.charges) c.pool.waiting--;
  }

  /** Grants every waiter that fits, in order per pool, and sets a timer for the next that will. */
  private drain(): void {
    this.clearWake();
    const now = this.clock.now();
    if (now < this.pausedUntilMs) {
      this.scheduleWake(this.pausedUntilMs);
      return;
    }
    const blocked = new Set<PoolState>();
    let wake = Infinity;
    const remaining: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.charges.some((c) => blocked.has(c.pool))) {
        remaining.push(w);
        continue;
      }
      if (this.fits(w.charges, now)) {
        this.forget(w);
        w.resolve(this.grant(w.charges));
        continue;
      }
      remaining.push(w);
      let at = now;
      for (const c of w.charges) {
        if (c.pool.fits(c.weight)) continue;
        // Later waiters queue behind this one only on the pools it is short of.
        blocked.add(c.pool);
        const t = c.pool.fitsAt(c.weight);
        // Undefined: only a release can make room, and a release drains again.
        if (t !== undefined) at = Math.max(at, t);
      }
      if (at > now) wake = Math.min(wake, at);
    }
    this.waiters = remaining;
    if (wake < Infinity) this.scheduleWake(wake);
  }

  private scheduleWake(at: number): void {
    if (this.waiters.length === 0 || at >= this.wakeAt) return;
    this.clearWake();
    this.wakeAt = at;
    this.cancelWake = this.clock.schedule(at - this.clock.now(), () => {
      this.cancelWake = undefined;
      this.wakeAt = Infinity;
      this.drain();
    });
  }

  private clearWake(): void {
    this.cancelWake?.();
    this.cancelWake = undefined;
    this.wakeAt = Infinity;
  }
}
