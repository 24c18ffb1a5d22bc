import { ceilDiv, floorDiv, parseScaled, parseScaledBig, pow10, pow10n, significantDecimals, toSafeNumber } from './fixed.js';
import type { FilterName } from './types.js';

/**
 * A market's trading rules as the exchange publishes them: decimal strings, Binance's filter set.
 * A zero disables a bound or a step, as on Binance.
 */
export interface MarketRules {
  /** PRICE_FILTER */
  tickSize: string;
  minPrice: string;
  maxPrice: string;
  /** LOT_SIZE */
  stepSize: string;
  minQty: string;
  maxQty: string;
  /** MARKET_LOT_SIZE (market orders, on top of LOT_SIZE) */
  marketStepSize: string;
  marketMinQty: string;
  marketMaxQty: string;
  /** Which notional filter the market publishes: the current NOTIONAL or the older MIN_NOTIONAL. */
  notionalFilter: 'NOTIONAL' | 'MIN_NOTIONAL';
  minNotional: string;
  /** NOTIONAL only. */
  maxNotional: string;
  applyMinToMarket: boolean;
  applyMaxToMarket: boolean;
  /** Minutes of trades averaged to price a market order's notional. */
  avgPriceMins: number;
  /** MAX_NUM_ORDERS: open orders per account on this market. */
  maxNumOrders: number;
}

export const DEFAULT_RULES: MarketRules = {
  tickSize: '0.01',
  minPrice: '0.01',
  maxPrice: '1000000',
  stepSize: '0.00001',
  minQty: '0.00001',
  maxQty: '9000',
  marketStepSize: '0',
  marketMinQty: '0',
  marketMaxQty: '100',
  notionalFilter: 'NOTIONAL',
  minNotional: '5',
  maxNotional: '9000000',
  applyMinToMarket: true,
  applyMaxToMarket: false,
  avgPriceMins: 5,
  maxNumOrders: 200,
};

/** Thrown for market definitions or rules the engine cannot represent exactly. */
export class InvalidMarketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMarketError';
  }
}

/**
 * Rules compiled to the engine's integers. Prices are counted in units of 10^-priceScale (a tick is
 * `tickUnits` of them, normally 1), quantities in units of 10^-qtyScale ("lots"), money in units of
 * 10^-precision of its asset.
 */
export class CompiledRules {
  readonly priceScale: number;
  readonly qtyScale: number;
  readonly tickUnits: number;
  readonly minPrice: number;
  readonly maxPrice: number;
  readonly stepLots: number;
  readonly minLots: number;
  readonly maxLots: number;
  readonly marketStepLots: number;
  readonly marketMinLots: number;
  readonly marketMaxLots: number;
  readonly minNotional: number;
  readonly maxNotional: number;
  /** Base asset units in one lot. */
  readonly baseUnitsPerLot: number;
  /** price units x lots -> quote units: multiply (shift <= 0) or divide (shift > 0) by 10^|shift|. */
  private readonly notionalShift: number;
  private readonly notionalFactor: number;
  private readonly notionalFactorBig: bigint;

  constructor(
    readonly source: MarketRules,
    readonly basePrecision: number,
    readonly quotePrecision: number,
  ) {
    const r = source;
    const decimalsOf = (field: keyof MarketRules): number => {
      const value = r[field];
      if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value)) {
        throw new InvalidMarketError(`rule ${field}: expected a plain non-negative decimal, got ${JSON.stringify(value)}`);
      }
      return significantDecimals(value);
    };
    const priceFields = ['tickSize', 'minPrice', 'maxPrice'] as const;
    const qtyFields = ['stepSize', 'minQty', 'maxQty', 'marketStepSize', 'marketMinQty', 'marketMaxQty'] as const;
    this.priceScale = isZero(r.tickSize) ? quotePrecision : Math.max(...priceFields.map(decimalsOf));
    this.qtyScale = isZero(r.stepSize) ? basePrecision : Math.max(...qtyFields.map(decimalsOf));
    for (const f of [...priceFields, ...qtyFields]) decimalsOf(f);
    if (this.priceScale > quotePrecision) {
      throw new InvalidMarketError(`price rules need ${this.priceScale} decimals but the quote asset has ${quotePrecision}`);
    }
    if (this.qtyScale > basePrecision) {
      throw new InvalidMarketError(`quantity rules need ${this.qtyScale} decimals but the base asset has ${basePrecision}`);
    }
    const price = (field: (typeof priceFields)[number]): number => this.readRule(field, this.priceScale);
    const qty = (field: (typeof qtyFields)[number]): number => this.readRule(field, this.qtyScale);
    this.tickUnits = price('tickSize');
    this.minPrice = price('minPrice');
    this.maxPrice = price('maxPrice');
    this.stepLots = qty('stepSize');
    this.minLots = qty('minQty');
    this.maxLots = qty('maxQty');
    this.marketStepLots = qty('marketStepSize');
    this.marketMinLots = qty('marketMinQty');
    this.marketMaxLots = qty('marketMaxQty');
    this.minNotional = this.readMoney('minNotional');
    this.maxNotional = r.notionalFilter === 'NOTIONAL' ? this.readMoney('maxNotional') : 0;
    if (!Number.isInteger(r.maxNumOrders) || r.maxNumOrders < 0) throw new InvalidMarketError('maxNumOrders must be a non-negative integer');
    if (!Number.isInteger(r.avgPriceMins) || r.avgPriceMins < 0) throw new InvalidMarketError('avgPriceMins must be a non-negative integer');
    this.baseUnitsPerLot = pow10(basePrecision - this.qtyScale);
    this.notionalShift = this.priceScale + this.qtyScale - quotePrecision;
    this.notionalFactor = pow10(Math.abs(this.notionalShift));
    this.notionalFactorBig = pow10n(Math.abs(this.notionalShift));
  }

  private readRule(field: keyof MarketRules, scale: number): number {
    const value = parseScaled(String(this.source[field]), scale, scale);
    if (value < 0) throw new InvalidMarketError(`rule ${field}=${String(this.source[field])} does not fit ${scale} decimals`);
    return value;
  }

  private readMoney(field: 'minNotional' | 'maxNotional'): number {
    const value = parseScaledBig(this.source[field], this.quotePrecision, this.quotePrecision);
    if (typeof value !== 'bigint' || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new InvalidMarketError(`rule ${field}=${this.source[field]} does not fit the quote precision`);
    }
    return Number(value);
  }

  /**
   * Quote units of price x quantity, rounded down: what a fill moves from buyer to seller.
   * Infinity when beyond the safe range (no balance can pay it).
   */
  notionalFloor(priceUnits: number, lots: number): number {
    const product = priceUnits * lots;
    if (product <= Number.MAX_SAFE_INTEGER) {
      if (this.notionalShift > 0) return floorDiv(product, this.notionalFactor);
      const scaled = product * this.notionalFactor;
      if (scaled <= Number.MAX_SAFE_INTEGER) return scaled;
    }
    const exact = BigInt(priceUnits) * BigInt(lots);
    return toSafeNumber(this.notionalShift > 0 ? exact / this.notionalFactorBig : exact * this.notionalFactorBig);
  }

  /** Quote units of price x quantity, rounded up: what a resting buy locks, so every fill is covered. */
  notionalCeil(priceUnits: number, lots: number): number {
    const floor = this.notionalFloor(priceUnits, lots);
    if (this.notionalShift <= 0 || floor === Number.POSITIVE_INFINITY) return floor;
    const product = priceUnits * lots;
    if (product <= Number.MAX_SAFE_INTEGER) return floor * this.notionalFactor === product ? floor : floor + 1;
    return toSafeNumber(ceilDiv(BigInt(priceUnits) * BigInt(lots), this.notionalFactorBig));
  }

  /** The largest whole number of lots (a multiple of the step) whose notional at `priceUnits` is at most `quote`. */
  lotsForQuote(priceUnits: number, quote: number): number {
    if (priceUnits <= 0 || quote <= 0) return 0;
    const q = BigInt(quote);
    const scaled = this.notionalShift <= 0 ? q / this.notionalFactorBig : q * this.notionalFactorBig;
    const lots = Number(scaled / BigInt(priceUnits));
    return this.stepLots > 1 ? lots - (lots % this.stepLots) : lots;
  }

  /** Base units in `lots`; Infinity beyond the safe range. */
  baseUnits(lots: number): number {
    const units = lots * this.baseUnitsPerLot;
    return units <= Number.MAX_SAFE_INTEGER ? units : Number.POSITIVE_INFINITY;
  }

  /** PRICE_FILTER on an already-parsed price. */
  checkPrice(priceUnits: number): FilterName | null {
    if (priceUnits <= 0) return 'PRICE_FILTER';
    if (this.minPrice > 0 && priceUnits < this.minPrice) return 'PRICE_FILTER';
    if (this.maxPrice > 0 && priceUnits > this.maxPrice) return 'PRICE_FILTER';
    if (this.tickUnits > 1 && priceUnits % this.tickUnits !== 0) return 'PRICE_FILTER';
    return null;
  }

  /** LOT_SIZE, and MARKET_LOT_SIZE for market orders. */
  checkQuantity(lots: number, isMarket: boolean): FilterName | null {
    if (lots <= 0) return 'LOT_SIZE';
    if (this.minLots > 0 && lots < this.minLots) return 'LOT_SIZE';
    if (this.maxLots > 0 && lots > this.maxLots) return 'LOT_SIZE';
    if (this.stepLots > 1 && lots % this.stepLots !== 0) return 'LOT_SIZE';
    if (isMarket) {
      if (this.marketMinLots > 0 && lots < this.marketMinLots) return 'MARKET_LOT_SIZE';
      if (this.marketMaxLots > 0 && lots > this.marketMaxLots) return 'MARKET_LOT_SIZE';
      if (this.marketStepLots > 1 && lots % this.marketStepLots !== 0) return 'MARKET_LOT_SIZE';
    }
    return null;
  }

  /** NOTIONAL / MIN_NOTIONAL on a notional in quote units. */
  checkNotional(notional: number, isMarket: boolean): FilterName | null {
    const r = this.source;
    const name: FilterName = r.notionalFilter;
    const applyMin = !isMarket || r.applyMinToMarket;
    const applyMax = r.notionalFilter === 'NOTIONAL' && (!isMarket || r.applyMaxToMarket);
    if (applyMin && notional < this.minNotional) return name;
    if (applyMax && this.maxNotional > 0 && notional > this.maxNotional) return name;
    return null;
  }

  /** True when these rules count prices and quantities in the same units as `other`. */
  sameUnits(other: CompiledRules): boolean {
    return this.priceScale === other.priceScale && this.qtyScale === other.qtyScale;
  }
}

function isZero(text: string): boolean {
  return /^0*(\.0*)?$/.test(text);
}
