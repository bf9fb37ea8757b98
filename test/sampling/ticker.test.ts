import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick, startTicker, type TickInfo } from '../../src/sampling/ticker.js';

describe('nextTick', () => {
  it('schedules on absolute ticks: start + k * interval', () => {
    expect(nextTick(1000, 100, 0, 1030)).toEqual({ index: 1, atMs: 1100, skipped: 0 });
    expect(nextTick(1000, 100, 4, 1420)).toEqual({ index: 5, atMs: 1500, skipped: 0 });
  });

  it('skips ticks that are already past instead of firing them in a burst', () => {
    // last fired tick 1 (at 1100); now 1350: ticks 2 and 3 are past, next is 4 at 1400
    expect(nextTick(1000, 100, 1, 1350)).toEqual({ index: 4, atMs: 1400, skipped: 2 });
  });
});

describe('startTicker', () => {
  afterEach(() => vi.useRealTimers());

  it('does not drift when every callback takes 30 ms of a 100 ms interval', () => {
    vi.useFakeTimers();
    let work = 0;
    // The clock runs ahead of the fake timers by the time callbacks "spent".
    const clock = () => Date.now() + work;
    const seen: TickInfo[] = [];
    const t = startTicker(
      100,
      (info) => {
        seen.push(info);
        work += 30;
      },
      clock,
    );
    vi.advanceTimersByTime(1000);
    t.stop();
    const start = seen[0].scheduledMs;
    expect(seen.length).toBeGreaterThanOrEqual(8);
    seen.forEach((s, k) => expect(s.scheduledMs).toBe(start + k * 100));
    expect(t.stats().skipped).toBe(0);
  });

  it('stops firing after stop()', () => {
    vi.useFakeTimers();
    let n = 0;
    const t = startTicker(100, () => n++);
    vi.advanceTimersByTime(250);
    t.stop();
    const at = n;
    vi.advanceTimersByTime(1000);
    expect(at).toBe(3);
    expect(n).toBe(at);
  });
});
