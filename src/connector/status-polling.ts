import { sleep, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { UserStreamHealth } from './exchange-types.js';
import type { ExchangeBaseTimings } from './options.js';
import { PollNotifier } from './poll-notifier.js';
import type { UserStreamDataSource } from './user-stream-source.js';

export interface StatusPollingDeps {
  readonly clock: Clock;
  readonly timings: ExchangeBaseTimings;
  readonly logger: Logger;
  /** Absent for a market-data-only connector. */
  readonly userStream: UserStreamDataSource | undefined;
  readonly tradingRequired: boolean;
  /** Something needs the short interval whatever the stream does (a create whose outcome is unknown, fills owed). */
  urgent(): boolean;
}

/**
 * When the account (balances and order states) is polled over REST, and how fresh the connector's
 * view of it is. The spec's poll notifier is set by `tick()` once per interval — short while the
 * user stream is down or silent or something is urgent, long otherwise — and at once when the
 * stream subscribes or drops, so a gap is reconciled over REST immediately. The loop waits for the
 * notifier, polls, and after a failed poll tries again `retryDelayMs` later.
 */
export class StatusPolling {
  private readonly notifier = new PollNotifier();
  private lastTickTimestamp = 0;
  private lastPollTimestamp = 0;
  /** When the live user stream last went down (0: it has not since the network started). */
  private streamDownAt = 0;
  private streamWasLive = false;
  private subscriptions = 0;
  private running = false;

  constructor(private readonly deps: StatusPollingDeps) {}

  /** Poll as soon as the loop can. */
  pollSoon(): void {
    this.notifier.set();
  }

  /** Sets the notifier when `timestamp` starts a new poll interval. */
  tick(timestamp: number): void {
    const interval = this.intervalMs;
    if (Math.floor(timestamp / interval) > Math.floor(this.lastTickTimestamp / interval)) this.notifier.set();
    this.lastTickTimestamp = timestamp;
  }

  get intervalMs(): number {
    const { timings } = this.deps;
    if (!this.deps.tradingRequired) return timings.longPollIntervalMs;
    if (this.deps.urgent() || !this.userStreamLive) return timings.shortPollIntervalMs;
    return timings.longPollIntervalMs;
  }

  /** The user stream is subscribed and has received something within `userStreamSilenceMs`. */
  get userStreamLive(): boolean {
    const stream = this.deps.userStream;
    if (!stream?.subscribed) return false;
    return this.deps.clock.now() - stream.lastRecvTime <= this.deps.timings.userStreamSilenceMs;
  }

  /**
   * The status poll covers for the stream: it succeeded within two short intervals, or the stream
   * went down less than one short interval ago (the poll started then has not had its interval yet:
   * nothing is older than that).
   */
  get pollingCovers(): boolean {
    const now = this.deps.clock.now();
    const short = this.deps.timings.shortPollIntervalMs;
    if (this.lastPollTimestamp > 0 && now - this.lastPollTimestamp <= 2 * short) return true;
    return this.streamDownAt > 0 && this.running && now - this.streamDownAt <= short;
  }

  get userStreamHealth(): UserStreamHealth | undefined {
    const stream = this.deps.userStream;
    if (!stream) return undefined;
    return {
      subscribed: stream.subscribed,
      live: this.userStreamLive,
      lastRecvTime: stream.lastRecvTime,
      reconnects: Math.max(0, this.subscriptions - 1),
      pollingCovers: this.pollingCovers,
    };
  }

  /** The stream subscribed (first time or again): events may have been missed, poll now. */
  subscribed(): void {
    this.deps.logger.info('user stream subscribed: reconciling orders and balances');
    this.streamWasLive = true;
    this.subscriptions++;
    this.notifier.set();
  }

  disconnected(reason: string): void {
    this.deps.logger.warn({ reason }, 'user stream down: polling covers for it');
    if (this.streamWasLive) this.streamDownAt = this.deps.clock.now();
    this.notifier.set();
  }

  /** The network started: poll now. */
  start(): void {
    this.running = true;
    this.notifier.set();
  }

  /** The network is stopping. */
  stop(): void {
    this.running = false;
  }

  /** The network stopped: nothing measured before still holds. */
  reset(): void {
    this.lastPollTimestamp = 0;
    this.streamDownAt = 0;
    this.streamWasLive = false;
    this.notifier.clear();
  }

  /** The spec's `_status_polling_loop`: waits for the notifier, then runs `poll`'s requests together. */
  async run(signal: AbortSignal, poll: () => readonly Promise<unknown>[]): Promise<void> {
    const { clock, logger, timings } = this.deps;
    while (!signal.aborted) {
      try {
        await this.notifier.wait(signal);
      } catch {
        return;
      }
      this.notifier.clear();
      const results = await Promise.allSettled(poll());
      if (signal.aborted) return;
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (!failed) {
        this.lastPollTimestamp = clock.now();
        continue;
      }
      logger.warn({ err: failed.reason }, 'could not fetch account updates; trying again');
      await sleep(clock, timings.retryDelayMs, signal).catch(() => undefined);
      this.notifier.set();
    }
  }
}

/**
 * Runs `task` every `intervalMs` until `signal` aborts (the first run one interval after the
 * start); after a failure, again `retryDelayMs` later.
 */
export async function repeatEvery(
  signal: AbortSignal,
  options: { readonly clock: Clock; readonly logger: Logger; readonly intervalMs: number; readonly retryDelayMs: number; readonly what: string },
  task: () => Promise<void>,
): Promise<void> {
  let wait = options.intervalMs;
  while (!signal.aborted) {
    try {
      await sleep(options.clock, wait, signal);
    } catch {
      return;
    }
    try {
      await task();
      wait = options.intervalMs;
    } catch (err) {
      options.logger.warn({ err }, `could not ${options.what}; trying again`);
      wait = options.retryDelayMs;
    }
  }
}
