/**
 * Where each order's create request stands until the exchange has said what became of it. The
 * unknown-outcome rule lives here: a "no such order" answer (Binance -2013 by origClientOrderId)
 * proves nothing while the create may still reach the exchange's engine, that is until the
 * exchange's clock is past the request's timestamp plus its recvWindow. Only answers after that
 * deadline may count towards failing the order (the order tracker then wants two of them, at least
 * a second apart).
 *
 * - `sending`: the request is on its way (waiting for the rate limiter, or for its answer): the
 *   order is not queried at all, since no answer could be conclusive.
 * - `unknown`: the request failed without a verdict (timeout, transport error, 5xx, -1007), or the
 *   order was restored from a previous run: queried on every poll; not-found answers count only
 *   after `deadline` (exchange time).
 */
export class CreateOutcomes {
  private readonly sending = new Set<string>();
  private readonly deadlines = new Map<string, number>();
  /** Restored orders whose deadline is set once the exchange's clock is known. */
  private readonly restored = new Set<string>();

  begin(clientOrderId: string): void {
    this.sending.add(clientOrderId);
  }

  /** The create was answered: acknowledged or refused. */
  settle(clientOrderId: string): void {
    this.sending.delete(clientOrderId);
    this.deadlines.delete(clientOrderId);
    this.restored.delete(clientOrderId);
  }

  /**
   * The create failed without a verdict. `sentBy` is an exchange time no earlier than the
   * request's timestamp (the time it failed is one), so `sentBy + recvWindowMs` never comes early.
   */
  unknown(clientOrderId: string, sentBy: number, recvWindowMs: number): void {
    this.sending.delete(clientOrderId);
    this.deadlines.set(clientOrderId, sentBy + recvWindowMs);
  }

  /** An order restored from the store, not acknowledged: its create may or may not have left. */
  restore(clientOrderId: string): void {
    if (!this.sending.has(clientOrderId) && !this.deadlines.has(clientOrderId)) this.restored.add(clientOrderId);
  }

  /**
   * Gives restored orders their deadline: any request the previous run sent was signed before
   * `serverNow` (that run is gone), so it cannot execute after `serverNow + recvWindowMs`.
   */
  startClock(serverNow: number, recvWindowMs: number): void {
    for (const id of this.restored) this.deadlines.set(id, serverNow + recvWindowMs);
    this.restored.clear();
  }

  isSending(clientOrderId: string): boolean {
    return this.sending.has(clientOrderId);
  }

  /**
   * Whether a not-found answer to a query sent at exchange time `serverSentAt` is evidence: only
   * when the query left after the deadline, since the exchange answered it no earlier than that.
   * An order with no recorded create (neither sending nor unknown) gets a deadline now, which is
   * never too early.
   */
  notFoundCounts(clientOrderId: string, serverSentAt: number, recvWindowMs: number): boolean {
    if (this.sending.has(clientOrderId) || this.restored.has(clientOrderId)) return false;
    const deadline = this.deadlines.get(clientOrderId);
    if (deadline === undefined) {
      this.deadlines.set(clientOrderId, serverSentAt + recvWindowMs);
      return false;
    }
    return serverSentAt > deadline;
  }

  deadline(clientOrderId: string): number | undefined {
    return this.deadlines.get(clientOrderId);
  }

  /** Orders whose create failed without a verdict, or restored unacknowledged: the status poll settles them. */
  get unknownCount(): number {
    return this.deadlines.size + this.restored.size;
  }
}
