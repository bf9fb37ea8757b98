/**
 * Load knobs that make the reference collector measurably more expensive, so the harness can
 * prove it detects a CPU or memory regression. Both are off (0) by default.
 */
/** Integer mixing steps in one unit of work: a few microseconds of CPU on these machines (3.7 us measured). */
export const WORK_UNIT_STEPS = 1000;

/**
 * `units` x WORK_UNIT_STEPS rounds of an integer mixing function over the event's key:
 * deterministic CPU work proportional to the number of events. It allocates nothing, so a CPU
 * regression injected with it does not also grow the heap (hashing with node:crypto made a new
 * Buffer per round, and the garbage showed up as +13 MiB of working set in A/B validation).
 * Returns a byte of the result so the work cannot be optimised away.
 */
export function doEventWork(units: number, key: string): number {
  if (units <= 0) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  const steps = units * WORK_UNIT_STEPS;
  for (let i = 0; i < steps; i++) {
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    h = Math.imul(h, 0x297a2d39);
    h ^= h >>> 15;
  }
  return h & 0xff;
}

/** Keeps one buffer per event (pages touched, so they count in RSS), up to a ceiling. */
export class RetainedMemory {
  private readonly kept: Buffer[] = [];
  bytes = 0;

  constructor(
    private readonly bytesPerEvent: number,
    private readonly maxBytes: number,
  ) {}

  onEvent(seq: number): void {
    if (this.bytesPerEvent <= 0 || this.bytes + this.bytesPerEvent > this.maxBytes) return;
    // allocUnsafe + fill writes every page; a zero-filled allocation may stay unbacked by RAM.
    const b = Buffer.allocUnsafeSlow(this.bytesPerEvent).fill((seq & 0xff) | 1);
    this.kept.push(b);
    this.bytes += this.bytesPerEvent;
  }
}
