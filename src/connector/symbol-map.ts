import { InvalidArgumentError } from '../core/errors.js';

/**
 * The exchange's symbols ↔ venuekit's `BASE-QUOTE` pairs (`BTCUSDT` ↔ `BTC-USDT`), built from the
 * exchange's market list whenever the trading rules are refreshed and shared, live, by the base,
 * the connector and its data sources. A refresh replaces both directions at once.
 */
export class TradingPairSymbols {
  private toPair: ReadonlyMap<string, string> = new Map();
  private toSymbol: ReadonlyMap<string, string> = new Map();

  /** Whether a market list has been loaded (and was not empty). */
  get ready(): boolean {
    return this.toPair.size > 0;
  }

  /** Symbol → pair, for the exchange's parsers. Replaced (not mutated) by `replace`. */
  get symbolToPair(): ReadonlyMap<string, string> {
    return this.toPair;
  }

  get pairToSymbol(): ReadonlyMap<string, string> {
    return this.toSymbol;
  }

  replace(symbolToPair: ReadonlyMap<string, string>): void {
    const reverse = new Map<string, string>();
    for (const [symbol, pair] of symbolToPair) reverse.set(pair, symbol);
    this.toPair = new Map(symbolToPair);
    this.toSymbol = reverse;
  }

  /** The exchange's symbol for `tradingPair`; throws InvalidArgumentError for a pair the exchange does not list. */
  symbolOf(tradingPair: string): string {
    const symbol = this.toSymbol.get(tradingPair);
    if (symbol === undefined) {
      const why = this.ready ? 'the exchange does not list it' : 'the market list is not loaded yet';
      throw new InvalidArgumentError(`no exchange symbol for ${tradingPair}: ${why}`, 'tradingPair');
    }
    return symbol;
  }

  pairOf(symbol: string): string | undefined {
    return this.toPair.get(symbol);
  }
}
