import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { BinanceServer } from '../binance/server.js';
import { SimSocket, type SocketOptions } from './socket.js';

/** What a group decides about an upgrade before it happens: accept, or answer with an HTTP status. */
export type UpgradeCheck = (request: IncomingMessage, ip: string) => { status: number; headers?: Record<string, string>; body?: string } | null;

/**
 * The WebSocket connections of one kind (market streams, or the WebSocket API) on the simulator's
 * HTTP port: upgrades on the paths it claims, the live sockets, and their planned shutdown.
 */
export class SocketGroup {
  readonly sockets = new Set<SimSocket>();
  private readonly wss: WebSocketServer;
  private readonly removeUpgrade: () => void;

  constructor(
    server: BinanceServer,
    matches: (path: string) => boolean,
    private readonly options: SocketOptions,
    onConnection: (socket: SimSocket, request: IncomingMessage) => void,
    check?: UpgradeCheck,
  ) {
    // Pongs are answered by SimSocket itself, so a half-open socket can stay silent.
    this.wss = new WebSocketServer({ noServer: true, autoPong: false, maxPayload: 1 << 20, perMessageDeflate: false });
    this.removeUpgrade = server.onUpgrade(matches, (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const ip = request.socket.remoteAddress ?? '';
      const refusal = check?.(request, ip);
      if (refusal) {
        refuse(socket, refusal.status, refusal.headers ?? {}, refusal.body ?? '');
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        const sim = new SimSocket(ws, ip, this.options);
        this.sockets.add(sim);
        ws.once('close', () => this.sockets.delete(sim));
        try {
          onConnection(sim, request);
        } catch {
          sim.close(1011, 'internal error');
        }
      });
    });
  }

  /** Sends `notice(socket)` (Binance's serverShutdown) to every open connection, then closes them with 1001. */
  shutdown(notice: (socket: SimSocket) => string, graceMs = 0): Promise<void> {
    const open = [...this.sockets].filter((s) => s.isOpen);
    for (const s of open) s.send(notice(s));
    // The grace timer stays referenced: a close awaits it, and when the server never listened
    // (a bad --host) nothing else would keep the process alive to finish the close and report
    // the error: it exited 0 in silence.
    return new Promise((resolve) => {
      setTimeout(() => {
        for (const s of open) s.close(1001, 'server shutdown');
        resolve();
      }, graceMs);
    });
  }

  /** Stops accepting upgrades and ends every connection; resolves once they are gone. */
  async close(): Promise<void> {
    this.removeUpgrade();
    const closing = [...this.sockets].map((s) => new Promise<void>((resolve) => {
      if (s.ws.readyState === s.ws.CLOSED) return resolve();
      s.ws.once('close', () => resolve());
      s.close(1001, 'server shutdown');
    }));
    await Promise.all(closing);
    this.wss.close();
  }
}

function refuse(socket: Duplex, status: number, headers: Record<string, string>, body: string): void {
  const lines = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`, 'Connection: close', `Content-Length: ${Buffer.byteLength(body)}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 418: "I'm a teapot", 429: 'Too Many Requests' };
