/**
 * The exchange's clock: wall time plus an adjustable offset, so a test can put the server ahead of
 * or behind its clients (which must then synchronize, as against the real exchange).
 */
export class SimClock {
  offsetMs = 0;

  constructor(private readonly wall: () => number = Date.now) {}

  now(): number {
    return this.wall() + this.offsetMs;
  }
}
