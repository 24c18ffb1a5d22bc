import { describe, expect, it } from 'vitest';
import { ClientOrderIdGenerator } from '../../src/core/client-order-id.js';

const BINANCE = { prefix: 'x-VK', maxLength: 36, pattern: /^[a-zA-Z0-9-_]{1,36}$/ };

describe('client order ids', () => {
  it('fit the exchange rule and carry the prefix', () => {
    const gen = new ClientOrderIdGenerator(BINANCE);
    for (let i = 0; i < 100; i++) {
      const id = gen.next();
      expect(id).toMatch(BINANCE.pattern);
      expect(id.startsWith('x-VK')).toBe(true);
      expect(id.length).toBeLessThanOrEqual(36);
      expect(gen.owns(id)).toBe(true);
    }
    expect(gen.owns('web_1234567890abcdef')).toBe(false);
  });

  it('are strictly increasing, as strings too, even when the clock stands still or goes back', () => {
    let now = 1_700_000_000_000;
    const gen = new ClientOrderIdGenerator({ ...BINANCE, now: () => now });
    const ids: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      if (i === 1_000) now -= 60_000;
      if (i === 2_000) now += 120_000;
      ids.push(gen.next());
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('continue after a restart even if the clock went back', () => {
    let now = 1_700_000_000_000;
    const before = new ClientOrderIdGenerator({ ...BINANCE, now: () => now });
    const last = Array.from({ length: 10 }, () => before.next()).at(-1)!;
    now -= 3_600_000;
    const after = new ClientOrderIdGenerator({ ...BINANCE, now: () => now, startAfter: last });
    const next = after.next();
    expect(next > last).toBe(true);
    expect(after.nonceOf(next)).toBe(before.nonceOf(last)! + 1);
  });

  it('differ between processes running at the same instant', () => {
    const now = () => 1_700_000_000_000;
    const ids = new Set<string>();
    for (let p = 0; p < 50; p++) {
      const gen = new ClientOrderIdGenerator({ ...BINANCE, now });
      for (let i = 0; i < 20; i++) ids.add(gen.next());
    }
    expect(ids.size).toBe(1_000);
  });

  it('refuse a layout the exchange would reject', () => {
    expect(() => new ClientOrderIdGenerator({ ...BINANCE, prefix: 'x'.repeat(30) })).toThrow(/prefix/);
    expect(() => new ClientOrderIdGenerator({ ...BINANCE, prefix: 'bad prefix' })).toThrow(/does not match/);
    expect(() => new ClientOrderIdGenerator({ prefix: 'A', maxLength: 32, pattern: /^[A-Z0-9]+$/ })).toThrow(/does not match/);
    const numeric = new ClientOrderIdGenerator({ prefix: '9', maxLength: 24, pattern: /^\d+$/, digits: '0123456789' });
    expect(numeric.next()).toMatch(/^\d{19,24}$/);
  });
});
