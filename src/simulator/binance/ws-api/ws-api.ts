import type { IncomingMessage } from 'node:http';
import { silentLogger, type Logger } from '../../../core/logger.js';
import type { Engine } from '../../engine/index.js';
import { NO_WEBSOCKET_FAULTS, type WebSocketFaultHooks } from '../../faults/hooks.js';
import { SocketGroup, type UpgradeCheck } from '../../ws/socket-group.js';
import type { SimSocket, SocketOptions } from '../../ws/socket.js';
import { BinanceError } from '../errors.js';
import type { Params } from '../params.js';
import { Pipeline, type RestRequest, type RestResponse } from '../pipeline.js';
import { ROUTES, type Route } from '../routes.js';
import type { BinanceServer } from '../server.js';
import { authenticateParams, methodName, paramsOf, parseFrame, responseFrame } from './requests.js';
import { WsApiSession } from './session.js';
import { UserDataHub } from './user-data.js';
import { wsApiShutdownJson } from './user-events.js';

const unsupported = () => new BinanceError(-1020, 'This operation is not supported.');

/**
 * Binance's WebSocket API at `/ws-api/v3` (§8): JSON requests `{id, method, params}` answered
 * `{id, status, result | error, rateLimits}`, every REST operation under its WebSocket API method
 * name (`order.place`, `order.cancel`, `order.status`, `account.status`, ...), and the user data
 * stream over `userDataStream.subscribe.signature`. Requests run through their own pipeline with
 * the REST stage names (`route` → `auth` → `execute`), so rate limits and faults plug in alike.
 */
export class WsApi {
  readonly pipeline: Pipeline;
  readonly group: SocketGroup;
  readonly hub: UserDataHub;
  private readonly shared: ReadonlyMap<string, Route>;

  constructor(
    private readonly server: BinanceServer,
    engine: Engine,
    socketOptions: SocketOptions,
    private readonly faults: WebSocketFaultHooks = NO_WEBSOCKET_FAULTS,
    private readonly logger: Logger = silentLogger(),
    upgradeCheck?: UpgradeCheck,
  ) {
    this.shared = new Map(ROUTES.map((r) => [r.name, r]));
    this.hub = new UserDataHub(engine, faults);
    this.pipeline = new Pipeline(logger)
      .use('route', (req, next) => this.routeStage(req, next))
      .use('auth', (req, next) => this.authStage(req, next))
      .use('execute', (req) => this.executeStage(req));
    this.group = new SocketGroup(server, (path) => path === '/ws-api/v3', socketOptions, (socket, request) => this.connected(socket, request), upgradeCheck);
  }

  /** Open connections. */
  get connections(): number {
    return this.group.sockets.size;
  }

  /** serverShutdown on every connection, then close them (a planned disconnect). */
  shutdown(graceMs = 0): Promise<void> {
    return this.group.shutdown(() => wsApiShutdownJson(this.now()), graceMs);
  }

  async close(): Promise<void> {
    this.hub.close();
    await this.shutdown();
    await this.group.close();
  }

  private now(): number {
    return this.server.context.now();
  }

  private connected(socket: SimSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const session = new WsApiSession(socket, this.hub, () => this.now(), this.shared, url.searchParams.get('returnRateLimits') !== 'false');
    socket.start({
      message: (text) => {
        this.handle(session, text).catch((error: unknown) => this.failed(session, error));
      },
      closed: () => session.closed(),
    });
  }

  private async handle(session: WsApiSession, text: string): Promise<void> {
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      session.socket.send(JSON.stringify({ id: parsed.id, status: parsed.error.status, error: parsed.error.toJSON() }));
      return;
    }
    const frame = parsed.frame;
    let params: Params;
    try {
      params = paramsOf(frame);
    } catch (error) {
      const refusal = error instanceof BinanceError ? error : new BinanceError(-1000, 'An unknown error occurred while processing the request.');
      session.socket.send(JSON.stringify({ id: frame.id, status: refusal.status, error: refusal.toJSON() }));
      return;
    }
    const apiKey = frame.params?.['apiKey'];
    const request: RestRequest = {
      method: 'WS',
      path: methodName(frame.method),
      rawQuery: '',
      rawBody: '',
      headers: typeof apiKey === 'string' ? { 'x-mbx-apikey': apiKey } : {},
      ip: session.socket.ip,
      receivedAt: this.now(),
      params,
      route: null,
      auth: null,
      state: new Map<string, unknown>([
        ['transport', 'ws-api'],
        ['session', session],
      ]),
    };
    const response = await this.pipeline.run(request);
    const perRequest = request.state.get('returnRateLimits');
    const answer = responseFrame(frame.id, request, response, this.now(), typeof perRequest === 'boolean' ? perRequest : session.returnRateLimits);
    if (this.faults.armed) {
      const decision = this.faults.beforeSend('ws-api');
      if (decision === 'drop-connection') return session.socket.drop();
      if (decision === 'silence-connection') return session.socket.silence();
    }
    session.socket.send(answer);
    // A banned client is disconnected as well as refused.
    if (response.status === 418) session.socket.close(1008, 'banned');
  }

  /** A request the pipeline could not even answer: that client loses its socket, nobody else anything. */
  private failed(session: WsApiSession, error: unknown): void {
    this.logger.error({ err: error }, 'simulator WebSocket API request failed');
    session.socket.close(1011, 'internal error');
  }

  private async routeStage(req: RestRequest, next: () => Promise<RestResponse>): Promise<RestResponse> {
    const params = req.params as Params;
    const perRequest = params.boolean('returnRateLimits');
    if (perRequest !== undefined) req.state.set('returnRateLimits', perRequest);
    const route = (req.state.get('session') as WsApiSession).routes.get(req.path);
    if (route === undefined) throw unsupported();
    req.route = route;
    return next();
  }

  private async authStage(req: RestRequest, next: () => Promise<RestResponse>): Promise<RestResponse> {
    const route = req.route as Route;
    if (route.security !== 'NONE') req.auth = authenticateParams(this.server.context, route.security, req.params as Params, this.now());
    return next();
  }

  private async executeStage(req: RestRequest): Promise<RestResponse> {
    const route = req.route as Route;
    const body = route.operation(this.server.context, req.params as Params, req.auth);
    return { status: 200, body, headers: {} };
  }
}
