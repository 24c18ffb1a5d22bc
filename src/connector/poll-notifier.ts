/**
 * The spec's `_poll_notifier` (an asyncio.Event in Hummingbot): `tick()` or a reason to poll now
 * sets it, the status polling loop waits for it and clears it before polling, so a request made
 * while a poll runs is not lost: it starts the next one.
 */
export class PollNotifier {
  private isSet = false;
  private waiters: (() => void)[] = [];

  get pending(): boolean {
    return this.isSet;
  }

  set(): void {
    this.isSet = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  clear(): void {
    this.isSet = false;
  }

  /** Resolves once set (at once if it is); rejects with the signal's reason if aborted first. */
  wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.isSet) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(signal!.reason as Error);
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
