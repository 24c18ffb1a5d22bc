import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { Engine } from '../engine/index.js';
import { authenticate } from './auth.js';
import type { DialectContext } from './context.js';
import { DEFAULT_RATE_LIMITS, type RateLimitInfo } from './exchange-info.js';
import type { KeyStore } from './keys.js';
import { Params } from './params.js';
import { Pipeline, type RestRequest, type RestResponse } from './pipeline.js';
import { ROUTES, type Route } from './routes.js';
import { restPayload } from './signature.js';
import { SymbolDirectory } from './symbols.js';

export interface BinanceServerOptions {
  engine: Engine;
  keys: KeyStore;
  /** The exchange clock (serverTime); the engine's clock by default. */
  now?: () => number;
  logger?: Logger;
  /** What exchangeInfo publishes as rateLimits. */
  rateLimits?: () => readonly RateLimitInfo[];
  /** Bodies above this many bytes are refused with 413. */
  maxBodyBytes?: number;
}

/** Takes over a socket asking to upgrade to WebSocket on a path it accepts. */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

const JSON_TYPE = 'application/json;charset=UTF-8';
/** `RestRequest.state` key of a query string or body that could not be read (-1101, -1100). */
const MALFORMED_PARAMS = 'malformedParams';

/**
 * The Binance spot dialect on one HTTP port: REST under /api/v3 through a pipeline of named stages
 * (`route` → `auth` → `execute`, where extensions insert rate limits and faults), and WebSocket
 * upgrades handed to whoever registered the path (market streams, the WebSocket API).
 */
export class BinanceServer {
  readonly http: Server;
  readonly pipeline: Pipeline;
  readonly context: DialectContext;
  private readonly routes = new Map<string, Route>();
  private readonly knownPaths = new Set<string>();
  private readonly upgrades: { matches: (path: string) => boolean; handle: UpgradeHandler }[] = [];
  private readonly logger: Logger;
  private readonly maxBodyBytes: number;

  constructor(options: BinanceServerOptions) {
    const engine = options.engine;
    const now = options.now ?? engine.now;
    const rateLimits = options.rateLimits ?? (() => DEFAULT_RATE_LIMITS);
    this.logger = options.logger ?? silentLogger();
    this.maxBodyBytes = options.maxBodyBytes ?? 1 << 20;
    this.context = { engine, keys: options.keys, symbols: new SymbolDirectory(engine), now, rateLimits };
    for (const r of ROUTES) {
      this.routes.set(`${r.method} ${r.path}`, r);
      this.knownPaths.add(r.path);
    }
    this.pipeline = new Pipeline(this.logger)
      .use('route', (req, next) => this.routeStage(req, next))
      .use('auth', (req, next) => this.authStage(req, next))
      .use('execute', (req) => this.executeStage(req));
    this.http = createServer({ keepAlive: true }, (req, res) => this.handle(req, res));
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    this.http.on('clientError', (_err, socket) => socket.destroy());
  }

  /** Routes WebSocket upgrades whose path `matches` to `handle`; returns the function that removes it. */
  onUpgrade(matches: (path: string) => boolean, handle: UpgradeHandler): () => void {
    const entry = { matches, handle };
    this.upgrades.push(entry);
    return () => {
      const i = this.upgrades.indexOf(entry);
      if (i >= 0) this.upgrades.splice(i, 1);
    };
  }

  /** The REST endpoint for a method and path, for extensions that need its weight or name. */
  route(method: string, path: string): Route | undefined {
    return this.routes.get(`${method} ${path}`);
  }

  async listen(port: number, host: string): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const address = this.http.address() as AddressInfo;
    return { host, port: address.port };
  }

  /** Stops accepting connections and closes every open one. */
  async close(): Promise<void> {
    if (!this.http.listening) return;
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await closed;
  }

  private async routeStage(req: RestRequest, next: () => Promise<RestResponse>): Promise<RestResponse> {
    const route = this.routes.get(`${req.method} ${req.path}`);
    if (route === undefined) return { status: this.knownPaths.has(req.path) ? 405 : 404, body: null, headers: {} };
    req.route = route;
    try {
      req.params = Params.fromRequest(req.rawQuery, req.rawBody);
    } catch (error) {
      // Refused in the auth stage instead, so the rate limits in between still count the request
      // and put their usage headers on the refusal, as on every Binance response.
      req.params = new Params(new Map());
      req.state.set(MALFORMED_PARAMS, error);
    }
    return next();
  }

  private async authStage(req: RestRequest, next: () => Promise<RestResponse>): Promise<RestResponse> {
    if (req.state.has(MALFORMED_PARAMS)) throw req.state.get(MALFORMED_PARAMS);
    const route = req.route as Route;
    if (route.security !== 'NONE') {
      const header = req.headers['x-mbx-apikey'];
      const apiKey = Array.isArray(header) ? header[0] : header;
      const { engine, keys } = this.context;
      req.auth = authenticate(keys, engine, route.security, apiKey, req.params as Params, restPayload(req.rawQuery, req.rawBody), this.context.now());
    }
    return next();
  }

  private async executeStage(req: RestRequest): Promise<RestResponse> {
    const route = req.route as Route;
    const body = route.operation(this.context, req.params as Params, req.auth);
    return { status: 200, body, headers: {} };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxBodyBytes) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const request: RestRequest = {
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? '' : url.slice(q + 1),
        rawBody: chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8'),
        headers: req.headers,
        ip: req.socket.remoteAddress ?? '',
        receivedAt: this.context.now(),
        params: null,
        route: null,
        auth: null,
        state: new Map(),
      };
      this.pipeline.run(request).then(
        (response) => this.send(res, response),
        (error: unknown) => {
          this.logger.error({ err: error }, 'simulator pipeline failed');
          if (!res.headersSent) res.writeHead(500).end();
        },
      );
    });
  }

  private send(res: ServerResponse, response: RestResponse): void {
    if (res.destroyed) return;
    const headers = response.headers;
    if (response.body === null) {
      res.writeHead(response.status, headers).end();
      return;
    }
    const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    headers['content-type'] ??= JSON_TYPE;
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(response.status, headers).end(text);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const handler = this.upgrades.find((u) => u.matches(path));
    if (handler === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    try {
      handler.handle(req, socket, head);
    } catch (error) {
      this.logger.error({ err: error }, 'simulator upgrade failed');
      socket.destroy();
    }
  }
}
