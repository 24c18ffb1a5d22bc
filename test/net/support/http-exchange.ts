import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_KEY_HEADER, TEST_WEIGHTS, USED_WEIGHT_HEADER, hmacHex } from './test-venue.js';

export interface HttpExchangeOptions {
  apiKey?: string;
  secret?: string;
  /** Server clock minus the real clock. */
  clockOffsetMs?: number;
  /** Request weight allowed per fixed window aligned to the server clock. */
  weightLimit?: number;
  windowMs?: number;
  /** Requests tolerated while a 429's Retry-After runs before the IP is banned (418). */
  banTolerance?: number;
  banMs?: number;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
  status: number;
  code?: number;
  /** For a 429 or 418: when its Retry-After ends. */
  retryUntil?: number;
}

/**
 * A small Binance-like exchange on 127.0.0.1 for the network layer's tests: HMAC signatures over
 * the raw query and body, timestamp windows against its own (offset) clock, request weight in
 * fixed windows reported in a header, 429 with Retry-After past the limit, and a 418 ban for
 * clients that keep sending while told to wait. Routes:
 * - GET /api/time, /api/ping: public; /api/heavy weighs 20
 * - GET /api/account, POST /api/order: signed (the order route echoes its parameters)
 * - GET|POST /api/slow?ms=N: answers after N ms
 * - GET|POST /api/fail?key=K&times=N: 503 for the first N calls with that key, then 200
 * - GET /api/drop: destroys the socket without answering
 * - GET /api/html-error: 502 with an HTML body
 */
export class HttpExchange {
  readonly log: LoggedRequest[] = [];
  apiKey: string;
  secret: string;
  clockOffsetMs: number;
  /** When set, every signed request is refused with -1021. */
  refuseTimestamps = false;
  /** Weight charged by other clients sharing this IP, added to the current window. */
  private windowStart = 0;
  private windowUsed = 0;
  private penaltyUntil = 0;
  private penaltyHits = 0;
  private bannedUntil = 0;
  bans = 0;
  private readonly failures = new Map<string, number>();
  private readonly options: Required<Pick<HttpExchangeOptions, 'weightLimit' | 'windowMs' | 'banTolerance' | 'banMs'>>;
  private server!: Server;
  url = '';

  constructor(options: HttpExchangeOptions = {}) {
    this.apiKey = options.apiKey ?? 'test-key';
    this.secret = options.secret ?? 'test-secret';
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.options = {
      weightLimit: options.weightLimit ?? 1_000_000,
      windowMs: options.windowMs ?? 60_000,
      banTolerance: options.banTolerance ?? 1_000_000,
      banMs: options.banMs ?? 120_000,
    };
  }

  static async start(options: HttpExchangeOptions = {}): Promise<HttpExchange> {
    const exchange = new HttpExchange(options);
    exchange.server = createServer((req, res) => exchange.handle(req, res));
    await new Promise<void>((resolve) => exchange.server.listen(0, '127.0.0.1', resolve));
    exchange.url = `http://127.0.0.1:${(exchange.server.address() as AddressInfo).port}`;
    return exchange;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  serverNow(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Weight used in the current window, as the header reports it. */
  usedWeight(): number {
    this.rollWindow();
    return this.windowUsed;
  }

  /** Another client on the same IP spends `weight`. */
  spendWeight(weight: number): void {
    this.rollWindow();
    this.windowUsed += weight;
  }

  count(path: string, status?: number): number {
    return this.log.filter((r) => r.path === path && (status === undefined || r.status === status)).length;
  }

  private rollWindow(): void {
    const start = Math.floor(this.serverNow() / this.options.windowMs) * this.options.windowMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.windowUsed = 0;
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.route(req, res, Buffer.concat(chunks).toString('utf8')));
  }

  private route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? '' : rawUrl.slice(q + 1);
    const params = new URLSearchParams(query);
    const entry: LoggedRequest = { method: req.method ?? 'GET', path, at: Date.now(), status: 0 };
    this.log.push(entry);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status;
      const code = (payload as { code?: unknown } | undefined)?.code;
      if (typeof code === 'number') entry.code = code;
      if (headers['retry-after']) entry.retryUntil = entry.at + Number(headers['retry-after']) * 1000;
      res.writeHead(status, {
        'content-type': 'application/json',
        [USED_WEIGHT_HEADER]: String(this.windowUsed),
        ...headers,
      });
      res.end(JSON.stringify(payload));
    };

    const now = Date.now();
    if (now < this.bannedUntil) {
      send(418, { code: -1003, msg: 'IP banned' }, { 'retry-after': seconds(this.bannedUntil - now) });
      return;
    }
    this.rollWindow();
    if (now < this.penaltyUntil) {
      if (++this.penaltyHits > this.options.banTolerance) {
        this.bans++;
        this.bannedUntil = now + this.options.banMs;
        send(418, { code: -1003, msg: 'Way too much request weight used; IP banned' }, { 'retry-after': seconds(this.options.banMs) });
      } else {
        send(429, { code: -1003, msg: 'Too much request weight used' }, { 'retry-after': seconds(this.penaltyUntil - now) });
      }
      return;
    }
    const weight = TEST_WEIGHTS[path] ?? 1;
    if (this.windowUsed + weight > this.options.weightLimit) {
      const windowEnd = this.windowStart + this.options.windowMs - this.clockOffsetMs;
      this.penaltyUntil = windowEnd;
      this.penaltyHits = 0;
      send(429, { code: -1003, msg: 'Too much request weight used' }, { 'retry-after': seconds(windowEnd - now) });
      return;
    }
    this.windowUsed += weight;

    switch (path) {
      case '/api/time':
        send(200, { serverTime: this.serverNow() });
        return;
      case '/api/ping':
      case '/api/heavy':
        send(200, {});
        return;
      case '/api/account':
      case '/api/order': {
        const refusal = this.verify(req, query, body, params);
        if (refusal) send(refusal.status, refusal.body);
        else send(200, { ok: true, params: Object.fromEntries(new URLSearchParams(body || query)) });
        return;
      }
      case '/api/slow':
        setTimeout(() => send(200, { slept: Number(params.get('ms')) }), Number(params.get('ms') ?? 0));
        return;
      case '/api/fail': {
        const key = params.get('key') ?? '';
        const seen = this.failures.get(key) ?? 0;
        this.failures.set(key, seen + 1);
        if (seen < Number(params.get('times') ?? 1)) send(503, { code: -1001, msg: 'Internal error' });
        else send(200, { attempts: seen + 1 });
        return;
      }
      case '/api/drop':
        req.socket.destroy();
        return;
      case '/api/html-error':
        entry.status = 502;
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>Bad gateway</html>');
        return;
      default:
        send(404, { code: -1, msg: 'not found' });
    }
  }

  /** Checks key, signature (raw query without `signature`, then raw body) and timestamp, as Binance does. */
  private verify(
    req: IncomingMessage,
    query: string,
    body: string,
    params: URLSearchParams,
  ): { status: number; body: unknown } | undefined {
    if (req.headers[API_KEY_HEADER] !== this.apiKey) return { status: 401, body: { code: -2015, msg: 'Invalid API-key' } };
    const parts = query.split('&');
    const signature = parts.find((p) => p.startsWith('signature='))?.slice('signature='.length);
    const payload = parts.filter((p) => !p.startsWith('signature=')).join('&') + body;
    if (!signature || signature.toLowerCase() !== hmacHex(this.secret, payload)) {
      return { status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' } };
    }
    const timestamp = Number(params.get('timestamp'));
    const recvWindow = Number(params.get('recvWindow') ?? 5_000);
    const serverTime = this.serverNow();
    if (this.refuseTimestamps || !(timestamp < serverTime + 1_000 && serverTime - timestamp <= recvWindow)) {
      return { status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } };
    }
    return undefined;
  }
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
