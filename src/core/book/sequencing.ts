import type { BookDiff } from './types.js';

/**
 * What a diff means for a book at a given update id:
 * - `apply`: it continues the book; apply it;
 * - `stale`: everything in it is already in the book (older than the snapshot, a duplicate, a late
 *   arrival); drop it;
 * - `gap`: updates between the book and this diff are missing; the book must be rebuilt from a
 *   fresh snapshot (or, right after a snapshot, the snapshot is older than the stream).
 */
export type DiffVerdict = 'apply' | 'stale' | 'gap';

/**
 * An exchange's rule for sequencing its diffs, the one exchange-specific part of book
 * synchronization. `afterSnapshot` is true while no diff has been applied since the snapshot the
 * book was loaded from, for exchanges whose first diff obeys a different rule from the rest.
 */
export interface SequencingRule<D extends BookDiff = BookDiff> {
  readonly name: string;
  classify(diff: D, bookUpdateId: number, afterSnapshot: boolean): DiffVerdict;
}

/**
 * Binance spot (`<symbol>@depth`, official procedure revised 2025-11-12): a diff covers ids `U..u`.
 * - `u` ≤ book id: stale (already in the snapshot, or a repeat).
 * - `U` > book id + 1: gap. Right after a snapshot this is the "snapshot older than the first
 *   buffered event" case, which also calls for a new snapshot.
 * - otherwise apply. In a live stream this is `U` = previous `u` + 1; the first diff after a
 *   snapshot straddles it (`U` ≤ lastUpdateId + 1 ≤ `u`). A diff that overlaps ids already applied
 *   (`U` ≤ book id < `u`) is applied too, as Binance's update rule says: amounts are absolute and
 *   the diff carries the final amount of every level changed in `U..u`, so the result is exact.
 */
export const binanceSequencing: SequencingRule = {
  name: 'binance',
  classify(diff, bookUpdateId) {
    if (diff.updateId <= bookUpdateId) return 'stale';
    if (diff.firstUpdateId > bookUpdateId + 1) return 'gap';
    return 'apply';
  },
};
