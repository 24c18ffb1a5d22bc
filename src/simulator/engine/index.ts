/** The exchange-agnostic matching engine. */
export { Engine, DEFAULT_HISTORY, type EngineOptions, type CancelRequest, type Cancellation, type Result, type AccountTrade, type DepthSnapshot } from './engine.js';
export { Market, AccountMarket, splitPair, type MarketSpec, type AggTrade, type HistoryLimits } from './market.js';
export { Account, Balance, commissionOf, parseRate, type AccountOptions } from './account.js';
export { Order } from './order.js';
export { OrderBook, BookSide, Level } from './book.js';
export { CompiledRules, DEFAULT_RULES, InvalidMarketError, type MarketRules } from './rules.js';
export type { Execution, PreventedMatch } from './matcher.js';
export { isRejection, type NewOrder, type CheckedOrder } from './validate.js';
export type * from './events.js';
export type * from './types.js';
export { SIDES, ORDER_KINDS, TIME_IN_FORCES, STP_MODES } from './types.js';
export { formatScaled, parseScaled, parseScaledBig, pow10 } from './fixed.js';
export type { WindowStats } from './stats.js';
