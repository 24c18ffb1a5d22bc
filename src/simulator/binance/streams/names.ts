import type { Market } from '../../engine/index.js';
import type { SymbolDirectory } from '../symbols.js';

/** The market streams the simulator serves (Binance's names, §5). */
export type StreamKind = 'depth' | 'partialDepth' | 'trade' | 'aggTrade' | 'bookTicker';

/** How often a diff or partial-depth stream is sent: `<s>@depth` is 1000 ms, `<s>@depth@100ms` 100 ms. */
export type Cadence = 'slow' | 'fast';

export interface StreamName {
  /** The name as clients write it: lower case, e.g. `btcusdt@depth@100ms`. */
  readonly name: string;
  readonly market: Market;
  readonly kind: StreamKind;
  /** For depth and partial depth. */
  readonly cadence: Cadence;
  /** For partial depth: 5, 10 or 20 levels. */
  readonly levels: number;
}

const PATTERN = /^([^@\s]+)@(depth(5|10|20)?(@(100|1000)ms)?|trade|aggTrade|bookTicker)$/;

/** Reads a stream name; undefined when it names no stream of a listed market. */
export function parseStreamName(name: string, symbols: SymbolDirectory): StreamName | undefined {
  const m = PATTERN.exec(name);
  if (m === null) return undefined;
  const symbol = m[1] as string;
  // Stream names carry the symbol in lower case; payloads carry it as listed.
  if (symbol !== symbol.toLowerCase()) return undefined;
  const market = symbols.find(symbol.toUpperCase());
  if (market === undefined) return undefined;
  const what = m[2] as string;
  const cadence: Cadence = m[5] === '100' ? 'fast' : 'slow';
  if (what.startsWith('depth')) {
    const levels = m[3] === undefined ? 0 : Number(m[3]);
    return { name, market, kind: levels === 0 ? 'depth' : 'partialDepth', cadence, levels };
  }
  return { name, market, kind: what as StreamKind, cadence: 'slow', levels: 0 };
}
