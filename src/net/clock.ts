/**
 * Time for the network layer. `NetClock` is the part of venuekit's Clock (`src/core/clock.ts`:
 * `now` and `schedule`) the rate limiter, time synchronizer, timeouts and heartbeats need, so a
 * connector passes its own clock and tests pass a virtual one.
 *
 * The default, `monotonicClock`, reads the performance clock anchored at process start: a
 * wall-clock step (NTP, a user changing the date) can neither shrink a rate-limit window nor fake
 * a silent connection. Its timers keep the process alive, since each stands for work still owed
 * (a request waiting for its slot, a reconnect). Server time is a separate concern: TimeSynchronizer.
 */
import type { Clock } from '../core/clock.js';

export type { Cancel } from '../core/clock.js';

/** Any venuekit Clock fits (RealTimeClock, ManualClock): the network layer only reads time and schedules. */
export type NetClock = Pick<Clock, 'now' | 'schedule'>;

export const monotonicClock: NetClock = {
  now: () => performance.timeOrigin + performance.now(),
  schedule: (delayMs, task) => {
    const timer = setTimeout(task, Math.max(0, delayMs));
    return () => clearTimeout(timer);
  },
};

/** Resolves after `ms` on `clock`; an abort rejects with the signal's reason and cancels the timer. */
export function sleep(clock: NetClock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(abortReason(signal!));
    };
    const cancel = clock.schedule(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/**
 * Runs `fn` once the event loop has read the sockets. Node runs due timers before it polls I/O, so
 * after a stall a timeout can fire while the answer it waits for sits unread; a verdict taken here
 * sees that answer first.
 */
export function afterPendingIo(fn: () => void): void {
  setImmediate(fn);
}
