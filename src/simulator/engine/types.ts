/**
 * The engine's vocabulary. The names follow the Binance spot API because it is the first dialect and
 * its enums are the industry's common ground, but nothing here knows about HTTP, JSON or signatures.
 */

export type Side = 'BUY' | 'SELL';
export type OrderKind = 'LIMIT' | 'LIMIT_MAKER' | 'MARKET';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus =
  | 'NEW'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'REJECTED'
  | 'EXPIRED'
  | 'EXPIRED_IN_MATCH';
/** What happened to an order in one event (Binance's executionReport `x`). */
export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'REJECTED' | 'TRADE_PREVENTION';
export type StpMode = 'NONE' | 'EXPIRE_TAKER' | 'EXPIRE_MAKER' | 'EXPIRE_BOTH';
export type MarketStatus = 'TRADING' | 'HALT' | 'BREAK';
export type ExpiryReason =
  | 'UNFILLED_IOC_QUANTITY_EXPIRED'
  | 'UNFILLED_FOK_ORDER_EXPIRED'
  | 'INSUFFICIENT_LIQUIDITY'
  | 'EXCHANGE_CANCELED';

export const SIDES: readonly Side[] = ['BUY', 'SELL'];
export const ORDER_KINDS: readonly OrderKind[] = ['LIMIT', 'LIMIT_MAKER', 'MARKET'];
export const TIME_IN_FORCES: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
export const STP_MODES: readonly StpMode[] = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'];

/** Filters the engine enforces; the names are the ones Binance prints in "Filter failure: NAME". */
export type FilterName = 'PRICE_FILTER' | 'LOT_SIZE' | 'MARKET_LOT_SIZE' | 'NOTIONAL' | 'MIN_NOTIONAL' | 'MAX_NUM_ORDERS';

/** Why the engine refused a request. The dialect turns each into its own code and message. */
export type Rejection =
  | { reason: 'UNKNOWN_SYMBOL' }
  | { reason: 'UNKNOWN_ACCOUNT' }
  /** The account is barred from trading. */
  | { reason: 'TRADING_DISABLED' }
  | { reason: 'MARKET_CLOSED' }
  /** A number that is not a plain non-negative decimal. */
  | { reason: 'MALFORMED'; param: OrderParam }
  /** More decimals than the asset has. */
  | { reason: 'BAD_PRECISION'; param: OrderParam }
  | { reason: 'FILTER'; filter: FilterName }
  | { reason: 'STP_MODE_NOT_ALLOWED' }
  | { reason: 'QUOTE_ORDER_QTY_NOT_ALLOWED' }
  | { reason: 'INSUFFICIENT_BALANCE' }
  | { reason: 'WOULD_TAKE' }
  | { reason: 'DUPLICATE_ORDER' }
  /** A quote-amount market order on an empty book. */
  | { reason: 'NO_LIQUIDITY' }
  | { reason: 'UNKNOWN_ORDER' }
  | { reason: 'CANCEL_RESTRICTED' }
  | { reason: 'CLIENT_ID_MISMATCH' };

export type OrderParam = 'price' | 'quantity' | 'quoteOrderQty';

export type CancelRestriction = 'ONLY_NEW' | 'ONLY_PARTIALLY_FILLED';
