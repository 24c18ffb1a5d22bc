/**
 * Trading pairs are `BASE-QUOTE` in every venuekit API. Connectors map them to exchange symbols from
 * the exchange's market list (see SymbolMap in the connector), never by splitting exchange symbols.
 */
export interface TradingPairParts {
  readonly base: string;
  readonly quote: string;
}

const PAIR = /^([A-Z0-9]{1,20})-([A-Z0-9]{1,20})$/;

export class InvalidTradingPairError extends Error {
  constructor(readonly pair: unknown) {
    super(`invalid trading pair ${JSON.stringify(pair)}: expected BASE-QUOTE in capitals, such as BTC-USDT`);
    this.name = 'InvalidTradingPairError';
  }
}

export function isTradingPair(value: unknown): value is string {
  return typeof value === 'string' && PAIR.test(value);
}

export function splitTradingPair(pair: string): TradingPairParts {
  const m = PAIR.exec(pair);
  if (!m) throw new InvalidTradingPairError(pair);
  return { base: m[1]!, quote: m[2]! };
}

export function tradingPair(base: string, quote: string): string {
  const pair = `${base.toUpperCase()}-${quote.toUpperCase()}`;
  if (!PAIR.test(pair)) throw new InvalidTradingPairError(pair);
  return pair;
}
