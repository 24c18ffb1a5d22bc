/** Order books: the L2 book, its synchronization from snapshot + diffs, and the per-pair tracker. */
export * from './types.js';
export { BookDataError } from './level-parse.js';
export { OrderBook } from './order-book.js';
export * from './sequencing.js';
export * from './synchronizer.js';
export * from './data-source.js';
export * from './tracker.js';
