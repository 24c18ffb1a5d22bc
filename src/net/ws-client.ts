import { WebSocket, type ClientOptions, type RawData } from 'ws';
import { InvalidArgumentError, NetworkError, RateLimitedError, RequestTimeoutError, isRetryable } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { afterPendingIo, monotonicClock, type Cancel, type NetClock } from './clock.js';
import { Listeners } from './listeners.js';
import type { RateLimiter, RatePermit } from './rate-limiter.js';
import { PendingRequests, type WsErrorMapper, type WsUsageReader } from './ws-requests.js';

/**
 * Something the client re-establishes on every connection: a stream subscription, a user-data
 * subscription (signed anew each time), a login. `subscribe` runs once the socket is open.
 */
export interface WsSubscription {
  readonly key: string;
  subscribe(client: WsClient): Promise<void>;
  unsubscribe?(client: WsClient): Promise<void>;
}

export interface WsClientEvents {
  /** A connection opened; subscriptions are being restored. */
  open: () => void;
  /** A decoded message that answers no request (stream data, events). */
  message: (message: unknown) => void;
  /** A replacement connection is up and every subscription restored: whatever came in between was missed. */
  reconnected: () => void;
  disconnected: (reason: string) => void;
  /** A subscription the exchange refused (not retryable); it was dropped. */
  subscriptionFailed: (key: string, error: unknown) => void;
}

export interface WsClientOptions<L extends string = string> {
  /** The endpoint, or a function giving it per connection (a fresh token, a rotated host). */
  url: string | (() => string | Promise<string>);
  /** Names this connection in logs. */
  name?: string;
  /** Interval of protocol pings sent to the server; 0 sends none. Default 15 000. */
  pingIntervalMs?: number;
  /**
   * No frame at all (message, ping or pong) for this long: the connection is presumed half-open,
   * terminated and replaced. Default 30 000.
   */
  idleTimeoutMs?: number;
  /**
   * Application-level liveness: a request (such as `{ method: 'ping' }`) sent every `intervalMs`.
   * Its answer is consumed here; no answer within `timeoutMs` (default: the interval) means the
   * exchange's application is gone even if the socket answers pings, so the connection is replaced.
   */
  heartbeat?: { intervalMs: number; request: () => Readonly<Record<string, unknown>>; timeoutMs?: number };
  /** Handshake timeout. Default 10 000. */
  connectTimeoutMs?: number;
  /** Default timeout of `request`. Default 10 000. */
  requestTimeoutMs?: number;
  /** How long `stop` waits for the server to acknowledge the close. Default 2 000. */
  closeTimeoutMs?: number;
  /** Reconnect delays. Default 250 ms doubling up to 30 s, half jittered. */
  reconnect?: Partial<BackoffOptions>;
  /** Field carrying the request id in requests and answers. Default `id`. */
  idField?: string;
  errorMapper?: WsErrorMapper;
  /** Feeds the usage counts carried by answers to the limiter. */
  usageReader?: WsUsageReader;
  /** Decodes a frame; default JSON text. A throw drops the frame (logged). */
  decode?: (data: RawData, isBinary: boolean) => unknown;
  /** Connection attempts and requests wait for their rate limit slot here. */
  limiter?: RateLimiter<L>;
  /** The limit id each connection attempt is charged to. */
  connectLimitId?: L;
  /** Extra `ws` options (headers, perMessageDeflate...). */
  wsOptions?: ClientOptions;
  clock?: NetClock;
  logger?: Logger;
  random?: () => number;
}

export interface WsRequestOptions<L extends string = string> {
  timeoutMs?: number;
  limitId?: L;
}

export type WsState = 'idle' | 'connecting' | 'open' | 'stopping' | 'stopped';

/**
 * One logical WebSocket connection that stays up: heartbeats, half-open detection, reconnection
 * with exponential backoff and jitter, every subscription restored on each new connection, then
 * `reconnected` so the layers above can fill the gap (resync a book, poll orders). Requests are
 * matched to answers by id, each with a timeout. Server pings are answered by `ws` itself.
 */
export class WsClient<L extends string = string> {
  private readonly opts: WsClientOptions<L>;
  private readonly clock: NetClock;
  private readonly logger: Logger;
  private readonly listeners: Listeners<WsClientEvents>;
  private readonly pending: PendingRequests;
  private readonly subscriptions = new Map<string, WsSubscription>();
  private readonly backoff: BackoffOptions;
  private readonly idField: string;
  private socket: WebSocket | undefined;
  private stateValue: WsState = 'idle';
  private attempts = 0;
  private everOpen = false;
  private lastSeen = 0;
  private opened = 0;
  private reconnectNow = false;
  private timers: { reconnect?: Cancel; ping?: Cancel; idle?: Cancel; heartbeat?: Cancel } = {};
  private firstReady: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined;

  constructor(options: WsClientOptions<L>) {
    this.opts = options;
    this.clock = options.clock ?? monotonicClock;
    this.logger = (options.logger ?? silentLogger()).child({ ws: options.name ?? 'ws' });
    this.listeners = new Listeners(this.logger);
    this.idField = options.idField ?? 'id';
    this.backoff = {
      initialDelayMs: options.reconnect?.initialDelayMs ?? 250,
      maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
      factor: options.reconnect?.factor ?? 2,
      jitter: options.reconnect?.jitter ?? 0.5,
    };
    this.pending = new PendingRequests(this.clock, options.errorMapper, (err) =>
      this.logger.error({ err }, 'WebSocket error mapper threw; answer passed on as is'),
    );
    if (options.connectLimitId !== undefined) options.limiter?.assertLimit(options.connectLimitId);
    if (options.usageReader && options.limiter) {
      for (const pool of options.usageReader.pools) {
        if (!options.limiter.hasPool(pool)) {
          throw new InvalidArgumentError(`usage reader reports on pool "${pool}", which the rate limiter does not have`, 'usageReader');
        }
      }
    }
  }

  on<K extends keyof WsClientEvents>(event: K, listener: WsClientEvents[K]): () => void {
    return this.listeners.on(event, listener);
  }

  off<K extends keyof WsClientEvents>(event: K, listener: WsClientEvents[K]): void {
    this.listeners.off(event, listener);
  }

  get state(): WsState {
    return this.stateValue;
  }

  get isOpen(): boolean {
    return this.stateValue === 'open';
  }

  /**
   * When the current connection last received a frame of any kind (message, answer, ping or pong),
   * on the client's clock; 0 while no connection is open.
   */
  get lastReceivedAt(): number {
    return this.stateValue === 'open' && this.socket ? this.lastSeen : 0;
  }

  /** Connections opened so far (the first one included). */
  get connectionCount(): number {
    return this.opened;
  }

  /**
   * Connects, retrying with backoff until it succeeds; resolves once the first connection is open
   * and its subscriptions are in place. Rejects only if `stop` comes first.
   */
  start(): Promise<void> {
    if (this.firstReady && this.stateValue !== 'stopped') return this.firstReady.promise;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined);
    this.firstReady = { promise, resolve, reject };
    this.everOpen = false;
    this.attempts = 0;
    this.stateValue = 'connecting';
    this.connect();
    return promise;
  }

  /** Closes cleanly (close frame 1000) and stops reconnecting. Requests waiting fail with NetworkError. */
  async stop(): Promise<void> {
    if (this.stateValue === 'idle' || this.stateValue === 'stopped') return;
    this.stateValue = 'stopping';
    this.clearTimers();
    this.firstReady?.reject(new NetworkError('WebSocket client stopped before it connected'));
    this.pending.failAll('client stopped');
    const socket = this.socket;
    if (socket) await this.closeSocket(socket);
    this.socket = undefined;
    this.stateValue = 'stopped';
  }

  /** Replaces the connection now (the exchange announced a shutdown, a token expired). */
  reconnect(reason = 'reconnect requested'): void {
    const socket = this.socket;
    if (!socket || this.stateValue === 'stopping' || this.stateValue === 'stopped') return;
    this.logger.info({ reason }, 'replacing the connection');
    this.reconnectNow = true;
    socket.terminate();
  }

  /**
   * Registers `subscription` and applies it now if connected (otherwise on the next connection);
   * every later connection applies it again. A refusal that retrying cannot fix drops it and throws.
   */
  async subscribe(subscription: WsSubscription): Promise<void> {
    if (this.subscriptions.has(subscription.key)) {
      throw new InvalidArgumentError(`already subscribed: ${subscription.key}`, 'key');
    }
    this.subscriptions.set(subscription.key, subscription);
    if (!this.isOpen) return;
    try {
      await subscription.subscribe(this);
    } catch (err) {
      if (!isRetryable(err)) this.subscriptions.delete(subscription.key);
      throw err;
    }
  }

  async unsubscribe(key: string): Promise<void> {
    const subscription = this.subscriptions.get(key);
    if (!subscription) return;
    this.subscriptions.delete(key);
    if (this.isOpen && subscription.unsubscribe) await subscription.unsubscribe(this);
  }

  get subscriptionKeys(): string[] {
    return [...this.subscriptions.keys()];
  }

  /** Sends a message as is (objects as JSON). Throws NetworkError when not connected: nothing was sent. */
  send(message: unknown): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      throw new NetworkError(`${this.opts.name ?? 'WebSocket'} is not connected; message not sent`);
    }
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /**
   * Sends `payload` with a fresh id and resolves with the answer carrying that id (rejects with the
   * error mapper's error, RequestTimeoutError, or NetworkError if the connection drops first). A
   * RateLimitedError answer pauses the limiter, as a 429 does over REST.
   */
  async request<T = unknown>(payload: Readonly<Record<string, unknown>>, options: WsRequestOptions<L> = {}): Promise<T> {
    const limiter = this.opts.limiter;
    let permit: RatePermit | undefined;
    if (options.limitId !== undefined && limiter) permit = await limiter.acquire(options.limitId);
    const id = this.pending.nextId();
    const timeoutMs = options.timeoutMs ?? this.opts.requestTimeoutMs ?? 10_000;
    const what = `${this.opts.name ?? 'WebSocket'} request ${String(payload.method ?? id)}`;
    try {
      this.send({ ...payload, [this.idField]: id });
    } catch (err) {
      permit?.release();
      throw err;
    }
    try {
      return (await this.pending.wait(id, timeoutMs, what, () => permit?.release())) as T;
    } catch (err) {
      if (err instanceof RateLimitedError) limiter?.pause(err.retryAfterMs, err.message);
      throw err;
    }
  }

  private connect(): void {
    if (this.stateValue !== 'connecting') return;
    this.open().catch((err: unknown) => {
      this.logger.warn({ err }, 'could not open a connection');
      this.scheduleReconnect();
    });
  }

  private async open(): Promise<void> {
    const { url, limiter, connectLimitId } = this.opts;
    const target = typeof url === 'function' ? await url() : url;
    if (connectLimitId !== undefined && limiter) (await limiter.acquire(connectLimitId)).release();
    if (this.stateValue !== 'connecting') return;
    const socket = new WebSocket(target, {
      handshakeTimeout: this.opts.connectTimeoutMs ?? 10_000,
      ...this.opts.wsOptions,
    });
    this.socket = socket;
    socket.on('open', () => void this.onOpen(socket));
    socket.on('message', (data, isBinary) => this.onMessage(socket, data, isBinary));
    socket.on('ping', () => this.touch(socket));
    socket.on('pong', () => this.touch(socket));
    socket.on('error', (err) => this.logger.warn({ err: err.message }, 'WebSocket error'));
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString()));
  }

  private async onOpen(socket: WebSocket): Promise<void> {
    if (socket !== this.socket || this.stateValue !== 'connecting') return;
    this.stateValue = 'open';
    this.opened++;
    this.touch(socket);
    this.startLiveness(socket);
    this.listeners.emit('open');
    try {
      await this.restoreSubscriptions(socket);
    } catch (err) {
      if (socket !== this.socket) return;
      this.logger.warn({ err }, 'restoring subscriptions failed; replacing the connection');
      socket.terminate();
      return;
    }
    if (socket !== this.socket || this.stateValue !== 'open') return;
    this.attempts = 0;
    if (this.everOpen) {
      this.logger.info('reconnected and resubscribed');
      this.listeners.emit('reconnected');
    } else {
      this.everOpen = true;
      this.firstReady?.resolve();
    }
  }

  private async restoreSubscriptions(socket: WebSocket): Promise<void> {
    for (const subscription of [...this.subscriptions.values()]) {
      if (socket !== this.socket) return;
      if (this.subscriptions.get(subscription.key) !== subscription) continue;
      try {
        await subscription.subscribe(this);
      } catch (err) {
        if (isRetryable(err) || socket !== this.socket) throw err;
        this.subscriptions.delete(subscription.key);
        this.logger.error({ err, key: subscription.key }, 'subscription refused; dropped');
        this.listeners.emit('subscriptionFailed', subscription.key, err);
      }
    }
  }

  private onMessage(socket: WebSocket, data: RawData, isBinary: boolean): void {
    if (socket !== this.socket) return;
    this.touch(socket);
    let message: unknown;
    try {
      message = this.opts.decode ? this.opts.decode(data, isBinary) : JSON.parse(rawText(data));
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, bytes: rawLength(data) }, 'undecodable message skipped');
      return;
    }
    const id = message !== null && typeof message === 'object' ? (message as Record<string, unknown>)[this.idField] : undefined;
    if (this.pending.settle(id, message)) {
      this.readUsage(message);
      return;
    }
    this.listeners.emit('message', message);
  }

  private readUsage(message: unknown): void {
    const { usageReader, limiter } = this.opts;
    if (!usageReader || !limiter) return;
    try {
      for (const { pool, used } of usageReader.readUsage(message)) limiter.observeUsage(pool, used);
    } catch (err) {
      this.logger.error({ err }, 'usage reader threw; usage not recorded');
    }
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.stopLiveness();
    const why = `closed (${code}${reason ? ` ${reason}` : ''})`;
    this.pending.failAll(`connection ${why}`);
    if (this.stateValue === 'stopping' || this.stateValue === 'stopped') return;
    const wasOpen = this.stateValue === 'open';
    this.stateValue = 'connecting';
    if (wasOpen) {
      this.logger.warn({ code, reason }, 'connection lost; reconnecting');
      this.listeners.emit('disconnected', why);
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stateValue !== 'connecting') return;
    const delay = this.reconnectNow ? 0 : backoffDelay(this.attempts++, this.backoff, this.opts.random);
    this.reconnectNow = false;
    this.logger.debug({ delay, attempt: this.attempts }, 'reconnect scheduled');
    this.timers.reconnect = this.clock.schedule(delay, () => {
      this.timers.reconnect = undefined;
      this.connect();
    });
  }

  private touch(socket: WebSocket): void {
    if (socket === this.socket) this.lastSeen = this.clock.now();
  }

  private startLiveness(socket: WebSocket): void {
    const pingEvery = this.opts.pingIntervalMs ?? 15_000;
    const idleTimeout = this.opts.idleTimeoutMs ?? 30_000;
    const heartbeat = this.opts.heartbeat;
    if (pingEvery > 0) {
      const ping = (): void => {
        if (socket !== this.socket) return;
        try {
          socket.ping();
        } catch (err) {
          this.logger.debug({ err }, 'ping failed');
        }
        this.timers.ping = this.clock.schedule(pingEvery, ping);
      };
      this.timers.ping = this.clock.schedule(pingEvery, ping);
    }
    if (heartbeat) {
      const beat = (): void => {
        if (socket !== this.socket) return;
        this.request(heartbeat.request(), { timeoutMs: heartbeat.timeoutMs ?? heartbeat.intervalMs }).catch((err: unknown) => {
          if (!(err instanceof RequestTimeoutError) || socket !== this.socket) return;
          this.logger.warn('heartbeat unanswered; replacing the connection');
          socket.terminate();
        });
        this.timers.heartbeat = this.clock.schedule(heartbeat.intervalMs, beat);
      };
      this.timers.heartbeat = this.clock.schedule(heartbeat.intervalMs, beat);
    }
    if (idleTimeout > 0) {
      const check = (): void => {
        if (socket !== this.socket) return;
        const silentFor = this.clock.now() - this.lastSeen;
        if (silentFor >= idleTimeout) {
          this.logger.warn({ silentForMs: silentFor }, 'no traffic; connection presumed half-open, replacing it');
          socket.terminate();
          return;
        }
        this.timers.idle = this.clock.schedule(idleTimeout - silentFor, () => afterPendingIo(check));
      };
      this.timers.idle = this.clock.schedule(idleTimeout, () => afterPendingIo(check));
    }
  }

  private stopLiveness(): void {
    for (const key of ['ping', 'idle', 'heartbeat'] as const) {
      const timer = this.timers[key];
      timer?.();
      this.timers[key] = undefined;
    }
  }

  private clearTimers(): void {
    this.stopLiveness();
    this.timers.reconnect?.();
    this.timers.reconnect = undefined;
  }

  private closeSocket(socket: WebSocket): Promise<void> {
    return new Promise((resolve) => {
      if (socket.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      const timer = this.clock.schedule(this.opts.closeTimeoutMs ?? 2_000, () => socket.terminate());
      socket.once('close', () => {
        timer();
        resolve();
      });
      if (socket.readyState === WebSocket.OPEN) socket.close(1000, 'client stopping');
      else socket.terminate();
    });
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}
