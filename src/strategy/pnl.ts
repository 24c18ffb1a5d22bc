import { Decimal, ZERO } from '../core/decimal.js';
import { InvalidArgumentError } from '../core/errors.js';
import { feeAmountsByToken } from '../core/fees/fee-amounts.js';
import type { TradeFee } from '../core/fees/trade-fee.js';
import { splitTradingPair } from '../core/trading-pair.js';
import { TradeType } from '../core/types.js';

/** One fill as the PnL sees it (an OrderFilled event has every field). */
export interface PnlFill {
  readonly tradingPair: string;
  readonly side: TradeType;
  readonly price: Decimal;
  readonly amount: Decimal;
  readonly fee: TradeFee;
}

/** A pair's profit and loss, in its quote asset unless said otherwise. */
export interface PairPnl {
  readonly tradingPair: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Base bought minus base sold (before fees): positive is long. */
  readonly position: Decimal;
  /** What the open position cost (positive for long and short alike), and its average price. */
  readonly openCost: Decimal;
  readonly averageEntryPrice: Decimal | undefined;
  /** Closed trading gains and losses, before fees. */
  readonly realized: Decimal;
  /** The open position at `markPrice`; zero while the mark is unknown. */
  readonly unrealized: Decimal;
  readonly markPrice: Decimal | undefined;
  /** Fees paid in base or quote, valued in quote at each fill's own price. */
  readonly fees: Decimal;
  /** Fees in other tokens (BNB...), by token: not in `net`, since no rate is known here. */
  readonly otherFees: Readonly<Record<string, Decimal>>;
  /** realized + unrealized − fees. */
  readonly net: Decimal;
  readonly fills: number;
  /** Base and quote traded, both sides. */
  readonly volumeBase: Decimal;
  readonly volumeQuote: Decimal;
}

/** One open lot: `amount` of base at `price`, long or short as the position is. */
interface Lot {
  amount: Decimal;
  readonly price: Decimal;
}

class PairBook {
  readonly base: string;
  readonly quote: string;
  /** Oldest first; all on the position's side. */
  private lots: Lot[] = [];
  private long = true;
  realized = ZERO;
  fees = ZERO;
  readonly otherFees = new Map<string, Decimal>();
  fills = 0;
  volumeBase = ZERO;
  volumeQuote = ZERO;

  constructor(readonly tradingPair: string) {
    const { base, quote } = splitTradingPair(tradingPair);
    this.base = base;
    this.quote = quote;
  }

  apply(fill: PnlFill): void {
    this.fills += 1;
    this.volumeBase = this.volumeBase.plus(fill.amount);
    this.volumeQuote = this.volumeQuote.plus(fill.amount.mul(fill.price));
    this.trade(fill.side === TradeType.BUY, fill.amount, fill.price);
    const ctx = { tradingPair: fill.tradingPair, tradeType: fill.side, price: fill.price, amount: fill.amount };
    for (const part of feeAmountsByToken(fill.fee, ctx)) {
      if (part.token === this.quote) this.fees = this.fees.plus(part.amount);
      else if (part.token === this.base) this.fees = this.fees.plus(part.amount.mul(fill.price));
      else this.otherFees.set(part.token, (this.otherFees.get(part.token) ?? ZERO).plus(part.amount));
    }
  }

  /** First in, first out: a trade against the position closes its oldest lots; what is left opens a new one. */
  private trade(buy: boolean, amount: Decimal, price: Decimal): void {
    let rest = amount;
    if (this.lots.length > 0 && buy !== this.long) {
      while (rest.gt(0) && this.lots.length > 0) {
        const lot = this.lots[0]!;
        const closed = Decimal.min(lot.amount, rest);
        const gain = this.long ? price.minus(lot.price) : lot.price.minus(price);
        this.realized = this.realized.plus(gain.mul(closed));
        lot.amount = lot.amount.minus(closed);
        rest = rest.minus(closed);
        if (lot.amount.isZero()) this.lots.shift();
      }
    }
    if (rest.gt(0)) {
      if (this.lots.length === 0) this.long = buy;
      this.lots.push({ amount: rest, price });
    }
  }

  snapshot(mark: Decimal | undefined): PairPnl {
    let size = ZERO;
    let cost = ZERO;
    let unrealized = ZERO;
    for (const lot of this.lots) {
      size = size.plus(lot.amount);
      cost = cost.plus(lot.amount.mul(lot.price));
      if (mark) unrealized = unrealized.plus((this.long ? mark.minus(lot.price) : lot.price.minus(mark)).mul(lot.amount));
    }
    return {
      tradingPair: this.tradingPair,
      baseAsset: this.base,
      quoteAsset: this.quote,
      position: this.long ? size : size.neg(),
      openCost: cost,
      averageEntryPrice: size.gt(0) ? cost.div(size) : undefined,
      realized: this.realized,
      unrealized,
      markPrice: mark,
      fees: this.fees,
      otherFees: Object.fromEntries(this.otherFees),
      net: this.realized.plus(unrealized).minus(this.fees),
      fills: this.fills,
      volumeBase: this.volumeBase,
      volumeQuote: this.volumeQuote,
    };
  }
}

/**
 * Profit and loss from fills, exact: open positions are kept as first-in-first-out lots, so realized
 * and unrealized PnL are sums of products of the exchange's own decimals (no average price is ever
 * divided out and carried). Fees are counted separately and valued in the quote asset at the fill's
 * price when charged in base; fees in a third token are listed by token.
 */
export class PnlTracker {
  private readonly pairs = new Map<string, PairBook>();

  /** Counts one fill. Each fill must be given once: feed it OrderFilled events, which the tracker emits once per trade. */
  apply(fill: PnlFill): void {
    if (!fill.amount.gt(0) || !fill.price.gt(0)) {
      throw new InvalidArgumentError(`a fill needs a positive amount and price, got ${fill.amount.toString()} at ${fill.price.toString()}`, 'fill');
    }
    let book = this.pairs.get(fill.tradingPair);
    if (!book) {
      book = new PairBook(fill.tradingPair);
      this.pairs.set(fill.tradingPair, book);
    }
    book.apply(fill);
  }

  /** One pair's PnL, marked at `markPrice` (usually the mid); zeros before its first fill. */
  pair(tradingPair: string, markPrice?: Decimal): PairPnl {
    return (this.pairs.get(tradingPair) ?? new PairBook(tradingPair)).snapshot(markPrice);
  }

  /** Every pair with fills, each marked by `marks(pair)`. */
  all(marks: (tradingPair: string) => Decimal | undefined = () => undefined): PairPnl[] {
    return [...this.pairs.values()].map((b) => b.snapshot(marks(b.tradingPair)));
  }

  get tradingPairs(): string[] {
    return [...this.pairs.keys()];
  }
}
