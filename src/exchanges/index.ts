import type { ExchangeBase } from '../connector/exchange-base.js';
import { InvalidArgumentError } from '../core/errors.js';
import { BinanceExchange, type BinanceExchangeOptions } from './binance/exchange.js';

/**
 * The registry of connectors: one entry per exchange folder. Adding an exchange is its folder
 * (auth, constants, exchange, order-book-source, user-stream-source, parse) and one line here.
 */
export const CONNECTORS = {
  binance: (options: BinanceExchangeOptions): ExchangeBase => new BinanceExchange(options),
} as const;

export type ConnectorName = keyof typeof CONNECTORS;
export type ConnectorOptions<N extends ConnectorName> = Parameters<(typeof CONNECTORS)[N]>[0];

export function isConnectorName(name: string): name is ConnectorName {
  return Object.hasOwn(CONNECTORS, name);
}

/** Builds the named exchange's connector; an unknown name is an InvalidArgumentError listing the known ones. */
export function createExchange<N extends ConnectorName>(name: N, options: ConnectorOptions<N>): ExchangeBase {
  if (!isConnectorName(name)) throw new InvalidArgumentError(`unknown exchange "${String(name)}" (known: ${Object.keys(CONNECTORS).join(', ')})`, 'exchange');
  return CONNECTORS[name](options);
}

export * as binance from './binance/index.js';
