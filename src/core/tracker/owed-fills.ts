import type { Decimal } from '../decimal.js';
import type { InFlightOrder, ReadonlyInFlightOrder } from '../orders/in-flight-order.js';
import type { OwedFillsRecord } from '../persistence/tracking-store.js';

/** An order whose fills are incomplete, as the tracker shows it. */
export interface OwedFillsEntry extends OwedFillsRecord {
  readonly order: ReadonlyInFlightOrder;
}

/**
 * Orders the exchange reports more executed than their recorded fills add up to. The tracker saves
 * each entry with the order (the store's `reported_executed` and `fills_owed_since`), so a restart
 * keeps fetching; here the entries hold the orders themselves, so an ended order owed fills stays
 * in memory whatever the done cache evicts. An entry ends only when the recorded fills reach the
 * reported amount: never by a count of attempts.
 */
export class OwedFills {
  private readonly entries = new Map<string, { order: InFlightOrder; record: OwedFillsRecord }>();

  get(clientOrderId: string): InFlightOrder | undefined {
    return this.entries.get(clientOrderId)?.order;
  }

  has(clientOrderId: string): boolean {
    return this.entries.has(clientOrderId);
  }

  get list(): readonly OwedFillsEntry[] {
    return [...this.entries.values()].map(({ order, record }) => ({ order, ...record }));
  }

  /**
   * What to save for the order after a change: a new record when `reported` is above its fills and
   * above what is recorded already, null when an entry's fills now add up, undefined for no change.
   */
  next(order: ReadonlyInFlightOrder, reported: Decimal | undefined, now: number): OwedFillsRecord | null | undefined {
    const held = this.entries.get(order.clientOrderId)?.record;
    const highest = reported !== undefined && (held === undefined || reported.gt(held.reportedExecuted)) ? reported : held?.reportedExecuted;
    if (highest === undefined) return undefined;
    if (order.executedAmountBase.gte(highest)) return held ? null : undefined;
    if (held && highest.eq(held.reportedExecuted)) return undefined;
    return { reportedExecuted: highest, since: held?.since ?? now };
  }

  /** Applies what `next` decided, once it is saved. */
  set(order: InFlightOrder, record: OwedFillsRecord | null | undefined): void {
    if (record === null) this.entries.delete(order.clientOrderId);
    else if (record !== undefined) this.entries.set(order.clientOrderId, { order, record });
  }

  clear(): void {
    this.entries.clear();
  }
}
