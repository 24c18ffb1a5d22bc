import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { RateLimitSettings } from '../binance/limits/rate-limiter.js';
import { checkSpec, type FaultSpec } from './specs.js';

/**
 * A fault file for `venuekit sim --faults FILE` (YAML or JSON): the standing faults armed before
 * the simulator listens, the seed of their random choices, and rate limits (a tight per-second
 * weight limit makes 429 storms whenever a client bursts). Each fault is a `FaultSpec` as
 * `admin.faults.inject` takes it.
 */
export interface FaultFile {
  readonly seed?: number;
  readonly faults: FaultSpec[];
  readonly limits?: Partial<Omit<RateLimitSettings, 'enforce'>>;
}

const userEvent = z.enum(['executionReport', 'outboundAccountPosition', 'balanceUpdate', 'eventStreamTerminated']);
const scope = {
  times: z.number().int().positive().optional(),
  probability: z.number().gt(0).lte(1).optional(),
  durationMs: z.number().positive().optional(),
  accountId: z.number().int().nonnegative().optional(),
};
const endpoint = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const ms = z.number().nonnegative();
const execute = z.enum(['before-response', 'after-first-query', 'never']);
const events = z.array(userEvent).min(1).optional();

const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('latency'), endpoint, ms, jitterMs: ms.optional(), phase: z.enum(['request', 'response']).optional(), ...scope }),
  z.strictObject({ kind: z.literal('server-error'), endpoint, status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(), execute: execute.optional(), ...scope }),
  z.strictObject({ kind: z.literal('timeout'), endpoint, execute: execute.optional(), ...scope }),
  z.strictObject({ kind: z.literal('events-before-response'), endpoint, ms: ms.optional(), ...scope }),
  z.strictObject({ kind: z.literal('disconnect'), stream: z.string().min(1), mode: z.enum(['drop', 'half-open']).optional(), ...scope }),
  z.strictObject({ kind: z.literal('stall'), stream: z.string().min(1), ...scope }),
  z.strictObject({ kind: z.literal('gap'), stream: z.string().min(1), ...scope }),
  z.strictObject({ kind: z.literal('drop'), stream: z.literal('userData'), events, ...scope }),
  z.strictObject({ kind: z.literal('duplicate'), stream: z.literal('userData'), copies: z.number().int().positive().optional(), events, ...scope }),
  z.strictObject({ kind: z.literal('delay'), stream: z.literal('userData'), ms, events, ...scope }),
  z.strictObject({ kind: z.literal('reorder'), stream: z.literal('userData'), windowMs: ms.optional(), events, ...scope }),
]);

const rateLimit = z.strictObject({
  rateLimitType: z.enum(['REQUEST_WEIGHT', 'ORDERS', 'RAW_REQUESTS']),
  interval: z.enum(['SECOND', 'MINUTE', 'HOUR', 'DAY']),
  intervalNum: z.number().int().positive(),
  limit: z.number().int().positive(),
});

const fileSchema = z.strictObject({
  seed: z.number().int().nonnegative().max(2 ** 31 - 1).optional(),
  faults: z.array(faultSchema).default([]),
  limits: z
    .strictObject({
      rateLimits: z.array(rateLimit).min(1).optional(),
      scope: z.enum(['ip', 'apiKey']).optional(),
      backoffGraceMs: ms.optional(),
      violationsBeforeBan: z.number().int().nonnegative().optional(),
      banMs: ms.optional(),
      maxBanMs: ms.optional(),
    })
    .optional(),
});

/** A fault file that cannot be read or is not valid; the message names the file and the field. */
export class FaultFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultFileError';
  }
}

/** Parses a fault file's text (YAML, of which JSON is a subset). `name` is used in error messages. */
export function parseFaultFile(text: string, name: string): FaultFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new FaultFileError(`${name}: not valid YAML or JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new FaultFileError(`${name}: ${where}: ${issue.message}`);
  }
  const faults = parsed.data.faults as FaultSpec[];
  faults.forEach((spec, i) => {
    try {
      checkSpec(spec);
    } catch (err) {
      throw new FaultFileError(`${name}: faults.${i}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const limits = parsed.data.limits === undefined ? undefined : (Object.fromEntries(Object.entries(parsed.data.limits).filter(([, v]) => v !== undefined)) as FaultFile['limits']);
  return { ...(parsed.data.seed !== undefined && { seed: parsed.data.seed }), faults, ...(limits !== undefined && { limits }) };
}

export function readFaultFile(path: string): FaultFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new FaultFileError(`${path}: cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseFaultFile(text, path);
}
