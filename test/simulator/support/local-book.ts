import WebSocket from 'ws';
import { waitFor } from '../../support/wait.js';

interface DepthEvent {
  U: number;
  u: number;
  b: [string, string][];
  a: [string, string][];
}

interface Snapshot {
  lastUpdateId: number;
  bids: [string, string][];
  asks: [string, string][];
}

/**
 * A local order book kept the way Binance documents (§6): buffer the diff stream, fetch a REST
 * snapshot until it is not older than the first buffered diff, drop diffs it already contains, then
 * apply every diff, each of which must start right after the previous one. Written for the tests,
 * independent of venuekit's own book.
 */
export class LocalBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  /** The update id the book is at; -1 until synchronized. */
  id = -1;
  /** Diffs that did not start right after the previous one (must stay 0). */
  gaps: string[] = [];
  applied = 0;
  private readonly buffer: DepthEvent[] = [];
  /** The next diff applied is the first after the snapshot (it may start before the snapshot's id). */
  private awaitingFirst = true;
  private ws: WebSocket | null = null;

  constructor(
    private readonly wsBase: string,
    private readonly restUrl: string,
    readonly symbol: string,
    readonly stream: string,
  ) {}

  async start(): Promise<void> {
    const ws = new WebSocket(`${this.wsBase}/${this.stream}`);
    this.ws = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { e?: string };
      if (message.e === 'depthUpdate') this.receive(message as unknown as DepthEvent);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await waitFor(() => this.buffer.length > 0, `a first diff on ${this.stream}`);
    const firstU = (this.buffer[0] as DepthEvent).U;
    let snapshot: Snapshot;
    do snapshot = await this.snapshot();
    while (snapshot.lastUpdateId < firstU);
    for (const [p, q] of snapshot.bids) this.bids.set(p, q);
    for (const [p, q] of snapshot.asks) this.asks.set(p, q);
    this.id = snapshot.lastUpdateId;
    for (const e of this.buffer.splice(0)) this.apply(e);
  }

  async snapshot(): Promise<Snapshot> {
    const res = await fetch(`${this.restUrl}/api/v3/depth?symbol=${this.symbol}&limit=5000`);
    return (await res.json()) as Snapshot;
  }

  /** Bids best first, then asks best first, as the REST depth lists them. */
  levels(): { bids: [string, string][]; asks: [string, string][] } {
    const sort = (m: Map<string, string>, desc: boolean) => [...m].sort((x, y) => (desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
    return { bids: sort(this.bids, true), asks: sort(this.asks, false) };
  }

  close(): void {
    this.ws?.close();
  }

  private receive(e: DepthEvent): void {
    if (this.id < 0) {
      this.buffer.push(e);
      return;
    }
    this.apply(e);
  }

  private apply(e: DepthEvent): void {
    if (e.u <= this.id) return;
    if (this.awaitingFirst) {
      this.awaitingFirst = false;
      if (!(e.U <= this.id + 1 && this.id + 1 <= e.u)) this.gaps.push(`first diff ${e.U}..${e.u} after snapshot ${this.id}`);
    } else if (e.U !== this.id + 1) {
      this.gaps.push(`diff ${e.U}..${e.u} after ${this.id}`);
    }
    for (const [p, q] of e.b) this.set(this.bids, p, q);
    for (const [p, q] of e.a) this.set(this.asks, p, q);
    this.id = e.u;
    this.applied++;
  }

  private set(side: Map<string, string>, price: string, qty: string): void {
    if (Number(qty) === 0) side.delete(price);
    else side.set(price, qty);
  }
}
