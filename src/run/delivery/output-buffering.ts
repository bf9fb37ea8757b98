/**
 * Whether an agent's output reached us line by line or in the flushes of a stdio buffer.
 *
 * A program whose stdout is a pipe (not a terminal) is block-buffered by libc: its lines wait in a
 * buffer (4096 bytes, say) and leave together when it is full. Log delivery then measures the
 * buffer, not the agent: the canary's line arrives when enough other lines have filled the
 * buffer (seconds, or never on a quiet host), and readiness by log line waits the same way.
 *
 * The rule, on the arrival instants of the agent's lines (one `data` chunk is handed out in one
 * go, so a flush's lines share one instant):
 *  - a line arriving within SAME_INSTANT_MS of the line before joins its instant (a flush relayed
 *    by a log follower may reach us in a few pieces, a millisecond apart); an instant of at least
 *    BURST_LINES lines is a burst;
 *  - the output is block-buffered when, over at least MIN_LINES lines, at least BURST_SHARE of them
 *    arrived in bursts (many lines sharing one instant), at least MIN_BURSTS of them, and the bursts
 *    are regular: at least REGULAR_SHARE of them carry within REGULAR_TOLERANCE of their median
 *    size in bytes. Regular bursts are what makes a line's delay jump in steps: it grows while the
 *    buffer fills and drops to nothing at each flush of the same size. A line-buffered agent whose
 *    reader was busy (a loaded harness, a log follower reading in batches) also delivers lines
 *    together, but in batches of whatever had piled up, not of one size.
 * Fewer than MIN_LINES lines tell nothing either way (blockBuffered false, with the counts shown).
 */
import type { OutputBuffering } from '../../contracts/result.js';

export const SAME_INSTANT_MS = 3;
export const BURST_LINES = 8;
export const MIN_LINES = 40;
export const MIN_BURSTS = 3;
export const BURST_SHARE = 0.8;
export const REGULAR_SHARE = 0.75;
/** A flush is the buffer's size give or take the line it cut: a few percent (recorded here: within 5% of 4096). */
export const REGULAR_TOLERANCE = 0.1;

export interface LineArrival {
  atMs: number;
  /** The line's length with its line end. */
  bytes: number;
}

interface Instant {
  lastAtMs: number;
  lines: number;
  bytes: number;
}

/** Folds line arrivals into instants as they come, keeping only the bursts (memory stays flat over a soak). */
export class ArrivalTally {
  private lines = 0;
  private open: Instant | null = null;
  private readonly bursts: Instant[] = [];

  add({ atMs, bytes }: LineArrival): void {
    this.lines++;
    if (this.open && atMs - this.open.lastAtMs <= SAME_INSTANT_MS) {
      this.open.lastAtMs = atMs;
      this.open.lines++;
      this.open.bytes += bytes;
      return;
    }
    this.closeInstant();
    this.open = { lastAtMs: atMs, lines: 1, bytes };
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

function classifyBursts(lines: number, bursts: readonly Instant[]): OutputBuffering {
  const linesInBursts = bursts.reduce((n, b) => n + b.lines, 0);
  const burstBytes = bursts.length ? median(bursts.map((b) => b.bytes)) : null;
  const regular =
    burstBytes !== null &&
    bursts.filter((b) => Math.abs(b.bytes - burstBytes) <= REGULAR_TOLERANCE * burstBytes).length >=
      REGULAR_SHARE * bursts.length;
  const blockBuffered =
    lines >= MIN_LINES && bursts.length >= MIN_BURSTS && linesInBursts >= BURST_SHARE * lines && regular;
  return { lines, bursts: bursts.length, linesInBursts, burstBytes, blockBuffered };
}
