/**
 * Counts confirmed "order not found" answers per order, towards declaring it lost. An answer counts
 * only if its query was sent at least `minSpacingMs` after the previous counted answer came back:
 * then the exchange read its books that much apart whatever the latencies were (two queries in the
 * same instant prove no more than one; Binance needs two answers at least a second apart). Counts
 * live in memory: after a restart the count starts again, which can only delay a verdict, never
 * hasten one.
 */
export class NotFoundCounter {
  private readonly counts = new Map<string, { count: number; answeredAt: number }>();

  constructor(
    readonly limit: number,
    readonly minSpacingMs: number,
  ) {}

  /**
   * Records an answer that came back at `answeredAt` to a query sent at `sentAt`; returns the count
   * after it and whether this answer counted.
   */
  record(clientOrderId: string, sentAt: number, answeredAt: number): { count: number; counted: boolean } {
    const entry = this.counts.get(clientOrderId);
    if (entry && sentAt - entry.answeredAt < this.minSpacingMs) return { count: entry.count, counted: false };
    const count = (entry?.count ?? 0) + 1;
    this.counts.set(clientOrderId, { count, answeredAt });
    return { count, counted: true };
  }

  count(clientOrderId: string): number {
    return this.counts.get(clientOrderId)?.count ?? 0;
  }

  reachedLimit(clientOrderId: string): boolean {
    return this.count(clientOrderId) >= this.limit;
  }

  forget(clientOrderId: string): void {
    this.counts.delete(clientOrderId);
  }
}
