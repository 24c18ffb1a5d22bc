import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors } from './errors.js';

/** HMAC-SHA256 of `payload` with `secret`, lowercase hex: Binance's HMAC signature. */
export function hmacSha256Hex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/**
 * Splits the `signature=` pair out of a raw (still percent-encoded) query string or body, keeping
 * every other byte as received: the signed payload is exactly what the client sent, never a
 * re-encoding of decoded values (clients escape `[ ] , "` differently).
 */
export function withoutSignature(raw: string): { payload: string; signature: string | null } {
  if (raw.length === 0) return { payload: raw, signature: null };
  const parts = raw.split('&');
  let signature: string | null = null;
  const kept: string[] = [];
  for (const part of parts) {
    if (part.startsWith('signature=')) signature = part.slice('signature='.length);
    else kept.push(part);
  }
  return { payload: kept.join('&'), signature };
}

/** The REST payload Binance signs: the query string and the body, concatenated with nothing between. */
export function restPayload(rawQuery: string, rawBody: string): { payload: string; signature: string | null } {
  const q = withoutSignature(rawQuery);
  const b = withoutSignature(rawBody);
  return { payload: q.payload + b.payload, signature: q.signature ?? b.signature };
}

/** Compares signatures case-insensitively (HMAC hex) in constant time. */
export function signatureMatches(expectedHex: string, given: string): boolean {
  const a = Buffer.from(expectedHex.toLowerCase());
  const b = Buffer.from(given.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws -1022 unless `signature` is the HMAC of `payload`. */
export function verifySignature(secret: string, payload: string, signature: string): void {
  if (!signatureMatches(hmacSha256Hex(secret, payload), signature)) throw errors.badSignature();
}

/** The WebSocket API payload: every parameter but `signature`, sorted by name, `k=v` joined by `&`, unencoded. */
export function sortedPayload(params: Iterable<[string, string]>): string {
  return [...params]
    .filter(([k]) => k !== 'signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}
