import type { Decimal } from '../decimal.js';
import type { OrderType } from '../types.js';

/** The spec's `OpenOrder`: an order the exchange lists as open (`getOpenOrders`), tracked or not. */
export interface OpenOrder {
  readonly clientOrderId: string;
  readonly exchangeOrderId: string;
  readonly tradingPair: string;
  readonly price: Decimal;
  readonly amount: Decimal;
  readonly executedAmount: Decimal;
  /** The exchange's own status word, as it sent it. */
  readonly status: string;
  readonly orderType: OrderType;
  readonly isBuy: boolean;
  /** Exchange time of creation, milliseconds. */
  readonly time: number;
}
