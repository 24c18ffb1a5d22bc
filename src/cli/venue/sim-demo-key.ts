import { KeyStore } from '../../simulator/binance/keys.js';
import { SeededRandom } from '../../simulator/random.js';

/** The stream of the simulator's seeded generator its admin draws API keys from (startSimulator). */
const ADMIN_RANDOM_STREAM = 7;

/**
 * The demo account's API key and secret of a `venuekit sim` started with `--seed seed` (the
 * simulator draws them from its seed, and the demo account's key is the first it makes), so
 * `venuekit run --exchange-url` works against a default `venuekit sim` without copying keys.
 * test/cli/venue.test.ts checks this against a started simulator.
 */
export function simulatorDemoKey(seed: number): { apiKey: string; apiSecret: string } {
  const key = new KeyStore().create(0, {}, new SeededRandom(seed).fork(ADMIN_RANDOM_STREAM));
  return { apiKey: key.apiKey, apiSecret: key.apiSecret };
}
