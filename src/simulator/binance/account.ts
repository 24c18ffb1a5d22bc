import { formatScaled } from '../engine/index.js';
import type { Authenticated } from './auth.js';
import type { DialectContext } from './context.js';
import { errors } from './errors.js';
import { myTradeJson, type Json } from './format.js';
import type { Params } from './params.js';
import { binanceSymbol } from './symbols.js';
import { rate, readTimeWindow, requireAuth } from './trading.js';

/** GET /api/v3/account */
export function accountInfo(ctx: DialectContext, params: Params, auth: Authenticated | null): Json {
  const { account, key } = requireAuth(auth);
  const omitZero = params.boolean('omitZeroBalances') ?? false;
  params.assertAllRead();
  const balances: Json[] = [];
  for (const [asset, precision] of ctx.engine.assets) {
    const b = account.balances.get(asset);
    const free = b?.free ?? 0;
    const locked = b?.locked ?? 0;
    if (omitZero && free === 0 && locked === 0) continue;
    balances.push({ asset, free: formatScaled(free, precision, precision), locked: formatScaled(locked, precision, precision) });
  }
  return {
    makerCommission: Math.round(account.makerRate / 10_000),
    takerCommission: Math.round(account.takerRate / 10_000),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: rate(account.makerRate), taker: rate(account.takerRate), buyer: rate(0), seller: rate(0) },
    canTrade: account.canTrade && key.canTrade,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: account.updateTime,
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: account.id,
  };
}

/** GET /api/v3/myTrades, with Binance's allowed parameter combinations. */
export function myTrades(ctx: DialectContext, params: Params, auth: Authenticated | null): Json {
  const { account } = requireAuth(auth);
  const market = ctx.symbols.require(params.required('symbol'));
  const orderId = params.integer('orderId', { min: 0 });
  const fromId = params.integer('fromId', { min: 0 });
  const window = readTimeWindow(params);
  const limit = params.integer('limit', { min: 1, max: 1000 }) ?? 500;
  params.assertAllRead();
  const hasTime = params.has('startTime') || params.has('endTime');
  if (fromId !== undefined && hasTime) throw errors.badCombination();
  if (orderId !== undefined && hasTime) throw errors.badCombination();
  let trades = ctx.engine.accountTrades(account.id, market.pair);
  if (orderId !== undefined) trades = trades.filter((t) => t.orderId === orderId);
  if (fromId !== undefined) trades = trades.filter((t) => t.trade.id >= fromId);
  trades = trades.filter((t) => t.trade.time >= window.start && t.trade.time <= window.end);
  const picked = fromId !== undefined || window.fromStart || orderId !== undefined ? trades.slice(0, limit) : trades.slice(-limit);
  return picked.map((t) => myTradeJson(market, t));
}

/** GET /api/v3/account/commission */
export function commission(ctx: DialectContext, params: Params, auth: Authenticated | null): Json {
  const { account } = requireAuth(auth);
  const market = ctx.symbols.require(params.required('symbol'));
  params.assertAllRead();
  const zero = rate(0);
  return {
    symbol: binanceSymbol(market),
    standardCommission: { maker: rate(account.makerRate), taker: rate(account.takerRate), buyer: zero, seller: zero },
    specialCommission: { maker: zero, taker: zero, buyer: zero, seller: zero },
    taxCommission: { maker: zero, taker: zero, buyer: zero, seller: zero },
    discount: { enabledForAccount: false, enabledForSymbol: false, discountAsset: 'BNB', discount: '0.00000000' },
  };
}
