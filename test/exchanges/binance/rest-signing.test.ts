import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, OrderNotFoundError } from '../../../src/core/errors.js';
import { BinanceAuth } from '../../../src/exchanges/binance/auth.js';
import { LIMIT_IDS, PATHS, RATE_LIMITS, RATE_POOLS } from '../../../src/exchanges/binance/constants.js';
import { binanceErrorMapper, binanceUsageReader } from '../../../src/exchanges/binance/parse.js';
import { RateLimiter } from '../../../src/net/rate-limiter.js';
import { RestClient } from '../../../src/net/rest-client.js';
import type { BinanceLimitId } from '../../../src/exchanges/binance/constants.js';

const KEY = 'loopback-key';
const SECRET = 'loopback-secret';

/**
 * Just enough of Binance on 127.0.0.1 to check signing end to end, the way the exchange checks it:
 * the raw query without its `signature` pair, then the raw body, HMAC-SHA256 with the secret; the
 * key in X-MBX-APIKEY; timestamp and recvWindow present. POST /api/v3/order echoes what it read.
 */
function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const rawQuery = (req.url ?? '').split('?')[1] ?? '';
  const reply = (status: number, payload: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-mbx-used-weight-1m': '17' });
    res.end(JSON.stringify(payload));
  };
  if (req.headers['x-mbx-apikey'] !== KEY) return reply(401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
  const pairs = rawQuery.split('&');
  const signature = pairs.find((p) => p.startsWith('signature='))?.slice('signature='.length);
  const payload = pairs.filter((p) => !p.startsWith('signature=')).join('&') + body;
  if (signature !== createHmac('sha256', SECRET).update(payload).digest('hex')) {
    return reply(400, { code: -1022, msg: 'Signature for this request is not valid.' });
  }
  const params = new URLSearchParams(`${rawQuery}&${body}`);
  if (!params.get('timestamp') || !params.get('recvWindow')) return reply(400, { code: -1102, msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed." });
  if (req.method === 'POST' && url.pathname === PATHS.order) {
    params.delete('signature');
    return reply(200, Object.fromEntries(params));
  }
  if (req.method === 'GET' && url.pathname === PATHS.order) return reply(400, { code: -2013, msg: 'Order does not exist.' });
  reply(404, { code: -1000, msg: 'unknown path' });
}

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(secret = SECRET): { rest: RestClient<BinanceLimitId>; limiter: RateLimiter<BinanceLimitId> } {
  const limiter = new RateLimiter(RATE_LIMITS);
  const rest = new RestClient<BinanceLimitId>({
    baseUrl,
    limiter,
    signer: new BinanceAuth(KEY, secret),
    errorMapper: binanceErrorMapper(),
    usageReader: binanceUsageReader,
    retry: { attempts: 1 },
  });
  return { rest, limiter };
}

describe('BinanceAuth through the real REST client on loopback', () => {
  it('a signed POST with a non-ASCII symbol in the body is accepted and read back exactly', async () => {
    const { rest, limiter } = client();
    try {
      const order = { symbol: '１２３４５６', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01000000', price: '52000.00', newClientOrderId: 'vk-0000000001abcd' };
      const echoed = await rest.request<Record<string, string>>({ method: 'POST', path: PATHS.order, body: order, signed: true, limitId: LIMIT_IDS.createOrder });
      expect(echoed).toMatchObject({ ...order, recvWindow: '5000' });
      expect(Number(echoed.timestamp)).toBeGreaterThan(0);
      expect(limiter.usage().find((u) => u.pool === RATE_POOLS.requestWeight)?.used).toBeGreaterThanOrEqual(17);
    } finally {
      await rest.close();
    }
  });

  it('the exchange answer maps to the taxonomy: -2013 is OrderNotFoundError, a bad secret AuthenticationError', async () => {
    const { rest } = client();
    const wrong = client('not-the-secret');
    try {
      const query = { method: 'GET', path: PATHS.order, params: { symbol: 'BTCUSDT', origClientOrderId: 'vk-1' }, signed: true, limitId: LIMIT_IDS.queryOrder } as const;
      await expect(rest.request(query)).rejects.toBeInstanceOf(OrderNotFoundError);
      const err = await wrong.rest.request(query).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthenticationError);
      expect(String(err)).not.toContain('not-the-secret');
    } finally {
      await rest.close();
      await wrong.rest.close();
    }
  });
});
