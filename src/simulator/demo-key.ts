import { KeyStore } from './binance/keys.js';
import { SeededRandom } from './random.js';

/** The stream of the simulator's seeded generator that the admin draws API keys from. */
export const ADMIN_RANDOM_STREAM = 7;

export function adminRandom(seed: number): SeededRandom {
  return new SeededRandom(seed).fork(ADMIN_RANDOM_STREAM);
}

/**
 * The demo account's API key and secret of a simulator started with `seed`: the admin draws keys
 * from the seed and the demo account's is the first it makes. So a client of a separate
 * `venuekit sim --seed N` can find the demo key without copying it.
 */
export function demoCredentials(seed: number): { apiKey: string; apiSecret: string } {
  const key = new KeyStore().create(0, {}, adminRandom(seed));
  return { apiKey: key.apiKey, apiSecret: key.apiSecret };
}
