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
    if (!DECIMAL_STRING.test(s)) throw new DecimalParseError(field, value);
    return new Decimal(s);
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return new Decimal(value);
  if (typeof value === 'bigint') return new Decimal(value.toString());
  throw new DecimalParseError(field, value);
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
