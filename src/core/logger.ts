import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a logged object. Secrets must never reach a log:
 * keep every field name that can hold a key, a secret or a signature here.
 */
export const REDACT_PATHS = [
  'apiKey',
  'apiSecret',
  'secret',
  'signature',
  'password',
  'headers["X-MBX-APIKEY"]',
  'headers["x-mbx-apikey"]',
  '*.apiKey',
  '*.apiSecret',
  '*.secret',
  '*.signature',
  '*.password',
  '*.headers["X-MBX-APIKEY"]',
  '*.headers["x-mbx-apikey"]',
  'params.signature',
  'params.apiKey',
];

export interface CreateLoggerOptions {
  name?: string;
  level?: LoggerOptions['level'];
  /** A pino destination; standard error by default so logs never mix with a command's output. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? process.env.VENUEKIT_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  return pino(
    { name: options.name ?? 'venuekit', level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that drops everything: the default inside libraries when the caller gives none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
