import { floorDiv, parseScaledBig } from './fixed.js';
import { InvalidMarketError } from './rules.js';

/** Commission rates are held as integer hundred-millionths (0.001 = 100_000). */
export const RATE_SCALE = 8;
const RATE_ONE = 100_000_000;
/** Rates above this could overflow the commission arithmetic; real ones are a fraction of a percent. */
const MAX_RATE = 50_000_000;

/** One asset of one account. `locked` is what open orders hold. */
export class Balance {
  /** Units of 10^-precision of the asset. */
  free = 0;
  locked = 0;
  /** The last transaction that touched this balance (so a transaction lists it once). */
  stamp = -1;
  readonly accountId: number;
  constructor(
    /** The owner, whose `updateTime` every change of this balance moves. */
    readonly account: Account,
    readonly asset: string,
    readonly precision: number,
  ) {
    this.accountId = account.id;
  }
}

export interface AccountOptions {
  name?: string;
  /** Commission rates as decimal fractions ("0.001" = 0.1 %). */
  makerRate?: string;
  takerRate?: string;
  canTrade?: boolean;
}

export class Account {
  readonly balances = new Map<string, Balance>();
  readonly name: string;
  makerRate: number;
  takerRate: number;
  canTrade: boolean;
  /**
   * Time of the last transaction that changed one of its balances (a lock, a release, a fill, a
   * transfer): Binance's account `updateTime`, the same clock as `u` of outboundAccountPosition.
   */
  updateTime: number;

  constructor(
    readonly id: number,
    options: AccountOptions,
    now: number,
  ) {
    this.name = options.name ?? `account-${id}`;
    this.makerRate = parseRate(options.makerRate ?? '0.001');
    this.takerRate = parseRate(options.takerRate ?? '0.001');
    this.canTrade = options.canTrade ?? true;
    this.updateTime = now;
  }

  /** The balance of `asset`, created at zero on first use. */
  balance(asset: string, precision: number): Balance {
    let b = this.balances.get(asset);
    if (b === undefined) {
      b = new Balance(this, asset, precision);
      this.balances.set(asset, b);
    }
    return b;
  }
}

export function parseRate(text: string): number {
  const rate = parseScaledBig(text, RATE_SCALE, RATE_SCALE);
  if (typeof rate !== 'bigint' || rate > BigInt(MAX_RATE)) {
    throw new InvalidMarketError(`commission rate must be a decimal from 0 to 0.5 with at most 8 decimals, got ${JSON.stringify(text)}`);
  }
  return Number(rate);
}

/**
 * Commission on `amount` units at `rate` hundred-millionths, rounded half up to the unit. Exact for
 * any safe amount: the amount is split at 10^8 so no partial product leaves the safe range.
 */
export function commissionOf(amount: number, rate: number): number {
  if (rate === 0 || amount === 0) return 0;
  const high = floorDiv(amount, RATE_ONE);
  const low = amount - high * RATE_ONE;
  const lowProduct = low * rate;
  let lowPart = floorDiv(lowProduct, RATE_ONE);
  if ((lowProduct - lowPart * RATE_ONE) * 2 >= RATE_ONE) lowPart++;
  return high * rate + lowPart;
}
