import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { deepJson, mutateJson, mutateText } from './lib/mutate.js';
import { describe, heapMb, trapFatal, type Counts, type FuzzArgs } from './lib/report.js';
import { Rng } from './lib/rng.js';

/**
 * The simulator attacked from the client side: malformed upgrades, mutated REST and WebSocket API
 * requests, market-stream control messages, deep nesting and floods. After every batch a
 * well-behaved client must still get its answers (REST and WebSocket API) within a bounded time.
 */

const BATCH = 500;
const PROBE_TIMEOUT_MS = 10_000;

export interface FuzzResult {
  counts: Counts;
  figures: Record<string, number | string>;
  examples: string[];
}

interface Key {
  apiKey: string;
  apiSecret: string;
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Percent-encodes what can be; a lone surrogate goes out as the invalid UTF-8 escape it would be. */
function enc(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '')) + '%ED%A0%80';
  }
}

function query(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${enc(k)}=${enc(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`)
    .join('&');
}

const REST_TEMPLATES: { method: string; path: string; signed: boolean; params: Record<string, unknown> }[] = [
  { method: 'GET', path: '/api/v3/ping', signed: false, params: {} },
  { method: 'GET', path: '/api/v3/time', signed: false, params: {} },
  { method: 'GET', path: '/api/v3/exchangeInfo', signed: false, params: { symbol: 'BTCUSDT' } },
  { method: 'GET', path: '/api/v3/depth', signed: false, params: { symbol: 'BTCUSDT', limit: '5' } },
  { method: 'GET', path: '/api/v3/trades', signed: false, params: { symbol: 'BTCUSDT', limit: '10' } },
  { method: 'GET', path: '/api/v3/ticker/price', signed: false, params: { symbols: '["BTCUSDT","ETHUSDT"]' } },
  { method: 'POST', path: '/api/v3/order', signed: true, params: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '10000', newClientOrderId: 'fz1' } },
  { method: 'GET', path: '/api/v3/order', signed: true, params: { symbol: 'BTCUSDT', origClientOrderId: 'fz1' } },
  { method: 'DELETE', path: '/api/v3/order', signed: true, params: { symbol: 'BTCUSDT', origClientOrderId: 'fz1' } },
  { method: 'GET', path: '/api/v3/account', signed: true, params: {} },
  { method: 'GET', path: '/api/v3/myTrades', signed: true, params: { symbol: 'BTCUSDT' } },
  { method: 'POST', path: '/api/v3/userDataStream', signed: false, params: {} },
];

const WS_TEMPLATES: { method: string; signed: boolean; params: Record<string, unknown> }[] = [
  { method: 'ping', signed: false, params: {} },
  { method: 'time', signed: false, params: {} },
  { method: 'depth', signed: false, params: { symbol: 'BTCUSDT', limit: 5 } },
  { method: 'ticker.price', signed: false, params: { symbols: ['BTCUSDT', 'ETHUSDT'] } },
  { method: 'order.place', signed: true, params: { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '900000', newClientOrderId: 'fz2' } },
  { method: 'order.status', signed: true, params: { symbol: 'BTCUSDT', origClientOrderId: 'fz2' } },
  { method: 'order.cancel', signed: true, params: { symbol: 'BTCUSDT', origClientOrderId: 'fz2' } },
  { method: 'account.status', signed: true, params: {} },
  { method: 'userDataStream.subscribe.signature', signed: true, params: {} },
];

/** A WebSocket that resolves once open, or rejects; its answers are counted, not awaited one by one. */
function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { maxPayload: 64 << 20 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closeQuietly(ws: WebSocket): void {
  ws.on('error', () => undefined);
  if (ws.readyState === WebSocket.OPEN) ws.close();
  else ws.terminate();
}

/** Sends raw bytes as an HTTP upgrade and resolves when the server answers or hangs up. */
function rawUpgrade(port: number, text: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(3_000, done);
    socket.on('error', done);
    socket.on('data', done);
    socket.on('close', done);
    socket.on('connect', () => socket.end(text));
  });
}

function upgradeText(rng: Rng): string {
  const paths = ['/ws', '/ws/btcusdt@trade', '/stream?streams=btcusdt@depth', '/ws-api/v3', '/ws-api/v3?returnRateLimits=false'];
  let path = rng.pick(paths);
  if (rng.chance(0.7)) path = mutateText(path, rng);
  if (rng.chance(0.2)) path = `/ws/${'%'.repeat(rng.int(1, 5))}${rng.pick(['', 'E0', 'C0%', 'zz'])}`;
  const lines = [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${rng.chance(0.7) ? 'dGhlIHNhbXBsZSBub25jZQ==' : mutateText('dGhlIHNhbXBsZSBub25jZQ==', rng)}`,
    `Sec-WebSocket-Version: ${rng.pick(['13', '8', '', 'x', '13, 8'])}`,
  ];
  if (rng.chance(0.2)) lines.push(`X-Long: ${'a'.repeat(rng.int(1, 20_000))}`);
  if (rng.chance(0.1)) lines.push(`Sec-WebSocket-Extensions: ${mutateText('permessage-deflate; client_max_window_bits', rng)}`);
  let text = `${lines.join('\r\n')}\r\n\r\n`;
  if (rng.chance(0.3)) text = mutateText(text, rng);
  return text;
}

async function restRequest(sim: Simulator, key: Key, rng: Rng, counts: Counts, examples: string[]): Promise<void> {
  const t = rng.pick(REST_TEMPLATES);
  let params = t.params;
  if (rng.chance(0.8)) params = mutateJson(params, rng) as Record<string, unknown>;
  let text = params !== null && typeof params === 'object' ? query({ ...params, ...(t.signed ? { timestamp: String(Date.now()) } : {}) }) : String(params);
  // Signing after the mutation lets a mutated request past authentication, into the endpoint.
  if (t.signed && rng.chance(0.7)) text += `&signature=${sign(key.apiSecret, text)}`;
  if (rng.chance(0.3)) text = mutateText(text, rng);
  let path = t.path;
  if (rng.chance(0.1)) path = mutateText(path, rng);
  const inBody = t.method === 'POST' && rng.chance(0.5);
  const url = `${sim.restUrl}${path.startsWith('/') ? path : `/${path}`}${inBody ? '' : `?${text}`}`;
  try {
    const res = await fetch(url, {
      method: t.method,
      headers: { 'X-MBX-APIKEY': rng.chance(0.9) ? key.apiKey : mutateText(key.apiKey, rng), 'content-type': 'application/x-www-form-urlencoded' },
      ...(inBody ? { body: text } : {}),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const body = await res.text();
    if (res.status >= 500) {
      counts.serverErrors = (counts.serverErrors ?? 0) + 1;
      if (examples.length < 10) examples.push(`REST ${res.status} for ${t.method} ${url.slice(0, 300)}: ${body.slice(0, 200)}`);
    }
  } catch (error) {
    // A URL too long for Node's HTTP parser is refused by closing that connection: acceptable.
    if ((error as Error).name === 'TimeoutError') {
      counts.unanswered = (counts.unanswered ?? 0) + 1;
      if (examples.length < 10) examples.push(`REST unanswered: ${t.method} ${url.slice(0, 300)}`);
    }
  }
}

function wsFrame(key: Key, rng: Rng, id: number): string {
  const t = rng.pick(WS_TEMPLATES);
  let params: Record<string, unknown> = { ...t.params };
  if (t.signed) params = { ...params, apiKey: key.apiKey, timestamp: Date.now() };
  if (rng.chance(0.8)) params = mutateJson(params, rng) as Record<string, unknown>;
  if (t.signed && params !== null && typeof params === 'object' && !Array.isArray(params) && rng.chance(0.7)) {
    const payload = Object.keys(params)
      .filter((k) => k !== 'signature')
      .sort()
      .map((k) => `${k}=${typeof params[k] === 'string' ? params[k] : JSON.stringify(params[k])}`)
      .join('&');
    params = { ...params, signature: sign(key.apiSecret, payload) };
  }
  let frame: unknown = { id, method: t.method, params };
  if (rng.chance(0.2)) frame = mutateJson(frame, rng);
  let text = JSON.stringify(frame) ?? 'null';
  if (rng.chance(0.05)) text = `{"id":${id},"method":"${t.method}","params":{"symbol":${deepJson(rng.int(1_000, 200_000), rng.chance(0.5))}}}`;
  if (rng.chance(0.2)) text = mutateText(text, rng);
  return text;
}

function controlFrame(rng: Rng, id: number): string {
  let frame: unknown = rng.pick([
    { method: 'SUBSCRIBE', params: ['btcusdt@trade', 'btcusdt@depth@100ms'], id },
    { method: 'UNSUBSCRIBE', params: ['btcusdt@trade'], id },
    { method: 'LIST_SUBSCRIPTIONS', id },
    { method: 'SET_PROPERTY', params: ['combined', true], id },
    { method: 'GET_PROPERTY', params: ['combined'], id },
  ]);
  if (rng.chance(0.8)) frame = mutateJson(frame, rng);
  let text = JSON.stringify(frame) ?? 'null';
  if (rng.chance(0.05)) text = `{"method":"SUBSCRIBE","params":${deepJson(rng.int(1_000, 200_000))},"id":${id}}`;
  if (rng.chance(0.2)) text = mutateText(text, rng);
  return text;
}

/** A well-behaved client: REST time and a WebSocket API ping, each answered within the bound. */
async function probe(sim: Simulator): Promise<string | null> {
  try {
    const res = await fetch(`${sim.restUrl}/api/v3/time`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (res.status !== 200) return `REST time answered ${res.status}`;
    await res.text();
    const ws = await openSocket(sim.wsApiUrl);
    const answered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
      ws.once('message', () => {
        clearTimeout(timer);
        resolve(true);
      });
      ws.send(JSON.stringify({ id: 'probe', method: 'ping' }));
    });
    closeQuietly(ws);
    return answered ? null : 'WebSocket API ping unanswered';
  } catch (error) {
    return `probe failed: ${describe(error)}`;
  }
}

/** One batch of `n` messages of one kind, in flight concurrently on a few connections. */
async function batch(sim: Simulator, key: Key, rng: Rng, n: number, counts: Counts, examples: string[], figures: Record<string, number>): Promise<void> {
  const kind = rng.pick(['rest', 'wsApi', 'wsApi', 'streams', 'upgrades', 'flood'] as const);
  figures[kind] = (figures[kind] ?? 0) + n;
  if (kind === 'rest') {
    for (let i = 0; i < n; i += 16) await Promise.all(Array.from({ length: Math.min(16, n - i) }, () => restRequest(sim, key, rng, counts, examples)));
  } else if (kind === 'upgrades') {
    for (let i = 0; i < n; i += 16) await Promise.all(Array.from({ length: Math.min(16, n - i) }, () => rawUpgrade(sim.port, upgradeText(rng))));
  } else {
    const url = kind === 'wsApi' ? sim.wsApiUrl : `${sim.wsUrl}/btcusdt@trade`;
    let ws: WebSocket | null = null;
    for (let i = 0; i < n; i++) {
      if (ws === null || ws.readyState !== WebSocket.OPEN) {
        if (ws !== null) closeQuietly(ws);
        try {
          ws = await openSocket(url);
        } catch {
          ws = null;
          continue;
        }
      }
      ws.send(kind === 'wsApi' ? wsFrame(key, rng, i) : kind === 'flood' ? '{"method":"LIST_SUBSCRIPTIONS","id":1}' : controlFrame(rng, i));
      // Let the server drain now and then, as a flood of one client would have to.
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    if (ws !== null) {
      const open = ws;
      await new Promise((resolve) => setTimeout(resolve, 20));
      closeQuietly(open);
    }
  }
}

export async function runSimulatorFuzz(args: FuzzArgs): Promise<FuzzResult> {
  const counts: Counts = { crashes: 0, unhandledRejections: 0, unresponsive: 0, unanswered: 0, serverErrors: 0, heapGrowth: 0 };
  const examples: string[] = [];
  const untrap = trapFatal(counts, examples);
  const rng = new Rng(args.seed);
  const figures: Record<string, number> = {};
  const sim = await startSimulator({ seed: args.seed, activity: { quoteIntervalMs: 200, takerIntervalMs: 200 }, limits: { enforce: false } });
  const key = sim.demo as Key;
  const started = Date.now();
  let baseline = 0;
  let peak = 0;
  try {
    for (let sent = 0, n = 0; sent < args.messages; sent += n) {
      n = Math.min(BATCH, args.messages - sent);
      await batch(sim, key, rng, n, counts, examples, figures);
      const failed = await probe(sim);
      if (failed !== null) {
        counts.unresponsive = (counts.unresponsive ?? 0) + 1;
        if (examples.length < 10) examples.push(`after ${sent + n} messages: ${failed}`);
      }
      const heap = heapMb();
      if (baseline === 0 && sent + n >= Math.min(args.messages, 5 * BATCH)) baseline = heap;
      peak = Math.max(peak, heap);
    }
    const final = heapMb();
    if (baseline > 0 && final - baseline > args.heapLimitMb) {
      counts.heapGrowth = 1;
      examples.push(`heap grew from ${baseline.toFixed(1)} MiB to ${final.toFixed(1)} MiB`);
    }
    figures.heapBaselineMb = Math.round(baseline);
    figures.heapFinalMb = Math.round(final);
    figures.heapPeakMb = Math.round(peak);
  } finally {
    await sim.close();
    untrap();
  }
  figures.seconds = Math.round((Date.now() - started) / 100) / 10;
  return { counts, figures, examples };
}
