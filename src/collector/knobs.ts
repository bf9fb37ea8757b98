/**
 * Load knobs that make the reference collector measurably more expensive, so the harness can
 * prove it detects a CPU or memory regression. Both are off (0) by default.
 */
import { createHash } from 'node:crypto';

const SEED = Buffer.from('collector-bench reference collector work unit');

/**
 * `rounds` chained SHA-256 digests over the event's key: deterministic CPU work proportional to
 * the number of events. Returns the last digest's first byte so the work cannot be optimised away.
 */
export function doEventWork(rounds: number, key: string): number {
  if (rounds <= 0) return 0;
  let digest: Buffer = createHash('sha256').update(SEED).update(key).digest();
  for (let i = 1; i < rounds; i++) digest = createHash('sha256').update(digest).digest();
  return digest[0];
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
