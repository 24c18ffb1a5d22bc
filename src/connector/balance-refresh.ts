import { sleep, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/** Least time between the starts of two refreshes by default: a burst of fills costs one snapshot a second at most. */
export const BALANCE_REFRESH_MIN_SPACING_MS = 1_000;

export interface BalanceRefreshDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Takes the REST balance snapshot and applies it (the base's updateBalances). */
  refresh(): Promise<void>;
  /** Whether the network runs: nothing is fetched for a request made while it does not. */
  active(): boolean;
  /** Least time between the starts of two refreshes. Default BALANCE_REFRESH_MIN_SPACING_MS. */
  readonly minSpacingMs?: number;
}

/**
 * A balance snapshot soon after something the user stream may not have told about the balances
 * (a fill learned over REST: the stream's account position for it may be lost, and the live
 * stream's long poll is minutes away). Coalesced: one snapshot in flight at a time and at most one
 * queued behind it, the starts spaced by `minSpacingMs`, so a burst of fills does not spend the
 * account's request weight.
 */
export class BalanceRefresh {
  private running: Promise<void> | undefined;
  private queued = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  private aborter = new AbortController();

  constructor(private readonly deps: BalanceRefreshDeps) {}

  /** Asks for a snapshot: now, or after the one in flight and the spacing. */
  request(): void {
    if (!this.deps.active()) return;
    if (this.running) {
      this.queued = true;
      return;
    }
    this.running = this.loop(this.aborter.signal).finally(() => (this.running = undefined));
  }

  /** `apply` (which says whether a fill was new), asking for a snapshot after each new fill. */
  afterFill<T>(apply: (fill: T) => boolean): (fill: T) => boolean {
    return (fill) => {
      const applied = apply(fill);
      if (applied) this.request();
      return applied;
    };
  }

  /** The network stops: a waiting or queued snapshot is dropped (the one in flight ends with the connector). */
  stop(): void {
    this.queued = false;
    this.aborter.abort();
    this.aborter = new AbortController();
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const { clock, logger } = this.deps;
    const spacing = this.deps.minSpacingMs ?? BALANCE_REFRESH_MIN_SPACING_MS;
    do {
      const wait = this.lastStart + spacing - clock.now();
      if (wait > 0) {
        try {
          await sleep(clock, wait, signal);
        } catch {
          return;
        }
      }
      // Requests made until now are answered by this snapshot; later ones queue one more.
      this.queued = false;
      this.lastStart = clock.now();
      try {
        await this.deps.refresh();
      } catch (err) {
        // The status poll's snapshot still comes; nothing is lost by waiting for it.
        logger.warn({ err }, 'balance snapshot after a fill learned over REST failed');
      }
    } while (this.queued && !signal.aborted && this.deps.active());
  }
}
