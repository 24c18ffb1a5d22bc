import { InvalidArgumentError } from '../errors.js';

/** A level the book cannot read (not a plain decimal, a zero price, too many digits). The book is left unchanged. */
export class BookDataError extends InvalidArgumentError {}

/** Exact powers of ten up to 1e22, the largest a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** A double tells apart any two decimals of at most 15 significant digits; beyond, two prices could share a key. */
const MAX_SIGNIFICANT_DIGITS = 15;

/**
 * Reads a price string (`"30000.12000000"`) as a number that sorts the levels. Only plain decimals
 * are accepted (digits with at most one dot: what exchanges send); the result equals `parseFloat`,
 * because both numerator and power of ten are exact and their quotient is correctly rounded. The
 * scan validates and converts in one pass, faster than `parseFloat` on these strings.
 * Returns NaN for anything else, including zero and prices a double cannot keep distinct.
 */
export function priceKey(s: string): number {
  const n = s.length;
  let value = 0;
  let dot = -1;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) {
      value = value * 10 + c;
      digits++;
    } else if (c === -2 && dot < 0) {
      dot = i;
    } else {
      return NaN;
    }
  }
  if (digits > MAX_SIGNIFICANT_DIGITS) return longPriceKey(s);
  if (digits === 0 || value === 0) return NaN;
  return dot < 0 ? value : value / POW10[n - 1 - dot]!;
}

/** More than 15 digits in all: fine when the extra ones are leading or trailing zeros. */
function longPriceKey(s: string): number {
  const trimmed = s.includes('.') ? s.replace(/0+$/, '') : s;
  const significant = trimmed.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  if (significant.length === 0 || significant.length > MAX_SIGNIFICANT_DIGITS) return NaN;
  return Number(s);
}

/** `amountKind` results. */
export const AMOUNT_ZERO = 0;
export const AMOUNT_POSITIVE = 1;
export const AMOUNT_INVALID = -1;

/**
 * Classifies an amount string without converting it: zero (the level is removed), positive, or not a
 * plain decimal. Amounts are never used as numbers inside the book, so this one scan is all it needs.
 */
export function amountKind(s: string): number {
  const n = s.length;
  let digits = 0;
  let nonZero = 0;
  let i = 0;
  // integer part, then the fraction after one dot: two tight loops, no dot flag to test per char
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c === -2) break;
    if (c < 0 || c > 9) return AMOUNT_INVALID;
    nonZero |= c;
    digits++;
  }
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return AMOUNT_INVALID;
    nonZero |= c;
    digits++;
  }
  if (digits === 0) return AMOUNT_INVALID;
  return nonZero === 0 ? AMOUNT_ZERO : AMOUNT_POSITIVE;
}

export function invalidLevel(side: string, entry: unknown): BookDataError {
  return new BookDataError(
    `order book ${side} level ${JSON.stringify(entry)}: expected [price, amount] as plain decimal strings, a positive price of at most ${MAX_SIGNIFICANT_DIGITS} significant digits`,
    side,
  );
}
