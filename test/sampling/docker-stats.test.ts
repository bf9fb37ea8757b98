import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DockerStatsFrameSchema,
  NdjsonSplitter,
  parseDockerTime,
  pointFromFrame,
  pointsFromFrames,
  workingSetFromMemoryStats,
  type DockerStatsFrame,
} from '../../src/sampling/docker-stats.js';

// Recorded from Docker 20.10 (cgroup v1) by fixtures/record-docker-stats.ts: a node process busy
// for 3.5 s holding 32 MiB, then exiting. 6 frames: the first has no precpu, the last two come
// after the exit with empty memory_stats.
const raw = readFileSync(new URL('./fixtures/docker-stats-frames.ndjson', import.meta.url), 'utf8');
const frames: DockerStatsFrame[] = raw
  .trim()
  .split('\n')
  .map((l) => DockerStatsFrameSchema.parse(JSON.parse(l)));

describe('parseDockerTime', () => {
  it('keeps the sub-millisecond part that Date.parse drops', () => {
    expect(parseDockerTime('2026-11-22T22:07:27.097594628Z')).toBeCloseTo(
      Date.UTC(2026, 10, 22, 22, 7, 27) + 97.594628,
      6,
    );
    expect(parseDockerTime('2026-11-22T22:07:27Z')).toBe(Date.UTC(2026, 10, 22, 22, 7, 27));
  });
});

describe('docker stats frames', () => {
  it('has the recorded shape: 6 frames, first without precpu, last two with empty memory stats', () => {
    expect(frames).toHaveLength(6);
    expect(frames[0].precpu_stats?.cpu_usage?.total_usage).toBe(0);
    expect(frames[4].memory_stats).toEqual({});
    expect(frames[5].memory_stats).toEqual({});
  });

  it('skips the first frame (no precpu) and the empty frames after exit', () => {
    expect(pointFromFrame(frames[0])).toBeNull();
    expect(pointFromFrame(frames[4])).toBeNull();
    expect(pointFromFrame(frames[5])).toBeNull();
    expect(pointsFromFrames(frames)).toHaveLength(3);
  });

  it('computes CPU % of one core from the total_usage delta over read - preread', () => {
    const cpu = pointsFromFrames(frames).map((p) => p.cpuPercent);
    // Expected values computed exactly (python) from the frames; 4 decimals because epoch ms in a
    // double resolve about 0.25 us, i.e. ~2e-5 percentage points over a 1 s interval.
    expect(cpu[0]).toBeCloseTo(98.96632772571344, 4);
    expect(cpu[1]).toBeCloseTo(99.73261001281283, 4);
    expect(cpu[2]).toBeCloseTo(98.88607040019886, 4);
  });

  it('reports the working set as usage - total_inactive_file on cgroup v1', () => {
    const p = pointsFromFrames(frames);
    expect(p[0]).toMatchObject({ memoryUsage: 51679232, workingSet: 51679232 - 3891200, rss: 41189376 });
    expect(p[2].workingSet).toBe(51355648 - 3891200);
  });

  it('uses inactive_file and anon on cgroup v2', () => {
    expect(workingSetFromMemoryStats({ usage: 1000, stats: { inactive_file: 300, anon: 600, file: 400 } })).toEqual({
      usage: 1000,
      workingSet: 700,
      rss: 600,
    });
    expect(workingSetFromMemoryStats({})).toBeNull();
  });
});

describe('NdjsonSplitter', () => {
  it('reassembles frames split across chunks and counts malformed lines', () => {
    const s = new NdjsonSplitter();
    const got: DockerStatsFrame[] = [];
    const text = raw.split('\n').slice(0, 2).join('\n') + '\n{not json\n';
    for (let i = 0; i < text.length; i += 97) s.push(text.slice(i, i + 97), (f) => got.push(f));
    expect(got.map((f) => f.read)).toEqual([frames[0].read, frames[1].read]);
    expect(s.malformed).toBe(1);
  });
});
