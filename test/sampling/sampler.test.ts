import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, RuntimeError } from '../../src/errors.js';
import { meanCpuPercent, startSampler } from '../../src/sampling/sampler.js';

let dir: string;
const put = (rel: string, text: string) => {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-sampler-'));
  put('proc/31/cgroup', '4:memory:/docker/abc\n2:cpuacct:/docker/abc\n0::/docker/abc\n');
  put('cg/cpuacct/docker/abc/cpuacct.usage', '5000000000\n');
  put('cg/memory/docker/abc/memory.usage_in_bytes', '104857600\n');
  put('cg/memory/docker/abc/memory.stat', 'total_inactive_file 4857600\ntotal_rss 90000000\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('startSampler', () => {
  it('refuses intervals under 100 ms, naming the key', () => {
    expect(() => startSampler({ source: { kind: 'proc', pid: process.pid }, intervalMs: 50, t0: 0 })).toThrow(
      InvalidInputError,
    );
    expect(() => startSampler({ source: { kind: 'proc', pid: process.pid }, intervalMs: 50, t0: 0 })).toThrow(
      /"intervalMs" has value 50/,
    );
  });

  it('fails at once when the cgroup of the pid cannot be found', () => {
    expect(() =>
      startSampler({
        source: { kind: 'cgroup', pid: 32, cgroupRoot: join(dir, 'cg'), procRoot: join(dir, 'proc') },
        intervalMs: 100,
        t0: 0,
      }),
    ).toThrow(RuntimeError);
  });

  it('turns cgroup readings into contract samples: t relative to t0, working set, rss; the first read is only a baseline', async () => {
    const t0 = Date.now() - 5000; // the load window began 5 s ago
    const seen: number[] = [];
    const s = startSampler({
      source: { kind: 'cgroup', pid: 31, cgroupRoot: join(dir, 'cg'), procRoot: join(dir, 'proc') },
      intervalMs: 100,
      t0,
      onSample: (x) => seen.push(x.t),
    });
    await new Promise((r) => setTimeout(r, 560));
    const samples = await s.stop();
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.length).toBeLessThanOrEqual(5); // ticks at 0..500 ms -> at most 5 samples after the baseline, never a burst
    for (const x of samples) {
      expect(x).toMatchObject({ cpuPercent: 0, memoryBytes: 100_000_000, rssBytes: 90_000_000 });
      expect(x.t).toBeGreaterThan(5000);
    }
    expect(seen).toEqual(samples.map((x) => x.t));
    expect(samples[1].t - samples[0].t).toBeGreaterThan(50);
    expect(s.errors()).toEqual([]);
  });
});

describe('meanCpuPercent', () => {
  it('averages the samples inside [from, to)', () => {
    const xs = [-500, 0, 1000, 2000, 3000].map((t, i) => ({ t, cpuPercent: i * 10 }));
    expect(meanCpuPercent(xs)).toBe(20);
    expect(meanCpuPercent(xs, 0, 3000)).toBe(20); // 10, 20, 30
    expect(meanCpuPercent(xs, 5000)).toBeNull();
  });
});
