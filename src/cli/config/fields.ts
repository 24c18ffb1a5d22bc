import { z } from 'zod';
import { Decimal } from '../../core/decimal.js';
import { isTradingPair } from '../../core/trading-pair.js';

/**
 * zod fields for the config file whose every refusal says what is allowed and what was given:
 * `must be <allowed>, got <value>`. The loader prefixes the field's path.
 */

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a section';
  return JSON.stringify(value);
}

function field<T>(allowed: string, read: (value: unknown) => T | undefined) {
  return z.unknown().transform((value, ctx): T => {
    const out = value === undefined || value === null ? undefined : read(value);
    if (out === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be ${allowed}, got ${show(value)}` });
      return z.NEVER;
    }
    return out;
  });
}

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface DecimalBounds {
  /** Above this. */
  gt?: string;
  /** At least this. */
  gte?: string;
  /** Below this. */
  lt?: string;
  /** At most this. */
  lte?: string;
}

function describeBounds(b: DecimalBounds): string {
  const parts = [
    b.gt !== undefined && `above ${b.gt}`,
    b.gte !== undefined && `at least ${b.gte}`,
    b.lt !== undefined && `below ${b.lt}`,
    b.lte !== undefined && `at most ${b.lte}`,
  ].filter(Boolean);
  return parts.length > 0 ? ` ${parts.join(' and ')}` : '';
}

/**
 * An exact decimal: a string such as "0.001", or a number written in the file (read from its text,
 * never through a float: the loader hands numbers with a fraction over as their source text).
 */
export function decimalField(bounds: DecimalBounds = {}) {
  return field(`a decimal number${describeBounds(bounds)} (such as "0.001")`, (value) => {
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== 'string' || !DECIMAL_TEXT.test(text.trim())) return undefined;
    const d = new Decimal(text.trim());
    if (bounds.gt !== undefined && !d.gt(bounds.gt)) return undefined;
    if (bounds.gte !== undefined && !d.gte(bounds.gte)) return undefined;
    if (bounds.lt !== undefined && !d.lt(bounds.lt)) return undefined;
    if (bounds.lte !== undefined && !d.lte(bounds.lte)) return undefined;
    return d;
  });
}

export function integerField(min: number, max: number, unit = '') {
  return field(`a whole number from ${min} to ${max}${unit ? ` ${unit}` : ''}`, (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined,
  );
}

/** A duration in milliseconds: 1 ms to a day. */
export function millisField() {
  return integerField(1, 86_400_000, 'milliseconds');
}

export function enumField<const T extends string>(values: readonly T[]) {
  return field(`one of ${values.join(', ')}`, (value) => (values.includes(value as T) ? (value as T) : undefined));
}

export function booleanField() {
  return field('true or false', (value) => (typeof value === 'boolean' ? value : undefined));
}

export function textField() {
  return field('a non-empty text', (value) => (typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined));
}

export function tradingPairField() {
  return field('a trading pair BASE-QUOTE in capitals (such as BTC-USDT)', (value) => (isTradingPair(value) ? value : undefined));
}

/** An http(s) URL without path, query or credentials (a REST base such as http://127.0.0.1:8090). */
export function httpUrlField() {
  return field('an http:// or https:// address such as http://127.0.0.1:8090', (value) => {
    if (typeof value !== 'string') return undefined;
    return readHttpBase(value);
  });
}

/** `http://host:port` from what a user typed, or undefined when it is not an http(s) base address. */
export function readHttpBase(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) return undefined;
  if (url.pathname !== '/' && url.pathname !== '') return undefined;
  return url.origin;
}

/** A section whose unknown keys are refused, listing the keys it knows. */
export function section<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}; allowed: ${known}`;
      if (issue.code === 'invalid_type') return `must be a section with the fields ${known}, got ${show(issue.input)}`;
      return undefined;
    },
  });
}
