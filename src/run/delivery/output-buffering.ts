/**
 * Whether an agent's output reached us line by line or in the flushes of a stdio buffer.
 *
 * A program whose stdout is a pipe (not a terminal) is block-buffered by libc: its lines wait in a
 * buffer (4096 bytes, say) and leave together when it is full. Log delivery then measures the
 * buffer, not the agent: the canary's line arrives when enough other lines have filled the
 * buffer (seconds, or never on a quiet host), and readiness by log line waits the same way.
 *
 * The rule, on the arrival instants and sizes of the agent's lines (one `data` chunk is handed out
 * in one go, so a flush's lines share one instant):
 *  - a line arriving within SAME_INSTANT_MS of the line before joins its instant (a flush relayed
 *    by a log follower may reach us in a few pieces, a millisecond apart); an instant of at least
 *    BURST_LINES lines is a burst;
 *  - many lines sharing one instant: over at least MIN_LINES lines, at least BURST_SHARE of them
 *    arrived in bursts, and at least MIN_BURSTS bursts;
 *  - in whole buffers: a block buffer leaves when full, so the output's byte count at the end of
 *    each burst (complete lines since we began watching) lands on a grid of the buffer's size B,
 *    give or take the line a flush cut. B is the power of two nearest the median burst (glibc's
 *    buffer is the pipe's block size, 4096 here). On a circle of circumference B the bursts' ends
 *    then cluster at one point: their mean resultant length (1 for one point, about 1/sqrt(n) for
 *    n ends spread at random) must reach PHASE_CONCENTRATION. This is what makes a line's delay
 *    jump in steps, and it holds when the relay splits a flush in two or joins two flushes,
 *    which the burst sizes alone would not survive.
 * A line-buffered agent whose reader was busy (a loaded harness, a log follower reading in
 * batches) also delivers lines together, but in batches of whatever had piled up, whose ends fall
 * anywhere on that circle. Fewer lines or bursts tell nothing either way (blockBuffered false,
 * with the counts shown). A buffer of another size than a power of two (setvbuf) is not recognised.
 */
import type { OutputBuffering } from '../../contracts/result.js';

export const SAME_INSTANT_MS = 3;
export const BURST_LINES = 8;
export const MIN_LINES = 40;
export const MIN_BURSTS = 5;
export const BURST_SHARE = 0.8;
/** Five ends spread at random reach 0.7 about once in twelve; flushes of 4096 cut in lines of 100 bytes reach 0.99. */
export const PHASE_CONCENTRATION = 0.7;

export interface LineArrival {
  atMs: number;
  /** The line's length with its line end. */
  bytes: number;
}

interface Instant {
  lastAtMs: number;
  lines: number;
  bytes: number;
  /** Bytes of every line up to and including this instant's. */
  endOffset: number;
}

/** Folds line arrivals into instants as they come, keeping only the bursts (memory stays flat over a soak). */
export class ArrivalTally {
  private lines = 0;
  private offset = 0;
  private open: Instant | null = null;
  private readonly bursts: Instant[] = [];

  add({ atMs, bytes }: LineArrival): void {
    this.lines++;
    this.offset += bytes;
    if (this.open && atMs - this.open.lastAtMs <= SAME_INSTANT_MS) {
      this.open.lastAtMs = atMs;
      this.open.lines++;
      this.open.bytes += bytes;
      this.open.endOffset = this.offset;
      return;
    }
    this.closeInstant();
    this.open = { lastAtMs: atMs, lines: 1, bytes, endOffset: this.offset };
  }

  /** The verdict over every line added so far. */
  result(): OutputBuffering {
    this.closeInstant();
    return classifyBursts(this.lines, this.bursts);
  }

  private closeInstant(): void {
    if (this.open && this.open.lines >= BURST_LINES) this.bursts.push(this.open);
    this.open = null;
  }
}

/** The rule above over a recorded arrival sequence. */
export function outputBuffering(arrivals: readonly LineArrival[]): OutputBuffering {
  const tally = new ArrivalTally();
  for (const a of arrivals) tally.add(a);
  return tally.result();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** How tightly `offsets` cluster on a circle of circumference `period`: 1 at one point, near 0 spread evenly. */
export function phaseConcentration(offsets: readonly number[], period: number): number {
  let x = 0;
  let y = 0;
  for (const o of offsets) {
    const angle = (2 * Math.PI * (o % period)) / period;
    x += Math.cos(angle);
    y += Math.sin(angle);
  }
  return offsets.length ? Math.hypot(x, y) / offsets.length : 0;
}

function classifyBursts(lines: number, bursts: readonly Instant[]): OutputBuffering {
  const linesInBursts = bursts.reduce((n, b) => n + b.lines, 0);
  const burstBytes = bursts.length ? median(bursts.map((b) => b.bytes)) : null;
  const buffer = burstBytes === null ? null : 2 ** Math.round(Math.log2(burstBytes));
  const wholeBuffers =
    buffer !== null &&
    phaseConcentration(
      bursts.map((b) => b.endOffset),
      buffer,
    ) >= PHASE_CONCENTRATION;
  const blockBuffered =
    lines >= MIN_LINES && bursts.length >= MIN_BURSTS && linesInBursts >= BURST_SHARE * lines && wholeBuffers;
  return { lines, bursts: bursts.length, linesInBursts, burstBytes, blockBuffered };
}
