import type { Clock } from '../clock.js';
import type { InFlightOrder } from '../orders/in-flight-order.js';

/**
 * Orders that ended, kept a while so late fills and late news still find them in memory. Bounded
 * in size and in age; the oldest go first. An order that leaves it is still in the tracking store,
 * where the tracker looks for it when a fill for an unknown order arrives.
 */
export class DoneOrderCache {
  private readonly entries = new Map<string, { order: InFlightOrder; addedAt: number }>();

  constructor(
    private readonly clock: Clock,
    readonly maxSize: number,
    readonly ttlMs: number,
    private readonly onEvict: (order: InFlightOrder) => void = () => {},
  ) {}

  add(order: InFlightOrder): void {
    this.entries.delete(order.clientOrderId);
    this.entries.set(order.clientOrderId, { order, addedAt: this.clock.now() });
    this.prune();
  }

  get(clientOrderId: string): InFlightOrder | undefined {
    this.prune();
    return this.entries.get(clientOrderId)?.order;
  }

  delete(clientOrderId: string): boolean {
    return this.entries.delete(clientOrderId);
  }

  get size(): number {
    this.prune();
    return this.entries.size;
  }

  orders(): InFlightOrder[] {
    this.prune();
    return [...this.entries.values()].map((e) => e.order);
  }

  /** Drops entries past their age, then the oldest until the size fits. Insertion order is age order. */
  prune(): void {
    const oldest = this.clock.now() - this.ttlMs;
    for (const [id, entry] of this.entries) {
      if (entry.addedAt > oldest && this.entries.size <= this.maxSize) break;
      this.entries.delete(id);
      this.onEvict(entry.order);
    }
  }
}
