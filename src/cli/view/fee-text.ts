import type { TradeFee } from '../../core/fees/trade-fee.js';

/** A fee as charged: its flat amounts by token (`0.000001 BTC`), and a percent part if it has one. */
export function feeText(fee: TradeFee): string {
  const parts = fee.flatFees.map((f) => `${f.amount.toFixed()} ${f.token}`);
  if (!fee.percent.isZero()) parts.push(`${fee.percent.mul(100).toFixed()}%${fee.percentToken ? ` in ${fee.percentToken}` : ''}`);
  return parts.length > 0 ? parts.join(' + ') : '0';
}
