import type { Cancel, NetClock } from '../../../src/net/clock.js';

interface Timer {
  readonly seq: number;
  readonly due: number;
  readonly task: () => void;
}

/**
 * Virtual time for async code: unlike a clock that runs due timers in one synchronous sweep, this
 * one lets every pending promise callback run after each timer, so a request granted by the rate
 * limiter records its grant, schedules its response, and so on, all at the right virtual instant.
 */
export class SteppingClock implements NetClock {
  private current: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, task: () => void): Cancel {
    const timer: Timer = { seq: this.seq++, due: this.current + Math.max(0, delayMs), task };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  async advanceTo(target: number): Promise<void> {
    await settle();
    for (let next = this.next(target); next; next = this.next(target)) {
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.due);
      next.task();
      await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }

  /** Runs timers until none is left, at most `maxMs` of virtual time ahead. */
  async runAll(maxMs = 86_400_000): Promise<void> {
    const limit = this.current + maxMs;
    for (let next = this.next(limit); next; next = this.next(limit)) await this.advanceTo(next.due);
  }

  private next(target: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.due <= target && (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq))) best = t;
    }
    return best;
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
