import { silentLogger, type Logger } from '../../core/logger.js';
import { formatScaled, pow10, type Engine, type Market, type Order, type Side } from '../engine/index.js';
import { SeededRandom } from '../random.js';
import { FairPrices } from './fair-prices.js';

export interface ActivityOptions {
  /** Every decision (price moves, sizes, sides) is drawn from this seed. */
  seed: number;
  /** How often fair prices move and the liquidity provider requotes, in ms. */
  quoteIntervalMs: number;
  /** How often each market may see a taker, in ms. */
  takerIntervalMs: number;
  /** Chance that a market sees a taker at each taker tick. */
  takerProbability: number;
  /** Quoted levels per side. */
  levels: number;
  /** Standard deviation of the fair price's log return per quote tick. */
  volatility: number;
  /** Distance from fair price to the best quotes, relative (at least one tick). */
  halfSpread: number;
  /** Distance between quoted levels, relative (at least one tick). */
  levelSpacing: number;
  /** Size of a quoted level, in multiples of the market's minimum notional. */
  levelNotional: number;
}

export const DEFAULT_ACTIVITY: ActivityOptions = {
  seed: 1,
  quoteIntervalMs: 250,
  takerIntervalMs: 500,
  takerProbability: 0.6,
  levels: 10,
  volatility: 0.0003,
  halfSpread: 0.0001,
  levelSpacing: 0.0001,
  levelNotional: 300,
};

/** How much of each asset's room under the engine's supply bound the bots may hold. */
const BOT_FUNDING_VALUE = 20_000_000;

/**
 * Background market activity: a liquidity provider quoting both sides of every market at several
 * levels around a moving fair price, and takers sending market orders. Deterministic from the seed
 * for a given sequence of ticks. `seed()` quotes once (static two-sided books); `start()` keeps going.
 */
export class MarketActivity {
  readonly options: ActivityOptions;
  readonly makerAccountId: number;
  readonly takerAccountId: number;
  private readonly random: SeededRandom;
  private readonly fair: FairPrices;
  private readonly funded = new Set<string>();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly engine: Engine,
    options: Partial<ActivityOptions> = {},
    private readonly logger: Logger = silentLogger(),
  ) {
    this.options = { ...DEFAULT_ACTIVITY, ...options };
    this.random = new SeededRandom(this.options.seed);
    this.fair = new FairPrices(this.random.fork(1), this.options.volatility);
    this.makerAccountId = engine.createAccount({ name: 'activity-maker', makerRate: '0', takerRate: '0' }).id;
    this.takerAccountId = engine.createAccount({ name: 'activity-taker', makerRate: '0', takerRate: '0' }).id;
  }

  /** Quotes every market once, without moving prices: books become two-sided. */
  seed(): void {
    this.guard(() => this.requoteAll());
  }

  /** Quotes now, then keeps moving prices, requoting and trading until stop(). */
  start(): void {
    this.seed();
    this.timers.push(
      setInterval(() => this.quoteTick(), this.options.quoteIntervalMs),
      setInterval(() => this.takerTick(), this.options.takerIntervalMs),
    );
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** What the quote timer does: fair prices take one step and the liquidity provider requotes. */
  quoteTick(): void {
    this.guard(() => {
      this.fair.step();
      this.requoteAll();
    });
  }

  /** What the taker timer does: each market may see one market order. */
  takerTick(): void {
    this.guard(() => this.takeAll());
  }

  /** The current fair price of a market, or null for a market without a starting price. */
  fairPrice(pair: string): number | null {
    const market = this.engine.market(pair);
    return market ? this.fair.fair(market) : null;
  }

  private guard(body: () => void): void {
    try {
      body();
    } catch (error) {
      this.logger.error({ err: error }, 'market activity step failed');
    }
  }

  private requoteAll(): void {
    this.fair.include(this.engine.markets.values());
    for (const market of this.engine.markets.values()) {
      if (market.status !== 'TRADING') continue;
      const fair = this.fair.fair(market);
      if (fair === null) continue;
      this.fund(market);
      this.requote(market, fair);
    }
  }

  /** Gives the bots plenty of both assets of a market the first time they trade it. */
  private fund(market: Market): void {
    for (const asset of [market.base, market.quote]) {
      if (this.funded.has(asset)) continue;
      this.funded.add(asset);
      const precision = this.engine.assets.get(asset) ?? 8;
      const value = this.fair.value(asset) ?? 1;
      const room = (Number.MAX_SAFE_INTEGER - this.engine.supplyOf(asset)) / 4;
      const units = Math.floor(Math.min(room, (BOT_FUNDING_VALUE / value) * pow10(precision)));
      const amount = formatScaled(units, precision, precision);
      for (const id of [this.makerAccountId, this.takerAccountId]) this.engine.adjustBalance(id, asset, amount);
    }
  }

  private requote(market: Market, fair: number): void {
    const rules = market.rules;
    const unit = pow10(rules.priceScale);
    const tick = Math.max(rules.tickUnits, 1);
    const fairUnits = fair * unit;
    const wanted = new Map<number, Side>();
    let bid = Math.floor((fairUnits * (1 - this.options.halfSpread)) / tick) * tick;
    let ask = Math.ceil((fairUnits * (1 + this.options.halfSpread)) / tick) * tick;
    if (ask <= bid) ask = bid + tick;
    const spacing = Math.max(tick, Math.round((fairUnits * this.options.levelSpacing) / tick) * tick);
    for (let i = 0; i < this.options.levels; i++) {
      if (bid >= Math.max(rules.minPrice, tick)) wanted.set(bid, 'BUY');
      if (rules.maxPrice === 0 || ask <= rules.maxPrice) wanted.set(ask, 'SELL');
      bid -= spacing;
      ask += spacing;
    }
    const size = this.levelLots(market, fair);
    const kept = new Set<number>();
    for (const order of this.engine.openOrders(this.makerAccountId, market.pair)) {
      const side = wanted.get(order.priceTicks);
      // Keep a quote that is still wanted and not mostly taken; replace the rest.
      if (side === order.side && !kept.has(order.priceTicks) && order.remainingLots * 3 >= order.origLots) {
        kept.add(order.priceTicks);
      } else {
        this.engine.cancelOrder({ accountId: this.makerAccountId, pair: market.pair, orderId: order.id });
      }
    }
    for (const [price, side] of wanted) {
      if (kept.has(price)) continue;
      const lots = this.jitter(size, rules.stepLots, rules.minLots);
      this.engine.submitOrder({
        accountId: this.makerAccountId,
        pair: market.pair,
        side,
        type: 'LIMIT',
        timeInForce: 'GTC',
        price: market.formatPrice(price),
        quantity: market.formatQty(lots),
      });
    }
  }

  private takeAll(): void {
    for (const market of this.engine.markets.values()) {
      if (market.status !== 'TRADING' || !this.random.chance(this.options.takerProbability)) continue;
      const fair = this.fair.fair(market);
      if (fair === null) continue;
      const side: Side = this.random.chance(0.5) ? 'BUY' : 'SELL';
      const lots = this.jitter(this.levelLots(market, fair) * this.random.range(0.2, 1.2), market.rules.stepLots, market.rules.minLots);
      this.engine.submitOrder({ accountId: this.takerAccountId, pair: market.pair, side, type: 'MARKET', quantity: market.formatQty(lots), stp: 'NONE' });
    }
  }

  /** Lots of one quoted level: `levelNotional` minimum notionals at the fair price. */
  private levelLots(market: Market, fair: number): number {
    const rules = market.rules;
    const minNotional = rules.minNotional / pow10(market.quotePrecision);
    const notional = minNotional > 0 ? minNotional * this.options.levelNotional : 1000 * fair * (rules.minLots || 1) / pow10(rules.qtyScale);
    return (notional / fair) * pow10(rules.qtyScale);
  }

  private jitter(lots: number, step: number, min: number): number {
    const s = Math.max(step, 1);
    const value = Math.floor((lots * this.random.range(0.5, 1.5)) / s) * s;
    return Math.max(value, min, s);
  }

  /** The liquidity provider's open orders (for tests). */
  quotes(pair: string): Order[] {
    return this.engine.openOrders(this.makerAccountId, pair);
  }
}
