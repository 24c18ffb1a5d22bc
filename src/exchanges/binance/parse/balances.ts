import { z } from 'zod';
import type { Decimal } from '../../../core/decimal.js';
import type { BalanceEntry } from '../../../core/orders/updates.js';
import { amountString, decimalString, int, ok, parseSchema, type ParseResult } from './schema.js';

/** `GET /api/v3/account`: the whole table. Assets absent from it hold nothing. */
export interface AccountSnapshot {
  /** Exchange time of the last change to the account: compare with a position's `lastUpdateTime`. */
  readonly updateTime: number;
  readonly balances: readonly BalanceEntry[];
  readonly canTrade?: boolean;
  /** The account's commission rates, as fractions (0.001 is 0.1 %). */
  readonly commissionRates?: { readonly maker: Decimal; readonly taker: Decimal };
}

/** `outboundAccountPosition`: free and locked of the assets it lists, absolute values. */
export interface AccountPosition {
  readonly eventTime: number;
  /** `u`: time of the last account update, the same clock as the snapshot's `updateTime`. */
  readonly lastUpdateTime: number;
  readonly balances: readonly BalanceEntry[];
}

/** `balanceUpdate`: a deposit, withdrawal or transfer, as a signed delta of the asset's free balance. */
export interface BalanceDelta {
  readonly asset: string;
  readonly delta: Decimal;
  readonly eventTime: number;
  /** `T`: when the change cleared on the account. */
  readonly clearTime: number;
}

const asset = z.string().min(1);

function entry(assetName: string, free: Decimal, locked: Decimal): BalanceEntry {
  return { asset: assetName, total: free.plus(locked), available: free };
}

const accountSchema = z.object({
  updateTime: int,
  canTrade: z.boolean().optional(),
  commissionRates: z.object({ maker: amountString, taker: amountString }).optional(),
  balances: z.array(z.object({ asset, free: amountString, locked: amountString })),
});

/** Account → balances with total = free + locked and available = free. */
export function parseAccount(body: unknown): ParseResult<AccountSnapshot> {
  const parsed = parseSchema(accountSchema, body, 'account');
  if (!parsed.ok) return parsed;
  const a = parsed.value;
  return ok({
    updateTime: a.updateTime,
    balances: a.balances.map((b) => entry(b.asset, b.free, b.locked)),
    ...(a.canTrade !== undefined && { canTrade: a.canTrade }),
    ...(a.commissionRates !== undefined && { commissionRates: a.commissionRates }),
  });
}

const positionSchema = z.object({
  e: z.literal('outboundAccountPosition'),
  E: int,
  u: int,
  B: z.array(z.object({ a: asset, f: amountString, l: amountString })),
});

export function parseAccountPosition(event: unknown): ParseResult<AccountPosition> {
  const parsed = parseSchema(positionSchema, event, 'outboundAccountPosition');
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  return ok({ eventTime: p.E, lastUpdateTime: p.u, balances: p.B.map((b) => entry(b.a, b.f, b.l)) });
}

const balanceUpdateSchema = z.object({ e: z.literal('balanceUpdate'), E: int, a: asset, d: decimalString, T: int });

export function parseBalanceUpdate(event: unknown): ParseResult<BalanceDelta> {
  const parsed = parseSchema(balanceUpdateSchema, event, 'balanceUpdate');
  if (!parsed.ok) return parsed;
  const b = parsed.value;
  return ok({ asset: b.a, delta: b.d, eventTime: b.E, clearTime: b.T });
}
