import { createLogger, type Logger } from '../../../src/core/logger.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A real pino logger (with its redaction) whose lines a test can read. */
export function captureLogger(level: 'debug' | 'info' | 'warn' = 'debug'): { logger: Logger; lines: LogLine[]; text: () => string } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const destination = {
    write(msg: string) {
      raw.push(msg);
      lines.push(JSON.parse(msg) as LogLine);
    },
  };
  const logger = createLogger({ level, destination: destination as never });
  return { logger, lines, text: () => raw.join('') };
}

export const INFO = 30;
export const WARN = 40;
export const ERROR = 50;
