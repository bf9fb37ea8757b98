/**
 * A periodic timer that does not drift: tick k is scheduled at start + k * interval on the
 * monotonic clock (process.hrtime), not "interval after the previous callback", so callback time
 * and timer lateness never accumulate. Ticks that are already past when the loop wakes (the
 * machine stalled) are skipped and counted rather than fired in a burst.
 */

/** Monotonic milliseconds (fractional) from process.hrtime. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * The next tick to fire after `lastIndex`, given the current monotonic time: the first index
 * whose scheduled time is still ahead of `nowMs`, or lastIndex + 1 if that one is not yet due.
 * `skipped` counts the ticks jumped over.
 */
export function nextTick(
  startMs: number,
  intervalMs: number,
  lastIndex: number,
  nowMs: number,
): { index: number; atMs: number; skipped: number } {
  let index = lastIndex + 1;
  const due = Math.floor((nowMs - startMs) / intervalMs);
  if (due > index) index = due + 1; // tick `due` was due in the past and is already late: skip to the next one
  return { index, atMs: startMs + index * intervalMs, skipped: index - lastIndex - 1 };
}

export interface TickInfo {
  index: number;
  scheduledMs: number;
  /** Monotonic time the callback started. */
  nowMs: number;
}

export interface TickerStats {
  ticks: number;
  skipped: number;
  /** How late callbacks started compared with their schedule, ms. */
  meanLateMs: number;
  maxLateMs: number;
}

export interface Ticker {
  stop(): void;
  stats(): TickerStats;
}

/** Calls `onTick` at start, start + interval, ... until stopped. The first tick fires immediately. */
export function startTicker(
  intervalMs: number,
  onTick: (t: TickInfo) => void,
  clock: () => number = monotonicMs,
): Ticker {
  const startMs = clock();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let last = -1;
  let ticks = 0;
  let skipped = 0;
  let lateSum = 0;
  let lateMax = 0;
  const fire = (index: number, scheduledMs: number) => {
    if (stopped) return;
    const nowMs = clock();
    const late = Math.max(0, nowMs - scheduledMs);
    ticks++;
    lateSum += late;
    lateMax = Math.max(lateMax, late);
    last = index;
    try {
      onTick({ index, scheduledMs, nowMs });
    } finally {
      schedule();
    }
  };
  const schedule = () => {
    if (stopped) return;
    const next = nextTick(startMs, intervalMs, last, clock());
    skipped += next.skipped;
    timer = setTimeout(() => fire(next.index, next.atMs), Math.max(0, next.atMs - clock()));
  };
  fire(0, startMs);
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    stats: () => ({ ticks, skipped, meanLateMs: ticks ? lateSum / ticks : 0, maxLateMs: lateMax }),
  };
}
