import { Decimal as DecimalJs } from 'decimal.js';

/**
 * The one Decimal type of venuekit. Every price, amount, fee and balance is one of these, parsed
 * from the exchange's own strings. A separate clone keeps venuekit's precision settings from
 * leaking into (or being changed by) other users of decimal.js in the same process.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
export type Decimal = InstanceType<typeof Decimal>;
export type DecimalInput = Decimal | string | number;

export const ZERO = new Decimal(0);

/** Thrown when a value cannot be read as a finite decimal. Names the field so the caller knows what was wrong. */
export class DecimalParseError extends Error {
  constructor(readonly field: string, readonly value: unknown) {
    super(`${field}: expected a finite decimal, got ${JSON.stringify(value)}`);
    this.name = 'DecimalParseError';
  }
}

const DECIMAL_STRING = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** No exchange writes a decimal this long; a longer string is hostile and would be kept at full length. */
const MAX_DECIMAL_LENGTH = 128;
/** Exponents past this are absurd for any price, amount or balance, and past decimal.js's range they read as Infinity. */
const MAX_ABS_EXPONENT = 1000;

/**
 * Parses an exchange string (or an existing Decimal) into a finite Decimal. Numbers are accepted
 * only when they are integers, because a float has already lost the exchange's exact value.
 */
export function toDecimal(value: unknown, field = 'value'): Decimal {
  if (Decimal.isDecimal(value)) {
    // A Decimal from another decimal.js constructor carries that constructor's precision: re-wrap it.
    const d = value instanceof Decimal ? value : new Decimal(value as Decimal);
    if (!d.isFinite()) throw new DecimalParseError(field, d.toString());
    return d;
  }
  if (typeof value === 'string') {
    const s = value.trim();
    if (s.length > MAX_DECIMAL_LENGTH || !DECIMAL_STRING.test(s)) throw new DecimalParseError(field, preview(value));
    const d = new Decimal(s);
    if (!d.isFinite() || (!d.isZero() && Math.abs(d.e) > MAX_ABS_EXPONENT)) throw new DecimalParseError(field, value);
    return d;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return new Decimal(value);
  if (typeof value === 'bigint') return new Decimal(value.toString());
  throw new DecimalParseError(field, value);
}

function preview(value: string): string {
  return value.length > MAX_DECIMAL_LENGTH ? `${value.slice(0, MAX_DECIMAL_LENGTH)}… (${value.length} characters)` : value;
}

/** Like toDecimal, and also requires the value to be above zero. */
export function toPositiveDecimal(value: unknown, field = 'value'): Decimal {
  const d = toDecimal(value, field);
  if (!d.gt(0)) throw new DecimalParseError(field, d.toString());
  return d;
}

/** Floors `value` to a whole multiple of `step` (a step of zero leaves it unchanged). */
export function floorToStep(value: Decimal, step: Decimal): Decimal {
  if (step.isZero()) return value;
  return value.div(step).floor().mul(step);
}
