import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { BalanceRefresh } from '../../src/connector/balance-refresh.js';
import { waitFor } from '../support/wait.js';

/** A refresh whose snapshots end only when the test says so, recording when each started. */
function setup(minSpacingMs?: number) {
  const clock = new ManualClock(10_000);
  const starts: number[] = [];
  const pending: (() => void)[] = [];
  let active = true;
  const refresh = new BalanceRefresh({
    clock,
    logger: silentLogger(),
    active: () => active,
    ...(minSpacingMs !== undefined && { minSpacingMs }),
    refresh: () => {
      starts.push(clock.now());
      return new Promise<void>((resolve) => pending.push(resolve));
    },
  });
  const finish = async () => {
    pending.shift()!();
    // Let the loop see the answer and reach its next wait.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { clock, starts, pending, refresh, finish, deactivate: () => (active = false) };
}

describe('BalanceRefresh', () => {
  it('a burst of requests: one snapshot in flight, one queued behind it, started the minimum spacing after the first', async () => {
    const { clock, starts, pending, refresh, finish } = setup();
    for (let i = 0; i < 5; i++) refresh.request();
    expect(starts).toEqual([10_000]);
    for (let i = 0; i < 5; i++) refresh.request();
    await finish();
    expect(starts).toEqual([10_000]);
    clock.advance(999);
    expect(starts).toEqual([10_000]);
    clock.advance(1);
    await waitFor(() => starts.length === 2, 'the queued snapshot');
    expect(starts).toEqual([10_000, 11_000]);
    await finish();
    clock.advance(10_000);
    expect(starts).toHaveLength(2);
    expect(pending).toHaveLength(0);
  });

  it('afterFill asks only for a new fill; nothing is fetched while the network does not run, and stop drops the queued one', async () => {
    const { clock, starts, refresh, finish, deactivate } = setup(500);
    const apply = refresh.afterFill((isNew: boolean) => isNew);
    expect(apply(false)).toBe(false);
    expect(starts).toHaveLength(0);
    expect(apply(true)).toBe(true);
    expect(starts).toHaveLength(1);
    apply(true);
    await finish();
    refresh.stop();
    clock.advance(1_000);
    expect(starts).toHaveLength(1);
    deactivate();
    apply(true);
    clock.advance(1_000);
    expect(starts).toHaveLength(1);
  });
});
