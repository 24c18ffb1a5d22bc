export * from './core/decimal.js';
export * from './core/types.js';
export * from './core/trading-pair.js';
export * from './core/errors.js';
export { createLogger, silentLogger, type Logger } from './core/logger.js';
