import { describe, expect, it } from 'vitest';
import { settingsFrom } from '../../src/cli/config/schema.js';
import { resolveVenue, storeKeyFor, UsageError } from '../../src/cli/venue/venue.js';
import { demoCredentials } from '../../src/simulator/index.js';

const settings = settingsFrom({});

describe('venues', () => {
  it('--exchange-url: the config’s key, else the demo key of the config’s simSeed', () => {
    const demo = resolveVenue({ exchangeUrl: 'http://127.0.0.1:8090/' }, settings, {})!;
    expect(demo).toMatchObject({ kind: 'url', simulator: true, storeKey: 'binance@http://127.0.0.1:8090', ...demoCredentials(1) });
    expect(demo.urls).toEqual({ restUrl: 'http://127.0.0.1:8090', wsApiUrl: 'ws://127.0.0.1:8090/ws-api/v3', streamUrl: 'ws://127.0.0.1:8090/ws' });
    const seeded = resolveVenue({ exchangeUrl: 'http://127.0.0.1:8090' }, settingsFrom({ exchange: { simSeed: 5 } }), {})!;
    expect(seeded.apiKey).toBe(demoCredentials(5).apiKey);
    const keyed = resolveVenue({}, settingsFrom({ exchange: { url: 'http://localhost:9000', apiKey: 'k', apiSecret: 's' } }), {})!;
    expect(keyed).toMatchObject({ apiKey: 'k', apiSecret: 's', storeKey: 'binance@http://localhost:9000' });
    expect(() => resolveVenue({}, settingsFrom({ exchange: { url: 'http://localhost:9000', apiKey: 'k' } }), {})).toThrow(/sets only one of exchange.apiKey and exchange.apiSecret/);
    expect(resolveVenue({}, settings, { BINANCE_API_KEY: 'k', BINANCE_API_SECRET: 's' })).toBeUndefined();
  });

  it('--live takes its keys from the environment only', () => {
    const env = { BINANCE_API_KEY: ' key ', BINANCE_API_SECRET: 'secret' };
    expect(resolveVenue({ live: true }, settings, env)).toMatchObject({ kind: 'live', apiKey: 'key', apiSecret: 'secret', storeKey: 'binance', simulator: false });
    expect(resolveVenue({ live: true }, settings, env)!.urls.restUrl).toBe('https://api.binance.com');
    const testnet = resolveVenue({ live: true, testnet: true }, settings, env)!;
    expect(testnet).toMatchObject({ kind: 'testnet', storeKey: 'binance-testnet' });
    expect(testnet.urls.restUrl).toBe('https://testnet.binance.vision');
    expect(() => resolveVenue({ live: true }, settings, { BINANCE_API_KEY: 'k' })).toThrow(/BINANCE_API_SECRET is not set/);
    expect(() => resolveVenue({ live: true }, settingsFrom({ exchange: { apiKey: 'k', apiSecret: 's' } }), env)).toThrow(UsageError);
    expect(() => resolveVenue({ live: true }, settingsFrom({ exchange: { url: 'http://127.0.0.1:1' } }), env)).toThrow(/--live trades on Binance only/);
  });

  it('the store key needs no keys (history)', () => {
    expect(storeKeyFor({ live: true }, settings)).toBe('binance');
    expect(storeKeyFor({ live: true, testnet: true }, settings)).toBe('binance-testnet');
    expect(storeKeyFor({ exchangeUrl: 'http://127.0.0.1:8090' }, settings)).toBe('binance@http://127.0.0.1:8090');
    expect(storeKeyFor({}, settings)).toBeUndefined();
    expect(() => storeKeyFor({ testnet: true }, settings)).toThrow(/add --live/);
  });
});
