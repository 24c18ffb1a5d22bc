import { describe, expect, it } from 'vitest';
import { ExchangeBase } from '../../src/connector/exchange-base.js';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { BinanceExchange } from '../../src/exchanges/binance/exchange.js';
import { CONNECTORS, createExchange, isConnectorName } from '../../src/exchanges/index.js';

describe('the registry of connectors', () => {
  it('builds a connector by name; an unknown name lists the known ones', async () => {
    expect(Object.keys(CONNECTORS)).toEqual(['binance']);
    expect(isConnectorName('binance')).toBe(true);
    expect(isConnectorName('toString')).toBe(false);
    const ex = createExchange('binance', { apiKey: 'k', apiSecret: 's', urls: { restUrl: 'http://127.0.0.1:1', wsApiUrl: 'ws://127.0.0.1:1/ws-api/v3', streamUrl: 'ws://127.0.0.1:1/ws' }, databasePath: ':memory:' });
    try {
      expect(ex).toBeInstanceOf(BinanceExchange);
      expect(ex).toBeInstanceOf(ExchangeBase);
      expect(ex.name).toBe('binance');
      expect(ex.ready).toBe(false);
    } finally {
      await ex.close();
    }
    expect(() => createExchange('kraken' as 'binance', { apiKey: 'k', apiSecret: 's' })).toThrow(InvalidArgumentError);
    expect(() => createExchange('kraken' as 'binance', { apiKey: 'k', apiSecret: 's' })).toThrow(/known: binance/);
  });
});
