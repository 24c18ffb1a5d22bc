import { RealTimeClock, sleep, type Clock } from './clock.js';
import { silentLogger, type Logger } from './logger.js';

export enum NetworkStatus {
  STOPPED = 'STOPPED',
  NOT_CONNECTED = 'NOT_CONNECTED',
  CONNECTED = 'CONNECTED',
}

export interface NetworkIteratorOptions {
  clock?: Clock;
  logger?: Logger;
  /** Between two checks. Default 10 s (Hummingbot's). */
  checkNetworkIntervalMs?: number;
  /** A check that takes longer counts as NOT_CONNECTED. Default 5 s. */
  checkNetworkTimeoutMs?: number;
  /** Pause after a check that threw instead of answering. Default 60 s. */
  networkErrorWaitMs?: number;
}

export type NetworkStatusListener = (status: NetworkStatus, previous: NetworkStatus) => void;

class CheckTimeout extends Error {}

/**
 * The network lifecycle of a connector (Hummingbot's NetworkIterator). After start(), a loop calls
 * checkNetwork() every interval; when the status becomes CONNECTED it calls startNetwork(), when it
 * leaves CONNECTED it calls stopNetwork(). Those calls never overlap. stop() ends the loop and
 * stops the network if it was started. Every interval is an option, so tests never wait for the
 * defaults.
 */
export abstract class NetworkIterator {
  protected readonly clock: Clock;
  protected readonly logger: Logger;
  readonly checkNetworkIntervalMs: number;
  readonly checkNetworkTimeoutMs: number;
  readonly networkErrorWaitMs: number;
  private status = NetworkStatus.STOPPED;
  private loop: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private networkStarted = false;
  private statusListeners: NetworkStatusListener[] = [];

  constructor(options: NetworkIteratorOptions = {}) {
    this.clock = options.clock ?? new RealTimeClock();
    this.logger = options.logger ?? silentLogger();
    this.checkNetworkIntervalMs = options.checkNetworkIntervalMs ?? 10_000;
    this.checkNetworkTimeoutMs = options.checkNetworkTimeoutMs ?? 5_000;
    this.networkErrorWaitMs = options.networkErrorWaitMs ?? 60_000;
  }

  /** Answers whether the exchange is reachable (Binance: GET /api/v3/ping). Throwing counts as NOT_CONNECTED. */
  abstract checkNetwork(): Promise<NetworkStatus>;

  /** Starts the network tasks (streams, polling loops). Called when the status becomes CONNECTED. */
  async startNetwork(): Promise<void> {}

  /** Stops the network tasks. Called when the status leaves CONNECTED, and by stop(). */
  async stopNetwork(): Promise<void> {}

  get networkStatus(): NetworkStatus {
    return this.status;
  }

  get isRunning(): boolean {
    return this.loop !== undefined;
  }

  onNetworkStatus(listener: NetworkStatusListener): () => void {
    this.statusListeners = [...this.statusListeners, listener];
    return () => {
      this.statusListeners = this.statusListeners.filter((l) => l !== listener);
    };
  }

  /** Begins checking the network. */
  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.setStatus(NetworkStatus.NOT_CONNECTED);
    this.loop = this.checkLoop(this.abort.signal);
  }

  /** Ends the loop and stops the network if it was started. */
  async stop(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.abort?.abort(new Error('network iterator stopped'));
    await loop;
    this.loop = undefined;
    await this.runStop();
    this.setStatus(NetworkStatus.STOPPED);
  }

  private async checkLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let wait = this.checkNetworkIntervalMs;
      let status: NetworkStatus;
      let timedOut = false;
      try {
        status = await this.checkWithTimeout(signal);
      } catch (err) {
        if (signal.aborted) break;
        timedOut = err instanceof CheckTimeout;
        this.logger.warn({ err: timedOut ? undefined : err }, timedOut ? 'network check timed out' : 'network check failed');
        status = NetworkStatus.NOT_CONNECTED;
        if (!timedOut) wait = this.networkErrorWaitMs;
      }
      if (signal.aborted) break;
      // A slow check is not a verdict: the status says NOT_CONNECTED, but running streams are left alone (as Hummingbot).
      await this.apply(status, !timedOut);
      try {
        await sleep(this.clock, wait, signal);
      } catch {
        break;
      }
    }
  }

  private checkWithTimeout(signal: AbortSignal): Promise<NetworkStatus> {
    return new Promise((resolve, reject) => {
      const cancel = this.clock.schedule(this.checkNetworkTimeoutMs, () => reject(new CheckTimeout()));
      const onAbort = () => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      this.checkNetwork()
        .then(resolve, reject)
        .finally(() => {
          cancel();
          signal.removeEventListener('abort', onAbort);
        });
    });
  }

  private async apply(status: NetworkStatus, stopIfDown: boolean): Promise<void> {
    this.setStatus(status);
    if (status === NetworkStatus.CONNECTED) {
      if (this.networkStarted) return;
      // Marked first, so a start that fails halfway is cleaned up by stopNetwork.
      this.networkStarted = true;
      try {
        await this.startNetwork();
      } catch (err) {
        this.logger.error({ err }, 'startNetwork failed');
        this.setStatus(NetworkStatus.NOT_CONNECTED);
        await this.runStop();
      }
    } else if (stopIfDown) {
      await this.runStop();
    }
  }

  private async runStop(): Promise<void> {
    if (!this.networkStarted) return;
    this.networkStarted = false;
    try {
      await this.stopNetwork();
    } catch (err) {
      this.logger.error({ err }, 'stopNetwork failed');
    }
  }

  private setStatus(status: NetworkStatus): void {
    const previous = this.status;
    if (previous === status) return;
    this.status = status;
    for (const listener of this.statusListeners) {
      try {
        listener(status, previous);
      } catch (err) {
        this.logger.error({ err }, 'a network status listener threw');
      }
    }
  }
}
