import { silentLogger, type Logger } from '../core/logger.js';
import { monotonicClock, type Cancel, type NetClock } from './clock.js';

/** Asks the exchange for its current time, in epoch milliseconds (Binance: GET /api/v3/time). */
export type ServerTimeSource = () => Promise<number>;

export interface TimeSynchronizerOptions {
  fetchServerTime: ServerTimeSource;
  clock?: NetClock;
  logger?: Logger;
  /** Samples taken per synchronization; the median offset wins. Default 3. */
  samples?: number;
  /** How often the offset is measured again; 0 turns refreshing off. Default 60 000. */
  refreshIntervalMs?: number;
  /**
   * A sample further than this from the local clock (or a negative server time) is refused as
   * absurd: a wrong answer must not make every signed request be refused. Default 24 h.
   */
  maxOffsetMs?: number;
}

/** The exchange's clock gave no usable time: nothing can be signed until it does. */
export class ServerClockError extends Error {
  override readonly name = 'ServerClockError';
}

export interface TimeSample {
  /** Server time minus local time at the middle of the round trip. */
  readonly offsetMs: number;
  readonly roundTripMs: number;
}

/**
 * The exchange's clock as seen from here. Each sample assumes the server read its clock half-way
 * through the round trip, so its error is at most half the round trip; the median of a few samples
 * discards the ones a slow leg skewed. Signers take their timestamps from `now()`.
 */
export class TimeSynchronizer {
  private readonly clock: NetClock;
  private readonly logger: Logger;
  private readonly fetchServerTime: ServerTimeSource;
  private readonly sampleCount: number;
  private readonly refreshIntervalMs: number;
  private readonly maxOffsetMs: number;
  private offset = 0;
  private lastSamples: TimeSample[] = [];
  private syncing: Promise<void> | undefined;
  private cancelRefresh: Cancel | undefined;
  private running = false;

  constructor(options: TimeSynchronizerOptions) {
    this.fetchServerTime = options.fetchServerTime;
    this.clock = options.clock ?? monotonicClock;
    this.logger = options.logger ?? silentLogger();
    this.sampleCount = Math.max(1, options.samples ?? 3);
    this.refreshIntervalMs = options.refreshIntervalMs ?? 60_000;
    this.maxOffsetMs = options.maxOffsetMs ?? 24 * 3_600_000;
  }

  /** Measures the offset (throws if the exchange cannot be reached) and starts refreshing it until `stop`. */
  async start(): Promise<void> {
    this.running = true;
    await this.resync();
    this.scheduleRefresh();
  }

  stop(): void {
    this.running = false;
    this.cancelRefresh?.();
    this.cancelRefresh = undefined;
  }

  /** The exchange's current time, epoch ms. */
  now(): number {
    return Math.round(this.clock.now() + this.offset);
  }

  /** Server time minus local time. */
  get offsetMs(): number {
    return this.offset;
  }

  get synced(): boolean {
    return this.lastSamples.length > 0;
  }

  get samples(): readonly TimeSample[] {
    return this.lastSamples;
  }

  /**
   * Measures the offset again from fresh samples (after a timestamp refusal, the old ones are
   * suspect). Concurrent callers share one measurement. Rejects only if no sample succeeded.
   */
  resync(): Promise<void> {
    this.syncing ??= this.measure().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async measure(): Promise<void> {
    const samples: TimeSample[] = [];
    let lastError: unknown;
    for (let i = 0; i < this.sampleCount; i++) {
      try {
        samples.push(await this.sample());
      } catch (err) {
        lastError = err;
      }
    }
    if (samples.length === 0) {
      // Keep the last good offset (a refresh logs and retries); with none, say which clock failed.
      if (this.synced) throw lastError;
      throw new ServerClockError(`the exchange's server clock gave no usable time: ${lastError instanceof Error ? lastError.message : String(lastError)}`, { cause: lastError });
    }
    const offsets = samples.map((s) => s.offsetMs).sort((a, b) => a - b);
    const mid = offsets.length >> 1;
    this.offset = offsets.length % 2 === 1 ? offsets[mid]! : (offsets[mid - 1]! + offsets[mid]!) / 2;
    this.lastSamples = samples;
    this.logger.debug({ offsetMs: this.offset, samples }, 'server time offset measured');
  }

  private async sample(): Promise<TimeSample> {
    const sent = this.clock.now();
    const serverMs = await this.fetchServerTime();
    const received = this.clock.now();
    if (!Number.isFinite(serverMs)) throw new ServerClockError(`server time is not a number: ${String(serverMs)}`);
    const offsetMs = serverMs - (sent + received) / 2;
    if (serverMs < 0 || Math.abs(offsetMs) > this.maxOffsetMs) {
      throw new ServerClockError(`server time ${serverMs} is ${Math.round(offsetMs)} ms from the local clock (bound ${this.maxOffsetMs} ms): refused`);
    }
    return { offsetMs, roundTripMs: received - sent };
  }

  private scheduleRefresh(): void {
    if (!this.running || this.refreshIntervalMs <= 0) return;
    this.cancelRefresh = this.clock.schedule(this.refreshIntervalMs, () => {
      this.resync()
        .catch((err: unknown) => this.logger.warn({ err }, 'server time refresh failed; keeping the last offset'))
        .finally(() => this.scheduleRefresh());
    });
  }
}
