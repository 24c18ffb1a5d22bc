import { describe, expect, it } from 'vitest';
import { ManualClock, RealTimeClock, sleep } from '../../src/core/clock.js';
import { waitFor } from '../support/wait.js';

describe('ManualClock', () => {
  it('runs timers in due order, each at its own time, only when advanced', () => {
    const clock = new ManualClock(1_000);
    const ran: [string, number][] = [];
    clock.schedule(30, () => ran.push(['b', clock.now()]));
    clock.schedule(10, () => ran.push(['a', clock.now()]));
    const cancel = clock.schedule(20, () => ran.push(['never', clock.now()]));
    cancel();
    clock.advance(5);
    expect(ran).toEqual([]);
    clock.advance(100);
    expect(ran).toEqual([
      ['a', 1_010],
      ['b', 1_030],
    ]);
    expect(clock.now()).toBe(1_105);
  });

  it('runs timers scheduled by timers within the same advance', () => {
    const clock = new ManualClock();
    const ran: number[] = [];
    clock.schedule(10, () => {
      ran.push(clock.now());
      clock.schedule(10, () => ran.push(clock.now()));
    });
    clock.advance(25);
    expect(ran).toEqual([10, 20]);
  });

  it('ticks at each interval crossed, and a throwing listener does not stop it', () => {
    const clock = new ManualClock(0, { tickIntervalMs: 100 });
    const ticks: number[] = [];
    clock.onTick(() => {
      throw new Error('listener bug');
    });
    const off = clock.onTick((now) => ticks.push(now));
    clock.advance(250);
    expect(ticks).toEqual([100, 200]);
    clock.tick();
    expect(ticks).toEqual([100, 200, 250]);
    off();
    clock.advance(1_000);
    expect(ticks).toHaveLength(3);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('sleeps on the clock and can be aborted', async () => {
    const clock = new ManualClock();
    let woke = false;
    const nap = sleep(clock, 50).then(() => {
      woke = true;
    });
    clock.advance(49);
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance(1);
    await nap;
    expect(woke).toBe(true);
    const abort = new AbortController();
    const aborted = sleep(clock, 50, abort.signal);
    abort.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('RealTimeClock', () => {
  it('ticks while started and schedules on wall time', async () => {
    const clock = new RealTimeClock({ tickIntervalMs: 5 });
    let ticks = 0;
    clock.onTick(() => {
      ticks++;
    });
    clock.start();
    expect(clock.running).toBe(true);
    await waitFor(() => ticks >= 2, 'two ticks');
    clock.stop();
    let fired = false;
    clock.schedule(1, () => {
      fired = true;
    });
    await waitFor(() => fired, 'a scheduled task');
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(1_000);
  });
});
