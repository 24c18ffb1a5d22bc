/** Binance spot: the connector, its exchange, and what a user needs to point it somewhere. */
export { BinanceConnector, BinanceExchange, type BinanceConnectorOptions, type BinanceExchangeOptions } from './exchange.js';
export { BinanceAuth, type BinanceAuthOptions } from './auth.js';
export {
  EXCHANGE_NAME,
  PRODUCTION_URLS,
  TESTNET_URLS,
  simulatorUrls,
  urlsFor,
  clientOrderIdRules,
  DEFAULT_FEE_SCHEMA,
  type BinanceUrls,
  type BinanceEnvironment,
  type SimulatorEndpoints,
} from './constants.js';
export { BinanceOrderBookSource, type BinanceOrderBookSourceOptions } from './order-book-source.js';
export { BinanceUserStreamSource, type BinanceUserStreamSourceOptions } from './user-stream-source.js';
