/**
 * Fixed-point reading and printing for the engine. Prices and quantities live inside the engine as
 * whole numbers of a per-market unit (ticks, lots), money (balances, notionals, fees) as whole
 * numbers of an asset's smallest unit. All are JS numbers holding safe integers: the engine keeps
 * each asset's total supply below 2^53 units, so no balance or amount can leave that range, and the
 * few products that can (price x quantity of an absurd order) are computed in bigint.
 * These helpers turn decimal strings into those integers and back, exactly, never through a float.
 */

/** Reasons a decimal string cannot become a scaled integer. All negative, so they never collide with a value. */
export const MALFORMED = -1;
/** More significant decimals than the asset allows (Binance -1111). */
export const TOO_PRECISE = -2;
/** Fits the asset's precision but not the unit: not a whole number of units (a filter failure). */
export const OFF_UNIT = -3;
/** Larger than a safe integer at this scale. */
export const OVERFLOW = -4;

export type ParseFailure = typeof MALFORMED | typeof TOO_PRECISE | typeof OFF_UNIT | typeof OVERFLOW;

const ZERO_CODE = 48;
const DOT_CODE = 46;
const POW10: number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
const POW10N: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

export function pow10(n: number): number {
  return POW10[n] ?? 10 ** n;
}

export function pow10n(n: number): bigint {
  return POW10N[n] ?? 10n ** BigInt(n);
}

/**
 * Reads a plain non-negative decimal ("123", "0.0100", ".5") as a whole number of 10^-scale units.
 * Trailing zeros never count as precision. Returns a negative failure code instead of throwing, so
 * rejecting a bad order costs nothing.
 *
 * @param maxDecimals significant decimals allowed at all (the asset precision)
 */
export function parseScaled(text: string, scale: number, maxDecimals: number): number {
  const n = text.length;
  if (n === 0 || n > 64) return MALFORMED;
  let value = 0;
  let i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i) - ZERO_CODE;
    if (c === DOT_CODE - ZERO_CODE) break;
    if (c < 0 || c > 9) return MALFORMED;
    value = value * 10 + c;
  }
  const intDigits = i;
  let fracLen = 0;
  if (i < n) {
    for (let j = i + 1; j < n; j++) {
      const c = text.charCodeAt(j) - ZERO_CODE;
      if (c < 0 || c > 9) return MALFORMED;
    }
    if (intDigits === 0 && n === i + 1) return MALFORMED; // "."
    // Trailing zeros are not precision: "1.500000" has one significant decimal.
    let fracEnd = n;
    while (fracEnd > i + 1 && text.charCodeAt(fracEnd - 1) === ZERO_CODE) fracEnd--;
    fracLen = fracEnd - i - 1;
    if (fracLen > maxDecimals) return TOO_PRECISE;
    if (fracLen > scale) return OFF_UNIT;
    for (let j = i + 1; j < fracEnd; j++) value = value * 10 + (text.charCodeAt(j) - ZERO_CODE);
  } else if (intDigits === 0) {
    return MALFORMED;
  }
  value *= pow10(scale - fracLen);
  if (!Number.isSafeInteger(value)) return OVERFLOW;
  return value;
}

/** Like parseScaled, for amounts that may exceed 2^53 units (balances, quote amounts). */
export function parseScaledBig(text: string, scale: number, maxDecimals: number): bigint | ParseFailure {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || text.length === 0 || text.length > 80 || text === '.') return MALFORMED;
  const intPart = m[1] ?? '';
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (intPart.length === 0 && (m[2] ?? '').length === 0) return MALFORMED;
  if (frac.length > maxDecimals) return TOO_PRECISE;
  if (frac.length > scale) return OFF_UNIT;
  return BigInt((intPart || '0') + frac.padEnd(scale, '0'));
}

const ZEROS = '0'.repeat(40);

/**
 * Prints `units` (a count of 10^-scale) with exactly `decimals` fraction digits, zero-padded the way
 * Binance prints numbers ("65000.00000000"). `decimals` must be at least `scale`.
 */
export function formatScaled(units: number | bigint, scale: number, decimals: number): string {
  let s = units.toString();
  let sign = '';
  if (s.charCodeAt(0) === 45) {
    sign = '-';
    s = s.slice(1);
  }
  if (scale === 0) return decimals === 0 ? sign + s : `${sign}${s}.${ZEROS.slice(0, decimals)}`;
  if (s.length <= scale) s = ZEROS.slice(0, scale - s.length + 1) + s;
  const cut = s.length - scale;
  const tail = decimals > scale ? ZEROS.slice(0, decimals - scale) : '';
  return `${sign}${s.slice(0, cut)}.${s.slice(cut)}${tail}`;
}

/** The number of significant decimals of a plain decimal string ("0.01000000" has 2). */
export function significantDecimals(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  let end = text.length;
  while (end > dot + 1 && text.charCodeAt(end - 1) === ZERO_CODE) end--;
  return end - dot - 1;
}

/** Integer division rounding up, for non-negative bigints. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** floor(a / b) for a non-negative safe integer `a` and a positive safe integer `b`, exactly. */
export function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  // The float quotient can round across an integer; step back onto the exact one.
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}

/** A bigint as a number, or Infinity when it is beyond the safe range (such amounts never fit a balance). */
export function toSafeNumber(value: bigint): number {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : Number.POSITIVE_INFINITY;
}
