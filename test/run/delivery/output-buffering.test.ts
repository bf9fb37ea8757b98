/**
 * The block-buffering rule (src/run/delivery/output-buffering.ts) on arrival sequences recorded
 * from the test agent (test/fixtures/delivery/record-arrivals.ts: the same printf loop through a
 * pipe and on a pty) and on sequences derived from them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ArrivalTally,
  MIN_LINES,
  outputBuffering,
  type LineArrival,
} from '../../../src/run/delivery/output-buffering.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/delivery');
const recorded = (name: string): LineArrival[] =>
  (JSON.parse(readFileSync(join(FIXTURES, `arrivals-${name}.json`), 'utf8')) as Array<[number, number]>).map(
    ([atMs, bytes]) => ({ atMs, bytes }),
  );

/** The same lines handed out by a reader that wakes at `wakeups` (ms) and takes all that piled up. */
function readInBatches(lines: LineArrival[], wakeups: number[]): LineArrival[] {
  return lines.map((l) => ({ ...l, atMs: wakeups.find((w) => w >= l.atMs) ?? l.atMs }));
}

/** Deterministic pseudo-random wake-ups 20-420 ms apart (a reader whose event loop is busy for a while, now and then). */
function busyWakeups(untilMs: number): number[] {
  const out: number[] = [];
  let seed = 7;
  for (let t = 0; t < untilMs + 500;) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    t += 20 + (seed % 400);
    out.push(t);
  }
  return out;
}

describe('block-buffered output', () => {
  it('is recognised in a printf loop through a pipe: regular bursts of about 4096 bytes sharing one instant each', () => {
    const r = outputBuffering(recorded('pipe-block-buffered'));
    expect(r.blockBuffered).toBe(true);
    expect(r.linesInBursts / r.lines).toBeGreaterThan(0.95);
    expect(r.bursts).toBeGreaterThanOrEqual(5);
    expect(r.burstBytes).toBeGreaterThan(4096 * 0.95);
    expect(r.burstBytes).toBeLessThan(4096 * 1.05);
  });

  it('is not seen in the same loop on a pty, whose lines arrive one by one', () => {
    const r = outputBuffering(recorded('pty-line-buffered'));
    expect(r.blockBuffered).toBe(false);
    expect(r.linesInBursts / r.lines).toBeLessThan(0.2);
    expect(r.lines).toBeGreaterThan(MIN_LINES);
  });

  it('is not seen in line-buffered output that a busy reader took in batches of whatever had piled up', () => {
    const lines = recorded('pty-line-buffered');
    const batched = readInBatches(lines, busyWakeups(lines.at(-1)!.atMs));
    const r = outputBuffering(batched);
    // Many lines share an instant, but the bursts are of every size: not the flushes of one buffer.
    expect(r.linesInBursts / r.lines).toBeGreaterThan(0.8);
    expect(r.blockBuffered).toBe(false);
  });

  it('is not seen in line-buffered output that a log follower read every 200 ms', () => {
    const lines = recorded('pty-line-buffered');
    const every200 = Array.from({ length: Math.ceil(lines.at(-1)!.atMs / 200) + 1 }, (_, i) => i * 200);
    expect(outputBuffering(readInBatches(lines, every200)).blockBuffered).toBe(false);
  });

  it('is still recognised when the relay splits a flush in two, or joins two', () => {
    const lines = recorded('pipe-block-buffered');
    const flushAt = [...new Set(lines.map((l) => l.atMs))];
    // One flush in four split: its first ten lines 20 ms early. One in four held back to join the next.
    let k = 0;
    const pieces = lines.map((l, i) => {
      const f = flushAt.indexOf(l.atMs);
      k = i > 0 && lines[i - 1].atMs === l.atMs ? k + 1 : 0;
      return f % 4 === 1 && k < 10 ? { ...l, atMs: l.atMs - 20 } : l;
    });
    expect(outputBuffering(pieces).blockBuffered).toBe(true);
    const joined = lines.map((l) => {
      const f = flushAt.indexOf(l.atMs);
      return f % 4 === 1 && f + 1 < flushAt.length ? { ...l, atMs: flushAt[f + 1] } : l;
    });
    expect(outputBuffering(joined).blockBuffered).toBe(true);
  });

  it('is still recognised when a log follower relays each flush in pieces a millisecond apart', () => {
    const pieces = recorded('pipe-block-buffered').map((l, i) => ({ ...l, atMs: l.atMs + (i % 3) }));
    expect(outputBuffering(pieces).blockBuffered).toBe(true);
  });

  it('needs enough lines to say anything: a few flushes of a quiet agent tell nothing', () => {
    const few = recorded('pipe-block-buffered').slice(0, MIN_LINES - 1);
    expect(outputBuffering(few)).toMatchObject({ lines: MIN_LINES - 1, blockBuffered: false });
  });

  it('folds arrivals as they come to the same verdict as over the whole sequence', () => {
    const lines = recorded('pipe-block-buffered');
    const tally = new ArrivalTally();
    for (const l of lines) tally.add(l);
    expect(tally.result()).toEqual(outputBuffering(lines));
  });
});
