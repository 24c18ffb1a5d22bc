import type { Rng } from './rng.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- mutating arbitrary JSON */

/** `[[[…1…]]]` or `{"a":{"a":…}}` nested `depth` levels: the shape that overflowed stacks. */
export function deepJson(depth: number, object = false): string {
  return object ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** Values an exchange or a client should never send, each a known way to break a parser. */
function hostileValue(rng: Rng): unknown {
  switch (rng.int(0, 22)) {
    case 0: return '1e99999999999999999';
    case 1: return '-1e99999999999999999';
    case 2: return 'NaN';
    case 3: return 'Infinity';
    case 4: return '-0.00000001';
    case 5: return '';
    case 6: return null;
    case 7: return rng.int(-(2 ** 31), 2 ** 31);
    case 8: return Number.MAX_SAFE_INTEGER * rng.int(1, 1000);
    case 9: return -rng.next() * 1e12;
    case 10: return 'x'.repeat(rng.int(1, 70_000));
    case 11: return JSON.parse(deepJson(rng.int(10, 1_500), rng.chance(0.5)));
    case 12: return { toString: 'not a function', valueOf: 1 };
    case 13: return ['1', '2', '3'];
    case 14: return true;
    case 15: return '%E0%A4%A';
    case 16: return '\u0000\uD800';
    case 17: return String(rng.next() * 10 ** rng.int(-20, 30));
    case 18: return { __proto__: { polluted: true }, constructor: 'x' };
    case 19: return [];
    case 20: return {};
    case 21: return '0';
    default: return rng.chance(0.5) ? 'BTCUSDT' : 'BTC-USDT';
  }
}

/** One structural or value mutation of a copy of `value` (keys dropped, added, retyped, values made hostile). */
export function mutateJson(value: unknown, rng: Rng, rounds = 1 + Math.floor(rng.next() * 3)): unknown {
  let out: any = structuredClone(value);
  for (let i = 0; i < rounds; i++) out = mutateOnce(out, rng, 0);
  return out;
}

function mutateOnce(value: any, rng: Rng, depth: number): any {
  if (value === null || typeof value !== 'object' || depth > 6 || rng.chance(0.15)) return hostileValue(rng);
  const keys = Object.keys(value);
  if (keys.length === 0) return rng.chance(0.5) ? hostileValue(rng) : value;
  const key = rng.pick(keys);
  const action = rng.int(0, 5);
  if (action === 0) {
    if (Array.isArray(value)) value.splice(Number(key), 1);
    else delete value[key];
  } else if (action === 1) {
    if (Array.isArray(value)) value.push(structuredClone(value[Number(key)]));
    else value[`${key}${rng.int(0, 9)}`] = hostileValue(rng);
  } else {
    value[key] = mutateOnce(value[key], rng, depth + 1);
  }
  return value;
}

/** A byte-level mutation of a text: truncation, flipped or inserted characters, duplicated slices. */
export function mutateText(text: string, rng: Rng): string {
  if (text.length === 0) return rng.pick(['%', '{', '\u0000', ' ']);
  const at = rng.int(0, text.length - 1);
  switch (rng.int(0, 5)) {
    case 0: return text.slice(0, at);
    case 1: return text.slice(0, at) + String.fromCharCode(rng.int(0, 0xffff)) + text.slice(at + 1);
    case 2: return text.slice(0, at) + rng.pick(['%', '%zz', '%E0%A4', '"', '\\', '{', '[', ']', '}', ',', '&', '=', '+', '\r\n']) + text.slice(at);
    case 3: return text.slice(0, at) + text.slice(at, at + rng.int(1, 40)).repeat(rng.int(2, 50)) + text.slice(at);
    case 4: return text.replace(/[0-9]/g, () => String(rng.int(0, 9)));
    default: return text.split('').reverse().join('');
  }
}
