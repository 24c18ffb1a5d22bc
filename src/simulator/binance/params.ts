import type { BinanceError} from './errors.js';
import { errors } from './errors.js';

const INTEGER = /^-?\d{1,19}$/;
const DECIMAL = /^\d{1,20}(\.\d{1,20})?$/;

/**
 * The parameters of one request as strings, read the Binance way: each reader validates with
 * Binance's error for that parameter, and every name read is remembered so unread (unknown)
 * parameters can be refused as Binance does (-1104).
 */
export class Params {
  private readonly read = new Set<string>();

  constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** Parses `a=1&b=2` as application/x-www-form-urlencoded; a name given twice is -1101. */
  static parseForm(text: string, into = new Map<string, string>()): Map<string, string> {
    if (text.length === 0) return into;
    const seen = new Set<string>();
    for (const part of text.split('&')) {
      if (part.length === 0) continue;
      const eq = part.indexOf('=');
      const name = decode(eq < 0 ? part : part.slice(0, eq));
      const value = eq < 0 ? '' : decode(part.slice(eq + 1));
      if (seen.has(name)) throw errors.tooManyParameters();
      seen.add(name);
      into.set(name, value);
    }
    return into;
  }

  /** Query string and body together; the query string wins when both carry a name (as on Binance). */
  static fromRequest(rawQuery: string, rawBody: string): Params {
    const values = Params.parseForm(rawBody);
    for (const [k, v] of Params.parseForm(rawQuery)) values.set(k, v);
    return new Params(values);
  }

  has(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined && v !== '';
  }

  /** An optional string; empty counts as absent. */
  optional(name: string): string | undefined {
    this.read.add(name);
    const v = this.values.get(name);
    return v === undefined || v === '' ? undefined : v;
  }

  required(name: string): string {
    const v = this.optional(name);
    if (v === undefined) throw errors.mandatory(name);
    return v;
  }

  /** A whole number (Binance LONG / INT). */
  integer(name: string, options: { min?: number; max?: number } = {}): number | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    if (!INTEGER.test(v)) throw errors.illegalChars(name, '^[0-9]{1,20}$');
    const n = Number(v);
    if (!Number.isSafeInteger(n) || (options.min !== undefined && n < options.min)) throw errors.illegalChars(name, '^[0-9]{1,20}$');
    if (options.max !== undefined && n > options.max) throw errors.tooLarge(name, String(options.max));
    return n;
  }

  /** A plain decimal string, validated but kept as sent for the engine to read exactly. */
  decimal(name: string): string | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    if (!DECIMAL.test(v)) throw errors.illegalDecimal(name);
    return v;
  }

  /** One of `allowed`, or `invalid()` (Binance has a dedicated code for several enums). */
  oneOf<T extends string>(name: string, allowed: readonly T[], invalid?: () => BinanceError): T | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) throw invalid ? invalid() : errors.illegalChars(name, allowed.join(', '));
    return v as T;
  }

  boolean(name: string): boolean | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') throw errors.illegalChars(name, 'true, false');
    return v === 'true';
  }

  /** A JSON array of strings, as `symbols=["BTCUSDT","ETHUSDT"]`. */
  stringArray(name: string): string[] | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw errors.invalidJson(name);
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw errors.invalidJson(name);
    return parsed as string[];
  }

  /** Marks names as read without reading them (the security parameters). */
  accept(...names: string[]): void {
    for (const n of names) this.read.add(n);
  }

  /** Refuses parameters the endpoint did not read (Binance -1104). */
  assertAllRead(): void {
    let unread = 0;
    for (const name of this.values.keys()) if (!this.read.has(name)) unread++;
    if (unread > 0) throw errors.unreadParameters(this.values.size - unread, this.values.size);
  }

  /** All names and values, for WebSocket API signature checks and logs. */
  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }
}

function decode(text: string): string {
  // Most names and values need no decoding: skip the work for them.
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw errors.illegalChars('query', 'percent-encoded UTF-8');
  }
}
