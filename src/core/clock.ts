import { silentLogger, type Logger } from './logger.js';

export type Cancel = () => void;
export type TickListener = (now: number) => void;

/**
 * Time for everything in venuekit that waits: the tracker's fill barrier, polling loops, network
 * checks. Production uses RealTimeClock; tests use ManualClock and decide when time passes, so no
 * test ever waits for a real-world interval. Times are milliseconds since the epoch.
 */
export interface Clock {
  now(): number;
  /** Runs `task` once after `delayMs`; the returned function cancels it. */
  schedule(delayMs: number, task: () => void): Cancel;
  /** Called on every tick (Hummingbot's `tick(timestamp)`): the heartbeat connectors poll on. */
  onTick(listener: TickListener): Cancel;
}

function runListeners(listeners: readonly TickListener[], now: number, logger: Logger): void {
  for (const listener of listeners) {
    try {
      listener(now);
    } catch (err) {
      logger.error({ err }, 'a tick listener threw; the clock keeps ticking');
    }
  }
}

export interface RealTimeClockOptions {
  /** Default 1000 ms, as Hummingbot's clock. */
  tickIntervalMs?: number;
  logger?: Logger;
}

/** Wall-clock time. Ticks only between start() and stop(); schedule() works either way. */
export class RealTimeClock implements Clock {
  readonly tickIntervalMs: number;
  private listeners: TickListener[] = [];
  private interval: NodeJS.Timeout | undefined;
  private readonly logger: Logger;

  constructor(options: RealTimeClockOptions = {}) {
    this.tickIntervalMs = options.tickIntervalMs ?? 1000;
    this.logger = options.logger ?? silentLogger();
  }

  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, task: () => void): Cancel {
    const timer = setTimeout(task, Math.max(0, delayMs));
    // A pending timeout (a fill barrier, a poll) must not keep a finished program alive.
    timer.unref();
    return () => clearTimeout(timer);
  }

  onTick(listener: TickListener): Cancel {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  get running(): boolean {
    return this.interval !== undefined;
  }

  start(): void {
    if (this.interval) return;
    this.interval = setInterval(() => runListeners(this.listeners, this.now(), this.logger), this.tickIntervalMs);
  }

  stop(): void {
    clearInterval(this.interval);
    this.interval = undefined;
  }
}

interface ManualTimer {
  due: number;
  seq: number;
  task: () => void;
}

export interface ManualClockOptions {
  /** When set, advance() ticks at every multiple of this interval it crosses. */
  tickIntervalMs?: number;
  logger?: Logger;
}

/**
 * Time that moves only when a test says so. advance() runs due timers and ticks in time order,
 * each with now() set to its due time, so what a test sees does not depend on machine speed.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: ManualTimer[] = [];
  private listeners: TickListener[] = [];
  private readonly tickIntervalMs: number | undefined;
  private readonly logger: Logger;

  constructor(startMs = 0, options: ManualClockOptions = {}) {
    this.current = startMs;
    this.tickIntervalMs = options.tickIntervalMs;
    this.logger = options.logger ?? silentLogger();
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, task: () => void): Cancel {
    const timer: ManualTimer = { due: this.current + Math.max(0, delayMs), seq: this.seq++, task };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  onTick(listener: TickListener): Cancel {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Timers not yet run. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Runs the tick listeners now. */
  tick(): void {
    runListeners(this.listeners, this.current, this.logger);
  }

  /** Moves time forward by `ms`, running every timer and tick that falls due on the way. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ${ms} is not a non-negative number of milliseconds`);
    const target = this.current + ms;
    for (;;) {
      const next = this.nextTimer();
      const nextTick = this.nextTickAfter(this.current);
      if (next && next.due <= target && (nextTick === undefined || next.due <= nextTick)) {
        this.timers = this.timers.filter((t) => t !== next);
        this.current = next.due;
        try {
          next.task();
        } catch (err) {
          this.logger.error({ err }, 'a scheduled task threw');
        }
      } else if (nextTick !== undefined && nextTick <= target) {
        this.current = nextTick;
        this.tick();
      } else {
        break;
      }
    }
    this.current = target;
  }

  /** Moves time to `ms` (never backwards). */
  setTime(ms: number): void {
    this.advance(Math.max(0, ms - this.current));
  }

  private nextTimer(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) {
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }

  private nextTickAfter(time: number): number | undefined {
    if (this.tickIntervalMs === undefined || this.listeners.length === 0) return undefined;
    return (Math.floor(time / this.tickIntervalMs) + 1) * this.tickIntervalMs;
  }
}

/** Resolves after `ms` on `clock`; rejects with the signal's reason if aborted first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      cancel();
      reject(signal!.reason as Error);
    };
    const cancel = clock.schedule(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
