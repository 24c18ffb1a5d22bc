import { isRetryable } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { sleep, type NetClock } from '../../net/clock.js';
import type { WsClient } from '../../net/ws-client.js';

export type StreamControlMethod = 'SUBSCRIBE' | 'UNSUBSCRIBE';

export interface StreamControlOptions {
  /**
   * Least time between two control messages. Binance closes a market stream connection that sends
   * more than 5 messages a second, pings and pongs included (reference §5.1): at 350, any second
   * holds at most 3 control messages, leaving room for a ping and a pong. Default 350.
   */
  minIntervalMs?: number;
  /** Most streams named in one message. Default 200. */
  maxStreamsPerMessage?: number;
  clock: NetClock;
  logger: Logger;
}

interface Operation {
  readonly method: StreamControlMethod;
  readonly streams: readonly string[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
  /** Sent in a message of its own (a part of a refused merged message). */
  readonly alone?: boolean;
}

/**
 * SUBSCRIBE and UNSUBSCRIBE on a market stream connection, within Binance's message rate: one
 * message at a time, each after the exchange answered the previous one and at least
 * `minIntervalMs` after it was sent. Operations waiting in line with the same method are merged
 * into one message, so subscribing twenty pairs at once costs one or two messages, not twenty; a
 * merged message the exchange refuses is sent again operation by operation, so one bad stream
 * fails only its own operation. Operations keep their order, so an unsubscribe requested after a
 * subscribe is sent after it.
 */
export class StreamControl {
  private readonly queue: Operation[] = [];
  private readonly minIntervalMs: number;
  private readonly maxStreams: number;
  private draining = false;
  private lastSentAt = -Infinity;

  constructor(
    private readonly client: WsClient<string>,
    private readonly options: StreamControlOptions,
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 350;
    this.maxStreams = Math.max(1, options.maxStreamsPerMessage ?? 200);
  }

  /**
   * Resolves once the exchange confirmed; rejects with its refusal, or with a NetworkError /
   * RequestTimeoutError when the connection could not carry the message or its answer.
   */
  send(method: StreamControlMethod, streams: readonly string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ method, streams, resolve, reject });
      void this.drain();
    });
  }

  /** Fails every operation still waiting in line (the source is stopping). */
  failQueued(err: unknown): void {
    for (const op of this.queue.splice(0)) op.reject(err);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      // Operations requested in the same turn (a tracker subscribing its pairs) join one message.
      await Promise.resolve();
      while (this.queue.length > 0) {
        const wait = this.lastSentAt + this.minIntervalMs - this.options.clock.now();
        if (wait > 0) await sleep(this.options.clock, wait);
        const batch = this.takeBatch();
        if (batch.length === 0) continue;
        const refused = await this.sendBatch(batch);
        // Retried one by one, at the front of the line, still paced.
        if (refused) this.queue.unshift(...refused);
      }
    } finally {
      this.draining = false;
    }
  }

  /** The first operation and those right behind it with the same method, within the stream cap. */
  private takeBatch(): Operation[] {
    const first = this.queue.shift();
    if (!first) return [];
    const batch = [first];
    if (first.alone) return batch;
    let count = first.streams.length;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (next.alone || next.method !== first.method || count + next.streams.length > this.maxStreams) break;
      batch.push(this.queue.shift()!);
      count += next.streams.length;
    }
    return batch;
  }

  /** Sends one message for `batch`; returns the operations to retry alone when a merged message was refused. */
  private async sendBatch(batch: Operation[]): Promise<Operation[] | undefined> {
    const method = batch[0]!.method;
    const params = [...new Set(batch.flatMap((op) => op.streams))];
    this.lastSentAt = this.options.clock.now();
    try {
      await this.client.request({ method, params });
    } catch (err) {
      if (batch.length > 1 && !isRetryable(err)) {
        this.options.logger.warn({ err, method, streams: params.length }, 'merged stream request refused; retrying each part alone');
        return batch.map((op) => ({ ...op, alone: true }));
      }
      for (const op of batch) op.reject(err);
      return undefined;
    }
    for (const op of batch) op.resolve();
    return undefined;
  }
}
