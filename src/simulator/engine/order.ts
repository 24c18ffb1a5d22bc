import type { ExpiryReason, OrderKind, OrderStatus, Side, StpMode, TimeInForce } from './types.js';
import type { Level } from './book.js';
import { generatedClientId } from './client-ids.js';

/**
 * One order inside the engine: the exchange's truth about it. Prices are ticks and quantities lots of
 * its market; money is whole units of the asset concerned. The book links resting orders into their
 * price level's FIFO through `prev`/`next`.
 */
export class Order {
  status: OrderStatus = 'NEW';
  executedLots = 0;
  /** Quote asset units paid or received so far (Binance's cummulativeQuoteQty). */
  cumQuote = 0;
  /** Quantity expired by self-trade prevention. */
  preventedLots = 0;
  preventedMatchId = -1;
  /** Funds this order still holds locked: quote units for a buy, base units for a sell. */
  lockedUnits = 0;
  updateTime: number;
  /** When the order went on the book (or was processed, for orders that never rest); -1 before. */
  workingTime = -1;
  expiryReason: ExpiryReason | null = null;
  /** The client's tags (Binance's strategyId and strategyType); null when not given. */
  strategyId: number | null = null;
  strategyType: number | null = null;

  /** True while the order is listed among its account's open orders (it rests on the book). */
  listed = false;
  private clientId: string | null;

  // Book linkage (only while resting).
  level: Level | null = null;
  prev: Order | null = null;
  next: Order | null = null;

  constructor(
    readonly id: number,
    readonly pair: string,
    readonly accountId: number,
    /** The client's own id, or null to have one generated (from `idSalt` and the order id). */
    clientOrderId: string | null,
    private readonly idSalt: number,
    readonly side: Side,
    readonly kind: OrderKind,
    readonly timeInForce: TimeInForce,
    /** 0 for market orders. */
    readonly priceTicks: number,
    /** 0 for a market order by quote amount until it fills. */
    public origLots: number,
    /** Quote units asked for by a market order by quote amount; 0 otherwise. */
    readonly origQuoteUnits: number,
    readonly stp: StpMode,
    readonly time: number,
  ) {
    this.updateTime = time;
    this.clientId = clientOrderId;
    this.hasOwnClientId = clientOrderId !== null;
  }

  /** Whether the client chose the client order id (else the exchange generated it). */
  readonly hasOwnClientId: boolean;

  /** The client order id; a generated one is made on first read, the same for the same order every time. */
  get clientOrderId(): string {
    return (this.clientId ??= generatedClientId(this.idSalt, this.id));
  }

  get remainingLots(): number {
    return this.origLots - this.executedLots - this.preventedLots;
  }

  get isOpen(): boolean {
    return this.status === 'NEW' || this.status === 'PARTIALLY_FILLED';
  }
}
