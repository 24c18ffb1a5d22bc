import { describe, expect, it } from 'vitest';
import {
  formatScaled,
  MALFORMED,
  OFF_UNIT,
  OVERFLOW,
  parseScaled,
  parseScaledBig,
  TOO_PRECISE,
  floorDiv,
} from '../../../src/simulator/engine/fixed.js';
import { commissionOf } from '../../../src/simulator/engine/account.js';

describe('parseScaled', () => {
  it('reads plain decimals at a scale, ignoring trailing zeros', () => {
    expect(parseScaled('65000.01', 2, 8)).toBe(6_500_001);
    expect(parseScaled('65000.01000000', 2, 8)).toBe(6_500_001);
    expect(parseScaled('1', 5, 8)).toBe(100_000);
    expect(parseScaled('.5', 1, 8)).toBe(5);
    expect(parseScaled('5.', 0, 8)).toBe(5);
    expect(parseScaled('0.00000000', 2, 8)).toBe(0);
  });

  it('tells malformed, too precise, off-unit and overflowing values apart', () => {
    for (const bad of ['', '.', '-1', '1e5', '1,5', ' 1', '1.2.3', 'abc']) expect(parseScaled(bad, 2, 8)).toBe(MALFORMED);
    expect(parseScaled('0.000000001', 2, 8)).toBe(TOO_PRECISE);
    expect(parseScaled('1.001', 2, 8)).toBe(OFF_UNIT);
    expect(parseScaled('99999999999999999999', 2, 8)).toBe(OVERFLOW);
  });

  it('reads big amounts exactly as bigint', () => {
    expect(parseScaledBig('123456789012345678.12345678', 8, 8)).toBe(12345678901234567812345678n);
    expect(parseScaledBig('1.5', 8, 8)).toBe(150_000_000n);
    expect(parseScaledBig('1.123456789', 8, 8)).toBe(TOO_PRECISE);
    expect(parseScaledBig('x', 8, 8)).toBe(MALFORMED);
  });
});

describe('formatScaled', () => {
  it('prints zero-padded to the given decimals', () => {
    expect(formatScaled(6_500_001, 2, 8)).toBe('65000.01000000');
    expect(formatScaled(5, 5, 8)).toBe('0.00005000');
    expect(formatScaled(0, 2, 8)).toBe('0.00000000');
    expect(formatScaled(12n, 0, 8)).toBe('12.00000000');
    expect(formatScaled(-150, 2, 2)).toBe('-1.50');
    expect(formatScaled(7, 0, 0)).toBe('7');
  });
});

describe('integer arithmetic', () => {
  it('floorDiv is exact where the float quotient rounds across an integer', () => {
    const a = 2 ** 53 - 1;
    expect(floorDiv(a, 1e8)).toBe(Number(BigInt(a) / 100_000_000n));
    expect(floorDiv(99_999_999, 1e8)).toBe(0);
    expect(floorDiv(1e8, 1e8)).toBe(1);
  });

  it('commission rounds half up and stays exact for any safe amount', () => {
    expect(commissionOf(1000, 100_000)).toBe(1); // 1000 x 0.001
    expect(commissionOf(500, 100_000)).toBe(1); // 0.5 rounds up
    expect(commissionOf(499, 100_000)).toBe(0);
    const big = 2 ** 53 - 1;
    const exact = (BigInt(big) * 75_000n + 50_000_000n) / 100_000_000n;
    expect(commissionOf(big, 75_000)).toBe(Number(exact));
  });
});
