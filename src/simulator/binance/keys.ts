import { randomBytes } from 'node:crypto';
import type { SeededRandom } from '../random.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An API key of the simulated exchange: HMAC-SHA256, bound to one account. */
export interface ApiKey {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly accountId: number;
  /** Whether the key may place and cancel orders (TRADE endpoints). */
  canTrade: boolean;
}

export interface NewKeyOptions {
  canTrade?: boolean;
  /** Use these instead of generated values (tests, documented check values). */
  apiKey?: string;
  apiSecret?: string;
}

/** The API keys of every account. */
export class KeyStore {
  private readonly keys = new Map<string, ApiKey>();

  /** Creates a key for `accountId`: 64 random characters each, like Binance's, or drawn from `random` when given. */
  create(accountId: number, options: NewKeyOptions = {}, random?: SeededRandom): ApiKey {
    const apiKey = options.apiKey ?? token(64, random);
    if (this.keys.has(apiKey)) throw new RangeError('an API key with this value already exists');
    if (!/^[A-Za-z0-9]{1,128}$/.test(apiKey)) throw new RangeError('an API key must be 1 to 128 letters and digits');
    const key: ApiKey = { apiKey, apiSecret: options.apiSecret ?? token(64, random), accountId, canTrade: options.canTrade ?? true };
    this.keys.set(apiKey, key);
    return key;
  }

  get(apiKey: string): ApiKey | undefined {
    return this.keys.get(apiKey);
  }

  revoke(apiKey: string): boolean {
    return this.keys.delete(apiKey);
  }

  forAccount(accountId: number): ApiKey[] {
    return [...this.keys.values()].filter((k) => k.accountId === accountId);
  }
}

function token(length: number, random?: SeededRandom): string {
  let out = '';
  if (random) {
    for (let i = 0; i < length; i++) out += ALPHABET[random.int(0, ALPHABET.length - 1)];
    return out;
  }
  const bytes = randomBytes(length);
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i] as number) % ALPHABET.length];
  return out;
}
