/** Strategies: the Strategy base users extend, the market maker built on it, and PnL from fills. */
export { Strategy, type StrategyOptions, type StrategyState } from './strategy.js';
export { MarketMakingStrategy, MARKET_MAKING_DEFAULTS, type MarketMakingParams, type MarketMakerStatus } from './market-making/market-maker.js';
export { computeQuotes, marketTop, type Quote, type QuoteInput, type QuotePlan, type OwnLevel } from './market-making/quotes.js';
export { PnlTracker, type PairPnl, type PnlFill } from './pnl.js';
