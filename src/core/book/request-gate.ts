/**
 * Runs at most `limit` tasks at a time, the rest in arrival order. The tracker passes snapshot
 * requests through one, so a reconnection that resyncs every pair at once does not fire all their
 * (heavy) depth requests together.
 */
export class RequestGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`RequestGate limit must be at least 1, got ${limit}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
