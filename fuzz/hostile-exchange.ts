import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { mutateJson, mutateText } from './lib/mutate.js';
import type { Rng } from './lib/rng.js';

/**
 * A hostile Binance on 127.0.0.1: a proxy in front of the simulator that passes the client's
 * requests through unchanged and mutates a share of the answers and events (REST bodies, WebSocket
 * API frames, market-stream events) on their way back, so the connector meets valid traffic with
 * hostile messages mixed in, in a live session.
 */
export class HostileExchange {
  /** Answers and events passed to the client, mutated or not. */
  delivered = 0;
  mutated = 0;
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 << 20 });
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly upstream: { restUrl: string; wsBase: string },
    private readonly rng: Rng,
    private readonly share: number,
  ) {
    this.http = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.forward(req, Buffer.concat(chunks)).then(
          ({ status, headers, body }) => res.writeHead(status, headers).end(body),
          () => res.destroy(),
        );
      });
    });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  async listen(): Promise<{ restUrl: string; wsApiUrl: string; streamUrl: string }> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    const port = (this.http.address() as AddressInfo).port;
    return { restUrl: `http://127.0.0.1:${port}`, wsApiUrl: `ws://127.0.0.1:${port}/ws-api/v3`, streamUrl: `ws://127.0.0.1:${port}/ws` };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** A valid text, or one mutated: as JSON (values, keys, types) most of the time, as bytes otherwise. */
  private spoil(text: string): string {
    this.delivered++;
    if (!this.rng.chance(this.share)) return text;
    this.mutated++;
    if (this.rng.chance(0.2)) return mutateText(text, this.rng);
    try {
      return JSON.stringify(mutateJson(JSON.parse(text), this.rng)) ?? 'null';
    } catch {
      return mutateText(text, this.rng);
    }
  }

  private async forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection') headers[k] = v;
    const res = await fetch(`${this.upstream.restUrl}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      ...(body.length > 0 ? { body } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    const out: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      if (key !== 'content-length' && key !== 'transfer-encoding' && key !== 'connection' && key !== 'keep-alive') out[key] = value;
    });
    return { status: res.status, headers: out, body: text.length > 0 ? this.spoil(text) : text };
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const upstream = new WebSocket(`${this.upstream.wsBase}${req.url ?? '/'}`);
    upstream.on('error', () => socket.destroy());
    upstream.once('open', () => {
      this.wss.handleUpgrade(req, socket, head, (client) => {
        this.sockets.add(client);
        client.on('message', (data: Buffer, isBinary) => upstream.readyState === WebSocket.OPEN && upstream.send(data, { binary: isBinary }));
        upstream.on('message', (data: Buffer) => client.readyState === WebSocket.OPEN && client.send(this.spoil(data.toString('utf8'))));
        const end = () => {
          this.sockets.delete(client);
          client.terminate();
          upstream.terminate();
        };
        client.on('close', end);
        client.on('error', end);
        upstream.on('close', end);
      });
    });
  }
}
