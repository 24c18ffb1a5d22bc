import type { RawData, WebSocket } from 'ws';

/** How the simulator treats every WebSocket connection (market streams and the WebSocket API alike). */
export interface SocketOptions {
  /** The server pings every this many ms (Binance: 20 s). */
  pingIntervalMs: number;
  /** A connection that leaves a ping unanswered this long is disconnected (Binance: 1 min). */
  pongTimeoutMs: number;
  /** Connections are closed after this long (Binance: 24 h). */
  maxLifetimeMs: number;
  /** A client that lets this many bytes pile up unsent is disconnected as a slow consumer. */
  maxBufferedBytes: number;
}

export const DEFAULT_SOCKET_OPTIONS: SocketOptions = {
  pingIntervalMs: 20_000,
  pongTimeoutMs: 60_000,
  maxLifetimeMs: 24 * 3_600_000,
  maxBufferedBytes: 64 * 1024 * 1024,
};

/** `open`; `silent`: half-open, neither sending nor answering, yet not closed; `closed`. */
export type SocketState = 'open' | 'silent' | 'closed';

export interface SocketHandlers {
  /** A text message from the client. */
  message(text: string): void;
  /** Every frame the client sends (messages, pings, pongs), for per-connection message limits. */
  frame?(): void;
  /** The connection is gone, whichever side ended it; called once. */
  closed(): void;
}

/**
 * One client connection with Binance's heartbeat: a ping every `pingIntervalMs` carrying a
 * sequence number, and disconnection when a ping stays unanswered for `pongTimeoutMs`. Only a pong
 * echoing an outstanding ping counts (Binance: unsolicited pongs do not keep a connection alive).
 * A connection can be dropped (TCP reset, no close frame) or turned half-open for fault tests.
 */
export class SimSocket {
  state: SocketState = 'open';
  private readonly outstanding = new Set<string>();
  private pingSeq = 0;
  private pingTimer: NodeJS.Timeout | null = null;
  private pongTimer: NodeJS.Timeout | null = null;
  private lifetimeTimer: NodeJS.Timeout | null = null;
  private handlers: SocketHandlers | null = null;

  constructor(
    readonly ws: WebSocket,
    /** The client's address (limits are per IP). */
    readonly ip: string,
    private readonly options: SocketOptions,
  ) {}

  /** Starts the heartbeat and delivers the client's messages to `handlers`. */
  start(handlers: SocketHandlers): void {
    this.handlers = handlers;
    const ws = this.ws;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (this.state !== 'open') return;
      handlers.frame?.();
      if (this.state !== 'open') return;
      // A handler that throws must cost this client its socket, never the process its other clients share.
      try {
        handlers.message(isBinary ? '' : rawText(data));
      } catch {
        this.close(1011, 'internal error');
      }
    });
    ws.on('ping', (data: Buffer) => {
      if (this.state !== 'open') return;
      handlers.frame?.();
      if (this.state === 'open') ws.pong(data);
    });
    ws.on('pong', (data: Buffer) => {
      if (this.state !== 'open') return;
      if (!this.outstanding.has(data.toString())) return;
      this.outstanding.clear();
      this.clearPongTimer();
    });
    ws.on('close', () => this.ended());
    ws.on('error', () => this.ended());
    this.pingTimer = setInterval(() => this.ping(), this.options.pingIntervalMs);
    this.pingTimer.unref();
    this.lifetimeTimer = setTimeout(() => this.close(1000, 'connection lifetime reached'), this.options.maxLifetimeMs);
    this.lifetimeTimer.unref();
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /**
   * Sends a text frame unless the connection is half-open or closed; `done` runs once the frame is
   * written (or could not be). A client that stops reading until too much piles up is dropped.
   */
  send(text: string, done?: (error?: Error) => void): void {
    if (this.state !== 'open') {
      done?.();
      return;
    }
    if (this.ws.bufferedAmount > this.options.maxBufferedBytes) {
      this.drop();
      done?.();
      return;
    }
    this.ws.send(text, done);
  }

  /** Ends the connection abruptly, without a close frame (the client sees code 1006). */
  drop(): void {
    if (this.state === 'closed') return;
    this.ws.terminate();
    this.ended();
  }

  /** Stops sending anything (data, pings, pongs) and ignores the client, without closing: a half-open socket. */
  silence(): void {
    if (this.state !== 'open') return;
    this.state = 'silent';
    this.stopTimers();
  }

  /** A clean close with a close frame. */
  close(code = 1000, reason = ''): void {
    if (this.state === 'closed') return;
    this.ws.close(code, reason);
    this.stopTimers();
    // The client has a moment to answer the close frame; after that the socket goes anyway.
    setTimeout(() => this.drop(), 1000).unref();
  }

  private ping(): void {
    if (this.state !== 'open') return;
    const payload = String(++this.pingSeq);
    this.outstanding.add(payload);
    this.ws.ping(payload);
    if (this.pongTimer === null) {
      this.pongTimer = setTimeout(() => {
        this.pongTimer = null;
        if (this.outstanding.size > 0) this.drop();
      }, this.options.pongTimeoutMs);
      this.pongTimer.unref();
    }
  }

  private clearPongTimer(): void {
    if (this.pongTimer !== null) clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  private stopTimers(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    if (this.lifetimeTimer !== null) clearTimeout(this.lifetimeTimer);
    this.pingTimer = this.lifetimeTimer = null;
    this.clearPongTimer();
  }

  private ended(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.stopTimers();
    this.handlers?.closed();
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
