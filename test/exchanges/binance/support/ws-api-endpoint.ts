import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { hmacSha256Hex, sortedPayload } from '../../../../src/simulator/index.js';

interface Connection {
  readonly ws: WebSocket;
  readonly socket: Socket;
  subscriptionId: number | undefined;
}

/**
 * A bare WebSocket API endpoint on 127.0.0.1 for what the simulator does not do on purpose: send
 * frames Binance would never send (malformed events, events for unknown symbols) and refuse a
 * subscription with a chosen error. It answers `userDataStream.subscribe.signature` as Binance does,
 * checking the HMAC over the sorted parameters with the simulator's own implementation, and pushes
 * whatever the test gives it to subscribed connections as `{subscriptionId, event}`.
 */
export class WsApiEndpoint {
  url = '';
  private server!: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private nextSubscriptionId = 0;
  /** Every request received: method and parameter names (never their values). */
  readonly requests: Array<{ method: string; params: string[] }> = [];
  accepted = 0;
  /** While set, subscriptions are answered with this error (`times` of them, or all while set). */
  refuseWith: { status: number; code: number; msg: string; times?: number } | undefined;

  constructor(
    private readonly apiKey: string,
    private readonly apiSecret: string,
  ) {}

  static async start(apiKey: string, apiSecret: string): Promise<WsApiEndpoint> {
    const endpoint = new WsApiEndpoint(apiKey, apiSecret);
    endpoint.server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws-api/v3' });
    await new Promise<void>((resolve) => endpoint.server.once('listening', () => resolve()));
    endpoint.url = `ws://127.0.0.1:${(endpoint.server.address() as AddressInfo).port}/ws-api/v3`;
    endpoint.server.on('connection', (ws, req) => endpoint.accept(ws, req.socket));
    return endpoint;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get subscribed(): number {
    return [...this.connections].filter((c) => c.subscriptionId !== undefined).length;
  }

  /** Sends `event` to every subscription, wrapped as Binance wraps user data events. */
  push(event: unknown): void {
    for (const c of this.connections) {
      if (c.subscriptionId !== undefined) c.ws.send(JSON.stringify({ subscriptionId: c.subscriptionId, event }));
    }
  }

  sendRaw(text: string): void {
    for (const c of this.connections) c.ws.send(text);
  }

  /** Ends every subscription as `userDataStream.unsubscribe` would: `eventStreamTerminated`, connection kept. */
  terminate(): void {
    for (const c of this.connections) {
      if (c.subscriptionId === undefined) continue;
      c.ws.send(JSON.stringify({ subscriptionId: c.subscriptionId, event: { e: 'eventStreamTerminated', E: Date.now() } }));
      c.subscriptionId = undefined;
    }
  }

  dropAll(): void {
    for (const c of this.connections) c.socket.destroy();
  }

  private accept(ws: WebSocket, socket: Socket): void {
    this.accepted++;
    const connection: Connection = { ws, socket, subscriptionId: undefined };
    this.connections.add(connection);
    ws.on('close', () => this.connections.delete(connection));
    ws.on('error', () => undefined);
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as { id: unknown; method: string; params?: Record<string, string | number> };
      const params = msg.params ?? {};
      this.requests.push({ method: msg.method, params: Object.keys(params).sort() });
      const reply = (body: Record<string, unknown>): void => ws.send(JSON.stringify({ id: msg.id, ...body }));
      if (msg.method !== 'userDataStream.subscribe.signature') {
        reply({ status: 400, error: { code: -1100, msg: 'Unknown method.' } });
        return;
      }
      if (this.refuseWith) {
        const { status, code, msg: text, times } = this.refuseWith;
        if (times !== undefined) this.refuseWith = times > 1 ? { ...this.refuseWith, times: times - 1 } : undefined;
        reply({ status, error: { code, msg: text } });
        return;
      }
      const { signature, ...signed } = params;
      const expected = hmacSha256Hex(this.apiSecret, sortedPayload(Object.entries(signed).map(([k, v]) => [k, String(v)] as [string, string])));
      if (params.apiKey !== this.apiKey || signature !== expected) {
        reply({ status: 400, error: { code: -1022, msg: 'Signature for this request is not valid.' } });
        return;
      }
      connection.subscriptionId = this.nextSubscriptionId++;
      reply({ status: 200, result: { subscriptionId: connection.subscriptionId } });
    });
  }
}
