import type { PairPnl } from '../../strategy/pnl.js';
import { money, num } from '../view/render.js';
import type { StopReason } from './shutdown.js';

/** What a run of the bot did, printed when it stops (and as one JSON line with --json-summary). */
export interface BotSummary {
  readonly reason: StopReason;
  readonly venue: string;
  readonly tradingPair: string;
  readonly runtimeMs: number;
  /** From the start of the strategy to its first fill. */
  readonly firstFillAfterMs: number | undefined;
  readonly ordersPlaced: number;
  readonly fills: number;
  readonly cancelled: number;
  readonly failed: number;
  /** Fees charged, by token, exact. */
  readonly fees: Readonly<Record<string, string>>;
  readonly pnl: PairPnl;
  /** Decimal places the PnL amounts are printed with. */
  readonly pnlPlaces: number;
  /** The bot's orders open when it stopped, how many the exchange confirmed cancelled, and how many ended either way (a fill can win the race with the cancel). */
  readonly cancelRequested: number;
  readonly cancelConfirmed: number;
  readonly endedOnStop: number;
  /** The bot's orders the exchange still has open after the stop (asked of the exchange); undefined if it could not be asked. */
  readonly openOrdersOnExchange: number | undefined;
  /** The tracking store the state is saved in. */
  readonly store: string;
}

const REASONS: Record<StopReason, string> = {
  duration: 'the --duration ran out',
  interrupted: 'Ctrl-C',
  terminated: 'SIGTERM',
};

export function renderSummary(s: BotSummary): string[] {
  const fees = Object.entries(s.fees).map(([token, amount]) => `${amount} ${token}`).join(', ') || 'none';
  const p = s.pnl;
  const open = s.openOrdersOnExchange === undefined ? 'unknown (the exchange did not answer)' : String(s.openOrdersOnExchange);
  return [
    `stopped after ${(s.runtimeMs / 1000).toFixed(1)} s (${REASONS[s.reason]})`,
    `venue: ${s.venue}`,
    `orders placed: ${s.ordersPlaced} (cancelled ${s.cancelled}, failed ${s.failed})`,
    `fills: ${s.fills}`,
    `first fill: ${s.firstFillAfterMs === undefined ? 'none' : `${(s.firstFillAfterMs / 1000).toFixed(1)} s after start`}`,
    `fees: ${fees}`,
    `pnl (${p.quoteAsset}): realized ${money(p.realized, s.pnlPlaces)}, unrealized ${money(p.unrealized, s.pnlPlaces)}, fees ${money(p.fees, s.pnlPlaces)}, net ${money(p.net, s.pnlPlaces)} ` +
      `(position ${num(p.position)} ${p.baseAsset}${p.markPrice ? `, marked at ${num(p.markPrice)}` : ''})`,
    `open orders on stop: ${s.cancelRequested}, ended ${s.endedOnStop} (cancelled ${s.cancelConfirmed}, filled before the cancel ${s.endedOnStop - s.cancelConfirmed})`,
    `bot orders still open on the exchange: ${open}`,
    `tracking state saved in ${s.store}`,
  ];
}

/** The summary as JSON: decimals as exact strings. */
export function summaryJson(s: BotSummary): string {
  const { pnl: p, pnlPlaces: _display, ...rest } = s; // the JSON has exact values: no display rounding
  return JSON.stringify({
    ...rest,
    pnl: {
      tradingPair: p.tradingPair,
      quoteAsset: p.quoteAsset,
      realized: p.realized.toFixed(),
      unrealized: p.unrealized.toFixed(),
      fees: p.fees.toFixed(),
      net: p.net.toFixed(),
      position: p.position.toFixed(),
      markPrice: p.markPrice?.toFixed(),
    },
  });
}
