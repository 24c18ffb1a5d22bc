import { z } from 'zod';
import { Decimal, ZERO } from '../../../core/decimal.js';
import { tradingRule, type TradingRule } from '../../../core/rules/trading-rule.js';
import { tradingPair } from '../../../core/trading-pair.js';
import { OrderType } from '../../../core/types.js';
import { fromBinanceOrderType } from '../constants.js';
import { amountString, fail, int, ok, parseSchema, type ParseFailure, type ParseResult } from './schema.js';

/** One spot market of exchangeInfo, with what venuekit needs to trade it. */
export interface BinanceSymbolInfo {
  readonly symbol: string;
  /** `BASE-QUOTE` from baseAsset and quoteAsset, never from splitting the symbol. */
  readonly tradingPair: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** TRADING, END_OF_DAY, HALT, BREAK, CANCEL_ONLY... as Binance sent it. */
  readonly status: string;
  /** Status TRADING (CANCEL_ONLY is not: orders can be cancelled, not placed). Same as `rule.tradingEnabled`. */
  readonly tradable: boolean;
  readonly rule: TradingRule;
  /** Binance order types allowed on the symbol, as sent (all of venuekit's when the field is absent). */
  readonly orderTypes: readonly string[];
  /** MAX_NUM_ORDERS: open orders the account may have on the symbol. */
  readonly maxNumOrders?: number;
  /** MAX_NUM_ALGO_ORDERS: open stop and take-profit orders. */
  readonly maxNumAlgoOrders?: number;
  readonly baseAssetPrecision?: number;
  readonly quoteAssetPrecision?: number;
}

export interface ExchangeRateLimit {
  readonly rateLimitType: string;
  readonly interval: string;
  readonly intervalNum: number;
  readonly limit: number;
}

export interface BinanceMarkets {
  /** Every spot symbol, whatever its status: orders on a halted market still need their pair. */
  readonly symbols: readonly BinanceSymbolInfo[];
  readonly symbolToPair: ReadonlyMap<string, string>;
  readonly pairToSymbol: ReadonlyMap<string, string>;
  /** Trading rules by pair, for every spot symbol (`tradingEnabled` false unless TRADING). */
  readonly tradingRules: ReadonlyMap<string, TradingRule>;
  /** The pairs open for new orders now. */
  readonly tradingPairs: readonly string[];
  /** Symbols that could not be read (log them): the rest of the list is still usable. */
  readonly skipped: readonly ParseFailure[];
  readonly rateLimits: readonly ExchangeRateLimit[];
  readonly serverTime?: number;
}

const exchangeInfoSchema = z.object({
  serverTime: int.optional(),
  rateLimits: z.array(z.object({ rateLimitType: z.string(), interval: z.string(), intervalNum: int, limit: int })).default([]),
  symbols: z.array(z.unknown()),
});

const symbolSchema = z.object({
  symbol: z.string().min(1),
  status: z.string().min(1),
  baseAsset: z.string().min(1),
  quoteAsset: z.string().min(1),
  baseAssetPrecision: int.optional(),
  quoteAssetPrecision: int.optional(),
  orderTypes: z.array(z.string()).optional(),
  isSpotTradingAllowed: z.boolean().optional(),
  permissions: z.array(z.string()).optional(),
  permissionSets: z.array(z.array(z.string())).optional(),
  filters: z.array(z.looseObject({ filterType: z.string() })).default([]),
});

const quantityFilter = z.object({ minQty: amountString, maxQty: amountString, stepSize: amountString });

const FILTER_SCHEMAS = {
  PRICE_FILTER: z.object({ minPrice: amountString, maxPrice: amountString, tickSize: amountString }),
  LOT_SIZE: quantityFilter,
  MARKET_LOT_SIZE: quantityFilter,
  NOTIONAL: z.object({
    minNotional: amountString,
    maxNotional: amountString,
    applyMinToMarket: z.boolean().default(true),
    applyMaxToMarket: z.boolean().default(false),
  }),
  MIN_NOTIONAL: z.object({ minNotional: amountString, applyToMarket: z.boolean().default(true) }),
  MAX_NUM_ORDERS: z.object({ maxNumOrders: int }),
  MAX_NUM_ALGO_ORDERS: z.object({ maxNumAlgoOrders: int }),
} as const;

type FilterName = keyof typeof FILTER_SCHEMAS;
type Filters = { -readonly [K in FilterName]?: z.output<(typeof FILTER_SCHEMAS)[K]> };

const WHAT = 'exchangeInfo symbol';

/**
 * exchangeInfo → the symbol ↔ pair map and trading rules of every spot symbol. A symbol that cannot
 * be read is listed in `skipped` and left out; only an unreadable envelope fails the whole answer.
 */
export function parseExchangeInfo(body: unknown): ParseResult<BinanceMarkets> {
  const envelope = parseSchema(exchangeInfoSchema, body, 'exchangeInfo');
  if (!envelope.ok) return envelope;
  const symbols: BinanceSymbolInfo[] = [];
  const skipped: ParseFailure[] = [];
  const symbolToPair = new Map<string, string>();
  const pairToSymbol = new Map<string, string>();
  const tradingRules = new Map<string, TradingRule>();
  for (const raw of envelope.value.symbols) {
    const parsed = parseSymbol(raw);
    if (parsed === undefined) continue;
    if (!parsed.ok) {
      skipped.push(parsed);
      continue;
    }
    const info = parsed.value;
    if (symbolToPair.has(info.symbol) || pairToSymbol.has(info.tradingPair)) {
      skipped.push(fail('malformed', WHAT, 'symbol', `repeats a symbol or a pair already listed (${info.tradingPair})`, info.symbol));
      continue;
    }
    symbols.push(info);
    symbolToPair.set(info.symbol, info.tradingPair);
    pairToSymbol.set(info.tradingPair, info.symbol);
    tradingRules.set(info.tradingPair, info.rule);
  }
  return ok({
    symbols,
    symbolToPair,
    pairToSymbol,
    tradingRules,
    tradingPairs: symbols.filter((s) => s.tradable).map((s) => s.tradingPair),
    skipped,
    rateLimits: envelope.value.rateLimits,
    ...(envelope.value.serverTime !== undefined && { serverTime: envelope.value.serverTime }),
  });
}

/** One symbol; undefined for a market that is not spot (margin only), which venuekit does not list. */
function parseSymbol(raw: unknown): ParseResult<BinanceSymbolInfo> | undefined {
  const parsed = parseSchema(symbolSchema, raw, WHAT);
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  if (!isSpot(s)) return undefined;

  let pair: string;
  try {
    pair = tradingPair(s.baseAsset, s.quoteAsset);
  } catch {
    return fail('unsupported', WHAT, 'baseAsset', `${s.symbol}: assets ${s.baseAsset}/${s.quoteAsset} do not make a BASE-QUOTE pair venuekit supports`, s.baseAsset);
  }

  const filters: Filters = {};
  for (const [index, filter] of s.filters.entries()) {
    const name = filter.filterType as FilterName;
    if (!Object.hasOwn(FILTER_SCHEMAS, name)) continue;
    const read = parseSchema(FILTER_SCHEMAS[name], filter, `${WHAT} ${s.symbol} filter ${name} (filters.${index})`);
    if (!read.ok) return read;
    (filters as Record<string, unknown>)[name] = read.value;
  }

  const tradable = s.status === 'TRADING';
  let rule: TradingRule;
  try {
    rule = buildRule(pair, s, filters, tradable);
  } catch (err) {
    return fail('malformed', WHAT, 'filters', `${s.symbol}: ${err instanceof Error ? err.message : String(err)}`, s.filters);
  }
  return ok({
    symbol: s.symbol,
    tradingPair: pair,
    baseAsset: s.baseAsset,
    quoteAsset: s.quoteAsset,
    status: s.status,
    tradable,
    rule,
    orderTypes: s.orderTypes ?? VENUEKIT_ORDER_TYPES,
    ...(filters.MAX_NUM_ORDERS && { maxNumOrders: filters.MAX_NUM_ORDERS.maxNumOrders }),
    ...(filters.MAX_NUM_ALGO_ORDERS && { maxNumAlgoOrders: filters.MAX_NUM_ALGO_ORDERS.maxNumAlgoOrders }),
    ...(s.baseAssetPrecision !== undefined && { baseAssetPrecision: s.baseAssetPrecision }),
    ...(s.quoteAssetPrecision !== undefined && { quoteAssetPrecision: s.quoteAssetPrecision }),
  });
}

/**
 * Spot trading permitted: SPOT in one of `permissionSets` (what Binance fills since 2024-04) or in
 * the legacy `permissions`; with neither filled in, `isSpotTradingAllowed` decides.
 */
function isSpot(s: z.output<typeof symbolSchema>): boolean {
  if (s.isSpotTradingAllowed === false) return false;
  const sets = s.permissionSets ?? [];
  const legacy = s.permissions ?? [];
  if (sets.every((set) => set.length === 0) && legacy.length === 0) return s.isSpotTradingAllowed === true;
  return sets.some((set) => set.includes('SPOT')) || legacy.includes('SPOT');
}

/** A zero limit disables the check on Binance: no maximum. */
function positive(value: Decimal | undefined): Decimal | undefined {
  return value !== undefined && value.gt(0) ? value : undefined;
}

function minOfMaxima(a: Decimal | undefined, b: Decimal | undefined): Decimal | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Decimal.min(a, b);
}

const VENUEKIT_ORDER_TYPES = [OrderType.LIMIT, OrderType.LIMIT_MAKER, OrderType.MARKET];

function buildRule(pair: string, s: z.output<typeof symbolSchema>, f: Filters, tradable: boolean): TradingRule {
  const lot = f.LOT_SIZE;
  const marketLot = f.MARKET_LOT_SIZE;
  const lotStep = lot?.stepSize ?? ZERO;
  const supported = new Set(s.orderTypes?.map(fromBinanceOrderType) ?? VENUEKIT_ORDER_TYPES);
  return tradingRule({
    tradingPair: pair,
    minOrderSize: lot?.minQty ?? ZERO,
    maxOrderSize: positive(lot?.maxQty),
    minPriceIncrement: f.PRICE_FILTER?.tickSize ?? ZERO,
    minPrice: positive(f.PRICE_FILTER?.minPrice),
    maxPrice: positive(f.PRICE_FILTER?.maxPrice),
    minBaseAmountIncrement: lotStep,
    minQuoteAmountIncrement: s.quoteAssetPrecision !== undefined ? new Decimal(10).pow(-s.quoteAssetPrecision) : ZERO,
    minNotionalSize: f.NOTIONAL?.minNotional ?? f.MIN_NOTIONAL?.minNotional ?? ZERO,
    maxNotionalSize: positive(f.NOTIONAL?.maxNotional),
    applyMinNotionalToMarket: f.NOTIONAL?.applyMinToMarket ?? f.MIN_NOTIONAL?.applyToMarket ?? true,
    applyMaxNotionalToMarket: f.NOTIONAL?.applyMaxToMarket ?? false,
    // A market order must pass LOT_SIZE and MARKET_LOT_SIZE both: the tighter bounds and the coarser step.
    ...(marketLot && {
      minMarketOrderSize: Decimal.max(marketLot.minQty, lot?.minQty ?? ZERO),
      maxMarketOrderSize: minOfMaxima(positive(marketLot.maxQty), positive(lot?.maxQty)),
      marketSizeIncrement: Decimal.max(marketLot.stepSize, lotStep),
    }),
    supportedOrderTypes: VENUEKIT_ORDER_TYPES.filter((t) => supported.has(t)),
    tradingEnabled: tradable,
  });
}
