/** Turns a record into a fixed number of numbers (and one optional string) and back. */
export interface RecordCodec<T> {
  /** Numbers per record. */
  readonly width: number;
  /** Writes `record` at `data[at .. at + width)`; returns the string to keep beside it, if any. */
  write(record: T, data: Float64Array, at: number): string | null;
  read(data: Float64Array, at: number, text: string | null): T;
}

/**
 * A bounded FIFO of records stored as numbers in one Float64Array, overwriting the oldest when full.
 * History kept this way costs the garbage collector nothing: no object per record survives, so a
 * window of thousands of closed orders or trades per account does not slow matching down. It starts
 * small and doubles up to its capacity, so idle accounts hold little memory.
 */
export class PackedRing<T> {
  private data: Float64Array;
  private texts: (string | null)[];
  private slots: number;
  private head = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    private readonly codec: RecordCodec<T>,
    initialSlots = 16,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.slots = Math.min(capacity, initialSlots);
    this.data = new Float64Array(this.slots * codec.width);
    this.texts = new Array<string | null>(this.slots).fill(null);
  }

  get size(): number {
    return this.count;
  }

  push(record: T): void {
    if (this.count === this.slots && this.slots < this.capacity) this.grow();
    let slot: number;
    if (this.count < this.slots) {
      slot = (this.head + this.count) % this.slots;
      this.count++;
    } else {
      slot = this.head;
      this.head = (this.head + 1) % this.slots;
    }
    this.texts[slot] = this.codec.write(record, this.data, slot * this.codec.width);
  }

  /** The i-th record from the oldest (0) to the newest (size - 1), rebuilt as an object. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const slot = (this.head + i) % this.slots;
    return this.codec.read(this.data, slot * this.codec.width, this.texts[slot] ?? null);
  }

  /** One number of the i-th record, without rebuilding it (for searches). */
  field(i: number, offset: number): number {
    const slot = (this.head + i) % this.slots;
    return this.data[slot * this.codec.width + offset] as number;
  }

  /** The string kept with the i-th record. */
  text(i: number): string | null {
    return this.texts[(this.head + i) % this.slots] ?? null;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.at(i) as T);
    return out;
  }

  private grow(): void {
    const slots = Math.min(this.capacity, this.slots * 2);
    const width = this.codec.width;
    const data = new Float64Array(slots * width);
    const texts = new Array<string | null>(slots).fill(null);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.slots;
      data.set(this.data.subarray(from * width, from * width + width), i * width);
      texts[i] = this.texts[from] ?? null;
    }
    this.data = data;
    this.texts = texts;
    this.slots = slots;
    this.head = 0;
  }
}
