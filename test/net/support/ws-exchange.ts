import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

interface Connection {
  readonly ws: WebSocket;
  readonly socket: Socket;
  readonly streams: Set<string>;
  silent: boolean;
}

/**
 * A Binance-like WebSocket endpoint on 127.0.0.1 for the network layer's tests:
 * - `{"method":"SUBSCRIBE","params":[...],"id":N}` → `{"result":null,"id":N}` (streams `refuses`
 *   picks, by default those starting with `bad`, are refused with `{"code":2,"msg":…,"id":N}`),
 *   UNSUBSCRIBE likewise; with `answerSubscribe` false a SUBSCRIBE is never answered;
 * - `echo` answers `{"id","status":200,"result":params}`, `fail` answers an error, `never` is never answered;
 * - `weighted` answers with `rateLimits` counting `params` weight; `limited` answers 429 with `retryAfter`;
 * - `ping` (application level) answers `{"id","result":{}}`.
 * Faults: `dropAll` destroys every TCP connection; `silenceAll` leaves them open but stops reading
 * and writing (a half-open connection: pings go unanswered, nothing arrives).
 */
export class WsExchange {
  url = '';
  private server!: WebSocketServer;
  private readonly connections = new Set<Connection>();
  /** When each connection was accepted. */
  readonly acceptedAt: number[] = [];
  /** Close codes received from clients. */
  readonly closeCodes: number[] = [];
  /** Protocol pings received from clients. */
  pingsReceived = 0;
  /** Every request method received, in order. */
  readonly methods: string[] = [];
  /** Which streams a SUBSCRIBE or UNSUBSCRIBE is refused for. */
  refuses: (stream: string) => boolean = (s) => s.startsWith('bad');
  /** False: SUBSCRIBE frames are read and never answered (a stream host that never confirms). */
  answerSubscribe = true;

  static async start(): Promise<WsExchange> {
    const ex = new WsExchange();
    ex.server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => ex.server.once('listening', () => resolve()));
    ex.url = `ws://127.0.0.1:${(ex.server.address() as AddressInfo).port}/ws`;
    ex.server.on('connection', (ws, req) => ex.accept(ws, req.socket));
    return ex;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Connections accepted so far. */
  get accepted(): number {
    return this.acceptedAt.length;
  }

  /** Live connections (not silenced). */
  get open(): number {
    return [...this.connections].filter((c) => !c.silent).length;
  }

  /** Streams subscribed on the live connections. */
  subscriptions(): string[] {
    return [...this.connections].filter((c) => !c.silent).flatMap((c) => [...c.streams]).sort();
  }

  publish(stream: string, data: unknown): void {
    for (const c of this.connections) {
      if (!c.silent && c.streams.has(stream)) c.ws.send(JSON.stringify({ stream, data }));
    }
  }

  sendRaw(text: string): void {
    for (const c of this.connections) if (!c.silent) c.ws.send(text);
  }

  dropAll(): void {
    for (const c of this.connections) c.socket.destroy();
  }

  silenceAll(): void {
    for (const c of this.connections) {
      c.silent = true;
      c.socket.pause();
    }
  }

  /** Pings every live client and resolves when all have answered. */
  async pingAll(): Promise<void> {
    await Promise.all(
      [...this.connections]
        .filter((c) => !c.silent)
        .map((c) => new Promise<void>((resolve) => {
          c.ws.once('pong', () => resolve());
          c.ws.ping('are-you-there');
        })),
    );
  }

  private accept(ws: WebSocket, socket: Socket): void {
    this.acceptedAt.push(Date.now());
    const connection: Connection = { ws, socket, streams: new Set(), silent: false };
    this.connections.add(connection);
    ws.on('close', (code) => {
      this.connections.delete(connection);
      this.closeCodes.push(code);
    });
    ws.on('error', () => undefined);
    ws.on('ping', () => this.pingsReceived++);
    ws.on('message', (raw) => {
      if (connection.silent) return;
      let msg: { id?: unknown; method?: string; params?: unknown };
      try {
        msg = JSON.parse(raw.toString()) as typeof msg;
      } catch {
        ws.send(JSON.stringify({ code: 3, msg: 'Invalid JSON' }));
        return;
      }
      this.methods.push(msg.method ?? '?');
      const reply = (body: Record<string, unknown>): void => ws.send(JSON.stringify({ ...body, id: msg.id }));
      switch (msg.method) {
        case 'SUBSCRIBE':
        case 'UNSUBSCRIBE': {
          const streams = msg.params as string[];
          if (msg.method === 'SUBSCRIBE' && !this.answerSubscribe) return;
          if (streams.some((s) => this.refuses(s))) {
            reply({ code: 2, msg: `Invalid request: unknown stream ${streams.join(',')}` });
            return;
          }
          for (const s of streams) {
            if (msg.method === 'SUBSCRIBE') connection.streams.add(s);
            else connection.streams.delete(s);
          }
          reply({ result: null });
          return;
        }
        case 'echo':
          reply({ status: 200, result: msg.params });
          return;
        case 'weighted':
          reply({ status: 200, result: {}, rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', count: msg.params }] });
          return;
        case 'limited':
          reply({ status: 429, error: { code: -1003, msg: 'Too much request weight used', data: { retryAfter: Date.now() + 200 } } });
          return;
        case 'fail':
          reply({ status: 400, error: { code: -1100, msg: 'Illegal characters found in parameter' } });
          return;
        case 'ping':
          reply({ result: {} });
          return;
        case 'never':
          return;
        default:
          reply({ code: 2, msg: 'Invalid request: unknown method' });
      }
    });
  }
}
