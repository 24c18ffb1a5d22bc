export * from './core/decimal.js';
export * from './core/types.js';
export * from './core/trading-pair.js';
export * from './core/errors.js';
export { createLogger, silentLogger, type Logger } from './core/logger.js';

// core: orders, tracker, events, persistence, clock
export * from './core/clock.js';
export * from './core/json.js';
export * from './core/orders/updates.js';
export * from './core/orders/order-state.js';
export * from './core/orders/in-flight-order.js';
export * from './core/orders/in-flight-order-json.js';
export * from './core/orders/trade-update-json.js';
export * from './core/fees/trade-fee.js';
export * from './core/fees/trade-fee-json.js';
export * from './core/fees/fee-amounts.js';
export * from './core/events/order-events.js';
export * from './core/events/typed-emitter.js';
export * from './core/tracker/options.js';
export * from './core/tracker/order-tracker.js';
export * from './core/persistence/tracking-store.js';
export * from './core/persistence/sqlite-tracking-store.js';
export { MIGRATIONS, SCHEMA_VERSION, SchemaVersionError } from './core/persistence/migrations.js';
export * from './core/fees/fee-schema.js';
export * from './core/fees/fee-overrides.js';
export * from './core/fees/get-fee.js';
export * from './core/rules/trading-rule.js';
export * from './core/rules/quantize.js';
export * from './core/rules/validate-order.js';
export * from './core/client-order-id.js';
export * from './core/network-iterator.js';
export * from './core/orders/limit-order.js';
export * from './core/orders/open-order.js';
export * from './core/orders/cancellation-result.js';
export * from './core/orders/failure-update.js';

// order books: L2 book, snapshot + diff synchronization, tracker
export * from './core/book/index.js';

// the exchange base and the connectors
export * from './connector/connector.js';
export * from './connector/exchange-base.js';
export * from './connector/exchange-types.js';
export type { ExchangeHistory, ExchangeHistoryQuery } from './connector/history.js';
export * from './connector/options.js';
export * from './connector/symbol-map.js';
export * from './connector/user-stream-source.js';
export type { OrderRequest, DecimalArg } from './connector/order-args.js';
export { CONNECTORS, createExchange, isConnectorName, type ConnectorName, type ConnectorOptions } from './exchanges/index.js';
export { BinanceExchange, BinanceConnector, type BinanceExchangeOptions, type BinanceConnectorOptions } from './exchanges/binance/exchange.js';
export { simulatorUrls, PRODUCTION_URLS, TESTNET_URLS, type BinanceUrls } from './exchanges/binance/constants.js';

// strategies: the Strategy base, the market maker, PnL from fills
export * from './strategy/index.js';
