import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../src/core/poll-until.js';

describe('pollUntil', () => {
  it('resolves true once the condition holds, at once if it already does', async () => {
    expect(await pollUntil(() => true, 0)).toBe(true);
    let calls = 0;
    expect(await pollUntil(() => ++calls >= 3, 10_000)).toBe(true);
    expect(calls).toBe(3);
  });

  it('resolves false when the time runs out, having looked again until then', async () => {
    let calls = 0;
    expect(
      await pollUntil(() => {
        calls++;
        return false;
      }, 60),
    ).toBe(false);
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
