import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256Hex, restPayload, sortedPayload } from '../../../src/simulator/binance/signature.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { TestClient } from '../support/client.js';

// The documented example key, secret and requests (binance-spot-api.md §1.3, §8.2; rest-api.md "SIGNED Endpoint Examples").
const DOC_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const DOC_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const DOC_TIMESTAMP = 1499827319559;
const DOC_PAYLOAD = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const DOC_SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';
const DOC_MIXED_QUERY = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC';
const DOC_MIXED_BODY = 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const DOC_MIXED_SIGNATURE = '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77';
const DOC_UNICODE_PAYLOAD =
  'symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const DOC_UNICODE_SIGNATURE = 'e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3';

describe('HMAC signing check values', () => {
  it('REST: query string or body alone, and split between them (no & at the joint)', () => {
    expect(hmacSha256Hex(DOC_SECRET, DOC_PAYLOAD)).toBe(DOC_SIGNATURE);
    expect(restPayload(`${DOC_PAYLOAD}&signature=${DOC_SIGNATURE}`, '')).toEqual({ payload: DOC_PAYLOAD, signature: DOC_SIGNATURE });
    expect(restPayload('', `${DOC_PAYLOAD}&signature=${DOC_SIGNATURE}`)).toEqual({ payload: DOC_PAYLOAD, signature: DOC_SIGNATURE });
    const mixed = restPayload(DOC_MIXED_QUERY, `${DOC_MIXED_BODY}&signature=${DOC_MIXED_SIGNATURE}`);
    expect(mixed.payload).toBe(`${DOC_MIXED_QUERY}${DOC_MIXED_BODY}`);
    expect(hmacSha256Hex(DOC_SECRET, mixed.payload)).toBe(DOC_MIXED_SIGNATURE);
    expect(hmacSha256Hex(DOC_SECRET, DOC_UNICODE_PAYLOAD)).toBe(DOC_UNICODE_SIGNATURE);
  });

  it('WebSocket API: parameters sorted by name, unencoded, apiKey included', () => {
    const params: [string, string][] = [
      ['symbol', 'BTCUSDT'],
      ['side', 'SELL'],
      ['type', 'LIMIT'],
      ['timeInForce', 'GTC'],
      ['quantity', '0.01000000'],
      ['price', '52000.00'],
      ['recvWindow', '100'],
      ['timestamp', '1645423376532'],
      ['apiKey', DOC_KEY],
      ['signature', 'ignored'],
    ];
    const payload = sortedPayload(params);
    expect(payload).toBe(
      `apiKey=${DOC_KEY}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT`,
    );
    expect(hmacSha256Hex(DOC_SECRET, payload)).toBe('aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24');
    const unicode = sortedPayload([
      ['apiKey', DOC_KEY],
      ['price', '0.10000000'],
      ['quantity', '1.00000000'],
      ['recvWindow', '5000'],
      ['side', 'BUY'],
      ['symbol', '１２３４５６'],
      ['timeInForce', 'GTC'],
      ['timestamp', '1645423376532'],
      ['type', 'LIMIT'],
    ]);
    expect(hmacSha256Hex(DOC_SECRET, unicode)).toBe('b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd');
  });
});

describe('the documented sample requests, sent verbatim to the simulator', () => {
  let sim: Simulator;
  let client: TestClient;

  beforeAll(async () => {
    sim = await startSimulator({ activity: false, seedLiquidity: false, demoAccount: false });
    // The samples were signed in July 2017: put the exchange's clock just after their timestamp.
    sim.clock.offsetMs = DOC_TIMESTAMP + 200 - Date.now();
    sim.admin.addMarket({ pair: 'LTC-BTC', rules: { tickSize: '0.000001', minPrice: '0.000001', stepSize: '0.01', minQty: '0.01', minNotional: '0.0001' } });
    sim.admin.addMarket({ pair: '１２３-４５６', rules: { minNotional: '0.0001' } });
    sim.admin.createAccount({ apiKey: DOC_KEY, apiSecret: DOC_SECRET, balances: { BTC: '10', '４５６': '10' } });
    client = new TestClient(sim.restUrl);
  });
  afterAll(() => sim.close());

  const headers = { 'X-MBX-APIKEY': DOC_KEY };

  it('accepts the signature in the query string, in the body, and split between both', async () => {
    const inQuery = await client.send('POST', `/api/v3/order?${DOC_PAYLOAD}&signature=${DOC_SIGNATURE}`, '', headers);
    expect(inQuery.status).toBe(200);
    expect(inQuery.body).toMatchObject({ symbol: 'LTCBTC', side: 'BUY', type: 'LIMIT', price: '0.10000000', origQty: '1.00000000', status: 'NEW' });
    const inBody = await client.send('POST', '/api/v3/order', `${DOC_PAYLOAD}&signature=${DOC_SIGNATURE}`, headers);
    expect(inBody.status).toBe(200);
    const mixed = await client.send('POST', `/api/v3/order?${DOC_MIXED_QUERY}`, `${DOC_MIXED_BODY}&signature=${DOC_MIXED_SIGNATURE}`, headers);
    expect(mixed.status).toBe(200);
  });

  it('checks the percent-encoded form of a non-ASCII symbol', async () => {
    const ok = await client.send('POST', `/api/v3/order?${DOC_UNICODE_PAYLOAD}&signature=${DOC_UNICODE_SIGNATURE}`, '', headers);
    expect(ok.status).toBe(200);
    expect(ok.body.symbol).toBe('１２３４５６');
    // Signing the unencoded text (the pre-2026 habit) is refused.
    const unencoded = DOC_UNICODE_PAYLOAD.replace('%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96', '１２３４５６');
    const wrong = hmacSha256Hex(DOC_SECRET, unencoded);
    const bad = await client.send('POST', `/api/v3/order?${DOC_UNICODE_PAYLOAD}&signature=${wrong}`, '', headers);
    expect(bad.body).toEqual({ code: -1022, msg: 'Signature for this request is not valid.' });
  });

  it('refuses a tampered request and accepts an upper-case signature', async () => {
    const tampered = DOC_PAYLOAD.replace('quantity=1', 'quantity=2');
    const bad = await client.send('POST', `/api/v3/order?${tampered}&signature=${DOC_SIGNATURE}`, '', headers);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(-1022);
    const upper = await client.send('POST', `/api/v3/order?${DOC_PAYLOAD}&signature=${DOC_SIGNATURE.toUpperCase()}`, '', headers);
    expect(upper.status).toBe(200);
  });
});
