import { SeededRandom } from '../../src/simulator/random.js';

/** A new order as both matching engines under test receive it: decimal strings, as from the wire. */
export interface WorkloadOrder {
  readonly account: number;
  readonly side: 'BUY' | 'SELL';
  readonly tif: 'GTC' | 'IOC';
  readonly price: string;
  readonly quantity: string;
  /** True for the orders meant to cross the book. */
  readonly crossing: boolean;
}

export interface Workload {
  readonly describe: string;
  readonly accounts: number;
  /** Resting orders loaded before timing: `levels` prices per side around the mid. */
  readonly prefill: readonly WorkloadOrder[];
  readonly orders: readonly WorkloadOrder[];
  /** Per account, enough never to be refused for balance. */
  readonly balances: Readonly<Record<string, string>>;
}

export interface WorkloadOptions {
  seed: number;
  orders: number;
  accounts: number;
  /** Prices per side the passive orders spread over (and the prefill covers). */
  levels: number;
}

const MID = 6_000_000; // 60,000.00 in cents
const price = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
const qty = (lots: number): string => `${Math.floor(lots / 100_000)}.${String(lots % 100_000).padStart(5, '0')}`;

/**
 * BTC-USDT at 60,000 with a 0.01 tick and a 0.00001 step. Half the orders are passive GTC limits on
 * their side of the mid, most near it and some anywhere in `levels` prices; the other half are IOC limits priced
 * through the whole opposite side, so they cross and take what their quantity covers. Crossing
 * quantities average 90 % of passive ones so the book keeps its depth over the run. Accounts are
 * drawn at random (self-trade prevention applies as on Binance: EXPIRE_MAKER).
 */
export function generateWorkload(options: WorkloadOptions): Workload {
  const random = new SeededRandom(options.seed);
  const prefill: WorkloadOrder[] = [];
  for (let k = 1; k <= options.levels; k++) {
    for (const side of ['BUY', 'SELL'] as const) {
      prefill.push({
        account: random.int(0, options.accounts - 1),
        side,
        tif: 'GTC',
        price: price(side === 'BUY' ? MID - k : MID + k),
        quantity: qty(random.int(100, 2000)),
        crossing: false,
      });
    }
  }
  const orders: WorkloadOrder[] = [];
  for (let i = 0; i < options.orders; i++) {
    const side = random.chance(0.5) ? 'BUY' : 'SELL';
    const account = random.int(0, options.accounts - 1);
    if (i % 2 === 0) {
      // Most passive orders join near the touch, as on a real book; a tenth refresh the depth.
      const k = random.chance(0.9) ? Math.min(options.levels, 1 + Math.floor(-Math.log(1 - random.next()) * 40)) : random.int(1, options.levels);
      orders.push({ account, side, tif: 'GTC', price: price(side === 'BUY' ? MID - k : MID + k), quantity: qty(random.int(100, 2000)), crossing: false });
    } else {
      const through = options.levels + 10;
      orders.push({ account, side, tif: 'IOC', price: price(side === 'BUY' ? MID + through : MID - through), quantity: qty(random.int(90, 1800)), crossing: true });
    }
  }
  return {
    describe:
      `${options.orders.toLocaleString('en-US')} orders on BTC-USDT from ${options.accounts} accounts over a book prefilled with ${options.levels.toLocaleString('en-US')} levels per side; ` +
      `half GTC limits resting on their side of the mid (90 % within ~40 ticks of it, 10 % anywhere in the ${options.levels} ticks), half IOC limits crossing the book; ` +
      'every order parsed from decimal strings, checked against the filters, funds locked, commissions charged, fills recorded',
    accounts: options.accounts,
    prefill,
    orders,
    balances: { USDT: '500000', BTC: '100' },
  };
}
