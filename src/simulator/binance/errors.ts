import type { Rejection } from '../engine/index.js';

/**
 * An error as the Binance API reports it: `{code, msg}` with the HTTP status Binance uses for it.
 * Thrown anywhere in the dialect and turned into a response at the pipeline's edge.
 */
export class BinanceError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly status = 400,
  ) {
    super(`${code} ${msg}`);
    this.name = 'BinanceError';
  }

  toJSON(): { code: number; msg: string } {
    return { code: this.code, msg: this.msg };
  }
}

const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';

/** The error catalogue the simulator uses, with Binance's codes and messages. */
export const errors = {
  unknown: () => new BinanceError(-1000, 'An unknown error occurred while processing the request.', 500),
  tooManyParameters: () => new BinanceError(-1101, 'Duplicate values for a parameter detected.'),
  mandatory: (name: string) => new BinanceError(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  eitherParam: (a: string, b: string) => new BinanceError(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  tooLarge: (name: string, max: string) => new BinanceError(-1102, `'${name}' contains unexpected value. Cannot be greater than '${max}'.`),
  illegalChars: (name: string, range: string) => new BinanceError(-1100, `Illegal characters found in parameter '${name}'; legal range is '${range}'.`),
  illegalDecimal: (name: string) => new BinanceError(-1100, `Illegal characters found in parameter '${name}'; legal range is '${DECIMAL_RANGE}'.`),
  unreadParameters: (read: number, sent: number) =>
    new BinanceError(-1104, `Not all sent parameters were read; read '${read}' parameter(s) but was sent '${sent}'.`),
  notRequired: (name: string) => new BinanceError(-1106, `Parameter '${name}' sent when not required.`),
  badPrecision: (name: string) => new BinanceError(-1111, `Parameter '${name}' has too much precision.`),
  invalidTif: () => new BinanceError(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => new BinanceError(-1116, 'Invalid orderType.'),
  invalidSide: () => new BinanceError(-1117, 'Invalid side.'),
  badSymbol: () => new BinanceError(-1121, 'Invalid symbol.'),
  invalidSymbolStatus: () => new BinanceError(-1122, 'Invalid symbolStatus.'),
  tooManyHours: (hours: number) => new BinanceError(-1127, `More than ${hours} hours between startTime and endTime.`),
  badCombination: () => new BinanceError(-1128, 'Combination of optional parameters invalid.'),
  strategyTypeTooLow: () => new BinanceError(-1134, '`strategyType` was less than 1000000.'),
  invalidJson: (name: string) => new BinanceError(-1135, `JSON sent for parameter '${name}' is not valid`),
  invalidTickerType: () => new BinanceError(-1139, 'Invalid ticker type.'),
  invalidCancelRestrictions: () => new BinanceError(-1145, '`cancelRestrictions` has to be either `ONLY_NEW` or `ONLY_PARTIALLY_FILLED`.'),
  symbolStatusMismatch: () => new BinanceError(-1220, "The symbol's status does not match the requested symbolStatus."),
  filter: (name: string) => new BinanceError(-1013, `Filter failure: ${name}`),
  stpNotAllowed: () => new BinanceError(-1013, 'This symbol does not allow the specified self-trade prevention mode.'),
  timestampAhead: () => new BinanceError(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  timestampOutside: () => new BinanceError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  badSignature: () => new BinanceError(-1022, 'Signature for this request is not valid.'),
  rejected: (msg: string) => new BinanceError(-2010, msg),
  cancelRejected: (msg = 'Unknown order sent.') => new BinanceError(-2011, msg),
  noSuchOrder: () => new BinanceError(-2013, 'Order does not exist.'),
  badApiKeyFormat: () => new BinanceError(-2014, 'API-key format invalid.', 401),
  rejectedKey: () => new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
  clientIdMismatch: () => new BinanceError(-2039, 'Client order ID is not correct for this order ID.'),
} as const;

export const MSG = {
  insufficientBalance: 'Account has insufficient balance for requested action.',
  wouldTake: 'Order would immediately match and take.',
  duplicate: 'Duplicate order sent.',
  marketClosed: 'Market is closed.',
  tradingDisabled: 'This account may not place or cancel orders.',
  noLiquidity: 'Order book liquidity is less than symbol minimum quantity.',
  quoteQtyNotAllowed: 'Quote order qty market orders are not support for this symbol.',
  cancelRestricted: 'Order was not canceled due to cancel restrictions.',
} as const;

/** The Binance error for an engine rejection of a new order. */
export function orderRejection(rejection: Rejection): BinanceError {
  switch (rejection.reason) {
    case 'UNKNOWN_SYMBOL':
      return errors.badSymbol();
    case 'UNKNOWN_ACCOUNT':
      return errors.rejectedKey();
    case 'MARKET_CLOSED':
      return errors.rejected(MSG.marketClosed);
    case 'TRADING_DISABLED':
      return errors.rejected(MSG.tradingDisabled);
    case 'MALFORMED':
      return errors.illegalDecimal(rejection.param);
    case 'BAD_PRECISION':
      return errors.badPrecision(rejection.param);
    case 'FILTER':
      return errors.filter(rejection.filter);
    case 'STP_MODE_NOT_ALLOWED':
      return errors.stpNotAllowed();
    case 'QUOTE_ORDER_QTY_NOT_ALLOWED':
      return errors.rejected(MSG.quoteQtyNotAllowed);
    case 'INSUFFICIENT_BALANCE':
      return errors.rejected(MSG.insufficientBalance);
    case 'WOULD_TAKE':
      return errors.rejected(MSG.wouldTake);
    case 'DUPLICATE_ORDER':
      return errors.rejected(MSG.duplicate);
    case 'NO_LIQUIDITY':
      return errors.rejected(MSG.noLiquidity);
    case 'UNKNOWN_ORDER':
    case 'CLIENT_ID_MISMATCH':
      return errors.cancelRejected();
    case 'CANCEL_RESTRICTED':
      return errors.cancelRejected(MSG.cancelRestricted);
  }
}
