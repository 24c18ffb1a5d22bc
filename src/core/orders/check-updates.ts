import { Decimal } from '../decimal.js';
import { InvalidArgumentError } from '../errors.js';
import { isOrderState } from '../types.js';
import type { OrderUpdate, TradeUpdate } from './updates.js';

/**
 * Checks on update values before they touch an order. Connectors build these from exchange JSON; a
 * NaN, a negative amount or a missing id must be refused with the field's name, never summed.
 */

function fail(what: string, field: string, detail: string): never {
  throw new InvalidArgumentError(`${what}: ${field} ${detail}`, field);
}

function checkDecimal(what: string, field: string, value: unknown, sign: 'positive' | 'non_negative' | 'any'): void {
  if (!Decimal.isDecimal(value)) fail(what, field, `must be a Decimal, got ${typeof value}`);
  const d = value as Decimal;
  if (!d.isFinite()) fail(what, field, `must be finite, got ${d.toString()}`);
  if (sign === 'positive' && !d.gt(0)) fail(what, field, `must be above zero, got ${d.toString()}`);
  if (sign === 'non_negative' && d.lt(0)) fail(what, field, `must not be negative, got ${d.toString()}`);
}

function checkId(what: string, field: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.length === 0) fail(what, field, `must be a non-empty string, got ${JSON.stringify(value)}`);
}

function checkTimestamp(what: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(what, field, `must be a finite number of milliseconds, got ${String(value)}`);
}

export function checkTradeUpdate(t: TradeUpdate): void {
  const what = `trade update ${String(t.tradeId)}`;
  checkId(what, 'tradeId', t.tradeId, true);
  checkId(what, 'clientOrderId', t.clientOrderId, true);
  if (typeof t.exchangeOrderId !== 'string') fail(what, 'exchangeOrderId', 'must be a string');
  checkTimestamp(what, 'fillTimestamp', t.fillTimestamp);
  checkDecimal(what, 'fillPrice', t.fillPrice, 'positive');
  checkDecimal(what, 'fillBaseAmount', t.fillBaseAmount, 'positive');
  checkDecimal(what, 'fillQuoteAmount', t.fillQuoteAmount, 'non_negative');
  if (t.fee === null || typeof t.fee !== 'object') fail(what, 'fee', 'is missing');
  // Fees may be negative: some exchanges pay makers a rebate.
  checkDecimal(what, 'fee.percent', t.fee.percent, 'any');
  if (!Array.isArray(t.fee.flatFees)) fail(what, 'fee.flatFees', 'must be a list');
  t.fee.flatFees.forEach((f, i) => {
    checkId(what, `fee.flatFees.${i}.token`, f.token, true);
    checkDecimal(what, `fee.flatFees.${i}.amount`, f.amount, 'any');
  });
}

export function checkOrderUpdate(u: OrderUpdate): void {
  const what = `order update for ${String(u.clientOrderId)}`;
  checkId(what, 'clientOrderId', u.clientOrderId, true);
  checkId(what, 'exchangeOrderId', u.exchangeOrderId, false);
  if (!isOrderState(u.newState)) fail(what, 'newState', `is not an order state: ${JSON.stringify(u.newState)}`);
  checkTimestamp(what, 'updateTimestamp', u.updateTimestamp);
  if (u.cumulativeFilledAmount !== undefined) checkDecimal(what, 'cumulativeFilledAmount', u.cumulativeFilledAmount, 'non_negative');
}
