import type { Engine, Market } from '../engine/index.js';
import { errors } from './errors.js';

/** Binance names a market by its assets run together: BTC-USDT is BTCUSDT. */
export function binanceSymbol(market: Market): string {
  return market.base + market.quote;
}

/** Finds engine markets by Binance symbol. Markets are only ever added, so the index follows the count. */
export class SymbolDirectory {
  private index = new Map<string, Market>();
  private indexed = -1;

  constructor(private readonly engine: Engine) {}

  find(symbol: string): Market | undefined {
    if (this.indexed !== this.engine.markets.size) {
      const index = new Map<string, Market>();
      for (const m of this.engine.markets.values()) if (!index.has(binanceSymbol(m))) index.set(binanceSymbol(m), m);
      this.index = index;
      this.indexed = this.engine.markets.size;
    }
    return this.index.get(symbol);
  }

  /** The market named by `symbol`, or -1121. */
  require(symbol: string): Market {
    const market = this.find(symbol);
    if (market === undefined) throw errors.badSymbol();
    return market;
  }

  all(): Market[] {
    return [...this.engine.markets.values()];
  }
}
