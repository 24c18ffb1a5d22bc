/** Order types a strategy can ask for. */
export enum OrderType {
  LIMIT = 'LIMIT',
  LIMIT_MAKER = 'LIMIT_MAKER',
  MARKET = 'MARKET',
}

export enum TradeType {
  BUY = 'BUY',
  SELL = 'SELL',
}

/**
 * The life of an order. FILLED, CANCELED, FAILED and EXPIRED are terminal and absorbing; the
 * transition table lives in `order-state.ts`.
 */
export enum OrderState {
  PENDING_CREATE = 'PENDING_CREATE',
  OPEN = 'OPEN',
  PARTIALLY_FILLED = 'PARTIALLY_FILLED',
  PENDING_CANCEL = 'PENDING_CANCEL',
  CANCELED = 'CANCELED',
  FILLED = 'FILLED',
  FAILED = 'FAILED',
  EXPIRED = 'EXPIRED',
}

export function isOrderType(value: unknown): value is OrderType {
  return typeof value === 'string' && (Object.values(OrderType) as string[]).includes(value);
}

export function isTradeType(value: unknown): value is TradeType {
  return typeof value === 'string' && (Object.values(TradeType) as string[]).includes(value);
}

export function isOrderState(value: unknown): value is OrderState {
  return typeof value === 'string' && (Object.values(OrderState) as string[]).includes(value);
}
