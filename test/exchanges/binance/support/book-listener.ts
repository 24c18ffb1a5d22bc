import type { BookStreamListener } from '../../../../src/core/book/data-source.js';
import type { BookTrade } from '../../../../src/core/book/types.js';
import type { BinanceDiff } from '../../../../src/exchanges/binance/order-book-source.js';

/** A BookStreamListener that records every call, in order. */
export class RecordingBookListener implements BookStreamListener<BinanceDiff> {
  readonly diffs: Array<{ pair: string; diff: BinanceDiff }> = [];
  readonly trades: Array<{ pair: string; trade: BookTrade }> = [];
  readonly disconnected: string[][] = [];
  readonly reconnected: string[][] = [];
  /** Every call as `kind pair…`. */
  readonly calls: string[] = [];

  onDiff(tradingPair: string, diff: BinanceDiff): void {
    this.diffs.push({ pair: tradingPair, diff });
    this.calls.push(`diff ${tradingPair}`);
  }

  onTrade(tradingPair: string, trade: BookTrade): void {
    this.trades.push({ pair: tradingPair, trade });
    this.calls.push(`trade ${tradingPair}`);
  }

  onDisconnected(tradingPairs: readonly string[]): void {
    this.disconnected.push([...tradingPairs].sort());
    this.calls.push(`disconnected ${[...tradingPairs].sort().join(' ')}`);
  }

  onReconnected(tradingPairs: readonly string[]): void {
    this.reconnected.push([...tradingPairs]);
    this.calls.push(`reconnected ${tradingPairs.join(' ')}`);
  }

  /** Pairs reported reconnected since the listener was created (each once). */
  reconnectedPairs(): string[] {
    return [...new Set(this.reconnected.flat())].sort();
  }
}

/** Symbol maps as exchangeInfo would give them, for the markets `pairs` (`BTC-USDT` ↔ `BTCUSDT`). */
export function symbolMaps(pairs: readonly string[]): { symbolToPair: Map<string, string>; pairToSymbol: Map<string, string> } {
  const pairToSymbol = new Map(pairs.map((pair) => [pair, pair.replace('-', '')]));
  return { pairToSymbol, symbolToPair: new Map([...pairToSymbol].map(([pair, symbol]) => [symbol, pair])) };
}
