import { DEFAULT_RATE_LIMITS, type RateLimitInfo } from '../exchange-info.js';

export interface RateLimitSettings {
  /** The limits exchangeInfo publishes, and the ones enforced. */
  rateLimits: RateLimitInfo[];
  /**
   * Who shares a REQUEST_WEIGHT / RAW_REQUESTS budget: the client's IP, as on Binance, or its API
   * key (unsigned requests then count for their IP), so clients of one test on 127.0.0.1 stay apart.
   * ORDERS counts are always per account, as on Binance.
   */
  scope: 'ip' | 'apiKey';
  /** False: usage is counted and reported, never refused. */
  enforce: boolean;
  /** Requests arriving this soon after a 429 were already on their way: not held against the client. */
  backoffGraceMs: number;
  /** Requests sent while told to back off (after the grace) before the client is banned with 418. */
  violationsBeforeBan: number;
  /** The first ban; each further ban of the same client doubles, up to `maxBanMs` (Binance: 2 min to 3 days). */
  banMs: number;
  maxBanMs: number;
}

export const DEFAULT_LIMIT_SETTINGS: RateLimitSettings = {
  rateLimits: DEFAULT_RATE_LIMITS.map((r) => ({ ...r })),
  scope: 'ip',
  enforce: true,
  backoffGraceMs: 250,
  violationsBeforeBan: 3,
  banMs: 120_000,
  maxBanMs: 3 * 24 * 3_600_000,
};

const UNIT_MS = { SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 } as const;

/** The length of a limit's window; windows are aligned to the clock (the minute starts at :00). */
export function intervalMs(limit: RateLimitInfo): number {
  return UNIT_MS[limit.interval] * limit.intervalNum;
}

/** `1M`, `10S`, `1D`: the suffix of Binance's usage headers. */
export function intervalTag(limit: RateLimitInfo): string {
  return `${limit.intervalNum}${limit.interval[0]}`;
}

/** A limit with what has been used of it in the current window. */
export interface LimitUsage extends RateLimitInfo {
  count: number;
}

/** A refusal: 429 while the client should wait, 418 while it is banned; `retryAt` is when it may try again. */
export interface Refusal {
  status: 429 | 418;
  code: number;
  msg: string;
  retryAt: number;
}

export interface ClientStatus {
  /** Usage of every REQUEST_WEIGHT and RAW_REQUESTS limit in its current window. */
  limits: LimitUsage[];
  /** Until when a 429 told the client to wait (0: not told). */
  backoffUntil: number;
  /** Requests it sent anyway since then. */
  violations: number;
  /** Until when it is banned (0: not banned). */
  bannedUntil: number;
  /** Bans so far (each doubles the next). */
  bans: number;
}

class Window {
  start = -1;
  count = 0;

  read(now: number, length: number): number {
    return Math.floor(now / length) * length === this.start ? this.count : 0;
  }

  /** Takes `n` off the current window, never below zero. */
  subtract(now: number, length: number, n: number): void {
    if (Math.floor(now / length) * length === this.start) this.count = Math.max(0, this.count - n);
  }

  add(now: number, length: number, n: number): number {
    const start = Math.floor(now / length) * length;
    if (start !== this.start) {
      this.start = start;
      this.count = 0;
    }
    this.count += n;
    return this.count;
  }
}

class ClientState {
  readonly windows = new Map<RateLimitInfo, Window>();
  backoffSince = 0;
  backoffUntil = 0;
  violations = 0;
  bannedUntil = 0;
  bans = 0;

  window(limit: RateLimitInfo): Window {
    let w = this.windows.get(limit);
    if (w === undefined) this.windows.set(limit, (w = new Window()));
    return w;
  }
}

function per(limit: RateLimitInfo): string {
  return `${limit.intervalNum} ${limit.interval}`;
}

/** What tests and tools may do with the limits (the admin handle's `limits`). */
export type RateLimitControl = Pick<RateLimiter, 'settings' | 'set' | 'reset' | 'status' | 'usage' | 'clientKey'>;

/**
 * Binance's rate limits: request weight and raw requests per client, new orders per account, in
 * fixed windows aligned to the clock. Going over a limit gets a 429 with the time to wait; a client
 * that keeps sending while told to wait gets banned (418) for a time that doubles with each ban.
 */
export class RateLimiter {
  private current: RateLimitSettings;
  private readonly clients = new Map<string, ClientState>();
  private readonly accounts = new Map<number, ClientState>();

  constructor(
    settings: Partial<RateLimitSettings> = {},
    private readonly now: () => number,
  ) {
    this.current = { ...DEFAULT_LIMIT_SETTINGS, ...settings };
    this.check(this.current);
  }

  get settings(): Readonly<RateLimitSettings> {
    return this.current;
  }

  /** Changes limits or policy at run time; usage restarts when the limits themselves change. */
  set(settings: Partial<RateLimitSettings>): void {
    const next = { ...this.current, ...settings };
    this.check(next);
    this.current = next;
    if (settings.rateLimits !== undefined) this.reset();
  }

  /** Forgets all usage, back-offs and bans. */
  reset(): void {
    this.clients.clear();
    this.accounts.clear();
  }

  /** The key a request is counted under. */
  clientKey(ip: string, apiKey: string | undefined): string {
    return this.current.scope === 'apiKey' && apiKey !== undefined && apiKey !== '' ? `key:${apiKey}` : ip;
  }

  /** Counts a request of `weight` for `client`; a refusal when it is over a limit, told to wait, or banned. */
  admit(client: string, weight: number): Refusal | null {
    const now = this.now();
    const st = this.state(this.clients, client);
    if (st.bannedUntil > now) return this.banned(st.bannedUntil);
    const enforce = this.current.enforce;
    if (enforce && st.backoffUntil > now && now - st.backoffSince > this.current.backoffGraceMs) {
      st.violations++;
      if (st.violations >= this.current.violationsBeforeBan) {
        st.bans++;
        st.bannedUntil = now + Math.min(this.current.banMs * 2 ** (st.bans - 1), this.current.maxBanMs);
        st.backoffUntil = 0;
        return this.banned(st.bannedUntil);
      }
    }
    let refusal: Refusal | null = null;
    for (const limit of this.current.rateLimits) {
      if (limit.rateLimitType === 'ORDERS') continue;
      const length = intervalMs(limit);
      const used = st.window(limit).add(now, length, limit.rateLimitType === 'RAW_REQUESTS' ? 1 : weight);
      if (!enforce || used <= limit.limit) continue;
      const retryAt = Math.floor(now / length) * length + length;
      if (refusal === null || retryAt > refusal.retryAt) refusal = { status: 429, code: -1003, msg: tooMuch(limit), retryAt };
    }
    if (refusal === null && enforce && st.backoffUntil > now) {
      refusal = { status: 429, code: -1003, msg: tooMuch(this.current.rateLimits.find((l) => l.rateLimitType === 'REQUEST_WEIGHT') ?? DEFAULT_RATE_LIMITS[0] as RateLimitInfo), retryAt: st.backoffUntil };
    }
    if (refusal !== null && st.backoffUntil <= now) {
      st.backoffSince = now;
      st.backoffUntil = refusal.retryAt;
      st.violations = 0;
    }
    return refusal;
  }

  /** Whole seconds until a refused client may try again, at least one (Binance's Retry-After). */
  retryAfterSeconds(refusal: Refusal): number {
    return Math.max(1, Math.ceil((refusal.retryAt - this.now()) / 1000));
  }

  /** Gives back weight a request was charged but does not cost (order endpoints cost less when they succeed). */
  refund(client: string, weight: number): void {
    if (weight <= 0) return;
    const st = this.clients.get(client);
    if (st === undefined) return;
    const now = this.now();
    for (const limit of this.current.rateLimits) {
      if (limit.rateLimitType !== 'REQUEST_WEIGHT') continue;
      const w = st.window(limit);
      if (w.read(now, intervalMs(limit)) >= weight) w.count -= weight;
    }
  }

  /** Whether the account may place one more order now; a 429 -1015 refusal when an ORDERS limit is used up. */
  admitOrder(accountId: number): Refusal | null {
    if (!this.current.enforce) return null;
    const now = this.now();
    const st = this.state(this.accounts, accountId);
    for (const limit of this.current.rateLimits) {
      if (limit.rateLimitType !== 'ORDERS') continue;
      const length = intervalMs(limit);
      if (st.window(limit).read(now, length) >= limit.limit) {
        return { status: 429, code: -1015, msg: `Too many new orders; current limit is ${limit.limit} orders per ${per(limit)}.`, retryAt: Math.floor(now / length) * length + length };
      }
    }
    return null;
  }

  /** Counts an order the account placed (however it reached the engine). */
  countOrder(accountId: number): void {
    const now = this.now();
    const st = this.state(this.accounts, accountId);
    for (const limit of this.current.rateLimits) if (limit.rateLimitType === 'ORDERS') st.window(limit).add(now, intervalMs(limit), 1);
  }

  /** Gives back one order of the account's count in every ORDERS window (an order that started trading). */
  uncountOrder(accountId: number): void {
    const st = this.accounts.get(accountId);
    if (st === undefined) return;
    const now = this.now();
    for (const limit of this.current.rateLimits) if (limit.rateLimitType === 'ORDERS') st.window(limit).subtract(now, intervalMs(limit), 1);
  }

  /** A client's usage and standing. */
  status(client: string): ClientStatus {
    const st = this.clients.get(client);
    const now = this.now();
    const limits = this.current.rateLimits
      .filter((l) => l.rateLimitType !== 'ORDERS')
      .map((l) => ({ ...l, count: st?.window(l).read(now, intervalMs(l)) ?? 0 }));
    return {
      limits,
      backoffUntil: st !== undefined && st.backoffUntil > now ? st.backoffUntil : 0,
      violations: st?.violations ?? 0,
      bannedUntil: st !== undefined && st.bannedUntil > now ? st.bannedUntil : 0,
      bans: st?.bans ?? 0,
    };
  }

  /** The REQUEST_WEIGHT limits with the client's usage (and the account's ORDERS usage, when given). */
  usage(client: string, accountId: number | null): LimitUsage[] {
    const now = this.now();
    const st = this.clients.get(client);
    const account = accountId === null ? undefined : this.accounts.get(accountId);
    const out: LimitUsage[] = [];
    for (const l of this.current.rateLimits) {
      if (l.rateLimitType === 'REQUEST_WEIGHT') out.push({ ...l, count: st?.window(l).read(now, intervalMs(l)) ?? 0 });
      else if (l.rateLimitType === 'ORDERS' && accountId !== null) out.push({ ...l, count: account?.window(l).read(now, intervalMs(l)) ?? 0 });
    }
    return out;
  }

  private banned(until: number): Refusal {
    return {
      status: 418,
      code: -1003,
      msg: `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`,
      retryAt: until,
    };
  }

  private state<K>(map: Map<K, ClientState>, key: K): ClientState {
    let st = map.get(key);
    if (st === undefined) map.set(key, (st = new ClientState()));
    return st;
  }

  private check(settings: RateLimitSettings): void {
    for (const l of settings.rateLimits) {
      if (!(l.interval in UNIT_MS) || !Number.isInteger(l.intervalNum) || l.intervalNum < 1 || !Number.isInteger(l.limit) || l.limit < 0) {
        throw new RangeError(`invalid rate limit ${JSON.stringify(l)}`);
      }
    }
    if (settings.violationsBeforeBan < 1 || settings.banMs < 0 || settings.backoffGraceMs < 0) throw new RangeError('invalid ban policy');
  }
}

function tooMuch(limit: RateLimitInfo): string {
  if (limit.rateLimitType === 'RAW_REQUESTS') return `Too many requests; current limit is ${limit.limit} requests per ${per(limit)}.`;
  return `Too much request weight used; current limit is ${limit.limit} request weight per ${per(limit)}. Please use WebSocket Streams for live updates to avoid polling the API.`;
}
