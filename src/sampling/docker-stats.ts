/**
 * Fallback sampler over the engine's stats stream (`GET /containers/<id>/stats?stream=1`), for
 * when the container's cgroup files cannot be read (remote engine, rootless, another namespace).
 * The engine emits one JSON frame per second whatever interval was asked for.
 *
 * Frame facts (measured on Docker 20.10): the first frame has no `precpu_stats` usage (and a
 * `preread` of year 0001), so it yields no CPU figure; the frame sent after the container exits
 * has an empty `memory_stats`, so it is ignored. CPU % comes from the `total_usage` delta between
 * the frame and its `precpu_stats` over the `read - preread` wall time; the working set is
 * `usage - total_inactive_file` (cgroup v1) or `usage - inactive_file` (v2).
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { cpuPercentBetween } from './cpu.js';

const CpuStatsSchema = z
  .object({ cpu_usage: z.object({ total_usage: z.number().optional() }).passthrough().optional() })
  .passthrough();

export const DockerStatsFrameSchema = z
  .object({
    read: z.string(),
    preread: z.string().optional(),
    cpu_stats: CpuStatsSchema.optional(),
    precpu_stats: CpuStatsSchema.optional(),
    memory_stats: z
      .object({ usage: z.number().optional(), stats: z.record(z.string(), z.number()).optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();
export type DockerStatsFrame = z.infer<typeof DockerStatsFrameSchema>;

/** One usable point of a frame: wall time in epoch ms, CPU % over the frame's own interval. */
export interface DockerStatsPoint {
  readMs: number;
  cpuPercent: number;
  /** The cgroup's cumulative CPU counter (total_usage) at `readMs`. */
  cpuNs: number;
  memoryUsage: number;
  workingSet: number;
  rss: number | undefined;
}

/** Epoch milliseconds of an RFC 3339 timestamp with up to nanosecond fractions (Date.parse keeps only ms). */
export function parseDockerTime(s: string): number {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return NaN;
  const whole = Date.parse(m[1] + m[3]);
  const frac = m[2] ? Number('0.' + m[2]) * 1000 : 0;
  return whole + frac;
}

/** Working set from `memory_stats`: usage minus inactive file cache (v1 key first, then v2). Null when the stats are empty. */
export function workingSetFromMemoryStats(
  ms: DockerStatsFrame['memory_stats'],
): { usage: number; workingSet: number; rss: number | undefined } | null {
  if (!ms || ms.usage === undefined) return null;
  const stats = ms.stats ?? {};
  const inactive = stats.total_inactive_file ?? stats.inactive_file ?? 0;
  const rss = stats.total_rss ?? stats.anon;
  return { usage: ms.usage, workingSet: Math.max(0, ms.usage - inactive), rss };
}

/**
 * The point a frame yields, or null for frames to skip: the first one (no previous CPU reading)
 * and the empty one after exit.
 */
export function pointFromFrame(frame: DockerStatsFrame): DockerStatsPoint | null {
  const mem = workingSetFromMemoryStats(frame.memory_stats);
  if (!mem) return null;
  const cur = frame.cpu_stats?.cpu_usage?.total_usage;
  const prev = frame.precpu_stats?.cpu_usage?.total_usage;
  const readMs = parseDockerTime(frame.read);
  const prereadMs = frame.preread ? parseDockerTime(frame.preread) : NaN;
  // "0001-01-01T00:00:00Z" parses to a year-1 date; any preread not shortly before read is "none".
  if (
    cur === undefined ||
    !prev ||
    !Number.isFinite(prereadMs) ||
    !(readMs - prereadMs > 0 && readMs - prereadMs < 60_000)
  )
    return null;
  const cpuPercent = cpuPercentBetween({ cpuNs: prev, wallMs: prereadMs }, { cpuNs: cur, wallMs: readMs });
  if (cpuPercent === null) return null;
  return { readMs, cpuPercent, cpuNs: cur, memoryUsage: mem.usage, workingSet: mem.workingSet, rss: mem.rss };
}

/** Splits a byte stream of newline-delimited JSON frames; malformed lines are counted, not thrown. */
export class NdjsonSplitter {
  private rest = '';
  malformed = 0;

  push(chunk: string, onFrame: (frame: DockerStatsFrame) => void): void {
    this.rest += chunk;
    let nl: number;
    while ((nl = this.rest.indexOf('\n')) >= 0) {
      const line = this.rest.slice(0, nl).trim();
      this.rest = this.rest.slice(nl + 1);
      if (!line) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        this.malformed++;
        continue;
      }
      const r = DockerStatsFrameSchema.safeParse(parsed);
      if (r.success) onFrame(r.data);
      else this.malformed++;
    }
  }
}

/** Points of a recorded sequence of frames (pure; what the live stream does frame by frame). */
export function pointsFromFrames(frames: DockerStatsFrame[]): DockerStatsPoint[] {
  return frames.map(pointFromFrame).filter((p): p is DockerStatsPoint => p !== null);
}

export interface DockerStatsStream {
  /** Ends the stream; resolves once it is closed. */
  stop(): Promise<void>;
  /** Resolves when the engine ends the stream (container removed) or it errors. */
  ended: Promise<void>;
}

/** Opens the live stream (the runtime's `engineStats`) and calls `onPoint` for every usable frame. */
export async function openDockerStatsStream(
  open: () => Promise<NodeJS.ReadableStream>,
  onPoint: (p: DockerStatsPoint) => void,
): Promise<DockerStatsStream> {
  const stream = (await open()) as Readable;
  const splitter = new NdjsonSplitter();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) =>
    splitter.push(chunk, (f) => {
      const p = pointFromFrame(f);
      if (p) onPoint(p);
    }),
  );
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  return {
    ended,
    stop: async () => {
      stream.destroy();
      await ended;
    },
  };
}
