const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CODES: number[] = new Array<number>(22).fill(0);

/**
 * Client order ids for orders and cancels sent without one: 22 characters of [A-Za-z0-9], the shape
 * Binance generates. Deterministic from a seed so a seeded simulator run repeats itself.
 */
export class ClientIdGenerator {
  private state: number;

  constructor(seed = 0x9e3779b9) {
    this.state = seed >>> 0 || 1;
  }

  next(): string {
    const codes = CODES;
    let s = this.state;
    for (let i = 0; i < 22; i++) {
      // xorshift32: cheap and good enough for ids that only need to differ.
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      codes[i] = ALPHABET.charCodeAt((s >>> 0) % 62);
    }
    this.state = s >>> 0 || 1;
    return String.fromCharCode(...codes);
  }
}

/**
 * The generated client order id of order `orderId` in a market salted with `salt`: computed, not
 * stored, so orders sent without an id cost nothing until someone reads it.
 */
export function generatedClientId(salt: number, orderId: number): string {
  const gen = new ClientIdGenerator((Math.imul(salt ^ 0x5bd1e995, 0x01000193) ^ Math.imul(orderId, 0x9e3779b1) ^ Math.floor(orderId / 4294967296)) >>> 0);
  return gen.next();
}

/** A 32-bit hash of a string (FNV-1a), to salt generated ids per market and seed. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
