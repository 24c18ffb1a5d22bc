import { z } from 'zod';
import { ZERO } from '../decimal.js';
import { decimalJSON, parseWith } from '../json.js';
import type { TradeFee } from './trade-fee.js';

/** TradeFee as saved JSON: decimals as strings. */
export interface TradeFeeJSON {
  kind: TradeFee['kind'];
  percent: string;
  percentToken?: string;
  flatFees: { token: string; amount: string }[];
}

export function tradeFeeToJSON(fee: TradeFee): TradeFeeJSON {
  const out: TradeFeeJSON = {
    kind: fee.kind,
    percent: fee.percent.toString(),
    flatFees: fee.flatFees.map((f) => ({ token: f.token, amount: f.amount.toString() })),
  };
  if (fee.percentToken !== undefined) out.percentToken = fee.percentToken;
  return out;
}

export const tradeFeeJSONSchema = z
  .object({
    kind: z.enum(['added_to_cost', 'deducted_from_returns']),
    percent: decimalJSON.optional(),
    percentToken: z.string().min(1).optional(),
    flatFees: z.array(z.object({ token: z.string().min(1), amount: decimalJSON })).optional(),
  })
  .transform((f): TradeFee => {
    const fee: { -readonly [K in keyof TradeFee]: TradeFee[K] } = {
      kind: f.kind,
      percent: f.percent ?? ZERO,
      flatFees: (f.flatFees ?? []).map((x) => ({ token: x.token, amount: x.amount })),
    };
    if (f.percentToken !== undefined) fee.percentToken = f.percentToken;
    return fee;
  });

export function tradeFeeFromJSON(data: unknown): TradeFee {
  return parseWith(tradeFeeJSONSchema, data, 'trade fee');
}
