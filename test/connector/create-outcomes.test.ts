import { describe, expect, it } from 'vitest';
import { CreateOutcomes } from '../../src/connector/create-outcomes.js';

describe('CreateOutcomes: when a not-found answer may count against an order', () => {
  it('never while the create is on its way', () => {
    const o = new CreateOutcomes();
    o.begin('a');
    expect(o.isSending('a')).toBe(true);
    expect(o.notFoundCounts('a', 10_000_000, 5_000)).toBe(false);
    expect(o.unknownCount).toBe(0);
  });

  it('after an unknown outcome, only once the exchange clock is past the failure time plus recvWindow', () => {
    const o = new CreateOutcomes();
    o.begin('a');
    o.unknown('a', 1_000, 5_000);
    expect(o.deadline('a')).toBe(6_000);
    expect(o.unknownCount).toBe(1);
    expect(o.notFoundCounts('a', 5_999, 5_000)).toBe(false);
    expect(o.notFoundCounts('a', 6_000, 5_000)).toBe(false);
    expect(o.notFoundCounts('a', 6_001, 5_000)).toBe(true);
    o.settle('a');
    expect(o.unknownCount).toBe(0);
  });

  it('restored orders get their deadline from the exchange clock when the network starts', () => {
    const o = new CreateOutcomes();
    o.restore('r');
    expect(o.notFoundCounts('r', 1e12, 5_000)).toBe(false);
    o.startClock(100_000, 5_000);
    expect(o.deadline('r')).toBe(105_000);
    expect(o.notFoundCounts('r', 105_001, 5_000)).toBe(true);
  });

  it('an order with no recorded create gets a deadline at its first not-found answer, never an earlier one', () => {
    const o = new CreateOutcomes();
    expect(o.notFoundCounts('x', 50_000, 5_000)).toBe(false);
    expect(o.notFoundCounts('x', 55_000, 5_000)).toBe(false);
    expect(o.notFoundCounts('x', 55_001, 5_000)).toBe(true);
  });
});
