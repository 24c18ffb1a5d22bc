import { describe, expect, it } from 'vitest';
import { Decimal, DecimalParseError, floorToStep, toDecimal, toPositiveDecimal } from '../../src/core/decimal.js';

describe('toDecimal', () => {
  it('keeps the exchange string exactly', () => {
    expect(toDecimal('0.10000000').toString()).toBe('0.1');
    expect(toDecimal('0.1').plus(toDecimal('0.2')).toString()).toBe('0.3');
    expect(toDecimal('123456789.123456789').toFixed(9)).toBe('123456789.123456789');
  });

  it('refuses floats, NaN, infinities and junk with the field name', () => {
    for (const bad of [0.1, Number.NaN, Infinity, 'abc', '', '1e', null, undefined, {}, '0x10']) {
      expect(() => toDecimal(bad, 'price')).toThrow(DecimalParseError);
    }
    expect(() => toDecimal('abc', 'price')).toThrow(/price/);
  });

  it('refuses strings that read as Infinity, absurd exponents and hostile lengths', () => {
    for (const bad of ['1e99999999999999999', '-1e99999999999999999', '1e1001', '1e-1001', '1'.repeat(129)]) {
      expect(() => toDecimal(bad, 'free')).toThrow(DecimalParseError);
    }
    expect(() => toDecimal('9'.repeat(1 << 20), 'price')).toThrow(/1048576 characters/);
    expect(toDecimal('0e99999').isZero()).toBe(true);
    expect(toDecimal('1e1000').e).toBe(1000);
  });

  it('accepts safe integers and Decimals', () => {
    expect(toDecimal(5).toString()).toBe('5');
    expect(toDecimal(new Decimal('2.5')).toString()).toBe('2.5');
  });

  it('requires positive values where asked', () => {
    expect(() => toPositiveDecimal('0', 'amount')).toThrow(/amount/);
    expect(() => toPositiveDecimal('-1', 'amount')).toThrow(DecimalParseError);
    expect(toPositiveDecimal('0.001', 'amount').toString()).toBe('0.001');
  });
});

describe('floorToStep', () => {
  it('floors to a multiple of the step', () => {
    expect(floorToStep(new Decimal('1.23456'), new Decimal('0.01')).toString()).toBe('1.23');
    expect(floorToStep(new Decimal('7'), new Decimal('5')).toString()).toBe('5');
    expect(floorToStep(new Decimal('7'), new Decimal('0')).toString()).toBe('7');
  });
});
