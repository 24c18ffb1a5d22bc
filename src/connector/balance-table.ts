import { ZERO, type Decimal } from '../core/decimal.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import type { BalanceEntry } from '../core/orders/updates.js';
import { TradeType } from '../core/types.js';

/** One asset's balance and the exchange time it is true as of. */
export interface AssetBalance {
  readonly total: Decimal;
  readonly available: Decimal;
  /** Exchange time of the last change this value includes, ms. */
  readonly asOf: number;
}

interface Entry extends AssetBalance {
  /** Local arrival order, to tell what arrived after a snapshot request was sent. */
  readonly seq: number;
}

/**
 * Total and available balance per asset, from three sources that race each other:
 * - the REST snapshot (the whole table): replaces it, and assets absent from it go to zero, unless
 *   a newer WebSocket value already arrived for an asset (one that arrived after the request was
 *   sent and carries a later exchange time than the snapshot's);
 * - positions (Binance outboundAccountPosition): set free and locked of the assets listed, unless
 *   the value held is newer;
 * - deltas (Binance balanceUpdate): applied only when the value held is older than the change, so a
 *   position (or snapshot) that already includes it is never changed twice.
 *
 * A value arriving before a snapshot request was sent is always included in that snapshot (the
 * exchange announced it before serving the request), so such values are replaced whatever the
 * exchange times say: a snapshot whose update time lags (some changes do not move it) can never
 * leave the table stale.
 */
export class BalanceTable {
  private readonly assets = new Map<string, Entry>();
  private seq = 0;
  private snapshots = 0;

  /** Whether a full snapshot has been applied. */
  get initialized(): boolean {
    return this.snapshots > 0;
  }

  get(asset: string): AssetBalance | undefined {
    return this.assets.get(asset);
  }

  total(asset: string): Decimal {
    return this.assets.get(asset)?.total ?? ZERO;
  }

  available(asset: string): Decimal {
    return this.assets.get(asset)?.available ?? ZERO;
  }

  /** Every asset with a non-zero total. */
  entries(): BalanceEntry[] {
    const out: BalanceEntry[] = [];
    for (const [asset, b] of this.assets) if (!b.total.isZero() || !b.available.isZero()) out.push({ asset, total: b.total, available: b.available });
    return out.sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0));
  }

  /** Call right before sending the snapshot request; hand the token to `applySnapshot`. */
  beginSnapshot(): number {
    return ++this.seq;
  }

  /** Applies a full table as of `updateTime`; returns the assets kept because a newer value arrived meanwhile. */
  applySnapshot(balances: readonly BalanceEntry[], updateTime: number, token: number): string[] {
    const kept: string[] = [];
    const listed = new Map(balances.map((b) => [b.asset, b]));
    const seq = ++this.seq;
    for (const asset of new Set([...this.assets.keys(), ...listed.keys()])) {
      const held = this.assets.get(asset);
      if (held && held.seq > token && held.asOf > updateTime) {
        kept.push(asset);
        continue;
      }
      const entry = listed.get(asset);
      if (entry) this.assets.set(asset, { total: entry.total, available: entry.available, asOf: updateTime, seq });
      else this.assets.delete(asset);
    }
    this.snapshots++;
    return kept;
  }

  /** Sets the assets listed as of `updateTime` (older news is ignored); returns the assets set. */
  applyPosition(balances: readonly BalanceEntry[], updateTime: number): string[] {
    const set: string[] = [];
    const seq = ++this.seq;
    for (const b of balances) {
      const held = this.assets.get(b.asset);
      if (held && held.asOf > updateTime) continue;
      this.assets.set(b.asset, { total: b.total, available: b.available, asOf: updateTime, seq });
      set.push(b.asset);
    }
    return set;
  }

  /** Applies a change of `delta` made at `time`, unless the value held already includes it. Returns whether it applied. */
  applyDelta(asset: string, delta: Decimal, time: number): boolean {
    const held = this.assets.get(asset);
    if (held && held.asOf >= time) return false;
    this.assets.set(asset, {
      total: (held?.total ?? ZERO).plus(delta),
      available: (held?.available ?? ZERO).plus(delta),
      asOf: time,
      seq: ++this.seq,
    });
    return true;
  }

  clear(): void {
    this.assets.clear();
    this.snapshots = 0;
  }
}

/** The price a market order would trade at (the best price on the side it takes), if known. */
export type MarketPriceEstimate = (order: ReadonlyInFlightOrder) => Decimal | undefined;

/**
 * What an order holds back that the exchange's available balance may not show yet: the quote
 * amount of a buy (price × remaining), the base amount of a sell. A market buy has no price: it
 * holds its amount at `estimate` (the book's best ask) when one is known, and nothing otherwise.
 */
export function orderReservation(order: ReadonlyInFlightOrder, estimate?: MarketPriceEstimate): { asset: string; amount: Decimal } | undefined {
  const remaining = order.remainingAmount;
  if (remaining.isZero()) return undefined;
  if (order.tradeType === TradeType.SELL) return { asset: order.baseAsset, amount: remaining };
  const price = order.price ?? estimate?.(order);
  if (price === undefined) return undefined;
  return { asset: order.quoteAsset, amount: remaining.mul(price) };
}

/**
 * What new orders may use of `asset`: the exchange's available balance minus what these orders
 * hold that the exchange has not shown yet (orders pending creation, and orders acknowledged after
 * the balance's last update). Never below zero.
 */
export function availableForNewOrders(table: BalanceTable, orders: Iterable<ReadonlyInFlightOrder>, asset: string, estimate?: MarketPriceEstimate): Decimal {
  const held = table.get(asset);
  let available = held?.available ?? ZERO;
  for (const order of orders) {
    const reservation = orderReservation(order, estimate);
    if (!reservation || reservation.asset !== asset) continue;
    const acked = order.acknowledgedTimestamp;
    if (acked === undefined || held === undefined || acked > held.asOf) available = available.minus(reservation.amount);
  }
  return available.gt(0) ? available : ZERO;
}
