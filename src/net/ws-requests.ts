import { NetworkError, RequestTimeoutError, type VenuekitError } from '../core/errors.js';
import { afterPendingIo, type Cancel, type NetClock } from './clock.js';
import type { ReportedUsage } from './rest-types.js';

/** Reads errors out of a WebSocket API's answers (Binance: `{"id":…,"status":400,"error":{"code":…}}`). */
export interface WsErrorMapper {
  mapError(message: unknown): VenuekitError | undefined;
}

/** Reads the exchange's usage counts out of a WebSocket API answer (Binance: its `rateLimits` array). */
export interface WsUsageReader {
  /** The rate limit pools this reader reports on, checked against the limiter when the client is built. */
  readonly pools: readonly string[];
  readUsage(message: unknown): Iterable<ReportedUsage>;
}

interface Pending {
  readonly resolve: (message: unknown) => void;
  readonly reject: (err: unknown) => void;
  readonly cancelTimer: Cancel;
  readonly done: () => void;
}

/** Requests sent on a WebSocket and waiting for the answer that carries their id. */
export class PendingRequests {
  private readonly pending = new Map<string | number, Pending>();
  private seq = 0;

  constructor(
    private readonly clock: NetClock,
    private readonly errorMapper: WsErrorMapper | undefined,
    private readonly onMapperError: (err: unknown) => void,
  ) {}

  nextId(): number {
    return ++this.seq;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Waits for the answer to `id`; `done` runs once it settles either way. */
  wait(id: string | number, timeoutMs: number, what: string, done: () => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const cancelTimer = this.clock.schedule(timeoutMs, () =>
        afterPendingIo(() => {
          if (!this.take(id)) return;
          reject(new RequestTimeoutError(`${what}: no answer within ${timeoutMs} ms`));
        }),
      );
      this.pending.set(id, { resolve, reject, cancelTimer, done });
    });
  }

  /** Settles the request `message` answers. False when it answers none (a stream event). */
  settle(id: unknown, message: unknown): boolean {
    if (typeof id !== 'string' && typeof id !== 'number') return false;
    const entry = this.take(id);
    if (!entry) return false;
    let error: VenuekitError | undefined;
    try {
      error = this.errorMapper?.mapError(message);
    } catch (err) {
      this.onMapperError(err);
    }
    if (error) entry.reject(error);
    else entry.resolve(message);
    return true;
  }

  /** Fails every waiting request: the connection is gone, their outcome unknown. */
  failAll(reason: string): void {
    for (const id of [...this.pending.keys()]) {
      this.take(id)?.reject(new NetworkError(`${reason} before the answer arrived`));
    }
  }

  private take(id: string | number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    entry.cancelTimer();
    entry.done();
    return entry;
  }
}
