import { createHmac } from 'node:crypto';

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
  headers: Headers;
}

export interface SignedOptions {
  /** Where the parameters go: all in the query string (default for GET/DELETE), all in the body, or split. */
  where?: 'query' | 'body' | 'split';
  timestamp?: number;
  recvWindow?: number;
  /** Replaces the computed signature. */
  signature?: string;
  /** Replaces the client's key in the header (null: no header). */
  apiKey?: string | null;
}

/** A minimal Binance client written for the tests, independent of venuekit's own net layer. */
export class TestClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey = '',
    readonly apiSecret = '',
    /** Added to Date.now() for timestamps. */
    public clockOffset = 0,
  ) {}

  async get(path: string, params: Record<string, string | number> = {}): Promise<Reply> {
    const query = encode(params);
    return this.send('GET', `${path}${query ? `?${query}` : ''}`);
  }

  async signed(method: string, path: string, params: Record<string, string | number> = {}, options: SignedOptions = {}): Promise<Reply> {
    const all: Record<string, string | number> = { ...params, timestamp: options.timestamp ?? Date.now() + this.clockOffset };
    if (options.recvWindow !== undefined) all.recvWindow = options.recvWindow;
    const where = options.where ?? (method === 'POST' ? 'body' : 'query');
    const entries = Object.entries(all);
    let query = '';
    let body = '';
    if (where === 'query') query = encode(all);
    else if (where === 'body') body = encode(all);
    else {
      const half = Math.ceil(entries.length / 2);
      query = encode(Object.fromEntries(entries.slice(0, half)));
      body = encode(Object.fromEntries(entries.slice(half)));
    }
    const signature = options.signature ?? sign(this.apiSecret, query + body);
    if (body) body += `&signature=${signature}`;
    else query += `&signature=${signature}`;
    const headers: Record<string, string> = {};
    const key = options.apiKey === undefined ? this.apiKey : options.apiKey;
    if (key !== null) headers['X-MBX-APIKEY'] = key;
    return this.send(method, `${path}${query ? `?${query}` : ''}`, body, headers);
  }

  /** Sends exactly this path+query and body. */
  async send(method: string, pathAndQuery: string, body = '', headers: Record<string, string> = {}): Promise<Reply> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body) {
      init.body = body;
      (init.headers as Record<string, string>)['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(`${this.baseUrl}${pathAndQuery}`, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

function encode(params: Record<string, string | number>): string {
  const pairs: [string, string][] = Object.entries(params).map(([k, v]) => [k, String(v)]);
  return new URLSearchParams(pairs).toString();
}
