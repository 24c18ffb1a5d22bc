import type { Cancel, Clock } from '../clock.js';
import type { OrderUpdate } from '../orders/updates.js';

/**
 * The fill barrier. Exchanges often report an order FILLED before all its fills have reached us
 * (the status and the trades come by different messages, or by REST and WebSocket). Announcing
 * completion then would hand the strategy wrong executed amounts, so the FILLED report is held
 * until the fills add up, or until `timeoutMs` passes: then the order completes with what it has,
 * and the tracker's owner is asked to fetch the missing fills.
 *
 * Held reports live in memory only. After a restart the exchange is asked again (the connector
 * queries every restored order), and the answer comes back through the same barrier.
 */
export class FillBarrier {
  private readonly held = new Map<string, { update: OrderUpdate; cancel: Cancel }>();

  constructor(
    private readonly clock: Clock,
    readonly timeoutMs: number,
    private readonly onTimeout: (clientOrderId: string) => void,
  ) {}

  /** Holds a FILLED report for the order; false if one is held already (the first one stays). */
  hold(clientOrderId: string, update: OrderUpdate): boolean {
    if (this.held.has(clientOrderId)) return false;
    this.held.set(clientOrderId, { update, cancel: this.arm(clientOrderId) });
    return true;
  }

  isHolding(clientOrderId: string): boolean {
    return this.held.has(clientOrderId);
  }

  heldUpdate(clientOrderId: string): OrderUpdate | undefined {
    return this.held.get(clientOrderId)?.update;
  }

  /** Stops holding and returns the held report. */
  release(clientOrderId: string): OrderUpdate | undefined {
    const entry = this.held.get(clientOrderId);
    if (!entry) return undefined;
    entry.cancel();
    this.held.delete(clientOrderId);
    return entry.update;
  }

  get size(): number {
    return this.held.size;
  }

  clear(): void {
    for (const entry of this.held.values()) entry.cancel();
    this.held.clear();
  }

  private arm(clientOrderId: string): Cancel {
    return this.clock.schedule(this.timeoutMs, () => this.onTimeout(clientOrderId));
  }
}
