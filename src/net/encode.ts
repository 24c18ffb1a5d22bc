import type { Params } from './rest-types.js';

/** `k=v&...` in insertion order, percent-encoded, skipping undefined and null values. */
export function encodeParams(params: Params | undefined): string {
  if (!params) return '';
  let out = '';
  for (const key in params) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    if (out.length > 0) out += '&';
    out += `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
  }
  return out;
}
