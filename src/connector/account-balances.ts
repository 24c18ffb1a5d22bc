import type { Decimal } from '../core/decimal.js';
import type { Logger } from '../core/logger.js';
import type { ReadonlyInFlightOrder } from '../core/orders/in-flight-order.js';
import type { BalanceEntry } from '../core/orders/updates.js';
import type { TradeType } from '../core/types.js';
import { BalanceTable, availableForNewOrders } from './balance-table.js';
import type { ExchangeConnector } from './connector.js';
import type { UserStreamMessage } from './user-stream-source.js';

/** What the user stream says about balances. */
export type BalanceMessage = Extract<UserStreamMessage, { kind: 'balances' | 'balance_delta' }>;

export interface AccountBalancesDeps {
  readonly connector: Pick<ExchangeConnector, 'fetchBalances'>;
  readonly logger: Logger;
  /** The orders that may hold balance the exchange has not shown yet. */
  activeOrders(): Iterable<ReadonlyInFlightOrder>;
  /** The best price on the side a market order takes, if the pair's book is tracked (what a market buy holds). */
  marketPrice?(tradingPair: string, side: TradeType): Decimal | undefined;
  /** Asks for a snapshot soon: the stream's times could not order two of its values. */
  snapshotSoon?(): void;
}

/**
 * The account's balances as the exchange base serves them, over one BalanceTable: the REST
 * snapshot (`refresh`), the user stream's positions and deltas (`apply`), and what new orders may
 * use (the exchange's available balance minus what this connector's orders hold that the exchange
 * has not shown yet).
 */
export class AccountBalances {
  readonly table = new BalanceTable();

  constructor(private readonly deps: AccountBalancesDeps) {}

  /** Total of `asset` (free + locked). */
  total(asset: string): Decimal {
    return this.table.total(asset);
  }

  /** What new orders may use of `asset`; never below zero. */
  availableForNewOrders(asset: string): Decimal {
    return availableForNewOrders(this.table, this.deps.activeOrders(), asset, (order) => this.deps.marketPrice?.(order.tradingPair, order.tradeType));
  }

  entries(): BalanceEntry[] {
    return this.table.entries();
  }

  /** The REST snapshot replaces the table, except assets a newer stream update already set. */
  async refresh(): Promise<void> {
    const token = this.table.beginSnapshot();
    const snapshot = await this.deps.connector.fetchBalances();
    const kept = this.table.applySnapshot(snapshot.balances, snapshot.updateTime, token);
    if (kept.length > 0) this.deps.logger.debug({ kept, updateTime: snapshot.updateTime }, 'balance snapshot older than stream updates for these assets: kept the stream values');
  }

  /** A position sets the assets it lists; a delta applies once (never on top of a position that includes it). */
  apply(message: BalanceMessage): void {
    if (message.kind === 'balances') {
      // Two positions of one millisecond cannot be ordered by their time: the later arrival is set
      // (the stream's order is the best guess) and a snapshot, which includes both, settles it.
      const tied = message.balances.some((b) => this.table.get(b.asset)?.asOf === message.exchangeTime);
      this.table.applyPosition(message.balances, message.exchangeTime);
      if (tied) this.deps.snapshotSoon?.();
    }
    else if (!this.table.applyDelta(message.asset, message.delta, message.exchangeTime)) {
      this.deps.logger.debug({ asset: message.asset, time: message.exchangeTime }, 'balance change already included in a newer position');
    }
  }
}
