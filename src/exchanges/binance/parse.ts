/**
 * Binance spot parsing: pure functions from the exchange's JSON to venuekit's values (trading
 * rules, order and trade updates, balances, book data, WebSocket API frames) and from its error
 * answers to the error taxonomy. Every parser returns a ParseResult and never throws on bad input.
 * The pieces live in ./parse/; this file is the one entry point.
 */
export {
  type ParseResult,
  type ParseSuccess,
  type ParseFailure,
  type ParseFailureReason,
  type SymbolToPair,
} from './parse/schema.js';
export {
  parseExchangeInfo,
  type BinanceMarkets,
  type BinanceSymbolInfo,
  type ExchangeRateLimit,
} from './parse/exchange-info.js';
export { parseExecutionReport, type ExecutionReport, type ExecutionReportUpdates } from './parse/execution-report.js';
export {
  parseOrder,
  parseOrderAck,
  parseOrderList,
  toOpenOrder,
  type BinanceOrder,
  type ParsedOrder,
  type ParsedOrderList,
  type OrderAck,
} from './parse/orders.js';
export {
  parseMyTrades,
  parseAccountTrade,
  accountTradeToUpdate,
  type AccountTrade,
  type TradeOwner,
  type ParsedTrades,
} from './parse/trades.js';
export {
  parseAccount,
  parseAccountPosition,
  parseBalanceUpdate,
  type AccountSnapshot,
  type AccountPosition,
  type BalanceDelta,
} from './parse/balances.js';
export {
  parseDepthSnapshot,
  parseDepthUpdate,
  parsePublicTrade,
  parseStreamMessage,
  type DepthUpdate,
  type PublicTrade,
  type StreamMessage,
} from './parse/market-data.js';
export {
  parseWsApiMessage,
  parseUserDataEvent,
  parseSubscribeResult,
  parseSessionSubscriptions,
  type WsApiMessage,
  type WsApiError,
  type RateLimitUsage,
  type UserDataEvent,
} from './parse/ws-api.js';
export {
  mapBinanceError,
  readErrorBody,
  binanceErrorMapper,
  binanceWsErrorMapper,
  type BinanceErrorBody,
  type BinanceErrorContext,
  type BinanceErrorMapperOptions,
} from './parse/errors.js';
export { binanceUsageReader, binanceWsUsageReader } from './parse/usage.js';
export { fillFee } from './parse/fill-fee.js';
