import type { Market } from '../engine/index.js';
import type { SeededRandom } from '../random.js';

/**
 * Synthetic fair values: each asset has a value in a numeraire (the most quoted asset, USDT by
 * default) that follows a mean-reverting geometric random walk, and a market's fair price is
 * value(base) / value(quote). So ETH-BTC stays consistent with ETH-USDT and BTC-USDT.
 * Floats are fine here: a fair price only steers the liquidity providers, whose quotes are
 * rounded to ticks before they become orders.
 */
export class FairPrices {
  private readonly values = new Map<string, number>();
  private readonly anchors = new Map<string, number>();
  private readonly numeraires = new Set<string>();
  private known = new Set<string>();

  constructor(
    private readonly random: SeededRandom,
    /** Standard deviation of one step's log return. */
    private readonly volatility: number,
    /** Pull back toward the starting value per step, so a long run stays near realistic prices. */
    private readonly reversion = 0.001,
  ) {}

  /** Values the assets of markets not seen before, from their starting prices. */
  include(markets: Iterable<Market>): void {
    const pending = [...markets].filter((m) => !this.known.has(m.pair) && m.initialPrice !== null);
    if (pending.length === 0) return;
    for (const m of pending) this.known.add(m.pair);
    let progress = true;
    while (pending.length > 0) {
      if (!progress) {
        // A market connected to nothing valued yet: its quote asset becomes a numeraire.
        const quoteCounts = new Map<string, number>();
        for (const m of pending) quoteCounts.set(m.quote, (quoteCounts.get(m.quote) ?? 0) + 1);
        const numeraire = [...quoteCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
        this.set(numeraire, 1);
        this.numeraires.add(numeraire);
      }
      progress = false;
      for (let i = pending.length - 1; i >= 0; i--) {
        const m = pending[i] as Market;
        const price = Number(m.initialPrice);
        const base = this.values.get(m.base);
        const quote = this.values.get(m.quote);
        if (quote !== undefined && base === undefined) this.set(m.base, price * quote);
        else if (base !== undefined && quote === undefined) this.set(m.quote, base / price);
        else if (base === undefined) continue;
        pending.splice(i, 1);
        progress = true;
      }
    }
  }

  /** One step of every asset's walk. */
  step(): void {
    for (const [asset, value] of this.values) {
      if (this.numeraires.has(asset)) continue;
      const anchor = this.anchors.get(asset) as number;
      const drift = -this.reversion * Math.log(value / anchor);
      this.values.set(asset, value * Math.exp(drift + this.volatility * this.random.normal()));
    }
  }

  /** The fair price of a market, or null when its assets have no value. */
  fair(market: Market): number | null {
    const base = this.values.get(market.base);
    const quote = this.values.get(market.quote);
    return base === undefined || quote === undefined ? null : base / quote;
  }

  /** The value of one unit of `asset` in its numeraire. */
  value(asset: string): number | undefined {
    return this.values.get(asset);
  }

  private set(asset: string, value: number): void {
    this.values.set(asset, value);
    this.anchors.set(asset, value);
  }
}
