import WebSocket, { type ClientOptions } from 'ws';
import { waitFor } from '../../support/wait.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON under test */

/** A plain `ws` client for the tests: every JSON message is kept, and tests wait for the ones they need. */
export class WsTestClient {
  readonly messages: any[] = [];
  /** Resolves with the close code when the connection ends, whoever ends it. */
  readonly closed: Promise<number>;
  pings = 0;
  private readonly taken = new Set<number>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.messages.push(JSON.parse(data.toString())));
    ws.on('ping', () => this.pings++);
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  }

  static async open(url: string, options: ClientOptions = {}): Promise<WsTestClient> {
    const ws = new WebSocket(url, options);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new WsTestClient(ws);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The oldest message not taken yet that satisfies `predicate` (waiting for it); it is taken, others stay. */
  async next(predicate: (m: any) => boolean = () => true, what = 'a message', timeoutMs = 10_000): Promise<any> {
    let found: any;
    await waitFor(
      () => {
        for (let i = 0; i < this.messages.length; i++) {
          if (this.taken.has(i) || !predicate(this.messages[i])) continue;
          this.taken.add(i);
          found = this.messages[i];
          return true;
        }
        return false;
      },
      what,
      timeoutMs,
    );
    return found;
  }

  /** Sends a request and waits for the answer carrying its id. */
  async request(message: { id: unknown } & Record<string, unknown>, timeoutMs = 10_000): Promise<any> {
    this.send(message);
    return this.next((m) => m && m.id === message.id, `the answer to ${JSON.stringify(message)}`, timeoutMs);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closed;
  }
}
