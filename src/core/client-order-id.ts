import { randomInt } from 'node:crypto';
import { InvalidArgumentError } from './errors.js';

/** Digits in ascending character order, so fixed-width ids sort as their numbers do. */
export const BASE62_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** What an exchange accepts as a client order id. */
export interface ClientOrderIdRules {
  /** Marks this bot's orders (Binance broker ids start with `x-`). */
  readonly prefix: string;
  readonly maxLength: number;
  /** The exchange's rule for a whole id. Binance: /^[a-zA-Z0-9-_]{1,36}$/. */
  readonly pattern: RegExp;
}

export interface ClientOrderIdGeneratorOptions extends ClientOrderIdRules {
  /** Milliseconds. Default Date.now. */
  now?: () => number;
  /** The digits ids are written in, ascending; all must be allowed by `pattern`. Default BASE62_DIGITS. */
  digits?: string;
  /** Tells this process's ids apart from another's made in the same microsecond. Default: random. */
  instanceTag?: string;
  /** Preferred length of the random instance tag; shortened (to 2 at least) to fit maxLength. Default 4. */
  instanceTagLength?: number;
  /** The last id issued before a restart (TrackingStore.latestClientOrderId): new ids sort after it even if the clock went back. */
  startAfter?: string;
}

/**
 * Client order ids: `prefix` + a fixed-width microsecond nonce + an instance tag.
 * - Monotonic: each id sorts after the previous one, as a string and as a number; the nonce
 *   advances by one when the clock has not moved (or moved back).
 * - Unique across restarts: the nonce is time-based, and `startAfter` covers a clock set back.
 * - Unique across processes: two processes collide only within the same microsecond and with the
 *   same random tag.
 * - Within the exchange's length and alphabet, checked when the generator is made.
 */
export class ClientOrderIdGenerator {
  readonly prefix: string;
  readonly instanceTag: string;
  private readonly digits: string;
  private readonly width: number;
  private readonly now: () => number;
  private last = 0;

  constructor(options: ClientOrderIdGeneratorOptions) {
    this.prefix = options.prefix;
    this.digits = options.digits ?? BASE62_DIGITS;
    this.now = options.now ?? Date.now;
    const base = this.digits.length;
    if (base < 2 || [...this.digits].some((c, i) => i > 0 && c <= this.digits[i - 1]!)) {
      throw new InvalidArgumentError('client order ids: digits must be at least two distinct characters in ascending order', 'digits');
    }
    this.width = Math.ceil(Math.log(Number.MAX_SAFE_INTEGER) / Math.log(base));
    const room = options.maxLength - this.prefix.length - this.width;
    const tagLength = options.instanceTag?.length ?? Math.min(options.instanceTagLength ?? 4, room);
    if (room < Math.max(2, options.instanceTag?.length ?? 2)) {
      throw new InvalidArgumentError(
        `client order ids: prefix "${this.prefix}" leaves ${room} characters of ${options.maxLength} for the instance tag (needs 2 or more after a ${this.width}-digit nonce)`,
        'prefix',
      );
    }
    this.instanceTag = options.instanceTag ?? Array.from({ length: tagLength }, () => this.digits[randomInt(base)]).join('');
    for (const c of new Set([...this.digits, ...this.instanceTag])) {
      const sample = `${this.prefix}${c.repeat(this.width)}${this.instanceTag}`;
      if (!options.pattern.test(sample)) {
        throw new InvalidArgumentError(`client order ids: "${sample}" does not match the exchange's rule ${String(options.pattern)}`, 'pattern');
      }
    }
    if (options.startAfter !== undefined) this.last = this.nonceOf(options.startAfter) ?? 0;
  }

  /** A new id, after every id this generator (or `startAfter`) issued. */
  next(): string {
    const micros = Math.floor(this.now()) * 1000;
    this.last = Math.max(micros, this.last + 1);
    return `${this.prefix}${this.encode(this.last)}${this.instanceTag}`;
  }

  /** Whether `id` has this generator's prefix and layout (an order of this bot, from any run). */
  owns(id: string): boolean {
    return this.nonceOf(id) !== undefined;
  }

  /** The nonce inside one of our ids, or undefined for another id. */
  nonceOf(id: string): number | undefined {
    if (!id.startsWith(this.prefix) || id.length < this.prefix.length + this.width + 2) return undefined;
    let n = 0;
    for (const c of id.slice(this.prefix.length, this.prefix.length + this.width)) {
      const digit = this.digits.indexOf(c);
      if (digit < 0) return undefined;
      n = n * this.digits.length + digit;
    }
    return Number.isSafeInteger(n) ? n : undefined;
  }

  private encode(n: number): string {
    let out = '';
    for (let i = 0; i < this.width; i++) {
      out = this.digits[n % this.digits.length]! + out;
      n = Math.floor(n / this.digits.length);
    }
    return out;
  }
}
