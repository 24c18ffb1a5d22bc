import { z } from 'zod';
import { toDecimal, type Decimal } from './decimal.js';
import { InvalidArgumentError } from './errors.js';

/**
 * Reading venuekit's own JSON back (saved orders, fills, fees). Decimals are written as strings so
 * no float ever touches a saved amount; reading them back goes through `toDecimal`.
 */

/** Raised when saved data cannot be read: `field` is the dotted path of the first bad field. */
export class MalformedDataError extends InvalidArgumentError {
  constructor(
    readonly what: string,
    field: string,
    detail: string,
    readonly value: unknown,
  ) {
    super(`malformed ${what}: ${field === '' ? 'the value' : `field "${field}"`} ${detail} (got ${preview(value)})`, field);
  }
}

function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A decimal written as a string (or a safe integer), read back as an exact Decimal. */
export const decimalJSON = z.union([z.string(), z.number()]).transform((value, ctx): Decimal => {
  try {
    return toDecimal(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not a finite decimal string' });
    return z.NEVER;
  }
});

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Parses `data` with `schema`, turning the first problem into a MalformedDataError naming the field. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const value = valueAt(data, issue.path);
  const detail =
    issue.path.length === 0
      ? `is not what was expected (${issue.message.replace(/^Invalid input: /, '')})`
      : value === undefined
        ? 'is missing'
        : issue.message.replace(/^Invalid input: /, '');
  throw new MalformedDataError(what, field, detail, value);
}

/** JSON.parse with the same kind of error as a bad field, for text read from a file or a database. */
export function parseJSONText(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new MalformedDataError(what, '', `is not valid JSON: ${(err as Error).message}`, text);
  }
}
