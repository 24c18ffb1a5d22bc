import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { BinanceAuth, hmacSha256Hex, restSignaturePayload, wsSignaturePayload } from '../../../src/exchanges/binance/auth.js';
import { encodeParams } from '../../../src/net/encode.js';
import type { PreparedRequest } from '../../../src/net/rest-types.js';
import { runs } from '../../support/soak.js';

// The example key pair of Binance's signing documentation (REST and WebSocket API).
const DOC_API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const DOC_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const DOC_TIMESTAMP = 1499827319559;

function request(query: string, body?: string, method: PreparedRequest['method'] = 'POST'): PreparedRequest {
  return { method, path: '/api/v3/order', query, body, headers: { 'user-agent': 'test' } };
}

/** What Binance does with a signed request: drop the signature pair, concatenate raw query and body, HMAC. */
function verifyAsServer(secret: string, signed: PreparedRequest): boolean {
  const pairs = signed.query.split('&');
  const sig = pairs.find((p) => p.startsWith('signature='))?.slice('signature='.length);
  const payload = pairs.filter((p) => !p.startsWith('signature=')).join('&') + (signed.body ?? '');
  return sig !== undefined && sig === createHmac('sha256', secret).update(payload).digest('hex');
}

describe('REST signing (documented check values)', () => {
  const auth = new BinanceAuth(DOC_API_KEY, DOC_SECRET);

  it('signs the ASCII example to c8db5682…', () => {
    const signed = auth.sign(request('symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1'), DOC_TIMESTAMP);
    expect(signed.query).toBe(
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559' +
        '&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71',
    );
    expect(signed.headers['x-mbx-apikey']).toBe(DOC_API_KEY);
    expect(signed.headers['user-agent']).toBe('test');
  });

  it('signs the percent-encoded non-ASCII symbol (the 2026-01-15 rule) to e1353ec6…', () => {
    const query = encodeParams({ symbol: '１２３４５６', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '0.1' });
    expect(query.startsWith('symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&')).toBe(true);
    const signed = auth.sign(request(query), DOC_TIMESTAMP);
    expect(signed.query.endsWith('&signature=e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3')).toBe(true);
  });

  it('covers query then body with no separator (the mixed example, 0fd168b8…)', () => {
    const payload = restSignaturePayload(
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC',
      'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559',
    );
    expect(auth.signature(payload)).toBe('0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77');
    expect(hmacSha256Hex(DOC_SECRET, payload)).toBe('0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77');
  });

  it('puts timing in the query when everything else is in the body, and the server check passes', () => {
    const signed = auth.sign(request('', 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1'), DOC_TIMESTAMP);
    expect(signed.query.startsWith('recvWindow=5000&timestamp=1499827319559&signature=')).toBe(true);
    expect(signed.body).toBe('symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1');
    expect(verifyAsServer(DOC_SECRET, signed)).toBe(true);
  });

  it("keeps the request's own recvWindow and the configured one otherwise", () => {
    const own = auth.sign(request('symbol=X&recvWindow=100', undefined, 'GET'), 5);
    expect(own.query).toMatch(/^symbol=X&recvWindow=100&timestamp=5&signature=[0-9a-f]{64}$/);
    const configured = new BinanceAuth('k', 's', { recvWindowMs: 2500 }).sign(request('', undefined, 'GET'), 7.9);
    expect(configured.query).toMatch(/^recvWindow=2500&timestamp=7&signature=[0-9a-f]{64}$/);
  });

  it('refuses a request that already carries timestamp or signature, and bad timestamps', () => {
    expect(() => auth.sign(request('timestamp=1'), 5)).toThrow(InvalidArgumentError);
    expect(() => auth.sign(request('', 'a=1&signature=00'), 5)).toThrow(InvalidArgumentError);
    expect(() => auth.sign(request(''), Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => auth.sign(request(''), 0)).toThrow(InvalidArgumentError);
  });

  it('does not modify the request it was given', () => {
    const original = request('a=1', 'b=2');
    const copy = structuredClone(original);
    auth.sign(original, 5);
    expect(original).toEqual(copy);
  });

  it('signs exactly the bytes sent, whatever the parameters and however they are split (property)', () => {
    const name = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,11}$/).filter((n) => !['timestamp', 'signature', 'recvWindow'].includes(n));
    const value = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.stringMatching(/^\d{1,6}\.\d{1,8}$/));
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 8 }), fc.nat(8), fc.string({ minLength: 1, maxLength: 40 }), (params, split, secret) => {
        const entries = Object.entries(params);
        const query = encodeParams(Object.fromEntries(entries.slice(0, split)));
        const body = encodeParams(Object.fromEntries(entries.slice(split)));
        const signed = new BinanceAuth('key', secret).sign(request(query, body || undefined), 1_700_000_000_000);
        expect(verifyAsServer(secret, signed)).toBe(true);
        // what the exchange decodes is what the caller meant
        const decoded = new URLSearchParams(`${signed.query}&${signed.body ?? ''}`);
        for (const [k, v] of entries) expect(decoded.get(k)).toBe(v);
      }),
      { numRuns: runs(200, 20_000) },
    );
  });
});

describe('WebSocket API signing (documented check values)', () => {
  const auth = new BinanceAuth(DOC_API_KEY, DOC_SECRET, { recvWindowMs: 100 });

  it('signs the ASCII example to aa1b5712…, with apiKey and params sorted by name', () => {
    const params = { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01000000', price: '52000.00' };
    const signed = auth.signWsParams(params, 1645423376532);
    expect(wsSignaturePayload(signed)).toBe(
      `apiKey=${DOC_API_KEY}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT`,
    );
    expect(signed.signature).toBe('aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24');
    expect(signed).toMatchObject({ ...params, apiKey: DOC_API_KEY, recvWindow: 100, timestamp: 1645423376532 });
  });

  it('signs non-ASCII values unencoded (b33892ae…)', () => {
    const params = { symbol: '１２３４５６', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1.00000000', price: '0.10000000', recvWindow: 5000 };
    const signed = auth.signWsParams(params, 1645423376532);
    expect(signed.signature).toBe('b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd');
  });

  it('builds userDataStream.subscribe.signature params: apiKey, recvWindow, timestamp, signature', () => {
    const params = auth.userDataStreamSubscribeParams(1645423376532);
    expect(Object.keys(params).sort()).toEqual(['apiKey', 'recvWindow', 'signature', 'timestamp']);
    const payload = `apiKey=${DOC_API_KEY}&recvWindow=100&timestamp=1645423376532`;
    expect(params.signature).toBe(createHmac('sha256', DOC_SECRET).update(payload).digest('hex'));
  });

  it('leaves undefined values out, refuses objects, null and caller-supplied signatures', () => {
    expect(wsSignaturePayload({ b: '2', a: 1, c: undefined, signature: 'x', d: false })).toBe('a=1&b=2&d=false');
    expect(() => auth.signWsParams({ a: null as unknown as string }, 1)).toThrow(InvalidArgumentError);
    expect(() => auth.signWsParams({ a: {} as unknown as string }, 1)).toThrow(InvalidArgumentError);
    expect(() => auth.signWsParams({ signature: 'x' }, 1)).toThrow(InvalidArgumentError);
    expect(Object.keys(auth.signWsParams({ a: undefined }, 1))).not.toContain('a');
  });
});

describe('the secret stays secret', () => {
  const auth = new BinanceAuth(DOC_API_KEY, DOC_SECRET);

  it('never shows in JSON, inspect, string conversion or enumerable properties', () => {
    for (const text of [JSON.stringify(auth), inspect(auth, { showHidden: true, depth: 10 }), String(auth), JSON.stringify({ ...auth })]) {
      expect(text).not.toContain(DOC_SECRET);
      expect(text).not.toContain(DOC_API_KEY);
    }
    expect(JSON.stringify(auth)).toContain('[redacted]');
  });

  it('never shows in errors', () => {
    const messages: string[] = [];
    for (const attempt of [
      () => auth.sign(request('timestamp=1'), 1),
      () => auth.signWsParams({ a: [] as unknown as string }, 1),
      () => new BinanceAuth(DOC_API_KEY, DOC_SECRET, { recvWindowMs: 70_000 }),
      () => new BinanceAuth('', DOC_SECRET),
    ]) {
      try {
        attempt();
      } catch (err) {
        messages.push(String(err), inspect(err));
      }
    }
    expect(messages).toHaveLength(8);
    for (const m of messages) expect(m).not.toContain(DOC_SECRET);
  });

  it('refuses empty credentials and a recvWindow outside (0, 60000]', () => {
    expect(() => new BinanceAuth('k', '')).toThrow(InvalidArgumentError);
    expect(() => new BinanceAuth('k', 's', { recvWindowMs: 0 })).toThrow(InvalidArgumentError);
    expect(() => new BinanceAuth('k', 's', { recvWindowMs: 60_001 })).toThrow(InvalidArgumentError);
    expect(new BinanceAuth('k', 's', { recvWindowMs: 60_000 }).recvWindowMs).toBe(60_000);
  });
});
