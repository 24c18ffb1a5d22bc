import { Decimal } from '../../core/decimal.js';
import type { Market } from '../engine/index.js';
import type { JsonObject } from './format.js';
import { binanceSymbol } from './symbols.js';

/** A rate limit as exchangeInfo lists it. */
export interface RateLimitInfo {
  rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS' | 'RAW_REQUESTS';
  interval: 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY';
  intervalNum: number;
  limit: number;
}

/** Production's published limits (part 2 enforces them and makes them settable). */
export const DEFAULT_RATE_LIMITS: readonly RateLimitInfo[] = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
  { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 300000 },
];

/** The order types the simulator executes; exchangeInfo lists only these so clients check against the truth. */
export const ORDER_TYPES = ['LIMIT', 'LIMIT_MAKER', 'MARKET'] as const;

function fixed(value: string, decimals: number): string {
  return new Decimal(value).toFixed(decimals);
}

/** One entry of exchangeInfo.symbols, with Binance's filter objects. */
export function symbolInfo(market: Market): JsonObject {
  const r = market.rules.source;
  const p = market.quotePrecision;
  const q = market.basePrecision;
  const filters: JsonObject[] = [
    { filterType: 'PRICE_FILTER', minPrice: fixed(r.minPrice, p), maxPrice: fixed(r.maxPrice, p), tickSize: fixed(r.tickSize, p) },
    { filterType: 'LOT_SIZE', minQty: fixed(r.minQty, q), maxQty: fixed(r.maxQty, q), stepSize: fixed(r.stepSize, q) },
    { filterType: 'MARKET_LOT_SIZE', minQty: fixed(r.marketMinQty, q), maxQty: fixed(r.marketMaxQty, q), stepSize: fixed(r.marketStepSize, q) },
    r.notionalFilter === 'NOTIONAL'
      ? {
          filterType: 'NOTIONAL',
          minNotional: fixed(r.minNotional, p),
          applyMinToMarket: r.applyMinToMarket,
          maxNotional: fixed(r.maxNotional, p),
          applyMaxToMarket: r.applyMaxToMarket,
          avgPriceMins: r.avgPriceMins,
        }
      : { filterType: 'MIN_NOTIONAL', minNotional: fixed(r.minNotional, p), applyToMarket: r.applyMinToMarket, avgPriceMins: r.avgPriceMins },
    { filterType: 'MAX_NUM_ORDERS', maxNumOrders: r.maxNumOrders },
  ];
  return {
    symbol: binanceSymbol(market),
    status: market.status,
    baseAsset: market.base,
    baseAssetPrecision: market.basePrecision,
    quoteAsset: market.quote,
    quotePrecision: market.quotePrecision,
    quoteAssetPrecision: market.quotePrecision,
    baseCommissionPrecision: market.basePrecision,
    quoteCommissionPrecision: market.quotePrecision,
    orderTypes: [...ORDER_TYPES],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    opoAllowed: false,
    quoteOrderQtyMarketAllowed: market.quoteOrderQtyMarketAllowed,
    allowTrailingStop: false,
    cancelReplaceAllowed: false,
    amendAllowed: false,
    pegInstructionsAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters,
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: market.defaultStp,
    allowedSelfTradePreventionModes: [...market.allowedStp],
  };
}
